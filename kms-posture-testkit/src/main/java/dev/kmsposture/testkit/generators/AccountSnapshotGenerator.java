package dev.kmsposture.testkit.generators;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.AliasEntry;
import dev.kmsposture.snapshot.CollectionError;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.TrailSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Generates account snapshots: up to {@link #maxKeys(int) maxKeys} keys from {@link
 * KmsGenerators#keySnapshots()} (distinct ARNs), the aliases that point at them, CloudTrail trails
 * (not collected, none, logging KMS events, or excluding them), and sometimes a collection error.
 * Every snapshot is taken at {@link KmsGenerators#CAPTURED_AT}.
 *
 * <p>The edge cases are a snapshot with no keys (which a report must not call clean), one with a
 * single key, and one with the most keys.
 *
 * @since 0.1.0
 */
@CheckReturnValue
public final class AccountSnapshotGenerator implements Generator<AccountSnapshot> {
  private final Settings settings;
  private final Generator<KeySnapshot> keys;
  private final int maxKeys;

  AccountSnapshotGenerator(Settings settings, Generator<KeySnapshot> keys, int maxKeys) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.maxKeys = maxKeys;
  }

  /**
   * Returns a generator of snapshots of {@code account} (and its keys, unless set with {@link
   * #withKeys(Generator)} afterwards).
   *
   * @param account the account
   * @return the configured generator
   */
  public AccountSnapshotGenerator forAccount(AccountId account) {
    Settings s = settings.withAccount(account);
    return new AccountSnapshotGenerator(
        s, new KeySnapshotGenerator(s, new KeyPolicyGenerator(s)), maxKeys);
  }

  /**
   * Returns a generator whose snapshots hold keys from {@code keys}; keys must be in the snapshot's
   * account.
   *
   * @param keys the key generator
   * @return the configured generator
   */
  public AccountSnapshotGenerator withKeys(Generator<KeySnapshot> keys) {
    return new AccountSnapshotGenerator(settings, keys, maxKeys);
  }

  /**
   * Returns a generator of snapshots with at most {@code max} keys (8 by default).
   *
   * @param max the most keys
   * @return the configured generator
   * @throws IllegalArgumentException if {@code max} is negative
   */
  public AccountSnapshotGenerator maxKeys(int max) {
    if (max < 0) {
      throw new IllegalArgumentException(
          String.format("maximum keys [%d] is negative; expected 0 or more", max));
    }
    return new AccountSnapshotGenerator(settings, keys, max);
  }

  @Override
  public AccountSnapshot generate(RandomGenerator random, int size) {
    int n = Generators.length(random, size, 0, maxKeys);
    List<KeySnapshot> drawn = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      drawn.add(keys.generate(random, size));
    }
    @Nullable List<TrailSnapshot> trails =
        switch (random.nextInt(4)) {
          case 0 -> null; // not collected
          case 1 -> List.of();
          case 2 -> List.of(trail(true));
          default -> List.of(trail(false));
        };
    List<CollectionError> errors =
        random.nextInt(8) == 0
            ? List.of(
                new CollectionError(
                    "ap-southeast-2", "ListKeys", "ThrottlingException: Rate exceeded"))
            : List.of();
    return snapshot(drawn, trails, errors);
  }

  private AccountSnapshot snapshot(
      List<KeySnapshot> drawn, @Nullable List<TrailSnapshot> trails, List<CollectionError> errors) {
    Map<String, KeySnapshot> byArn = new LinkedHashMap<>();
    for (KeySnapshot k : drawn) {
      byArn.putIfAbsent(k.arn(), k);
    }
    List<KeySnapshot> unique = new ArrayList<>(byArn.values());
    TreeSet<String> regions = new TreeSet<>();
    List<AliasEntry> aliases = new ArrayList<>();
    for (KeySnapshot k : unique) {
      regions.add(k.region());
      if (k.aliases() != null) {
        for (String a : k.aliases()) {
          aliases.add(new AliasEntry(a, k.region(), k.keyId()));
        }
      }
    }
    return AccountSnapshot.builder()
        .account(settings.account().value())
        .partition(settings.partition())
        .regions(List.copyOf(regions))
        .capturedAt(KmsGenerators.CAPTURED_AT)
        .keys(unique)
        .aliases(aliases)
        .trails(trails)
        .collectionErrors(errors)
        .build();
  }

  private static TrailSnapshot trail(boolean logsKms) {
    return TrailSnapshot.builder()
        .name("management-events")
        .homeRegion("us-east-1")
        .multiRegion(true)
        .logging(true)
        .eventSelectors(
            List.of(
                new TrailSnapshot.EventSelector(
                    "All", true, logsKms ? List.of() : List.of("kms.amazonaws.com"))))
        .build();
  }

  @Override
  public List<AccountSnapshot> edgeCases() {
    List<AccountSnapshot> out = new ArrayList<>();
    out.add(snapshot(List.of(), List.of(trail(true)), List.of()));
    List<KeySnapshot> edgeKeys = keys.samples(0L, Math.max(maxKeys, 1));
    if (maxKeys >= 1) {
      out.add(snapshot(edgeKeys.subList(0, 1), List.of(trail(true)), List.of()));
    }
    if (maxKeys > 1) {
      out.add(snapshot(edgeKeys.subList(0, maxKeys), List.of(trail(true)), List.of()));
    }
    return out;
  }
}
