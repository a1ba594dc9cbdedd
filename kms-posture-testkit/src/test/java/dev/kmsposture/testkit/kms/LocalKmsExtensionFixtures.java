package dev.kmsposture.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Test classes that {@link LocalKmsExtensionTest} runs through the JUnit launcher, to see what the
 * extension injects, resets, closes and reports. Not run on their own (the name ends in neither
 * Test nor Properties, and surefire skips nested classes). They leave what they saw in {@link
 * #SEEN}, which the test reads after the run.
 */
final class LocalKmsExtensionFixtures {
  private LocalKmsExtensionFixtures() {}

  /** What the fixtures saw, by name; cleared by the test before each run. */
  static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

  static Set<String> aliases(KmsClient kms) {
    return kms.listAliasesPaginator().aliases().stream()
        .map(AliasListEntry::aliasName)
        .filter(name -> !name.startsWith("alias/aws/"))
        .collect(java.util.stream.Collectors.toSet());
  }

  @WithLocalKms
  @LocalKmsSeed("local-kms-extension/orders.yaml")
  static final class EveryInjection {
    private final KmsClient fromConstructor;

    @SuppressWarnings("NullAway.Init") // injected by the extension
    @InjectLocalKms
    LocalKms localKms;

    @SuppressWarnings("NullAway.Init") // injected by the extension
    @InjectLocalKms
    KmsClient fromField;

    EveryInjection(KmsClient kms) {
      this.fromConstructor = kms;
    }

    @Test
    void parameters(KmsClient kms, CloudTrailClient cloudTrail, StsClient sts, LocalKms local) {
      assertThat(kms).isSameAs(fromConstructor).isSameAs(fromField);
      assertThat(local).isSameAs(localKms);
      // the seed is there, and the clients reach the same KMS as the LocalKms
      assertThat(aliases(kms)).containsExactly("alias/orders");
      String keyId = kms.createKey().keyMetadata().keyId();
      assertThat(local.journal().entries(e -> e.operation().equals("CreateKey"))).hasSize(1);
      LookupEventsResponse events =
          cloudTrail.lookupEvents(
              b ->
                  b.lookupAttributes(
                      LookupAttribute.builder()
                          .attributeKey("ResourceName")
                          .attributeValue(keyId)
                          .build()));
      assertThat(events.events()).extracting(e -> e.eventName()).contains("CreateKey");
      assertThat(sts.getCallerIdentity().account()).isEqualTo(Caller.DEFAULT_ACCOUNT.value());
      SEEN.put("kms", kms);
      SEEN.put("localKms", local);
    }
  }

  @WithLocalKms
  @LocalKmsSeed("local-kms-extension/orders.yaml")
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static final class ResetBetweenTests {
    @Test
    @Order(1)
    void first_changesEverything(KmsClient kms, LocalKms local) {
      kms.createAlias(
          b -> b.aliasName("alias/first").targetKeyId(kms.createKey().keyMetadata().keyId()));
      // DisableKey takes a key id or ARN, not an alias (as AWS)
      kms.disableKey(b -> b.keyId("1234abcd-12ab-34cd-56ef-1234567890ab"));
      local.faults().add(Fault.throttling().forOperations("Decrypt"));
      assertThat(aliases(kms)).containsExactlyInAnyOrder("alias/orders", "alias/first");
    }

    @Test
    @Order(2)
    @LocalKmsSeed("local-kms-extension/legacy.yaml")
    void second_startsFromTheSeedPlusItsOwn(KmsClient kms, LocalKms local) {
      assertThat(aliases(kms)).containsExactlyInAnyOrder("alias/orders", "alias/legacy");
      assertThat(kms.describeKey(b -> b.keyId("alias/orders")).keyMetadata().keyState())
          .isEqualTo(KeyState.ENABLED);
      assertThat(kms.describeKey(b -> b.keyId("alias/legacy")).keyMetadata().keyState())
          .isEqualTo(KeyState.DISABLED);
      assertThat(local.faults().list()).isEmpty();
    }

    @Test
    @Order(3)
    void third_doesNotSeeTheMethodSeedOfTheSecond(KmsClient kms, LocalKms local) {
      assertThat(aliases(kms)).containsExactly("alias/orders");
      // the journal was emptied too: only this test's ListAliases calls are in it
      assertThat(local.journal().entries())
          .extracting(JournalEntry::operation)
          .containsOnly("ListAliases");
    }
  }

  @WithLocalKms(transport = WithLocalKms.Transport.HTTP)
  static final class OverHttp {
    @Test
    void clientsTalkToTheServer(KmsClient kms, LocalKmsServer server, LocalKms local) {
      assertThat(server.localKms()).isSameAs(local);
      assertThat(server.endpoint().getHost()).isEqualTo("127.0.0.1");
      kms.createKey();
      assertThat(local.journal().entries())
          .extracting(JournalEntry::sourceIpAddress)
          .contains("127.0.0.1");
      SEEN.put("server", server);
      SEEN.put("kms", kms);
    }
  }

  @WithLocalKms
  static final class ServerWithoutHttp {
    @Test
    void wantsAServer(LocalKmsServer server) {
      assertThat(server).isNotNull();
    }
  }

  @WithLocalKms
  @LocalKmsSeed("local-kms-extension/no-such-seed.yaml")
  static final class UnknownClassSeed {
    @Test
    void neverRuns() {
      SEEN.put("ran", true);
    }
  }

  @WithLocalKms
  static final class UnknownMethodSeed {
    @Test
    @LocalKmsSeed("/local-kms-extension/missing.yaml")
    void failsBeforeRunning() {
      SEEN.put("ran", true);
    }

    @Test
    void runs() {
      SEEN.put("other", true);
    }
  }

  @WithLocalKms
  @LocalKmsSeed("local-kms-extension/bad-rotation.yaml")
  static final class BadSeedContent {
    @Test
    void neverRuns() {}
  }

  @WithLocalKms
  static final class FieldOfWrongType {
    @InjectLocalKms String kms = "";

    @Test
    void neverRuns() {}
  }

  @org.junit.jupiter.api.extension.ExtendWith(LocalKmsExtension.class)
  static final class RegisteredDirectly {
    @Test
    void defaults(KmsClient kms, StsClient sts, LocalKms local) {
      assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::123456789012:root");
      assertThat(kms.createKey().keyMetadata().arn())
          .startsWith("arn:aws:kms:us-east-1:123456789012:key/");
      assertThat(local.journal().entries()).isNotEmpty();
    }
  }

  @WithLocalKms(caller = "arn:aws:iam::111122223333:role/KeyAdmin", region = "eu-central-1")
  static final class AsRole {
    @Test
    void clientsActAsTheRole(KmsClient kms, StsClient sts) {
      assertThat(sts.getCallerIdentity().arn())
          .isEqualTo("arn:aws:iam::111122223333:role/KeyAdmin");
      assertThat(kms.createKey().keyMetadata().arn())
          .startsWith("arn:aws:kms:eu-central-1:111122223333:key/");
    }
  }

  @WithLocalKms(caller = "KeyAdmin")
  static final class BadCaller {
    @Test
    void neverRuns() {}
  }

  @WithLocalKms(region = "US East")
  static final class BadRegion {
    @Test
    void neverRuns(KmsClient kms) {
      assertThat(kms).isNotNull();
    }
  }

  @WithLocalKms(region = "eu-west-1")
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  static final class PerClassLifecycle {
    private final LocalKms local;

    PerClassLifecycle(LocalKms local) {
      this.local = local;
    }

    @BeforeEach
    void seedForEveryTest(KmsClient kms) {
      kms.createAlias(
          b -> b.aliasName("alias/each").targetKeyId(kms.createKey().keyMetadata().keyId()));
    }

    @Test
    void one(KmsClient kms, LocalKms injected) {
      assertThat(injected).isSameAs(local);
      assertThat(aliases(kms)).containsExactly("alias/each");
      assertThat(kms.describeKey(b -> b.keyId("alias/each")).keyMetadata().arn())
          .startsWith("arn:aws:kms:eu-west-1:");
    }

    @Test
    void two(KmsClient kms) {
      assertThat(aliases(kms)).containsExactly("alias/each");
    }
  }

  @WithLocalKms
  @LocalKmsSeed("local-kms-extension/orders.yaml")
  static final class Outer {
    @Test
    void outer(LocalKms local) {
      SEEN.put("outer", local);
    }

    @Nested
    class Inner {
      @Test
      void inner(LocalKms local, KmsClient kms) {
        SEEN.put("inner", local);
        assertThat(aliases(kms)).containsExactly("alias/orders");
      }
    }
  }

  // ---- parallel execution: three classes that can only finish if they run at the same time

  static final CyclicBarrier ALL_THREE = new CyclicBarrier(3);
  static final AtomicInteger RUNNING_IN_SAME_CLASS = new AtomicInteger();

  static void createSharedAliasThenMeet(KmsClient kms, LocalKms local, String who)
      throws InterruptedException, BrokenBarrierException, TimeoutException {
    // the same alias in every class: with one shared KMS the second CreateAlias would fail
    kms.createAlias(
        b -> b.aliasName("alias/shared").targetKeyId(kms.createKey().keyMetadata().keyId()));
    ALL_THREE.await(20, TimeUnit.SECONDS);
    assertThat(kms.listKeys().keys()).hasSize(1);
    SEEN.put(who, local);
    SEEN.put(who + ".thread", Thread.currentThread().getName());
  }

  @WithLocalKms
  static final class ParallelA {
    @Test
    void meet(KmsClient kms, LocalKms local) throws Exception {
      createSharedAliasThenMeet(kms, local, "A");
    }
  }

  @WithLocalKms
  static final class ParallelB {
    @Test
    void meet(KmsClient kms, LocalKms local) throws Exception {
      createSharedAliasThenMeet(kms, local, "B");
    }
  }

  @WithLocalKms(transport = WithLocalKms.Transport.HTTP)
  static final class ParallelC {
    @Test
    void meet(KmsClient kms, LocalKms local) throws Exception {
      createSharedAliasThenMeet(kms, local, "C");
    }

    // Methods of one class share its KMS: even when methods run concurrently by default, the
    // extension's resource lock keeps them one at a time.
    @Test
    void one(KmsClient kms) throws InterruptedException {
      aloneInClass(kms);
    }

    @Test
    void two(KmsClient kms) throws InterruptedException {
      aloneInClass(kms);
    }

    private static void aloneInClass(KmsClient kms) throws InterruptedException {
      assertThat(RUNNING_IN_SAME_CLASS.incrementAndGet()).isEqualTo(1);
      try {
        assertThat(kms.listKeys().keys()).isEmpty();
        Thread.sleep(200);
      } finally {
        RUNNING_IN_SAME_CLASS.decrementAndGet();
      }
    }
  }
}
