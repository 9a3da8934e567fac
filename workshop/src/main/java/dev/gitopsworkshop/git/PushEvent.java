package dev.gitopsworkshop.git;

import java.time.Instant;

/** One ref updated by an accepted push. Ids are 40-hex object ids; a zero id means none. */
public record PushEvent(
    String repository, String ref, String oldId, String newId, String pusher, Instant at) {}
