package dev.kmsposture.prover.internal;

import dev.kmsposture.policy.KmsAction;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;

/**
 * The catalog actions a request can name, numbered; an {@code Action} element becomes the set of
 * numbers it covers, as core's evaluator compiles it ({@link KmsAction#matches(KmsAction)}).
 */
final class Catalog {
  static final List<KmsAction> ACTIONS = List.copyOf(KmsAction.known());

  private Catalog() {}

  static int indexOf(KmsAction action) {
    int i = ACTIONS.indexOf(action.canonical());
    if (i < 0) {
      throw new IllegalArgumentException(
          String.format(
              "action [%s] is not a catalog KMS action; expected one of KmsAction.known()",
              action));
    }
    return i;
  }

  /** The catalog actions at least one of {@code patterns} matches. */
  static BitSet covered(Collection<KmsAction> patterns) {
    BitSet out = new BitSet(ACTIONS.size());
    for (int i = 0; i < ACTIONS.size(); i++) {
      for (KmsAction p : patterns) {
        if (p.matches(ACTIONS.get(i))) {
          out.set(i);
          break;
        }
      }
    }
    return out;
  }

  /** The catalog actions an {@code Action} ({@code negated} false) or {@code NotAction} covers. */
  static BitSet covered(Collection<KmsAction> patterns, boolean negated) {
    BitSet out = covered(patterns);
    if (negated) {
      out.flip(0, ACTIONS.size());
    }
    return out;
  }

  /** The catalog actions usable across accounts ({@link KmsAction#isCrossAccount()}). */
  static BitSet crossAccount() {
    BitSet out = new BitSet(ACTIONS.size());
    for (int i = 0; i < ACTIONS.size(); i++) {
      if (ACTIONS.get(i).isCrossAccount()) {
        out.set(i);
      }
    }
    return out;
  }
}
