package dev.gitopsworkshop;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape the code keeps: data flows one way, cli -> lab -> {cluster, git, sync, registry,
 * projector, tutorial, demo, slides} -> the leaves (the root package's few classes, state, console,
 * logging, kube); the tutorial and the demos see a cluster only through kube, never a cluster mode;
 * one Kubernetes client, one way to watch, one set of mappers.
 */
class ArchitectureTest {
  private static final String ROOT = "dev.gitopsworkshop";
  private static final String[] LEAVES = {ROOT, ROOT + ".state..", ROOT + ".console..", ROOT + ".logging..", ROOT + ".kube.."};
  private static final java.util.Set<String> MAPPERS = java.util.Set.of("com.fasterxml.jackson.databind.ObjectMapper",
      "com.fasterxml.jackson.databind.json.JsonMapper", "com.fasterxml.jackson.dataformat.yaml.YAMLMapper");
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() throws Exception {
    // the tool's own classes only (target/classes), not every jar on the class path
    java.nio.file.Path main = java.nio.file.Path.of(Mappers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPath(main);
  }

  private static void check(ArchRule rule) {
    rule.check(classes);
  }

  @Test
  void onlyTheCommandLineKnowsTheCommandLine() {
    check(noClasses().that().resideOutsideOfPackage(ROOT + ".cli..").should().dependOnClassesThat().resideInAPackage(ROOT + ".cli..")
        .because("cli is the top: it parses, calls the lab, prints"));
  }

  @Test
  void onlyTheCommandLineKnowsTheCompositionRoot() {
    check(noClasses().that().resideOutsideOfPackages(ROOT + ".cli..", ROOT + ".lab..").should().dependOnClassesThat()
        .resideInAPackage(ROOT + ".lab..").because("lab only composes; shared state lives in the leaf package state"));
  }

  @Test
  void leavesDependOnLeavesOnly() {
    check(noClasses().that().resideInAnyPackage(LEAVES).should().dependOnClassesThat(describe("a class of the project outside the leaves",
        c -> c.getPackageName().startsWith(ROOT + ".") && !isLeaf(c.getPackageName())))
        .because("state, console, logging and kube are what every layer may use"));
  }

  private static boolean isLeaf(String pkg) {
    return pkg.equals(ROOT) || pkg.startsWith(ROOT + ".state") || pkg.startsWith(ROOT + ".console") || pkg.startsWith(ROOT + ".logging")
        || pkg.startsWith(ROOT + ".kube");
  }

  @Test
  void theTutorialAndTheDemosAreIgnorantOfClusterModes() {
    check(noClasses().that().resideInAnyPackage(ROOT + ".tutorial..", ROOT + ".demo..").should().dependOnClassesThat()
        .resideInAnyPackage(ROOT + ".cluster..", ROOT + ".lab..")
        .because("they see a cluster through kube (any kubeconfig), whichever mode runs it"));
  }

  @Test
  void clustersKnowNothingOfWhatRunsOnThem() {
    check(noClasses().that().resideInAPackage(ROOT + ".cluster..").should().dependOnClassesThat()
        .resideInAnyPackage(ROOT + ".registry..", ROOT + ".sync..", ROOT + ".git..", ROOT + ".projector..", ROOT + ".tutorial..",
            ROOT + ".demo..")
        .because("the lab wires them (the kubelet learns which images exist through ImageResolver)"));
  }

  @Test
  void thePackagesHaveNoCycles() {
    check(slices().matching(ROOT + ".(*)..").should().beFreeOfCycles());
  }

  @Test
  void kubernetesClientsAreMadeInKubeOnly() {
    check(noClasses().that().resideOutsideOfPackage(ROOT + ".kube..").should().dependOnClassesThat()
        .haveFullyQualifiedName("io.fabric8.kubernetes.client.KubernetesClientBuilder")
        .because("one client: kube.Kube (kube.Clients for the cluster modes)"));
  }

  @Test
  void watchesGoThroughKubeWatch() {
    check(noClasses().that().resideOutsideOfPackage(ROOT + ".kube..").should().callMethodWhere(describe("a fabric8 watch",
        (JavaMethodCall call) -> call.getName().equals("watch") && call.getTargetOwner().getPackageName().startsWith("io.fabric8")))
        .because("one re-watch policy: kube.KubeWatch"));
  }

  @Test
  void mappersAreShared() {
    check(noClasses().that().doNotHaveFullyQualifiedName(ROOT + ".Mappers").should().callConstructorWhere(describe("a new Jackson mapper",
        call -> MAPPERS.contains(call.getTargetOwner().getName())))
        .because("Mappers holds the JSON and YAML mappers everyone shares"));
  }
}
