package dev.gitopsworkshop.cluster.embedded.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedCommandTest {
  private static SimulatedCommand of(String yaml) {
    return SimulatedCommand.of(Sim.yaml(yaml));
  }

  @Test
  void followsEchoSleepAndExitInAShellScript() {
    SimulatedCommand c = of("{name: t, image: busybox, command: [sh, -c, \"echo 'hello world'; sleep 2 && echo \\\"done\\\"; exit 3\"]}");
    assertTrue(c.known());
    assertEquals(List.of("hello world", "done"), c.output());
    assertEquals(2000, c.runMillis());
    assertEquals(3, c.exitCode());
  }

  @Test
  void followsAPlainCommandAndArgs() {
    SimulatedCommand c = of("{name: t, image: busybox, command: [echo], args: [hi, there]}");
    assertEquals(List.of("hi there"), c.output());
    assertEquals(0, c.exitCode());
    assertEquals(1, of("{name: t, image: busybox, command: [/bin/false]}").exitCode());
    assertEquals(90_000, of("{name: t, image: busybox, args: [sleep, 1.5m]}").runMillis());
  }

  @Test
  void stopsAtAFailedCommandJoinedWithAnd() {
    SimulatedCommand c = of("{name: t, image: busybox, command: [bash, -c, \"false && echo never\"]}");
    assertEquals(1, c.exitCode());
    assertTrue(c.output().isEmpty());
    assertEquals(0, of("{name: t, image: busybox, command: [sh, -c, \"false; echo after\"]}").exitCode());
  }

  @Test
  void anythingElseIsAProgramTheSimulationCannotKnow() {
    for (String command : List.of("[perl, -e, 'print 1']", "[sh, -c, \"echo $HOME\"]", "[sh, -c, \"while true; do sleep 1; done\"]",
        "[sh, -c, \"echo a | wc\"]", "[sh]", "[./podinfo, --port=9898]")) {
      SimulatedCommand c = of("{name: t, image: x, command: " + command + "}");
      assertFalse(c.known(), command);
      assertTrue(c.endless("Always"), command);
      assertFalse(c.endless("Never"), command);
      assertEquals(SimulatedCommand.UNKNOWN_TASK_MILLIS, c.millis(), command);
    }
    assertFalse(of("{name: t, image: nginx}").known());
  }
}
