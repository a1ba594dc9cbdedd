package dev.kmsposture.access;

import dev.kmsposture.internal.glob.Glob;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Arn;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionValue;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.NarrowingKey;
import dev.kmsposture.policy.PolicyVersion;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The representative requests of one key policy: the callers (principals the policy names, and
 * stand-ins for every principal it does not, in the key's account, in every account it names and in
 * one fresh account that stands for all others) and the representative values of every context key
 * its conditions read ({@link ContextDomain}).
 *
 * <p>Some statements would make the representatives incomplete (overlapping wildcard patterns,
 * policy variables, unknown operators). Every Allow takes part regardless; a Deny takes part only
 * when it keeps them complete ({@link #kept(int)}). Leaving a Deny out only widens what the policy
 * allows, so a search that finds no allowed request among the kept statements proves that the whole
 * policy allows none; a request found must be confirmed against the whole policy.
 */
final class RequestSpace {
  static final String PROBE = "kms-posture-probe";
  private static final List<String> PROBE_NAMES = List.of(PROBE, "zz9-probe", "q");
  private static final String PROBE_SERVICE = "kms-posture-probe.amazonaws.com";

  final AccountId keyAccount;
  final String freshAccount;
  final Set<String> namedAccounts;
  private final boolean[] kept;
  private final boolean[] incompleteStatement;
  private final Map<String, ContextDomain> domains;
  private final Map<String, ContextDomain> looseDomains;
  final List<Caller> callers;
  private final @Nullable String principalsIncomplete;
  private final @Nullable String accountsIncomplete;
  private final boolean[] accountPatternIn;

  private RequestSpace(
      AccountId keyAccount,
      String freshAccount,
      Set<String> namedAccounts,
      boolean[] kept,
      boolean[] incompleteStatement,
      Map<String, ContextDomain> domains,
      Map<String, ContextDomain> looseDomains,
      List<Caller> callers,
      @Nullable String principalsIncomplete,
      @Nullable String accountsIncomplete,
      boolean[] accountPatternIn) {
    this.keyAccount = keyAccount;
    this.freshAccount = freshAccount;
    this.namedAccounts = namedAccounts;
    this.kept = kept;
    this.incompleteStatement = incompleteStatement;
    this.domains = domains;
    this.looseDomains = looseDomains;
    this.callers = callers;
    this.principalsIncomplete = principalsIncomplete;
    this.accountsIncomplete = accountsIncomplete;
    this.accountPatternIn = accountPatternIn;
  }

  /**
   * Returns whether statement {@code i} reads a pattern over account ids ({@link
   * #whyAccountsIncomplete()}).
   */
  boolean readsAccountPattern(int i) {
    return i < accountPatternIn.length && accountPatternIn[i];
  }

  /** Returns whether statement {@code i} takes part in the search. */
  boolean kept(int i) {
    return kept[i];
  }

  /** Returns a copy of the kept marks, one per statement. */
  boolean[] keptMarks() {
    return kept.clone();
  }

  /** Returns whether every statement takes part. */
  boolean keepsAll() {
    for (boolean k : kept) {
      if (!k) {
        return false;
      }
    }
    return true;
  }

  /** Returns why statement {@code i} alone cannot be read exactly, or null. */
  boolean isIncompleteStatement(int i) {
    return incompleteStatement[i];
  }

  /**
   * Returns the representatives of context key {@code lowerKey}, or null if no condition reads it.
   */
  @Nullable ContextDomain domain(String lowerKey) {
    return domains.get(lowerKey);
  }

  /**
   * Returns representatives of a context key that only statements left out of the search read
   * ({@link #kept(int)} false), built from every statement's conditions on it; null if none. They
   * need not be complete: they serve to find a request the whole policy allows, never to prove that
   * none is.
   */
  @Nullable ContextDomain looseDomain(String lowerKey) {
    return looseDomains.get(lowerKey);
  }

  /** Returns why the callers do not cover every principal, or null when they do. */
  @Nullable String whyPrincipalsIncomplete() {
    return principalsIncomplete;
  }

  /**
   * Returns why the one {@linkplain #freshAccount fresh account} does not stand for every account
   * the policy does not name, or null when it does: a pattern over account ids ({@code StringLike
   * aws:PrincipalAccount 1111222233*}, an {@code aws:PrincipalArn} or {@code aws:SourceArn} pattern
   * with a wildcard in its account field) matches some of those accounts and not others. The fresh
   * account is then one that matches the first such pattern (so that a search finds what that
   * pattern lets in), and a search over callers outside the named accounts that finds nothing is
   * undecided.
   */
  @Nullable String whyAccountsIncomplete() {
    return accountsIncomplete;
  }

  /** Builds the representative requests of {@code policy} for a key in {@code keyAccount}. */
  static RequestSpace of(KeyPolicy policy, AccountId keyAccount) {
    return of(
        policy.statements(), policy.version() == PolicyVersion.V2012_10_17, keyAccount, false);
  }

  /**
   * Builds the representative requests of every statement of {@code policies} together, none left
   * out ({@link #keepsAll()} is true): what {@link AccessDiff} compares two policies on. {@link
   * #whyIncomplete()} then says whether they cover every request.
   */
  static RequestSpace ofAll(List<KeyPolicy> policies, AccountId keyAccount) {
    List<Statement> statements = new ArrayList<>();
    boolean variables = false;
    for (KeyPolicy p : policies) {
      statements.addAll(p.statements());
      variables |= p.version() == PolicyVersion.V2012_10_17;
    }
    return of(statements, variables, keyAccount, true);
  }

  /**
   * Returns why the representatives do not cover every request of the statements that take part, or
   * null when they do: a principal pattern, a context key, or a policy variable in a Resource.
   */
  @Nullable String whyIncomplete() {
    if (principalsIncomplete != null) {
      return principalsIncomplete;
    }
    if (accountsIncomplete != null) {
      return accountsIncomplete;
    }
    for (ContextDomain d : domains.values()) {
      String why = d.whyIncomplete();
      if (why != null) {
        return why;
      }
    }
    for (int i = 0; i < kept.length; i++) {
      if (kept[i] && incompleteStatement[i]) {
        return "a Resource holds a policy variable, which couples the key's ARN to the request";
      }
    }
    return null;
  }

  private static RequestSpace of(
      List<Statement> statements, boolean variables, AccountId keyAccount, boolean keepAll) {
    int n = statements.size();
    boolean[] incomplete = new boolean[n];
    for (int i = 0; i < n; i++) {
      Statement s = statements.get(i);
      for (String r : s.resources()) {
        incomplete[i] |= variables && r.contains("${");
      }
    }
    Set<String> accounts = new TreeSet<>();
    accounts.add(keyAccount.value());
    for (Statement s : statements) {
      collectAccounts(s, accounts);
    }
    List<String> accountPatterns = new ArrayList<>();
    boolean[] accountPatternIn = new boolean[n];
    for (int i = 0; i < n; i++) {
      List<String> own = new ArrayList<>();
      collectAccountPatterns(statements.get(i), own);
      accountPatternIn[i] = !own.isEmpty();
      for (String p : own) {
        if (!accountPatterns.contains(p)) {
          accountPatterns.add(p);
        }
      }
    }
    String fresh = fresh(accounts, accountPatterns);
    String accountsIncomplete =
        accountPatterns.isEmpty()
            ? null
            : "the account pattern ["
                + accountPatterns.get(0)
                + "] matches some accounts the policy does not name and not others, and one"
                + " account stands for them all";
    Set<String> orgs = new TreeSet<>();
    for (Statement s : statements) {
      collectOrganizations(s, orgs);
    }

    // Every Allow takes part; a Deny only if it keeps the representatives complete.
    Map<List<PrincipalRegions.Pattern>, Boolean> regionsFound = new java.util.HashMap<>();
    boolean[] kept = new boolean[n];
    for (int i = 0; i < n; i++) {
      kept[i] = keepAll || statements.get(i).isAllow();
    }
    for (int i = 0; i < n; i++) {
      if (kept[i]) {
        continue;
      }
      Statement s = statements.get(i);
      if (incomplete[i] || accountPatternIn[i]) {
        // A Deny that reads a pattern over account ids would apply to the fresh account and not
        // to other unnamed accounts (or the reverse): it is left out, and a request found is
        // confirmed against it.
        continue;
      }
      boolean[] trial = kept.clone();
      trial[i] = true;
      boolean breaks = false;
      for (Condition c : s.conditions()) {
        String key = ContextKeys.lower(c.key().name());
        if (ContextKeys.DERIVED.contains(key) && !key.equals("aws:principalarn")) {
          continue;
        }
        if (key.equals("aws:principalarn") || key.equals("aws:username")) {
          continue; // judged with the principals below
        }
        ContextDomain before = domainOf(statements, kept, key, variables, accounts, orgs, fresh);
        // Statement i has a condition on key, so the trial set always has a domain for it.
        ContextDomain after =
            Objects.requireNonNull(
                domainOf(statements, trial, key, variables, accounts, orgs, fresh));
        if (after.whyIncomplete() != null && (before == null || before.whyIncomplete() == null)) {
          breaks = true;
          break;
        }
      }
      if (!breaks) {
        String before = principalPatternsIncomplete(statements, kept, accounts, regionsFound);
        String after = principalPatternsIncomplete(statements, trial, accounts, regionsFound);
        breaks = after != null && before == null;
      }
      kept[i] = !breaks;
    }

    Map<String, List<Condition>> byKey = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      if (!kept[i]) {
        continue;
      }
      for (Condition c : statements.get(i).conditions()) {
        String key = ContextKeys.lower(c.key().name());
        if (!ContextKeys.DERIVED.contains(key)) {
          byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
        }
      }
    }
    Map<String, ContextDomain> domains = new LinkedHashMap<>();
    for (Map.Entry<String, List<Condition>> e : byKey.entrySet()) {
      domains.put(
          e.getKey(), ContextDomain.of(e.getKey(), e.getValue(), variables, accounts, orgs, fresh));
    }
    Map<String, List<Condition>> looseByKey = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      if (kept[i]) {
        continue;
      }
      for (Condition c : statements.get(i).conditions()) {
        String key = ContextKeys.lower(c.key().name());
        if (!ContextKeys.DERIVED.contains(key) && !domains.containsKey(key)) {
          looseByKey.put(key, new ArrayList<>());
        }
      }
    }
    for (int i = 0; i < n; i++) {
      for (Condition c : statements.get(i).conditions()) {
        List<Condition> list = looseByKey.get(ContextKeys.lower(c.key().name()));
        if (list != null) {
          list.add(c);
        }
      }
    }
    Map<String, ContextDomain> loose = new LinkedHashMap<>();
    for (Map.Entry<String, List<Condition>> e : looseByKey.entrySet()) {
      loose.put(
          e.getKey(), ContextDomain.of(e.getKey(), e.getValue(), variables, accounts, orgs, fresh));
    }
    Set<String> named = new TreeSet<>(accounts);
    named.remove(fresh);
    PrincipalBuilder pb = new PrincipalBuilder(statements, kept, keyAccount.value(), fresh, named);
    return new RequestSpace(
        keyAccount,
        fresh,
        Collections.unmodifiableSet(named),
        kept,
        incomplete,
        Collections.unmodifiableMap(domains),
        Collections.unmodifiableMap(loose),
        pb.callers(),
        pb.whyIncomplete(),
        accountsIncomplete,
        accountPatternIn);
  }

  private static @Nullable ContextDomain domainOf(
      List<Statement> statements,
      boolean[] kept,
      String key,
      boolean variables,
      Set<String> accounts,
      Set<String> orgs,
      String fresh) {
    List<Condition> conds = new ArrayList<>();
    for (int i = 0; i < statements.size(); i++) {
      if (!kept[i]) {
        continue;
      }
      for (Condition c : statements.get(i).conditions()) {
        if (ContextKeys.lower(c.key().name()).equals(key)) {
          conds.add(c);
        }
      }
    }
    return conds.isEmpty() ? null : ContextDomain.of(key, conds, variables, accounts, orgs, fresh);
  }

  // Every account a statement names: in principals, account-valued conditions and ARN values.
  private static void collectAccounts(Statement s, Set<String> accounts) {
    for (Principal p : s.principals()) {
      if (p instanceof Principal.Aws aws) {
        aws.accountId().ifPresent(a -> accounts.add(a.value()));
        if (aws.kind() == Principal.AwsKind.PARTIAL_WILDCARD) {
          String[] parts = aws.value().split(":", 6);
          if (parts.length == 6 && AccountId.isAccountId(parts[4])) {
            accounts.add(parts[4]);
          }
        }
      }
    }
    for (Condition c : s.conditions()) {
      NarrowingKey k = NarrowingKey.of(c.key()).orElse(null);
      for (ConditionValue v : c.values()) {
        String text = v.text();
        if (k != null && k.valueKind() == NarrowingKey.ValueKind.ACCOUNT_ID) {
          if (AccountId.isAccountId(text)) {
            accounts.add(text);
          }
        } else if (text.startsWith("arn:")) {
          String[] parts = text.split(":", 6);
          if (parts.length == 6 && AccountId.isAccountId(parts[4])) {
            accounts.add(parts[4]);
          }
        }
      }
    }
  }

  // The organization ids a statement names as fixed values (o-… ids, fixed prefixes of paths).
  private static void collectOrganizations(Statement s, Set<String> orgs) {
    for (Condition c : s.conditions()) {
      NarrowingKey k = NarrowingKey.of(c.key()).orElse(null);
      if (k == null) {
        continue;
      }
      for (ConditionValue v : c.values()) {
        String text = v.text();
        if (k.valueKind() == NarrowingKey.ValueKind.ORGANIZATION && !Glob.hasWildcard(text)) {
          orgs.add(text.toLowerCase(Locale.ROOT));
        } else if (k.valueKind() == NarrowingKey.ValueKind.ORGANIZATION_PATH) {
          int slash = text.indexOf('/');
          String org = slash < 0 ? text : text.substring(0, slash);
          if (slash > 0 && !Glob.hasWildcard(org)) {
            orgs.add(org.toLowerCase(Locale.ROOT));
          }
        }
      }
    }
  }

  private static String fresh(Set<String> named) {
    long candidate = 999_999_999_999L;
    while (named.contains(Long.toString(candidate))) {
      candidate--;
    }
    return Long.toString(candidate);
  }

  // The account that stands for every account the policy does not name: one that matches the
  // first pattern over account ids that can be filled in with an unnamed account, else the highest
  // unnamed account id.
  private static String fresh(Set<String> named, List<String> accountPatterns) {
    for (String pattern : accountPatterns) {
      for (char digit = '9'; digit >= '0'; digit--) {
        String filled = fillAccount(pattern, digit);
        if (filled != null
            && AccountId.isAccountId(filled)
            && !named.contains(filled)
            && Glob.matches(pattern, filled, false)) {
          return filled;
        }
      }
    }
    return fresh(named);
  }

  // The pattern with each ? as the digit and the first * as as many digits as make 12 characters
  // (the other * empty); null when the fixed characters already take more than 12.
  private static @Nullable String fillAccount(String pattern, char digit) {
    int fixed = 0;
    for (int i = 0; i < pattern.length(); i++) {
      if (pattern.charAt(i) != '*') {
        fixed++;
      }
    }
    if (fixed > 12 || (fixed < 12 && pattern.indexOf('*') < 0)) {
      return null;
    }
    StringBuilder sb = new StringBuilder(12);
    boolean star = false;
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      if (ch == '?') {
        sb.append(digit);
      } else if (ch == '*') {
        if (!star) {
          sb.append(String.valueOf(digit).repeat(12 - fixed));
          star = true;
        }
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  /**
   * Adds the patterns over account ids that statement {@code s} reads and that match some account
   * ids and not others (a wildcard next to a fixed character, such as {@code 1111222233*}): the
   * values of account-valued keys ({@code aws:PrincipalAccount}, {@code kms:CallerAccount}, {@code
   * aws:SourceAccount}) under a {@code …Like} operator, and the account field of ARN patterns in
   * conditions and principal elements.
   */
  private static void collectAccountPatterns(Statement s, List<String> out) {
    for (Principal p : s.principals()) {
      if (p instanceof Principal.Aws aws && aws.kind() == Principal.AwsKind.PARTIAL_WILDCARD) {
        addAccountPattern(accountField(aws.value()), out);
      }
    }
    for (Condition c : s.conditions()) {
      String base = c.operator().base();
      boolean like = base.contains("Like") || base.startsWith("Arn");
      if (!like) {
        continue;
      }
      NarrowingKey k = NarrowingKey.of(c.key()).orElse(null);
      boolean accountValued = k != null && k.valueKind() == NarrowingKey.ValueKind.ACCOUNT_ID;
      for (ConditionValue v : c.values()) {
        String text = v.text();
        if (text.contains("${")) {
          continue;
        }
        if (accountValued) {
          addAccountPattern(text, out);
        } else if (text.startsWith("arn:")) {
          addAccountPattern(accountField(text), out);
        }
      }
    }
  }

  // The account field of an ARN (the text after its fourth colon, up to the next), or "".
  private static String accountField(String arn) {
    int at = 0;
    for (int colons = 0; colons < 4; colons++) {
      at = arn.indexOf(':', at) + 1;
      if (at == 0) {
        return "";
      }
    }
    int end = arn.indexOf(':', at);
    return end < 0 ? arn.substring(at) : arn.substring(at, end);
  }

  private static void addAccountPattern(String field, List<String> out) {
    if (!Glob.hasWildcard(field) || out.contains(field)) {
      return;
    }
    for (int i = 0; i < field.length(); i++) {
      char ch = field.charAt(i);
      if (ch != '*' && ch != '?') {
        out.add(field);
        return;
      }
    }
  }

  /**
   * The wildcard patterns over principal ARNs in the kept statements, or why they are not exact.
   */
  private static @Nullable String principalPatternsIncomplete(
      List<Statement> statements,
      boolean[] kept,
      Set<String> accounts,
      Map<List<PrincipalRegions.Pattern>, Boolean> regionsFound) {
    Set<String> patterns = new LinkedHashSet<>();
    List<PrincipalRegions.Pattern> regionPatterns = new ArrayList<>();
    boolean username = false;
    for (int i = 0; i < statements.size(); i++) {
      if (kept[i]) {
        principalPatterns(statements.get(i), patterns);
        username |= regionPatterns(statements.get(i), regionPatterns);
      }
    }
    String why = overlap(List.copyOf(patterns));
    if (why != null
        && !username
        && regionsFound.computeIfAbsent(
            List.copyOf(regionPatterns),
            k -> PrincipalRegions.standIns(k, accounts, "aws") != null)) {
      return null;
    }
    return why;
  }

  /**
   * Adds the patterns over principal ARNs that statement {@code s} reads (its principal element's
   * wildcards and named users, roles and federated users, and its {@code aws:PrincipalArn} values)
   * to {@code out}, for {@link PrincipalRegions}; returns whether it also reads {@code
   * aws:username} with a wildcard, which the regions do not cover.
   */
  private static boolean regionPatterns(Statement s, List<PrincipalRegions.Pattern> out) {
    for (Principal p : s.principals()) {
      if (!(p instanceof Principal.Aws aws)) {
        continue;
      }
      switch (aws.kind()) {
        case PARTIAL_WILDCARD -> {
          if (!isAccountRootPattern(aws.value())) {
            out.add(new PrincipalRegions.Pattern(aws.value(), false, true));
          }
        }
        case ROLE -> {
          // A role names its sessions by name, whatever the path (PrincipalPattern).
          out.add(new PrincipalRegions.Pattern(aws.value(), false, true));
          String v = aws.value();
          int colon = v.indexOf(":role/");
          int slash = v.lastIndexOf('/');
          if (colon > 0) {
            String name = v.substring(slash + 1);
            out.add(
                new PrincipalRegions.Pattern(v.substring(0, colon) + ":role/" + name, false, true));
            out.add(
                new PrincipalRegions.Pattern(
                    v.substring(0, colon) + ":role/*/" + name, false, true));
          }
        }
        case USER, FEDERATED_USER_SESSION ->
            out.add(new PrincipalRegions.Pattern(aws.value(), false, true));
        default -> {}
      }
    }
    boolean username = false;
    for (Condition c : s.conditions()) {
      String key = ContextKeys.lower(c.key().name());
      boolean arn = c.operator().base().startsWith("Arn");
      for (ConditionValue v : c.values()) {
        String text = v.text();
        if (text.contains("${")) {
          continue;
        }
        if (key.equals("aws:principalarn")) {
          boolean like = c.operator().base().contains("Like") || arn;
          if (like || !Glob.hasWildcard(text)) {
            out.add(new PrincipalRegions.Pattern(text, arn, false));
          }
        } else if (key.equals("aws:username") && Glob.hasWildcard(text)) {
          username = true;
        }
      }
    }
    return username;
  }

  private static @Nullable String overlap(List<String> list) {
    if (list.size() <= 1) {
      return null;
    }
    boolean allPrefix = true;
    for (String p : list) {
      allPrefix &= p.indexOf('?') < 0 && p.indexOf('*') == p.length() - 1;
    }
    if (allPrefix) {
      return null;
    }
    for (int i = 0; i < list.size(); i++) {
      for (int j = i + 1; j < list.size(); j++) {
        if (!ContextDomain.disjoint(list.get(i), list.get(j))) {
          return "the principal patterns "
              + list.get(i)
              + " and "
              + list.get(j)
              + " may overlap, and not every combination of them is tried";
        }
      }
    }
    return null;
  }

  private static void principalPatterns(Statement s, Set<String> out) {
    for (Principal p : s.principals()) {
      if (p instanceof Principal.Aws aws
          && aws.kind() == Principal.AwsKind.PARTIAL_WILDCARD
          && !isAccountRootPattern(aws.value())) {
        out.add(aws.value());
      }
    }
    for (Condition c : s.conditions()) {
      String key = ContextKeys.lower(c.key().name());
      if (!key.equals("aws:principalarn") && !key.equals("aws:username")) {
        continue;
      }
      boolean like = c.operator().base().contains("Like") || c.operator().base().startsWith("Arn");
      for (ConditionValue v : c.values()) {
        if (like && Glob.hasWildcard(v.text())) {
          out.add(v.text());
        }
      }
    }
  }

  static boolean isAccountRootPattern(String value) {
    String[] parts = value.split(":", 6);
    return parts.length == 6 && parts[2].equals("iam") && parts[5].equals("root");
  }

  /** Collects the callers from the kept statements. */
  private static final class PrincipalBuilder {
    private final Set<String> accounts;
    private final Map<String, Caller> out = new LinkedHashMap<>();
    private final Map<String, String> rolePaths = new TreeMap<>();
    private final Set<String> patterns = new LinkedHashSet<>();
    private final List<PrincipalRegions.Pattern> regionPatterns = new ArrayList<>();
    // The users and roles the principal elements name by ARN.
    private final Set<String> namedIdentities = new TreeSet<>();
    private boolean usernamePatterns;
    private boolean boundaries;
    // Why accounts matched by pattern are not all tried (not cured by the regions).
    private @Nullable String incomplete;
    // Why the patterns over names are not all tried: cured when the regions are found.
    private @Nullable String patternsIncomplete;

    PrincipalBuilder(
        List<Statement> statements,
        boolean[] kept,
        String keyAccount,
        String fresh,
        Set<String> named) {
      this.accounts = new TreeSet<>(named);
      accounts.add(keyAccount);
      accounts.add(fresh);
      for (int i = 0; i < statements.size(); i++) {
        if (!kept[i]) {
          continue;
        }
        Statement s = statements.get(i);
        boundaries |= s.isNotPrincipal() && !s.isAllow();
        principalPatterns(s, patterns);
        usernamePatterns |= regionPatterns(s, regionPatterns);
        for (Principal p : s.principals()) {
          if (p instanceof Principal.Aws aws) {
            if (aws.kind() == Principal.AwsKind.ROLE || aws.kind() == Principal.AwsKind.USER) {
              namedIdentities.add(aws.value());
            }
            addAws(aws);
          } else if (p instanceof Principal.Service && !p.isEveryone()) {
            add(new Caller(p.value(), null, false, null, AccessRequest.CallerKind.SERVICE, true));
          }
        }
        for (Condition c : s.conditions()) {
          String key = ContextKeys.lower(c.key().name());
          boolean like =
              c.operator().base().contains("Like") || c.operator().base().startsWith("Arn");
          for (ConditionValue v : c.values()) {
            String text = v.text();
            if (text.contains("${")) {
              continue;
            }
            if (key.equals("aws:principalarn")) {
              if (like && Glob.hasWildcard(text)) {
                fillPattern(text);
              } else {
                addArn(text);
              }
            } else if (key.equals("aws:username") && !Glob.hasWildcard(text)) {
              for (String a : List.of(keyAccount, fresh)) {
                addArn("arn:aws:iam::" + a + ":user/" + text);
              }
            } else if (key.equals("aws:username")) {
              for (String a : List.of(keyAccount, fresh)) {
                addArn("arn:aws:iam::" + a + ":user/" + plain(text));
              }
            }
          }
        }
      }
      for (String a : accounts) {
        addFresh(a);
      }
      add(new Caller(PROBE_SERVICE, null, false, null, AccessRequest.CallerKind.SERVICE, false));
      add(
          new Caller(
              AccessRequest.ANONYMOUS,
              null,
              false,
              null,
              AccessRequest.CallerKind.ANONYMOUS,
              false));
      if (patternsIncomplete == null) {
        patternsIncomplete = principalPatternsIncompleteOf(List.copyOf(patterns));
      }
      if (patternsIncomplete != null && !usernamePatterns) {
        // One stand-in per combination of patterns a name can match, in every account.
        List<String> standIns =
            PrincipalRegions.standIns(regionPatterns, accounts, "aws", namedIdentities);
        if (standIns != null) {
          for (String arn : standIns) {
            addArn(arn, false);
          }
          patternsIncomplete = null;
        }
      }
    }

    private void addAws(Principal.Aws aws) {
      switch (aws.kind()) {
        case ACCOUNT -> aws.accountId().ifPresent(a -> addArn(a.rootArn()));
        case ROLE, USER, FEDERATED_USER_SESSION, ASSUMED_ROLE_SESSION -> addArn(aws.value());
        case PARTIAL_WILDCARD -> {
          if (isAccountRootPattern(aws.value())) {
            String[] parts = aws.value().split(":", 6);
            if (!parts[4].equals("*")) {
              incomplete =
                  "the principal pattern "
                      + aws.value()
                      + " matches accounts by pattern, and not every account is tried";
            }
          } else {
            fillPattern(aws.value());
          }
        }
        default -> {}
      }
    }

    private void fillPattern(String pattern) {
      String[] parts = pattern.split(":", 6);
      if (parts.length == 6 && parts[0].equals("arn") && Glob.hasWildcard(parts[4])) {
        for (String a : accounts) {
          String[] copy = parts.clone();
          copy[4] = a;
          addArn(plain(String.join(":", copy)));
        }
      } else {
        addArn(plain(pattern));
      }
    }

    private static String plain(String pattern) {
      return pattern.replace("*", PROBE).replace('?', 'x');
    }

    // Adds the caller an ARN names; a role also as one of its sessions.
    // an ARN whose resource ends in "/" names no session; dropping trailing empty parts is
    // intended.
    private void addArn(String arn) {
      addArn(arn, true);
    }

    // named false: a stand-in for principals the policy does not name (a region's).
    @SuppressWarnings("StringSplitter")
    private void addArn(String arn, boolean named) {
      Arn parsed = Arn.tryParse(arn).orElse(null);
      if (parsed == null || !AccountId.isAccountId(parsed.account())) {
        return;
      }
      String account = parsed.account();
      String res = parsed.resource();
      if (parsed.service().equals("iam") && res.equals("root")) {
        add(new Caller(arn, null, false, account, AccessRequest.CallerKind.ROOT, named));
      } else if (parsed.service().equals("iam") && res.startsWith("user/")) {
        add(new Caller(arn, null, false, account, AccessRequest.CallerKind.USER, named));
      } else if (parsed.service().equals("iam") && res.startsWith("role/")) {
        add(new Caller(arn, null, false, account, AccessRequest.CallerKind.ROLE, named));
        int last = res.lastIndexOf('/');
        String path = res.substring("role".length(), last + 1);
        String name = res.substring(last + 1);
        rolePaths.putIfAbsent(account + ":" + name, path);
        add(
            new Caller(
                "arn:"
                    + parsed.partition()
                    + ":sts::"
                    + account
                    + ":assumed-role/"
                    + name
                    + "/"
                    + PROBE,
                path,
                false,
                account,
                AccessRequest.CallerKind.SESSION,
                named));
      } else if (parsed.service().equals("sts") && res.startsWith("assumed-role/")) {
        String[] segs = res.split("/");
        if (segs.length >= 3) {
          String path = rolePaths.getOrDefault(account + ":" + segs[1], "/");
          add(new Caller(arn, path, false, account, AccessRequest.CallerKind.SESSION, named));
        }
      } else if (parsed.service().equals("sts") && res.startsWith("federated-user/")) {
        add(new Caller(arn, null, false, account, AccessRequest.CallerKind.FEDERATED, named));
      }
    }

    // The stand-ins for the principals an account has that the policy does not name: for each kind,
    // a name that no principal pattern matches (the patterns' own instantiations stand for the
    // principals that match them). When every candidate name matches a pattern, that pattern must
    // match every name of the kind (role/*), or the stand-ins do not cover every principal.
    private void addFresh(String account) {
      add(
          new Caller(
              "arn:aws:iam::" + account + ":root",
              null,
              false,
              account,
              AccessRequest.CallerKind.ROOT,
              false));
      String user = freshName("arn:aws:iam::" + account + ":user/");
      String role = freshName("arn:aws:iam::" + account + ":role/");
      String federated = freshName("arn:aws:sts::" + account + ":federated-user/");
      add(
          new Caller(
              "arn:aws:iam::" + account + ":user/" + user,
              null,
              false,
              account,
              AccessRequest.CallerKind.USER,
              false));
      add(
          new Caller(
              "arn:aws:iam::" + account + ":role/" + role,
              null,
              false,
              account,
              AccessRequest.CallerKind.ROLE,
              false));
      add(
          new Caller(
              "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + role,
              "/",
              false,
              account,
              AccessRequest.CallerKind.SESSION,
              false));
      add(
          new Caller(
              "arn:aws:sts::" + account + ":federated-user/" + federated,
              null,
              false,
              account,
              AccessRequest.CallerKind.FEDERATED,
              false));
    }

    private String freshName(String prefix) {
      for (String candidate : PROBE_NAMES) {
        boolean matches = false;
        for (String p : patterns) {
          matches |=
              Glob.matches(p, prefix + candidate, false) || Glob.matches(p, candidate, false);
        }
        if (!matches) {
          return candidate;
        }
      }
      for (String p : patterns) {
        boolean any = Glob.matches(p, prefix + PROBE, false) || Glob.matches(p, PROBE, false);
        if (any && !everyName(p, prefix) && patternsIncomplete == null) {
          patternsIncomplete =
              "the principal pattern "
                  + p
                  + " matches some principals the policy does not name and not others";
        }
      }
      return PROBE;
    }

    // Whether the pattern is the kind's prefix followed only by stars: it matches every name.
    private static boolean everyName(String pattern, String prefix) {
      int first = ConditionScope.firstWildcard(pattern);
      if (!prefix.startsWith(pattern.substring(0, first))) {
        return false;
      }
      for (int i = first; i < pattern.length(); i++) {
        if (pattern.charAt(i) != '*') {
          return false;
        }
      }
      return true;
    }

    private void add(Caller c) {
      String key = c.principal() + "|" + c.rolePath();
      Caller old = out.putIfAbsent(key, c);
      if (old != null && c.named()) {
        out.put(
            key,
            new Caller(old.principal(), old.rolePath(), false, old.account(), old.kind(), true));
      }
    }

    List<Caller> callers() {
      List<Caller> list = new ArrayList<>();
      for (Caller c : out.values()) {
        list.add(c);
        if (boundaries && c.account() != null) {
          list.add(new Caller(c.principal(), c.rolePath(), true, c.account(), c.kind(), c.named()));
        }
      }
      return List.copyOf(list);
    }

    @Nullable String whyIncomplete() {
      return incomplete != null ? incomplete : patternsIncomplete;
    }

    private static @Nullable String principalPatternsIncompleteOf(List<String> list) {
      if (list.size() <= 1) {
        return null;
      }
      boolean allPrefix = true;
      for (String p : list) {
        allPrefix &= p.indexOf('?') < 0 && p.indexOf('*') == p.length() - 1;
      }
      if (allPrefix) {
        return null;
      }
      for (int i = 0; i < list.size(); i++) {
        for (int j = i + 1; j < list.size(); j++) {
          if (!ContextDomain.disjoint(list.get(i), list.get(j))) {
            return "the principal patterns "
                + list.get(i)
                + " and "
                + list.get(j)
                + " may overlap, and not every combination of them is tried";
          }
        }
      }
      return null;
    }
  }
}
