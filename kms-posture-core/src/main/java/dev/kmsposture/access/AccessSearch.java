package dev.kmsposture.access;

import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Answers "is there a request that the key policy allows?" for a set of callers, actions and
 * request contexts, by evaluating representative requests with {@link KeyAccessEvaluator}: the
 * evaluator decides every request tried, so a request found is allowed exactly as {@code evaluate}
 * would say. When the representatives are complete ({@link RequestSpace}) and none is allowed, no
 * request is; otherwise the answer is "undecided", which the verdicts report as "possibly".
 */
final class AccessSearch {
  /** The most request contexts tried for one caller and action. */
  static final int MAX_CONTEXTS = 4096;

  /** A context option that marks a key as present with an unknown value. */
  static final List<String> UNKNOWN = List.of("\u0000unknown");

  private final KeyAccessEvaluator full;
  private final KeyAccessEvaluator kept;
  private final boolean keepsAll;
  private final RequestSpace space;
  private final String keyArn;

  AccessSearch(KeyAccessEvaluator full, RequestSpace space, String keyArn) {
    this.full = full;
    this.space = space;
    this.keepsAll = space.keepsAll();
    this.kept = keepsAll ? full : full.restrictedTo(space.keptMarks());
    this.keyArn = keyArn;
    List<Caller> callers = space.callers;
    this.callerIndex = new java.util.IdentityHashMap<>(2 * callers.size());
    for (int i = 0; i < callers.size(); i++) {
      callerIndex.put(callers.get(i), i);
    }
    this.probes = new AccessRequest[callers.size()][];
  }

  RequestSpace space() {
    return space;
  }

  // The request of each of the space's callers for each catalog action on the key, with no
  // context, made when first asked for: every verdict tries the same callers and actions, each
  // first with such a request (which statements can apply to it), and often with no context key at
  // all. The callers are found by identity (the space's own instances). Requests are immutable;
  // threads racing to fill an element make equal ones, and either may win.
  private final java.util.IdentityHashMap<Caller, Integer> callerIndex;
  private final AccessRequest[] @Nullable [] probes;

  /**
   * Returns {@code caller}'s request for {@code action} on the key with no context: equal to {@code
   * caller.request().action(action).resource(keyArn).build()}.
   */
  AccessRequest probe(Caller caller, KmsAction action) {
    int index = ActionIndex.indexOf(action);
    Integer at = index < 0 ? null : callerIndex.get(caller);
    if (at == null) {
      return caller.request().action(action).resource(keyArn).build();
    }
    // Element 64 holds the first request made for the caller; the others copy it.
    AccessRequest[] row = probes[at];
    if (row == null) {
      row = new AccessRequest[65];
      probes[at] = row;
    }
    AccessRequest probe = row[index];
    if (probe == null) {
      AccessRequest first = row[64];
      if (first == null) {
        probe = caller.request().action(action).resource(keyArn).build();
        row[64] = probe;
      } else {
        probe = first.withCatalogAction(index);
      }
      row[index] = probe;
    }
    return probe;
  }

  KeyAccessEvaluator evaluator() {
    return full;
  }

  /** What to try for each context key. */
  @FunctionalInterface
  interface ContextChoice {
    /**
     * Returns the options to try for the key with {@code action}: null for absent, {@link
     * #UNKNOWN}, or a list of values.
     */
    List<@Nullable List<String>> options(ContextDomain domain, KmsAction action);

    /** Every representative, absent included; keys the action cannot carry only absent. */
    static ContextChoice free() {
      return (d, action) -> {
        List<String> fixed = ContextKeys.fixedValue(d.lowerKey);
        if (fixed != null) {
          return List.of(fixed);
        }
        List<@Nullable List<String>> out = new ArrayList<>();
        out.add(null);
        if (ContextKeys.possibleWith(d.lowerKey, action)) {
          out.addAll(d.variants());
        }
        return out;
      };
    }

    /**
     * As {@link #free()}, but a key that describes the caller takes only values a principal of an
     * unnamed account could carry; with {@code networkFree}, network keys take any value.
     */
    static ContextChoice outsider(boolean networkFree) {
      ContextChoice free = free();
      return (d, action) -> {
        if (!ContextKeys.describesCaller(d.lowerKey) || (networkFree && isNetwork(d.lowerKey))) {
          return free.options(d, action);
        }
        List<@Nullable List<String>> out = new ArrayList<>();
        out.add(null);
        List<List<String>> variants = d.variants();
        for (int i = 0; i < variants.size(); i++) {
          if (d.isOutsiderValue(i)) {
            out.add(variants.get(i));
          }
        }
        return out;
      };
    }

    /**
     * The values a caller can be assumed to send: keys it chooses take every representative, keys
     * with a fixed value take it, and every other key is present with an unknown value (so an Allow
     * that needs it does not count and a Deny on it applies).
     */
    static ContextChoice assumable() {
      ContextChoice free = free();
      return (d, action) -> {
        if (ContextKeys.fixedValue(d.lowerKey) != null || ContextKeys.callerChosen(d.lowerKey)) {
          return free.options(d, action);
        }
        List<@Nullable List<String>> out = new ArrayList<>();
        out.add(ContextKeys.possibleWith(d.lowerKey, action) ? UNKNOWN : null);
        return out;
      };
    }

    /**
     * The values a principal of {@code account} can carry when its organization is not one of
     * {@code excludedOrganizations}: organization keys take no excluded organization, account and
     * ARN keys that describe the caller take no other account the policy names (its own account, an
     * unnamed one, or none), every other key any value.
     */
    static ContextChoice fromAccount(
        String account, Set<String> excludedOrganizations, Set<String> namedAccounts) {
      ContextChoice free = free();
      return (d, action) -> {
        if (!ContextKeys.describesCaller(d.lowerKey)) {
          return free.options(d, action);
        }
        List<@Nullable List<String>> out = new ArrayList<>();
        out.add(null);
        List<List<String>> variants = d.variants();
        for (int i = 0; i < variants.size(); i++) {
          boolean ok = true;
          for (String org : d.organizationsOf(i)) {
            ok &= !excludedOrganizations.contains(org);
          }
          for (String a : d.accountsOf(i)) {
            ok &= a.equals(account) || !namedAccounts.contains(a);
          }
          if (ok) {
            out.add(variants.get(i));
          }
        }
        return out;
      };
    }

    private static boolean isNetwork(String lowerKey) {
      return dev.kmsposture.policy.NarrowingKey.of(lowerKey)
          .map(k -> !k.narrowsToAccounts())
          .orElse(false);
    }
  }

  /** The outcome of a search. */
  record Result(@Nullable Witness witness, @Nullable String whyUndecided) {
    static final Result NONE = new Result(null, null);

    boolean found() {
      return witness != null;
    }

    boolean undecided() {
      return witness == null && whyUndecided != null;
    }

    boolean none() {
      return witness == null && whyUndecided == null;
    }
  }

  /**
   * Searches for a request of one of {@code callers}, for one of {@code actions}, with contexts
   * from {@code choice}, that {@code accept} accepts.
   */
  Result find(
      Collection<Caller> callers,
      Collection<KmsAction> actions,
      ContextChoice choice,
      Predicate<Decision> accept) {
    return find(callers, actions, choice, accept, null);
  }

  /**
   * As {@link #find(Collection, Collection, ContextChoice, Predicate)}, reading only the statements
   * marked in {@code only} (the Deny statements always take part).
   */
  Result find(
      Collection<Caller> callers,
      Collection<KmsAction> actions,
      ContextChoice choice,
      Predicate<Decision> accept,
      boolean @Nullable [] only) {
    return find(callers, actions, choice, accept, only, java.util.Map.of());
  }

  /**
   * As {@link #find(Collection, Collection, ContextChoice, Predicate, boolean[])}, with the keys of
   * {@code forced} always present and taking only the given values.
   */
  Result find(
      Collection<Caller> callers,
      Collection<KmsAction> actions,
      ContextChoice choice,
      Predicate<Decision> accept,
      boolean @Nullable [] only,
      java.util.Map<String, List<String>> forced) {
    return find(callers, actions, choice, (r, d) -> accept.test(d), only, forced);
  }

  /**
   * As {@link #find(Collection, Collection, ContextChoice, Predicate)} for one given caller (KMS's
   * lockout check for a caller): the principal patterns are decided exactly for it, so the search
   * is not undecided because they overlap ({@link RequestSpace#whyPrincipalsIncomplete()} speaks of
   * the stand-ins for principals the policy does not name, which this search does not use).
   */
  Result findForCaller(
      Caller caller,
      Collection<KmsAction> actions,
      ContextChoice choice,
      Predicate<Decision> accept) {
    return find(
        List.of(caller), actions, choice, (r, d) -> accept.test(d), null, java.util.Map.of(), true);
  }

  /**
   * The search itself: {@code accept} sees the request with its decision (by the statements that
   * take part).
   */
  Result find(
      Collection<Caller> callers,
      Collection<KmsAction> actions,
      ContextChoice choice,
      java.util.function.BiPredicate<AccessRequest, Decision> accept,
      boolean @Nullable [] only,
      java.util.Map<String, List<String>> forced) {
    return find(callers, actions, choice, accept, only, forced, false);
  }

  private Result find(
      Collection<Caller> callers,
      Collection<KmsAction> actions,
      ContextChoice choice,
      java.util.function.BiPredicate<AccessRequest, Decision> accept,
      boolean @Nullable [] only,
      java.util.Map<String, List<String>> forced,
      boolean givenCallers) {
    String undecided = null;
    KeyAccessEvaluator fullEval = full;
    KeyAccessEvaluator keptEval = kept;
    if (only != null) {
      boolean[] fullMarks = new boolean[full.statementCount()];
      boolean[] keptMarks = space.keptMarks();
      for (int i = 0; i < fullMarks.length; i++) {
        boolean deny = !full.compiled(i).allow;
        fullMarks[i] = deny || only[i];
        keptMarks[i] &= fullMarks[i];
      }
      fullEval = full.restrictedTo(fullMarks);
      keptEval = full.restrictedTo(keptMarks);
    }
    boolean confirm = !keepsAll;
    int[] widenBudget = {MAX_WIDENED};
    Set<String> forcedLower = new java.util.HashSet<>();
    for (String k : forced.keySet()) {
      forcedLower.add(ContextKeys.lower(k));
    }
    for (Caller caller : callers) {
      for (KmsAction action : actions) {
        AccessRequest probe = probe(caller, action);
        Set<String> keys = new LinkedHashSet<>();
        boolean anyAllow = false;
        boolean pairIncomplete = false;
        for (int i = 0; i < keptEval.statementCount(); i++) {
          if (!keptEval.appliesToActionAndKey(i, probe)) {
            continue;
          }
          CompiledStatement s = keptEval.compiled(i);
          if (s.principalMatch(probe) == PrincipalPattern.NONE) {
            continue;
          }
          anyAllow |= s.allow;
          pairIncomplete |= space.isIncompleteStatement(i);
          for (CompiledCondition c : s.conditions) {
            if (!ContextKeys.DERIVED.contains(c.lowerKey)) {
              keys.add(c.lowerKey);
            }
          }
        }
        if (!anyAllow) {
          continue;
        }
        List<ContextDomain> domains = new ArrayList<>();
        for (String k : keys) {
          ContextDomain d = space.domain(k);
          if (d == null || forcedLower.contains(k)) {
            continue;
          }
          domains.add(d);
          if (d.whyIncomplete() != null && undecided == null) {
            undecided = "the values of " + d.name + " are not all tried: " + d.whyIncomplete();
          }
        }
        if (pairIncomplete && undecided == null) {
          undecided = "a statement's Resource holds a policy variable";
        }
        List<List<@Nullable List<String>>> options = new ArrayList<>();
        List<String> names = new ArrayList<>();
        long product = 1;
        for (java.util.Map.Entry<String, List<String>> f : forced.entrySet()) {
          List<@Nullable List<String>> o = new ArrayList<>();
          for (String value : f.getValue()) {
            o.add(List.of(value));
          }
          options.add(o);
          names.add(f.getKey());
          product *= Math.max(1, o.size());
        }
        for (ContextDomain d : domains) {
          names.add(d.name);
        }
        for (ContextDomain d : domains) {
          List<@Nullable List<String>> o = options(choice, d, action, caller);
          options.add(o);
          product *= Math.max(1, o.size());
          if (product > MAX_CONTEXTS) {
            break;
          }
        }
        if (product > MAX_CONTEXTS) {
          if (undecided == null) {
            undecided =
                "the conditions read "
                    + domains.size()
                    + " keys with more than "
                    + MAX_CONTEXTS
                    + " combinations of values";
          }
          continue;
        }
        int[] at = new int[options.size()];
        while (true) {
          AccessRequest request = request(caller, action, probe, options, names, at);
          Decision decision = keptEval.evaluate(request);
          if (accept.test(request, decision)) {
            Decision whole = confirm ? fullEval.evaluate(request) : decision;
            if (accept.test(request, whole)) {
              return new Result(
                  new Witness(request, only == null ? whole : full.evaluate(request)), null);
            }
            if (widenBudget[0] > 0) {
              List<@Nullable List<String>> values = new ArrayList<>();
              for (int d = 0; d < options.size(); d++) {
                values.add(options.get(d).get(at[d]));
              }
              AccessRequest widened =
                  widen(caller, action, names, values, choice, accept, fullEval, widenBudget);
              if (widened != null) {
                return new Result(
                    new Witness(
                        widened,
                        only == null ? fullEval.evaluate(widened) : full.evaluate(widened)),
                    null);
              }
            }
            if (undecided == null) {
              undecided =
                  "a Deny statement left out of the exact search (its conditions are not all"
                      + " tried) refuses the request found";
            }
          }
          int d = 0;
          while (d < at.length && ++at[d] == options.get(d).size()) {
            at[d] = 0;
            d++;
          }
          if (d == at.length) {
            break;
          }
        }
      }
    }
    if (undecided == null && !givenCallers && space.whyPrincipalsIncomplete() != null) {
      undecided = space.whyPrincipalsIncomplete();
    }
    if (undecided == null
        && !givenCallers
        && space.whyAccountsIncomplete() != null
        && readsAccountPattern(only)) {
      // The fresh account stands for the unnamed accounts only up to an account pattern: a search
      // that tried a caller of theirs (or a service principal, which acts for any account) proves
      // nothing about the others.
      for (Caller c : callers) {
        if (c.isIn(space.freshAccount)
            || (c.kind() == AccessRequest.CallerKind.SERVICE && !c.named())) {
          undecided = space.whyAccountsIncomplete();
          break;
        }
      }
    }
    return undecided == null ? Result.NONE : new Result(null, undecided);
  }

  // The request with the options at[d] of each key: the probe itself when every key is absent.
  // UNKNOWN is a marker instance, not a value.
  @SuppressWarnings("ReferenceEquality")
  private AccessRequest request(
      Caller caller,
      KmsAction action,
      AccessRequest probe,
      List<List<@Nullable List<String>>> options,
      List<String> names,
      int[] at) {
    AccessRequest.Builder b = null;
    for (int d = 0; d < options.size(); d++) {
      List<String> v = options.get(d).get(at[d]);
      if (v == null) {
        continue;
      }
      if (b == null) {
        b = caller.request().action(action).resource(keyArn);
      }
      if (v == UNKNOWN) {
        b.unknownContext(names.get(d));
      } else {
        b.putContext(names.get(d), v);
      }
    }
    return b == null ? probe : b.build();
  }

  // Whether an Allow the search is restricted to (every Allow when it is not) reads a pattern over
  // account ids. A Deny that reads one is left out of the exact search (RequestSpace.kept), and a
  // request found is confirmed against it.
  private boolean readsAccountPattern(boolean @Nullable [] only) {
    for (int i = 0; i < full.statementCount(); i++) {
      if (space.readsAccountPattern(i) && full.compiled(i).allow && (only == null || only[i])) {
        return true;
      }
    }
    return false;
  }

  // The values a key takes in requests of the caller: absent only for a key that AWS sends only
  // with requests of an AWS service principal (ContextKeys.SERVICE_ONLY), when the caller is not
  // one; otherwise the choice's.
  private static List<@Nullable List<String>> options(
      ContextChoice choice, ContextDomain d, KmsAction action, Caller caller) {
    if (caller.kind() != AccessRequest.CallerKind.SERVICE
        && ContextKeys.SERVICE_ONLY.contains(d.lowerKey)) {
      List<@Nullable List<String>> absent = new ArrayList<>();
      absent.add(null);
      return absent;
    }
    return choice.options(d, action);
  }

  /** The most requests tried, in one search, to get a request past the statements left out. */
  static final int MAX_WIDENED = 512;

  /**
   * A request the statements taking part accept but the whole policy refuses may be refused only
   * because a Deny left out of the search reads keys the search did not set: tries the request with
   * representative values of those keys added ({@link RequestSpace#looseDomain(String)}), and
   * returns one the whole policy accepts, or null. Used only to find a witness, never to prove that
   * there is none.
   */
  private @Nullable AccessRequest widen(
      Caller caller,
      KmsAction action,
      List<String> names,
      List<@Nullable List<String>> values,
      ContextChoice choice,
      java.util.function.BiPredicate<AccessRequest, Decision> accept,
      KeyAccessEvaluator fullEval,
      int[] budget) {
    Set<String> have = new java.util.HashSet<>();
    for (String n : names) {
      have.add(ContextKeys.lower(n));
    }
    AccessRequest probe = probe(caller, action);
    Map<String, ContextDomain> extra = new java.util.LinkedHashMap<>();
    for (int i = 0; i < fullEval.statementCount(); i++) {
      if (space.kept(i) || !fullEval.appliesToActionAndKey(i, probe)) {
        continue;
      }
      CompiledStatement s = fullEval.compiled(i);
      if (s.principalMatch(probe) == PrincipalPattern.NONE) {
        continue;
      }
      for (CompiledCondition c : s.conditions) {
        if (ContextKeys.DERIVED.contains(c.lowerKey) || have.contains(c.lowerKey)) {
          continue;
        }
        ContextDomain d = space.domain(c.lowerKey);
        if (d == null) {
          d = space.looseDomain(c.lowerKey);
        }
        if (d != null) {
          extra.put(c.lowerKey, d);
        }
      }
    }
    if (extra.isEmpty()) {
      return null;
    }
    List<String> extraNames = new ArrayList<>();
    List<List<@Nullable List<String>>> extraOptions = new ArrayList<>();
    for (ContextDomain d : extra.values()) {
      extraNames.add(d.name);
      extraOptions.add(options(choice, d, action, caller));
    }
    int[] at = new int[extraOptions.size()];
    while (budget[0] > 0) {
      budget[0]--;
      AccessRequest.Builder b = caller.request().action(action).resource(keyArn);
      put(b, names, values);
      List<@Nullable List<String>> chosen = new ArrayList<>();
      for (int d = 0; d < at.length; d++) {
        chosen.add(extraOptions.get(d).get(at[d]));
      }
      put(b, extraNames, chosen);
      AccessRequest request = b.build();
      if (accept.test(request, fullEval.evaluate(request))) {
        return request;
      }
      int d = 0;
      while (d < at.length && ++at[d] == extraOptions.get(d).size()) {
        at[d] = 0;
        d++;
      }
      if (d == at.length) {
        return null;
      }
    }
    return null;
  }

  private static void put(
      AccessRequest.Builder b, List<String> names, List<@Nullable List<String>> values) {
    for (int d = 0; d < values.size(); d++) {
      List<String> v = values.get(d);
      if (v == UNKNOWN) {
        b.unknownContext(names.get(d));
      } else if (v != null) {
        b.putContext(names.get(d), v);
      }
    }
  }

  /** Returns the level of a decision: 2 allowed, 1 allowed if IAM allows, 0 denied. */
  static int level(Decision d) {
    if (d.isAllowed()) {
      return 2;
    }
    return d.outcome() == Decision.Outcome.IMPLICITLY_DENIED && d.delegatedToIam() ? 1 : 0;
  }

  /** Accepts a decision that lets the caller in, directly or if its IAM policies allow. */
  static boolean grants(Decision d) {
    return level(d) > 0;
  }
}
