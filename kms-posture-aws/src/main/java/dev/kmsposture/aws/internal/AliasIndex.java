package dev.kmsposture.aws.internal;

import dev.kmsposture.snapshot.AliasEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The aliases of one Region, by the key they point at: {@code ListAliases} is read once per Region
 * and every key finds its aliases here. When it could not be read, every key of the Region has its
 * aliases marked unreadable with the reason.
 *
 * <p>Immutable.
 */
public final class AliasIndex {
  private final List<AliasEntry> entries;
  private final Map<String, List<String>> byKey;
  private final @Nullable String problem;

  private AliasIndex(List<AliasEntry> entries, @Nullable String problem) {
    this.entries = List.copyOf(entries);
    this.problem = problem;
    Map<String, List<String>> map = new HashMap<>();
    for (AliasEntry e : entries) {
      if (e.targetKeyId() != null) {
        map.computeIfAbsent(e.targetKeyId(), k -> new ArrayList<>()).add(e.aliasName());
      }
    }
    map.replaceAll((k, v) -> v.stream().sorted().toList());
    this.byKey = Map.copyOf(map);
  }

  /** The index of {@code entries}, read in full. */
  public static AliasIndex of(List<AliasEntry> entries) {
    return new AliasIndex(entries, null);
  }

  /** The index of a Region whose aliases could not be read (all or in part), and why. */
  public static AliasIndex unreadable(List<AliasEntry> partial, String problem) {
    return new AliasIndex(partial, problem);
  }

  /** Every alias of the Region that was read. */
  public List<AliasEntry> entries() {
    return entries;
  }

  /** The alias names of {@code keyId}, sorted; empty when the aliases could not be read. */
  public Optional<List<String>> aliasesOf(String keyId) {
    if (problem != null) {
      return Optional.empty();
    }
    return Optional.of(byKey.getOrDefault(keyId, List.of()));
  }

  /**
   * Whether an {@code alias/aws/…} alias points at {@code keyId} (only AWS managed keys have one).
   */
  public boolean hasAwsAlias(String keyId) {
    return byKey.getOrDefault(keyId, List.of()).stream().anyMatch(a -> a.startsWith("alias/aws/"));
  }

  /** Why the aliases could not be read; empty text when they were. */
  public String problem() {
    return problem == null ? "" : problem;
  }
}
