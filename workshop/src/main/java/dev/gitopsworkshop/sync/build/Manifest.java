package dev.gitopsworkshop.sync.build;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One object of a build and the file of the source artifact it came from (for messages). */
public record Manifest(ObjectNode object, String file) {}
