package dev.gitopsworkshop.cluster.embedded;

import java.util.List;

/**
 * An error the API server answers with a {@code Status} object, as a real one does: the HTTP code,
 * the machine-readable reason, and a message a person can act on.
 */
public final class ApiException extends RuntimeException {
  private final int code;
  private final String reason;
  private final String kind;
  private final String name;
  private final List<Cause> causes;
  private String group;

  /** One field-level problem of an Invalid (422) answer. */
  public record Cause(String reason, String message, String field) {}

  public ApiException(int code, String reason, String message) {
    this(code, reason, message, null, null, List.of());
  }

  public ApiException(
      int code, String reason, String message, String kind, String name, List<Cause> causes) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.kind = kind;
    this.name = name;
    this.causes = causes;
  }

  public static ApiException notFound(ResourceType type, String name) {
    return new ApiException(
        404,
        "NotFound",
        type.groupResource() + " \"" + name + "\" not found",
        type.plural(),
        name,
        List.of());
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "NotFound", message);
  }

  public static ApiException alreadyExists(ResourceType type, String name) {
    return new ApiException(
        409,
        "AlreadyExists",
        type.groupResource() + " \"" + name + "\" already exists",
        type.plural(),
        name,
        List.of());
  }

  public static ApiException conflict(ResourceType type, String name) {
    return new ApiException(
        409,
        "Conflict",
        "Operation cannot be fulfilled on "
            + type.groupResource()
            + " \""
            + name
            + "\": the object has been modified; please apply your changes to the latest version and try again",
        type.plural(),
        name,
        List.of());
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message);
  }

  /**
   * 422 Unprocessable Entity, naming each invalid field like a real API server.
   *
   * @param kind the kind, qualified by its group outside the core group ({@code Deployment.apps},
   *     {@code Kustomization.kustomize.toolkit.fluxcd.io}) as the message names it; the Status
   *     details carry the kind and the group apart, as kubectl reads them
   */
  public static ApiException invalid(String kind, String name, List<Cause> causes) {
    StringBuilder msg = new StringBuilder(kind + " \"" + name + "\" is invalid: ");
    msg.append(causes.size() > 1 ? "[" : "");
    for (int i = 0; i < causes.size(); i++) {
      if (i > 0) {
        msg.append(", ");
      }
      msg.append(causes.get(i).field()).append(": ").append(causes.get(i).message());
    }
    msg.append(causes.size() > 1 ? "]" : "");
    int dot = kind.indexOf('.');
    ApiException e = new ApiException(422, "Invalid", msg.toString(), dot < 0 ? kind : kind.substring(0, dot), name, causes);
    e.group = dot < 0 ? null : kind.substring(dot + 1);
    return e;
  }

  public static ApiException invalid(String kind, String name, String field, String message) {
    return invalid(kind, name, List.of(new Cause("FieldValueRequired", message, field)));
  }

  /** 404 for a namespaced object whose namespace does not exist, worded as kube-apiserver words it. */
  public static ApiException namespaceNotFound(String namespace) {
    return new ApiException(
        404, "NotFound", "namespaces \"" + namespace + "\" not found", "namespaces", namespace, List.of());
  }

  public static ApiException gone(String message) {
    return new ApiException(410, "Expired", message);
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  public String kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  /** The group of the kind an Invalid error names (null for the core group and other errors). */
  public String group() {
    return group;
  }

  public List<Cause> causes() {
    return causes;
  }
}
