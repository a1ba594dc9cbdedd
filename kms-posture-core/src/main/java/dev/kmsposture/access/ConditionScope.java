package dev.kmsposture.access;

import dev.kmsposture.internal.glob.Glob;
import dev.kmsposture.internal.policy.IpAddresses;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.ConditionValue;
import dev.kmsposture.policy.NarrowingKey;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How far a statement's conditions narrow who can call: to known accounts or an organization, to a
 * network origin, or not at all. Package-private: {@link AccessAnalysis} explains the result.
 *
 * <p>A condition narrows only when it is positive, has fixed values and must be present in the
 * request. Sources: IAM condition operators (IfExists is true when the key is absent; ForAllValues
 * is true when the key is absent or empty; negated operators match everything not listed), and the
 * KMS developer guide on {@code kms:ViaService} ("does not restrict the caller's account").
 */
final class ConditionScope {

  /** What the conditions narrow the caller to. */
  enum Kind {
    NONE,
    NETWORK,
    ACCOUNTS
  }

  private static final Set<String> MATCHING_BASES =
      Set.of("StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike");
  private static final Pattern ORG_PATH_PREFIX = Pattern.compile("o-[a-z0-9]{10,32}/.*");

  private final Kind kind;
  private final List<String> narrowing;
  private final List<String> notNarrowing;
  private final Optional<Set<AccountId>> accounts;

  private ConditionScope(
      Kind kind,
      List<String> narrowing,
      List<String> notNarrowing,
      Optional<Set<AccountId>> accounts) {
    this.kind = kind;
    this.narrowing = List.copyOf(narrowing);
    this.notNarrowing = List.copyOf(notNarrowing);
    this.accounts = accounts;
  }

  static ConditionScope of(List<Condition> conditions) {
    List<String> narrowingAccounts = new ArrayList<>();
    List<String> narrowingNetwork = new ArrayList<>();
    List<String> not = new ArrayList<>();
    @Nullable Set<AccountId> pinned = null;
    for (Condition c : conditions) {
      String key = c.key().normalized();
      String text = render(c);
      NarrowingKey narrowing = NarrowingKey.of(c.key()).orElse(null);
      if (narrowing != null && narrowing.narrowsToAccounts()) {
        String why = whyNotNarrowing(c, narrowing);
        if (why != null) {
          not.add(text + ": " + why);
          continue;
        }
        narrowingAccounts.add(text);
        Optional<Set<AccountId>> acc = accountsOf(c, narrowing);
        if (acc.isPresent()) {
          if (pinned == null) {
            pinned = new TreeSet<>(acc.get());
          } else {
            pinned.retainAll(acc.get());
          }
        }
      } else if (narrowing != null) {
        String why =
            narrowing == NarrowingKey.AWS_SOURCE_IP
                ? whyIpNotNarrowing(c)
                : whyNotNarrowing(c, narrowing);
        if (why != null) {
          not.add(text + ": " + why);
        } else {
          narrowingNetwork.add(text);
        }
      } else if (key.equals("kms:viaservice")) {
        not.add(
            text
                + ": kms:ViaService names the AWS service that calls, not the caller's account"
                + " (pair it with kms:CallerAccount)");
      } else if (key.startsWith("kms:encryptioncontext")) {
        not.add(text + ": the caller chooses the encryption context");
      } else {
        not.add(text + ": this key does not restrict the caller's account or network");
      }
    }
    if (!narrowingAccounts.isEmpty()) {
      return new ConditionScope(
          Kind.ACCOUNTS,
          narrowingAccounts,
          not,
          pinned == null ? Optional.empty() : Optional.of(Set.copyOf(pinned)));
    }
    if (!narrowingNetwork.isEmpty()) {
      return new ConditionScope(Kind.NETWORK, narrowingNetwork, not, Optional.empty());
    }
    return new ConditionScope(Kind.NONE, List.of(), not, Optional.empty());
  }

  /** Returns this scope narrowed by a Deny guard (see {@link #guardOf(Statement)}). */
  ConditionScope guardedBy(ConditionScope guard, String denyName) {
    return new ConditionScope(
        guard.kind,
        List.of("the Deny statement " + denyName + " (" + guard.narrowing.get(0) + ")"),
        notNarrowing,
        guard.accounts);
  }

  Kind kind() {
    return kind;
  }

  /** The conditions that narrow, rendered. */
  List<String> narrowing() {
    return narrowing;
  }

  /** The conditions that do not narrow, each with why. */
  List<String> notNarrowing() {
    return notNarrowing;
  }

  /**
   * The accounts the caller is pinned to, when the narrowing conditions name them (an organization
   * or a resource ARN without account leaves them unknown).
   */
  Optional<Set<AccountId>> accounts() {
    return accounts;
  }

  static String render(Condition c) {
    List<String> quoted = new ArrayList<>();
    for (ConditionValue v : c.values()) {
      quoted.add(v.toString());
    }
    return c.operator() + " " + c.key() + " [" + String.join(", ", quoted) + "]";
  }

  /**
   * Returns why a condition on an account, organization or VPC key does not narrow; null if it
   * does.
   */
  private static @Nullable String whyNotNarrowing(Condition c, NarrowingKey key) {
    String general = whyOperatorDoesNotNarrow(c.operator());
    if (general != null) {
      return general;
    }
    return whyValuesNotFixed(c, key);
  }

  private static @Nullable String whyValuesNotFixed(Condition c, NarrowingKey key) {
    String base = c.operator().base();
    boolean like = base.contains("Like") || base.startsWith("Arn");
    for (ConditionValue v : c.values()) {
      String value = v.text();
      if (value.contains("${")) {
        return "the value [" + value + "] holds a policy variable, so it is not a fixed value";
      }
      if (like && Glob.hasWildcard(value) && !pinnedPrefix(key, value, base.startsWith("Arn"))) {
        return "the value ["
            + value
            + "] is a wildcard that does not pin an account or organization";
      }
    }
    return null;
  }

  private static final Set<String> NEGATED_MATCHING_BASES =
      Set.of(
          "StringNotEquals",
          "StringNotEqualsIgnoreCase",
          "StringNotLike",
          "ArnNotEquals",
          "ArnNotLike");

  /**
   * Returns how a Deny statement narrows every caller it does not deny, or empty when it does not
   * narrow soundly. It narrows when it names everyone, has exactly one condition, and that
   * condition is a negated match against fixed values of an account, organization or network key
   * ({@code "Deny" … "StringNotEquals": {"aws:PrincipalOrgID": "o-…"}}): a negated operator is true
   * when the key is absent, so the Deny refuses every caller that does not carry a listed value.
   * The caller checks that the Deny covers the Allow's actions.
   */
  static Optional<ConditionScope> guardOf(Statement deny) {
    if (deny.isAllow() || deny.isNotPrincipal() || deny.conditions().size() != 1) {
      return Optional.empty();
    }
    boolean everyone = false;
    for (Principal p : deny.principals()) {
      everyone |= p.isEveryone() && !(p instanceof Principal.Service);
    }
    Condition c = deny.conditions().get(0);
    ConditionOperator op = c.operator();
    NarrowingKey key = NarrowingKey.of(c.key()).orElse(null);
    if (!everyone
        || key == null
        || op.qualifier() != ConditionOperator.Qualifier.NONE
        || c.values().isEmpty()) {
      return Optional.empty();
    }
    String text = render(c);
    if (key == NarrowingKey.AWS_SOURCE_IP) {
      if (!op.base().equals("NotIpAddress")) {
        return Optional.empty();
      }
      for (ConditionValue v : c.values()) {
        if (whyCidrTooBroad(v.text()) != null) {
          return Optional.empty();
        }
      }
      return Optional.of(
          new ConditionScope(Kind.NETWORK, List.of(text), List.of(), Optional.empty()));
    }
    if (!NEGATED_MATCHING_BASES.contains(op.base()) || whyValuesNotFixed(c, key) != null) {
      return Optional.empty();
    }
    if (!key.narrowsToAccounts()) {
      return Optional.of(
          new ConditionScope(Kind.NETWORK, List.of(text), List.of(), Optional.empty()));
    }
    // aws:PrincipalOrgPaths is multi-valued: a negated operator without a set qualifier is not a
    // clean "not in these paths", so it is not credited.
    if (key.valueKind() == NarrowingKey.ValueKind.ORGANIZATION_PATH) {
      return Optional.empty();
    }
    return Optional.of(
        new ConditionScope(Kind.ACCOUNTS, List.of(text), List.of(), accountsOf(c, key)));
  }

  private static @Nullable String whyOperatorDoesNotNarrow(ConditionOperator op) {
    if (op.ifExists()) {
      return op + " is true when the key is absent from the request";
    }
    if (op.qualifier() == ConditionOperator.Qualifier.FOR_ALL_VALUES) {
      return op + " is true when the key is absent or empty";
    }
    if (op.isNegated()) {
      return op + " matches every value it does not list";
    }
    if (!MATCHING_BASES.contains(op.base())) {
      return op + " does not compare the key with fixed values";
    }
    return null;
  }

  // A wildcard value still narrows when it pins the organization (a fixed o-… prefix of a path) or
  // the account of an ARN: ArnLike compares the six parts of an ARN one by one (IAM "ARN condition
  // operators"), so a fixed account part pins it whatever the other parts hold; StringLike's star
  // spans colons, so there the account must lie in the fixed prefix.
  private static boolean pinnedPrefix(NarrowingKey key, String value, boolean arnOperator) {
    String prefix = value.substring(0, firstWildcard(value));
    if (key.valueKind() == NarrowingKey.ValueKind.ORGANIZATION_PATH) {
      return ORG_PATH_PREFIX.matcher(prefix).matches();
    }
    if (key.valueKind() != NarrowingKey.ValueKind.ARN) {
      return false;
    }
    if (arnOperator) {
      String[] parts = value.split(":", 6);
      return parts.length == 6 && parts[0].equals("arn") && AccountId.isAccountId(parts[4]);
    }
    String[] fixed = prefix.split(":", -1);
    return fixed.length >= 6 && fixed[0].equals("arn") && AccountId.isAccountId(fixed[4]);
  }

  static int firstWildcard(String value) {
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (ch == '*' || ch == '?') {
        return i;
      }
    }
    return value.length();
  }

  private static Optional<Set<AccountId>> accountsOf(Condition c, NarrowingKey key) {
    Set<AccountId> out = new TreeSet<>();
    for (ConditionValue v : c.values()) {
      String value = v.text();
      if (key.valueKind() == NarrowingKey.ValueKind.ACCOUNT_ID) {
        // A fixed value that is not an account id matches no account.
        if (AccountId.isAccountId(value)) {
          out.add(AccountId.of(value));
        }
      } else if (key.valueKind() == NarrowingKey.ValueKind.ARN) {
        Optional<AccountId> account = accountOfArn(value);
        if (account.isEmpty()) {
          return Optional.empty();
        }
        out.add(account.get());
      } else {
        return Optional.empty();
      }
    }
    return Optional.of(out);
  }

  static Optional<AccountId> accountOfArn(String value) {
    String[] parts = value.split(":", 6);
    if (parts.length == 6 && parts[0].equals("arn") && AccountId.isAccountId(parts[4])) {
      return Optional.of(AccountId.of(parts[4]));
    }
    return Optional.empty();
  }

  private static @Nullable String whyIpNotNarrowing(Condition c) {
    ConditionOperator op = c.operator();
    if (op.ifExists()) {
      return op + " is true when the key is absent from the request";
    }
    if (op.qualifier() == ConditionOperator.Qualifier.FOR_ALL_VALUES) {
      return op + " is true when the key is absent or empty";
    }
    if (!op.base().equals("IpAddress")) {
      return op + " does not limit the caller to listed addresses";
    }
    for (ConditionValue v : c.values()) {
      String why = whyCidrTooBroad(v.text());
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  // IPv4 ranges broader than /8 and IPv6 ranges broader than /32 cover too much of the internet to
  // count as a known network origin.
  static @Nullable String whyCidrTooBroad(String cidr) {
    // The evaluator's parser decides what an address is, so analysis and evaluation agree.
    IpAddresses.Cidr block = IpAddresses.parseCidr(cidr);
    if (block == null) {
      return "[" + cidr + "] is not an IP address or CIDR range";
    }
    int min = block.isIpv4() ? 8 : 32;
    if (block.prefix() < min) {
      return String.format(
          Locale.ROOT, "[%s] is broader than /%d, so it does not name a known network", cidr, min);
    }
    return null;
  }
}
