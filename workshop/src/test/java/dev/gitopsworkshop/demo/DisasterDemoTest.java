package dev.gitopsworkshop.demo;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.WorkshopException;
import org.junit.jupiter.api.Test;

class DisasterDemoTest {
  @Test
  void anExistingClusterIsNotThrownAwayWithoutYesDeleteNamespace() {
    WorkshopException e = assertThrows(WorkshopException.class, () -> DisasterDemo.requireConsent("kubeconfig", false));
    assertEquals(WorkshopException.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("existing cluster (kubeconfig mode)"), e.getMessage());
    assertTrue(e.hint().contains("--yes-delete-namespace"), e.hint());
    assertDoesNotThrow(() -> DisasterDemo.requireConsent("kubeconfig", true));
  }

  @Test
  void clustersTheLabCreatedNeedNoConsent() {
    assertDoesNotThrow(() -> DisasterDemo.requireConsent("embedded", false));
    assertDoesNotThrow(() -> DisasterDemo.requireConsent("k3s", false));
  }
}
