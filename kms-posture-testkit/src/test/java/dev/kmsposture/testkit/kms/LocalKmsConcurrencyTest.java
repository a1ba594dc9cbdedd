package dev.kmsposture.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * Eight threads hammer one KMS through the SDK — creating keys, encrypting and decrypting, tagging
 * and aliasing shared keys, listing — and no update is lost and no thread ever sees a half-made
 * key.
 */
class LocalKmsConcurrencyTest {
  static final int THREADS = 8;
  static final int ROUNDS = 12;

  @Test
  void eightThreads_loseNoUpdate_andNeverSeeAHalfMadeKey() throws Exception {
    // given
    LocalKms kms = LocalKms.create();
    List<String> shared = new ArrayList<>();
    try (KmsClient setup = kms.kmsClient(Region.US_EAST_1)) {
      for (int i = 0; i < 4; i++) {
        shared.add(setup.createKey(b -> b.description("shared")).keyMetadata().keyId());
      }
    }
    Map<String, String> created = new ConcurrentHashMap<>();
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    // when
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                try (KmsClient kmsClient = kms.kmsClient(Region.US_EAST_1)) {
                  start.await();
                  for (int i = 0; i < ROUNDS; i++) {
                    hammer(kmsClient, thread, i, shared, created, calls);
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get(5, TimeUnit.MINUTES);
    }
    pool.shutdown();

    // then: every call is in the journal, once
    assertThat(kms.journal().entries()).hasSize(4 + calls.get());
    try (KmsClient check = kms.kmsClient(Region.US_EAST_1)) {
      Set<String> listed = new HashSet<>();
      check.listKeysPaginator().keys().forEach(k -> listed.add(k.keyId()));
      assertThat(listed).hasSize(4 + THREADS * ROUNDS).containsAll(created.keySet());
      for (String key : shared) {
        Map<String, String> tags = new java.util.TreeMap<>();
        check
            .listResourceTagsPaginator(b -> b.keyId(key))
            .tags()
            .forEach(t -> tags.put(t.tagKey(), t.tagValue()));
        // every thread's last write to its own tag survived
        for (int t = 0; t < THREADS; t++) {
          assertThat(tags).containsEntry("thread-" + t, Integer.toString(ROUNDS - 1));
        }
      }
      List<AliasListEntry> aliases =
          check.listAliasesPaginator().aliases().stream()
              .filter(a -> a.aliasName().startsWith("alias/t"))
              .toList();
      assertThat(aliases).hasSize(THREADS * ROUNDS);
      for (AliasListEntry a : aliases) {
        String[] parts = a.aliasName().substring("alias/t".length()).split("-", -1);
        int round = Integer.parseInt(parts[1]);
        assertThat(a.targetKeyId()).isEqualTo(shared.get(round % shared.size()));
      }
    }
  }

  private static void hammer(
      KmsClient kms,
      int thread,
      int round,
      List<String> shared,
      Map<String, String> created,
      AtomicInteger calls) {
    // a new key is whole the moment CreateKey returns: described, tagged, listed
    KeyMetadata md =
        kms.createKey(
                b ->
                    b.description("t" + thread + "-" + round)
                        .tags(Tag.builder().tagKey("owner").tagValue("t" + thread).build()))
            .keyMetadata();
    created.put(md.keyId(), md.description());
    KeyMetadata described = kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata();
    assertThat(described.keyState()).isEqualTo(KeyState.ENABLED);
    assertThat(described.description()).isEqualTo("t" + thread + "-" + round);
    assertThat(kms.listResourceTags(b -> b.keyId(md.keyId())).tags()).hasSize(1);

    // every listed key describes completely, whoever is creating keys meanwhile
    List<KeyListEntry> page = kms.listKeys(b -> b.limit(5)).keys();
    for (KeyListEntry e : page) {
      KeyMetadata other = kms.describeKey(b -> b.keyId(e.keyId())).keyMetadata();
      assertThat(other.arn()).isEqualTo(e.keyArn());
      assertThat(other.creationDate()).isNotNull();
    }

    // crypto on a shared key
    String key = shared.get(round % shared.size());
    SdkBytes plaintext = SdkBytes.fromUtf8String("thread " + thread + " round " + round);
    SdkBytes blob =
        kms.encrypt(
                b -> b.keyId(key).plaintext(plaintext).encryptionContext(Map.of("t", "" + thread)))
            .ciphertextBlob();
    assertThat(
            kms.decrypt(b -> b.ciphertextBlob(blob).encryptionContext(Map.of("t", "" + thread)))
                .plaintext())
        .isEqualTo(plaintext);

    // tag and alias updates on shared keys
    for (String s : shared) {
      kms.tagResource(
          b ->
              b.keyId(s)
                  .tags(
                      Tag.builder()
                          .tagKey("thread-" + thread)
                          .tagValue(Integer.toString(round))
                          .build()));
    }
    kms.createAlias(b -> b.aliasName("alias/t" + thread + "-" + round).targetKeyId(key));
    calls.addAndGet(3 + page.size() + 1 + 2 + shared.size() + 1);
  }
}
