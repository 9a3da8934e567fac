package dev.gitopsworkshop.git;

import java.time.Instant;

/** One accepted ref update: {@code oldId}/{@code newId} are 40-hex ids, zeros for create/delete. */
public record PushEvent(String repository, String ref, String oldId, String newId, Instant at) {}
