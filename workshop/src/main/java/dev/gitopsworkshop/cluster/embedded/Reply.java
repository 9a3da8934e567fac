package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;

/** What a resource request answers: a status code and a JSON body, or plain text (pod logs). */
record Reply(int status, JsonNode body, String text) {
  static Reply ok(JsonNode body) {
    return new Reply(200, body, null);
  }

  static Reply created(JsonNode body) {
    return new Reply(201, body, null);
  }

  static Reply text(String text) {
    return new Reply(200, null, text);
  }
}
