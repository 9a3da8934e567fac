package dev.gitopsworkshop.projector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watcher.Action;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterChangesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<String> lines = new ArrayList<>();
  private final ClusterChanges changes = new ClusterChanges((kind, text) -> lines.add(kind + " " + text));

  private static GenericKubernetesResource object(String json) throws Exception {
    return JSON.readValue(json, GenericKubernetesResource.class);
  }

  private static GenericKubernetesResource deployment(int replicas, String image) throws Exception {
    return object("{\"metadata\":{\"namespace\":\"default\",\"name\":\"podinfo\",\"uid\":\"d1\"},\"spec\":{\"replicas\":" + replicas
        + ",\"template\":{\"spec\":{\"containers\":[{\"name\":\"podinfo\",\"image\":\"" + image + "\"}]}}}}");
  }

  private static GenericKubernetesResource pod(String status) throws Exception {
    return object("{\"metadata\":{\"namespace\":\"default\",\"name\":\"podinfo-abc\",\"uid\":\"p1\"},\"status\":" + status + "}");
  }

  @Test
  void aDeploymentIsToldWhenItComesIsScaledChangesImageAndGoes() throws Exception {
    changes.deployment(Action.ADDED, deployment(1, "podinfo:6.5.0"));
    changes.deployment(Action.MODIFIED, deployment(1, "podinfo:6.5.0")); // status only: nothing to tell
    changes.deployment(Action.MODIFIED, deployment(4, "podinfo:6.5.0"));
    changes.deployment(Action.MODIFIED, deployment(4, "podinfo:6.5.1"));
    changes.deployment(Action.DELETED, deployment(4, "podinfo:6.5.1"));
    assertEquals(List.of(
        "CLUSTER Deployment default/podinfo created",
        "CLUSTER Deployment default/podinfo scaled from 1 to 4",
        "CLUSTER Deployment default/podinfo now runs podinfo:6.5.1",
        "CLUSTER Deployment default/podinfo deleted"), lines);
  }

  @Test
  void aPodIsToldWhenReadyOrFailedButNotForEveryStatusUpdate() throws Exception {
    changes.pod(Action.ADDED, pod("{\"phase\":\"Pending\"}"));
    changes.pod(Action.MODIFIED, pod("{\"phase\":\"Pending\"}"));
    changes.pod(Action.MODIFIED, pod("{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}"));
    changes.pod(Action.MODIFIED, pod("{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}"));
    changes.pod(Action.MODIFIED, pod("{\"phase\":\"Pending\",\"containerStatuses\":[{\"state\":{\"waiting\":{\"reason\":\"ErrImagePull\"}}}]}"));
    changes.pod(Action.DELETED, pod("{\"phase\":\"Pending\"}"));
    assertEquals(List.of(
        "CLUSTER pod default/podinfo-abc created",
        "CLUSTER pod default/podinfo-abc ready",
        "WARNING pod default/podinfo-abc failed (ErrImagePull)",
        "CLUSTER pod default/podinfo-abc gone"), lines);
  }

  @Test
  void fluxObjectsAreToldWhenTheirReadyConditionChangesAndWarningsAsWarnings() throws Exception {
    String ks = "{\"metadata\":{\"namespace\":\"flux-system\",\"name\":\"workshop\",\"uid\":\"k1\"},\"status\":{\"conditions\":"
        + "[{\"type\":\"Ready\",\"status\":\"%s\",\"message\":\"%s\"}]}}";
    changes.flux("Kustomization", Action.ADDED, object(String.format(ks, "Unknown", "reconciling")));
    changes.flux("Kustomization", Action.MODIFIED, object(String.format(ks, "True", "Applied revision: main@sha1:abc")));
    changes.flux("Kustomization", Action.MODIFIED, object(String.format(ks, "True", "Applied revision: main@sha1:abc")));
    changes.flux("Kustomization", Action.MODIFIED, object(String.format(ks, "False", "podinfo.yaml: invalid")));
    changes.event(Action.ADDED, object("{\"type\":\"Warning\",\"reason\":\"BackOff\",\"message\":\"Back-off pulling image\","
        + "\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"podinfo-abc\"}}"));
    changes.event(Action.ADDED, object("{\"type\":\"Normal\",\"reason\":\"Pulled\",\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p\"}}"));
    assertEquals(List.of(
        "FLUX Kustomization flux-system/workshop created",
        "FLUX Kustomization flux-system/workshop ready: Applied revision: main@sha1:abc",
        "WARNING Kustomization flux-system/workshop not ready: podinfo.yaml: invalid",
        "WARNING BackOff Pod/podinfo-abc: Back-off pulling image"), lines);
  }
}
