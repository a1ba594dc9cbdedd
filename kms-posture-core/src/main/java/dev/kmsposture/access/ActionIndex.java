package dev.kmsposture.access;

import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Numbers the catalog actions 0..n-1 so that an {@code Action} element compiles to a bit mask and
 * matching a catalog action is one AND. The catalog has fewer than 64 actions; actions outside it
 * fall back to pattern matching.
 */
final class ActionIndex {
  private static final List<KmsAction> ACTIONS = new ArrayList<>(KmsAction.known());
  private static final Map<KmsAction, Integer> INDEX = new HashMap<>();
  private static final java.util.IdentityHashMap<KmsAction, Integer> BY_IDENTITY =
      new java.util.IdentityHashMap<>();
  private static final Map<String, KmsAction> BY_NAME = new HashMap<>();
  private static final boolean[] CROSS_ACCOUNT = new boolean[64];

  /** The mask of every catalog action. */
  static final long ALL = ACTIONS.size() == 64 ? -1L : (1L << ACTIONS.size()) - 1;

  static {
    if (ACTIONS.size() > 64) {
      throw new IllegalStateException("bug in kms-posture: more than 64 catalog actions");
    }
    for (int i = 0; i < ACTIONS.size(); i++) {
      INDEX.put(ACTIONS.get(i), i);
      BY_IDENTITY.put(ACTIONS.get(i), i);
      BY_NAME.put(ACTIONS.get(i).name(), ACTIONS.get(i));
      CROSS_ACCOUNT[i] = ACTIONS.get(i).isCrossAccount();
    }
  }

  private ActionIndex() {}

  /** Returns the index of a canonical catalog action, or -1. */
  static int indexOf(KmsAction canonical) {
    // The catalog's own instances (the constants, and what canonical() returns) are found by
    // identity, without hashing the name; an equal instance made elsewhere by equality.
    Integer i = BY_IDENTITY.get(canonical);
    if (i == null) {
      i = INDEX.get(canonical);
    }
    return i == null ? -1 : i;
  }

  /** Returns the catalog action at {@code index}, in canonical spelling. */
  static KmsAction action(int index) {
    return ACTIONS.get(index);
  }

  /** Returns the catalog action spelled exactly {@code name}, or null (a fast path). */
  static @Nullable KmsAction canonicalNamed(String name) {
    return BY_NAME.get(name);
  }

  /** Returns whether the catalog action at {@code index} can be used across accounts. */
  static boolean isCrossAccount(int index) {
    return index >= 0 && CROSS_ACCOUNT[index];
  }

  /** Returns the mask of the catalog actions that at least one of {@code patterns} matches. */
  static long maskOf(List<KmsAction> patterns) {
    long mask = 0;
    for (int i = 0; i < patterns.size(); i++) {
      mask |= maskOf(patterns.get(i));
    }
    return mask;
  }

  /** Returns the mask of the catalog actions that {@code pattern} matches. */
  static long maskOf(KmsAction pattern) {
    // Policies spell the same few dozen patterns over and over: the mask of each spelling is
    // worked out once (matching it against every catalog action) and remembered, up to a bound.
    Long known = MASKS.get(pattern.name());
    if (known != null) {
      return known;
    }
    long mask = maskOfUncached(List.of(pattern));
    if (MASKS.size() < MAX_REMEMBERED) {
      MASKS.put(pattern.name(), mask);
    }
    return mask;
  }

  private static final int MAX_REMEMBERED = 4096;
  private static final Map<String, Long> MASKS = new ConcurrentHashMap<>();

  /**
   * Returns the mask of the catalog actions that at least one of {@code patterns} matches, matching
   * each pattern against each catalog action (what {@link #maskOf(List)} remembers per pattern).
   */
  static long maskOfUncached(List<KmsAction> patterns) {
    long mask = 0;
    for (int i = 0; i < ACTIONS.size(); i++) {
      for (KmsAction p : patterns) {
        if (p.matches(ACTIONS.get(i))) {
          mask |= 1L << i;
          break;
        }
      }
    }
    return mask;
  }
}
