package dev.gitopsworkshop.cluster.embedded;

import java.util.List;

/**
 * A kind of object the embedded API server serves: built in, or added by a
 * CustomResourceDefinition.
 *
 * @param columns the Table columns {@code kubectl get} prints, after NAME (for custom resources:
 *     the CRD's additionalPrinterColumns); empty means NAME and AGE only
 * @param subresources "status" and/or "scale"
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    List<String> subresources,
    List<PrinterColumn> columns,
    boolean builtIn) {

  public static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** {@code v1} for the core group, {@code group/version} otherwise. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** {@code plural.group}, as in a CRD's name and RBAC rules. */
  public String groupResource() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  public boolean hasStatus() {
    return subresources.contains("status");
  }

  public boolean hasScale() {
    return subresources.contains("scale");
  }

  /** The path prefix of this resource's group version: {@code /api/v1} or {@code /apis/g/v}. */
  public String groupVersionPath() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  /**
   * One printer column.
   *
   * @param jsonPath a simple JSONPath such as {@code .status.conditions[?(@.type=="Ready")].status}
   */
  public record PrinterColumn(
      String name, String type, String jsonPath, String description, int priority) {}
}
