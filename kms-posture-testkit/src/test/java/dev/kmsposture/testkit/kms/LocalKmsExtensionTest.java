package dev.kmsposture.testkit.kms;

import static dev.kmsposture.testkit.kms.LocalKmsExtensionFixtures.SEEN;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@link WithLocalKms @WithLocalKms} and {@link LocalKmsExtension}, through the JUnit launcher:
 * each test runs fixture classes from {@link LocalKmsExtensionFixtures} and checks what they
 * reported.
 */
class LocalKmsExtensionTest {

  /** What the launcher reported for one test or container. */
  private record Outcome(String displayName, TestExecutionResult result) {
    boolean failed() {
      return result.getStatus() != TestExecutionResult.Status.SUCCESSFUL;
    }

    String message() {
      return result.getThrowable().map(Throwable::getMessage).orElse("");
    }

    Throwable thrown() {
      return result.getThrowable().orElseThrow();
    }
  }

  private static List<Outcome> run(Map<String, String> configuration, Class<?>... fixtures) {
    List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    Launcher launcher = LauncherFactory.create();
    DiscoverySelector[] selectors =
        Stream.of(fixtures).map(c -> selectClass(c)).toArray(DiscoverySelector[]::new);
    launcher.execute(
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectors)
            .configurationParameters(configuration)
            .build(),
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.getUniqueId().endsWith("[engine:junit-jupiter]")) {
              outcomes.add(new Outcome(id.getDisplayName(), result));
            }
          }
        });
    return List.copyOf(outcomes);
  }

  private static List<Outcome> run(Class<?>... fixtures) {
    return run(Map.of(), fixtures);
  }

  private static void assertAllSucceeded(List<Outcome> outcomes, int tests) {
    assertThat(outcomes.stream().filter(Outcome::failed))
        .as(
            "failures: %s",
            outcomes.stream()
                .filter(Outcome::failed)
                .map(o -> o.displayName() + ": " + o.thrown())
                .toList())
        .isEmpty();
    assertThat(outcomes.stream().filter(o -> o.displayName().endsWith(")"))).hasSize(tests);
  }

  private static Outcome failed(List<Outcome> outcomes, String displayName) {
    return outcomes.stream()
        .filter(
            o -> o.displayName().equals(displayName) || o.displayName().endsWith("$" + displayName))
        .filter(Outcome::failed)
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no failure of [" + displayName + "] in " + outcomes));
  }

  @BeforeEach
  void clearFixtureState() {
    SEEN.clear();
  }

  @Test
  void injection_parametersConstructorAndFields_reachOneSeededKms() {
    List<Outcome> outcomes = run(LocalKmsExtensionFixtures.EveryInjection.class);

    assertAllSucceeded(outcomes, 1);
    assertThat(SEEN).containsKeys("kms", "localKms");
  }

  @Test
  void reset_beforeEachTest_returnsToTheClassSeedAndAddsTheMethodSeed() {
    List<Outcome> outcomes = run(LocalKmsExtensionFixtures.ResetBetweenTests.class);

    assertAllSucceeded(outcomes, 3);
  }

  @Test
  void perClassLifecycle_constructorInjectionBeforeBeforeAll_sharesTheKmsAndResets() {
    List<Outcome> outcomes = run(LocalKmsExtensionFixtures.PerClassLifecycle.class);

    assertAllSucceeded(outcomes, 2);
  }

  @Test
  void nestedClass_sharesTheKmsOfItsEnclosingClass() {
    List<Outcome> outcomes = run(LocalKmsExtensionFixtures.Outer.class);

    assertAllSucceeded(outcomes, 2);
    assertThat(SEEN.get("inner")).isNotNull().isSameAs(SEEN.get("outer"));
  }

  @Test
  void inProcess_afterTheClass_clientsAreClosed() {
    // given
    assertAllSucceeded(run(LocalKmsExtensionFixtures.EveryInjection.class), 1);
    KmsClient kept = (KmsClient) requireNonNull(SEEN.get("kms"));

    // then
    assertThatThrownBy(kept::listKeys)
        .hasStackTraceContaining(
            "this client was injected by LocalKmsExtension into"
                + " [dev.kmsposture.testkit.kms.LocalKmsExtensionFixtures$EveryInjection] and"
                + " closed after its tests; ask the extension for a client in each test instead"
                + " of keeping one");
  }

  @Test
  void http_clientsReachTheServer_andAfterTheClassTheServerIsStoppedAndClientsClosed() {
    // given
    assertAllSucceeded(run(LocalKmsExtensionFixtures.OverHttp.class), 1);
    LocalKmsServer server = (LocalKmsServer) requireNonNull(SEEN.get("server"));
    KmsClient kept = (KmsClient) requireNonNull(SEEN.get("kms"));

    // then: nothing listens on the port any more, and the client's connection pool is shut down
    assertThatThrownBy(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(
                    new InetSocketAddress(
                        InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), server.port()),
                    2_000);
              }
            })
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(kept::listKeys).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void serverParameter_inProcess_failsNamingTheParameterAndTheFix() {
    List<Outcome> outcomes = run(LocalKmsExtensionFixtures.ServerWithoutHttp.class);

    assertThat(failed(outcomes, "wantsAServer(LocalKmsServer)").message())
        .isEqualTo(
            "parameter [server] of [wantsAServer] wants a LocalKmsServer, but"
                + " [dev.kmsposture.testkit.kms.LocalKmsExtensionFixtures$ServerWithoutHttp] runs"
                + " the KMS in-process; use @WithLocalKms(transport = HTTP)");
  }

  @Test
  void classSeed_unknownFile_failsTheClassNamingTheFile() {
    List<Outcome> outcomes = run(LocalKmsExtensionFixtures.UnknownClassSeed.class);

    Outcome outcome = failed(outcomes, "UnknownClassSeed");
    assertThat(outcome.thrown())
        .isInstanceOf(KmsSeedException.class)
        .hasMessage(
            "seed file [local-kms-extension/no-such-seed.yaml] named by @LocalKmsSeed on"
                + " [dev.kmsposture.testkit.kms.LocalKmsExtensionFixtures$UnknownClassSeed] is not"
                + " on the class path; names are resolved from the class-path root"
                + " (src/test/resources/local-kms-extension/no-such-seed.yaml)");
    assertThat(SEEN).doesNotContainKey("ran");
  }

  @Test
  void methodSeed_unknownFile_failsThatTestOnlyNamingTheFile() {
    List<Outcome> outcomes = run(LocalKmsExtensionFixtures.UnknownMethodSeed.class);

    assertThat(failed(outcomes, "failsBeforeRunning()").thrown())
        .isInstanceOf(KmsSeedException.class)
        .hasMessage(
            "seed file [/local-kms-extension/missing.yaml] named by @LocalKmsSeed on"
                + " [dev.kmsposture.testkit.kms.LocalKmsExtensionFixtures$UnknownMethodSeed"
                + ".failsBeforeRunning] is not on the class path; names are resolved from the"
                + " class-path root (src/test/resources/local-kms-extension/missing.yaml)");
    assertThat(SEEN).doesNotContainKey("ran").containsKey("other");
  }

  @Test
  void classSeed_badField_failsNamingTheFileAndTheField() {
    List<Outcome> outcomes = run(LocalKmsExtensionFixtures.BadSeedContent.class);

    KmsSeedException thrown = (KmsSeedException) failed(outcomes, "BadSeedContent").thrown();
    assertThat(thrown.field()).isEqualTo("keys[0].rotation.periodInDays");
    assertThat(thrown.getMessage())
        .startsWith("keys[0].rotation.periodInDays: local-kms-extension/bad-rotation.yaml: ");
  }

  @Test
  void injectedField_ofAnotherType_failsNamingTheField() {
    List<Outcome> outcomes = run(LocalKmsExtensionFixtures.FieldOfWrongType.class);

    assertThat(failed(outcomes, "neverRuns()").message())
        .isEqualTo(
            "@InjectLocalKms field"
                + " [dev.kmsposture.testkit.kms.LocalKmsExtensionFixtures$FieldOfWrongType.kms]"
                + " has type [java.lang.String]; expected one of KmsClient, CloudTrailClient,"
                + " StsClient, LocalKms, LocalKmsServer");
  }

  @Test
  void extendWith_withoutTheAnnotation_usesItsDefaults() {
    List<Outcome> outcomes = run(LocalKmsExtensionFixtures.RegisteredDirectly.class);

    assertAllSucceeded(outcomes, 1);
  }

  @Test
  void caller_aRoleInAnotherAccount_clientsActAsItAndKeysAreItsAccounts() {
    List<Outcome> outcomes = run(LocalKmsExtensionFixtures.AsRole.class);

    assertAllSucceeded(outcomes, 1);
  }

  @Test
  void caller_notAnArn_failsNamingItAndTheClass() {
    List<Outcome> outcomes = run(LocalKmsExtensionFixtures.BadCaller.class);

    assertThat(failed(outcomes, "BadCaller").message())
        .isEqualTo(
            "caller in @WithLocalKms on"
                + " [dev.kmsposture.testkit.kms.LocalKmsExtensionFixtures$BadCaller] is not usable:"
                + " principal [KeyAdmin] is not an ARN");
  }

  @Test
  void region_notARegionName_failsNamingItAndTheClass() {
    List<Outcome> outcomes = run(LocalKmsExtensionFixtures.BadRegion.class);

    assertThat(failed(outcomes, "BadRegion").message())
        .isEqualTo(
            "region [US East] in @WithLocalKms on"
                + " [dev.kmsposture.testkit.kms.LocalKmsExtensionFixtures$BadRegion] is not an AWS"
                + " Region name; expected a name such as us-east-1");
  }

  @Test
  void parallelExecution_classesRunConcurrentlyEachWithItsOwnKms_methodsOfOneClassOneAtATime() {
    // given: JUnit's parallel execution, classes and methods concurrent by default
    Map<String, String> parallel =
        Map.of(
            "junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.mode.default", "concurrent",
            "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
            "junit.jupiter.execution.parallel.config.strategy", "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism", "4");

    // when: the three classes meet at a barrier, so they pass only if they run at the same time
    List<Outcome> outcomes =
        run(
            parallel,
            LocalKmsExtensionFixtures.ParallelA.class,
            LocalKmsExtensionFixtures.ParallelB.class,
            LocalKmsExtensionFixtures.ParallelC.class);

    // then
    assertAllSucceeded(outcomes, 5);
    Set<Object> instances = Stream.of("A", "B", "C").map(SEEN::get).collect(Collectors.toSet());
    assertThat(instances).hasSize(3).doesNotContainNull();
    assertThat(Stream.of("A", "B", "C").map(w -> SEEN.get(w + ".thread")).distinct()).hasSize(3);
  }

  @Test
  void close_isIdempotentAndRefusesNewClients() throws IOException {
    // given
    LocalKmsResources resources =
        new LocalKmsResources(
            "SomeTest",
            LocalKms.create(),
            WithLocalKms.Transport.IN_PROCESS,
            software.amazon.awssdk.regions.Region.US_EAST_1);
    resources.kmsClient().listKeys();

    // when
    resources.close();
    resources.close();

    // then
    assertThatThrownBy(resources::kmsClient)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the embedded KMS of [SomeTest] is closed: its tests are over; ask the extension for"
                + " clients in each test");
  }
}
