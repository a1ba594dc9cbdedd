package dev.kmsposture.access;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Arn;
import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One request to evaluate: who calls ({@link #principal()}), which KMS action, on which key, with
 * which request context.
 *
 * <p>The principal is the ARN of an IAM user, an IAM role, an assumed-role session ({@code
 * arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}), a federated-user session, an account's root
 * user ({@code arn:aws:iam::ACCOUNT:root}, or the bare 12-digit account id), an AWS service
 * principal name ({@code logs.us-east-1.amazonaws.com}), or the literal {@code anonymous}.
 *
 * <p>Context keys are case-insensitive, as in IAM. The keys that follow from the principal are
 * derived when the request does not give them: {@code aws:PrincipalArn}, {@code
 * aws:PrincipalAccount}, {@code kms:CallerAccount}, {@code aws:PrincipalType}, for IAM users {@code
 * aws:username}, and {@code aws:PrincipalIsAWSService} ({@code true} for an AWS service principal,
 * {@code false} for every other signed request, absent for an anonymous one: IAM "AWS global
 * condition context keys" says the key is present in every request signed with AWS credentials). A
 * given key always wins over a derived one. A KMS request parameter that KMS sends only with other
 * operations (such as {@code kms:EncryptionContext:…} with {@code PutKeyPolicy}, or {@code
 * kms:BypassPolicyLockoutSafetyCheck} with {@code Decrypt}) is ignored: no real request of this
 * action carries it (KMS Developer Guide, "AWS KMS condition keys"). For an assumed-role session
 * the {@code aws:PrincipalArn} is the ARN of its role, which includes the role's path; a session
 * ARN does not carry the path, so unless {@link Builder#rolePath(String)} gives it, the key is
 * <em>unknown</em> ({@link #isUnknown(String)}): a condition on it cannot be decided, and the
 * evaluator says so. "Unknown" is different from "absent": an absent key has no value in the
 * request at all.
 *
 * <p>Instances are immutable and thread-safe; the {@link Builder} is not thread-safe.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html">AWS
 *     global condition context keys</a>
 * @see <a href="https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html">AWS KMS
 *     condition keys</a>
 */
public final class AccessRequest {

  /** The literal that names an unauthenticated caller. */
  public static final String ANONYMOUS = "anonymous";

  /** Marks a derived key whose value cannot be known (compared by identity). */
  static final List<String> UNKNOWN = Collections.unmodifiableList(new ArrayList<>());

  /** What kind of caller the principal names. */
  enum CallerKind {
    ANONYMOUS,
    ROOT,
    USER,
    ROLE,
    SESSION,
    FEDERATED,
    SERVICE
  }

  private final String principal;
  private final KmsAction action;
  private final int actionIndex;
  private final boolean crossAccountAction;
  private final @Nullable String resourceAccount;
  private final @Nullable String resource;
  private final Map<String, List<String>> context;
  // The given context keys (those KMS can send with the action) and the unknown keys, in lower
  // case: a small request keeps them in two arrays searched in turn, a large one in a map.
  private final String[] givenKeys;
  private final List<?>[] givenValues;
  private final @Nullable Map<String, List<String>> givenMap;
  // The aws:PrincipalArn of a session whose role path is given (null otherwise): it depends on the
  // request, unlike the other keys derived from the principal.
  private final @Nullable List<String> sessionPrincipalArn;
  private final Classified caller;
  private final java.util.SortedSet<String> unknownKeys;
  private final boolean permissionsBoundary;
  private final @Nullable String rolePath;

  // Derived facts about the principal, computed once.
  private final CallerKind kind;
  private final @Nullable String account;
  private final String partition;
  private final @Nullable String roleName;
  private final @Nullable String roleArn;
  private final String callerArn;

  private AccessRequest(Builder b) {
    this.principal = requireState(b.principal, "principal");
    this.action = requireState(b.action, "action");
    this.actionIndex = ActionIndex.indexOf(action);
    this.crossAccountAction = ActionIndex.isCrossAccount(actionIndex);
    this.resourceAccount = b.resource == null ? null : resourceAccount(b.resource);
    this.resource = b.resource;
    this.permissionsBoundary = b.permissionsBoundary;
    this.rolePath = b.rolePath;
    // The builder's map is sorted and holds immutable lists already, and the builder copies it
    // before it changes it again: the request takes it as it is.
    Map<String, List<String>> given = b.shareContext();
    this.context = Collections.unmodifiableMap(given);
    this.unknownKeys =
        b.unknown == null || b.unknown.isEmpty()
            ? Collections.emptySortedSet()
            : Collections.unmodifiableSortedSet(new java.util.TreeSet<>(b.unknown));

    Classified c = Classified.of(principal);
    this.caller = c;
    String roleArnValue = c.roleArn;
    List<String> sessionArn = null;
    if (c.kind == CallerKind.SESSION && rolePath != null) {
      roleArnValue = "arn:" + c.partition + ":iam::" + c.account + ":role" + rolePath + c.roleName;
      sessionArn = List.of(roleArnValue);
    }
    this.sessionPrincipalArn = sessionArn;
    this.kind = c.kind;
    this.account = c.account;
    this.partition = c.partition;
    this.roleName = c.roleName;
    this.roleArn = roleArnValue;
    this.callerArn = c.callerArn;

    // Given keys first, then unknown keys (an unknown key replaces a given one of the same name);
    // the keys derived from the principal are looked up after these (a given key wins).
    int max = given.size() + unknownKeys.size();
    String[] keys = new String[max];
    List<?>[] values = new List<?>[max];
    int n = 0;
    if (!given.isEmpty()) {
      for (Map.Entry<String, List<String>> e : given.entrySet()) {
        String key = lowerCase(e.getKey());
        // KMS never sends a request parameter of another operation (kms:EncryptionContext:… with
        // PutKeyPolicy): such a key is ignored, as if absent.
        if (ContextKeys.possibleWith(key, action)) {
          n = put(keys, values, n, key, e.getValue());
        }
      }
    }
    if (!unknownKeys.isEmpty()) {
      for (String unknownKey : unknownKeys) {
        n = put(keys, values, n, unknownKey, UNKNOWN);
      }
    }
    if (n > SMALL_CONTEXT) {
      HashMap<String, List<String>> map = new HashMap<>(2 * n);
      for (int i = 0; i < n; i++) {
        map.put(keys[i], listAt(values, i));
      }
      this.givenMap = map;
      this.givenKeys = NO_KEYS;
      this.givenValues = NO_VALUES;
    } else {
      this.givenMap = null;
      this.givenKeys = n == max ? keys : Arrays.copyOf(keys, n);
      this.givenValues = n == max ? values : Arrays.copyOf(values, n);
    }
  }

  // A copy of a request without context for another catalog action: every field is what the
  // builder makes for the same principal, resource, boundary and role path with that action.
  private AccessRequest(AccessRequest r, KmsAction catalogAction, int actionIndex) {
    this.principal = r.principal;
    this.action = catalogAction;
    this.actionIndex = actionIndex;
    this.crossAccountAction = ActionIndex.isCrossAccount(actionIndex);
    this.resourceAccount = r.resourceAccount;
    this.resource = r.resource;
    this.permissionsBoundary = r.permissionsBoundary;
    this.rolePath = r.rolePath;
    this.context = r.context;
    this.unknownKeys = r.unknownKeys;
    this.caller = r.caller;
    this.sessionPrincipalArn = r.sessionPrincipalArn;
    this.kind = r.kind;
    this.account = r.account;
    this.partition = r.partition;
    this.roleName = r.roleName;
    this.roleArn = r.roleArn;
    this.callerArn = r.callerArn;
    this.givenMap = null;
    this.givenKeys = NO_KEYS;
    this.givenValues = NO_VALUES;
  }

  /**
   * Returns this request for the catalog action at {@code actionIndex} ({@link ActionIndex})
   * instead: equal to, and read by the evaluator exactly as, {@code
   * toBuilder().action(action).build()}, without classifying the principal again. Only for a
   * request without context keys (given or unknown); otherwise the builder makes it.
   */
  AccessRequest withCatalogAction(int actionIndex) {
    KmsAction catalogAction = ActionIndex.action(actionIndex);
    if (!context.isEmpty() || !unknownKeys.isEmpty()) {
      return toBuilder().action(catalogAction).build();
    }
    return new AccessRequest(this, catalogAction, actionIndex);
  }

  // Up to this many given keys are searched one by one; more go into a hash map.
  private static final int SMALL_CONTEXT = 12;
  private static final String[] NO_KEYS = new String[0];
  private static final List<?>[] NO_VALUES = new List<?>[0];

  // Sets keys[..n) key to value (replacing it when there); returns the new count.
  private static int put(String[] keys, List<?>[] values, int n, String key, List<String> value) {
    for (int i = 0; i < n; i++) {
      if (keys[i].equals(key)) {
        values[i] = value;
        return n;
      }
    }
    keys[n] = key;
    values[n] = value;
    return n + 1;
  }

  // The arrays hold only List<String> values (an array of a generic type cannot be created).
  @SuppressWarnings("unchecked")
  private static List<String> listAt(List<?>[] values, int i) {
    return (List<String>) values[i];
  }

  // Context keys repeat from request to request: their lower-case forms are kept, up to a bound.
  private static final int MAX_REMEMBERED = 4096;
  private static final Map<String, String> LOWER_KEYS = new ConcurrentHashMap<>();

  private static String lowerCase(String key) {
    String lower = LOWER_KEYS.get(key);
    if (lower == null) {
      lower = key.toLowerCase(Locale.ROOT);
      if (LOWER_KEYS.size() < MAX_REMEMBERED) {
        LOWER_KEYS.putIfAbsent(key, lower);
      }
    }
    return lower;
  }

  /**
   * What the principal's text says about the caller, worked out once per distinct principal (up to
   * a bound): callers repeat from request to request. Immutable. A session's role ARN depends on
   * the request's role path, so it is completed per request.
   */
  private static final class Classified {
    private static final Map<String, Classified> KNOWN = new ConcurrentHashMap<>();

    final CallerKind kind;
    final @Nullable String account;
    final List<String> accountList;
    final String partition;
    final @Nullable String roleName;
    final @Nullable String roleArn;
    final String callerArn;
    // The context keys derived from the principal, in lower case: aws:PrincipalArn (unknown for
    // a session, whose ARN does not carry its role's path), aws:PrincipalAccount,
    // kms:CallerAccount, aws:PrincipalType, aws:username, aws:PrincipalIsAWSService.
    final Map<String, List<String>> derived;

    private static final List<String> TRUE = List.of("true");
    private static final List<String> FALSE = List.of("false");

    private Classified(
        CallerKind kind,
        @Nullable String account,
        String partition,
        @Nullable String roleName,
        @Nullable String roleArn,
        @Nullable String principalArn,
        @Nullable String principalType,
        @Nullable String userName,
        String callerArn) {
      this.kind = kind;
      this.account = account;
      this.accountList = account == null ? List.of() : List.of(account);
      this.partition = partition;
      this.roleName = roleName;
      this.roleArn = roleArn;
      this.callerArn = callerArn;
      HashMap<String, List<String>> d = new HashMap<>(8);
      if (kind == CallerKind.SESSION && principalArn == null) {
        d.put("aws:principalarn", UNKNOWN);
      } else if (principalArn != null) {
        d.put("aws:principalarn", List.of(principalArn));
      }
      if (account != null) {
        d.put("aws:principalaccount", accountList);
        d.put("kms:calleraccount", accountList);
      }
      if (principalType != null) {
        d.put("aws:principaltype", List.of(principalType));
      }
      if (userName != null) {
        d.put("aws:username", List.of(userName));
      }
      // IAM "AWS global condition context keys", aws:PrincipalIsAWSService: "present in the
      // request context for all signed API requests that use AWS security credentials"; true
      // only when an AWS service principal calls. An anonymous request is not signed.
      if (kind == CallerKind.SERVICE) {
        d.put("aws:principalisawsservice", TRUE);
      } else if (kind != CallerKind.ANONYMOUS) {
        d.put("aws:principalisawsservice", FALSE);
      }
      this.derived = d;
    }

    static Classified of(String principal) {
      Classified c = KNOWN.get(principal);
      if (c == null) {
        c = classify(principal);
        // Emptied when full, rather than kept as it is: a large account names more principals
        // than it holds, and those it would never take again are asked about many times each.
        if (KNOWN.size() >= MAX_REMEMBERED) {
          KNOWN.clear();
        }
        KNOWN.putIfAbsent(principal, c);
      }
      return c;
    }

    private static Classified classify(String principal) {
      String part = "aws";
      String acct = null;
      String roleNameValue = null;
      String roleArnValue = null;
      CallerKind k;
      String principalArn = null;
      String principalType = null;
      String userName = null;
      if (principal.equals(ANONYMOUS)) {
        k = CallerKind.ANONYMOUS;
      } else if (AccountId.isAccountId(principal)) {
        k = CallerKind.ROOT;
        acct = principal;
        principalArn = new AccountId(principal).rootArn();
        principalType = "Account";
      } else if (principal.startsWith("arn:")) {
        // arn:partition:service:region:account:resource, split by hand.
        int c1 = principal.indexOf(':', 4);
        int c2 = c1 < 0 ? -1 : principal.indexOf(':', c1 + 1);
        int c3 = c2 < 0 ? -1 : principal.indexOf(':', c2 + 1);
        int c4 = c3 < 0 ? -1 : principal.indexOf(':', c3 + 1);
        if (c4 < 0 || c1 == 4 || c3 != c2 + 1 || c4 - c3 - 1 != 12) {
          throw new IllegalArgumentException(badPrincipal(principal));
        }
        part = principal.substring(4, c1);
        acct = principal.substring(c3 + 1, c4);
        if (!AccountId.isAccountId(acct)) {
          throw new IllegalArgumentException(badPrincipal(principal));
        }
        String service = principal.substring(c1 + 1, c2);
        String res = principal.substring(c4 + 1);
        Arn arn = new Arn(part, service, "", acct, res);
        if (arn.service().equals("iam") && res.equals("root")) {
          k = CallerKind.ROOT;
          principalArn = principal;
          principalType = "Account";
        } else if (arn.service().equals("iam") && named(res, "user/")) {
          k = CallerKind.USER;
          principalArn = principal;
          principalType = "User";
          userName = res.substring(res.lastIndexOf('/') + 1);
        } else if (arn.service().equals("iam") && named(res, "role/")) {
          k = CallerKind.ROLE;
          principalArn = principal;
          principalType = "AssumedRole";
          roleNameValue = res.substring(res.lastIndexOf('/') + 1);
          roleArnValue = principal;
        } else if (arn.service().equals("sts")
            && res.startsWith("assumed-role/")
            && res.indexOf('/', 13) > 13
            && res.indexOf('/', 13) < res.length() - 1) {
          k = CallerKind.SESSION;
          principalType = "AssumedRole";
          roleNameValue = res.substring(13, res.indexOf('/', 13));
        } else if (arn.service().equals("sts") && named(res, "federated-user/")) {
          k = CallerKind.FEDERATED;
          principalArn = principal;
          principalType = "FederatedUser";
        } else {
          throw new IllegalArgumentException(badPrincipal(principal));
        }
      } else if (principal.indexOf('.') > 0
          && principal.indexOf(':') < 0
          && principal.indexOf('*') < 0
          && principal.indexOf('/') < 0
          && principal.indexOf(' ') < 0) {
        k = CallerKind.SERVICE;
      } else {
        throw new IllegalArgumentException(badPrincipal(principal));
      }
      String callerArn =
          k == CallerKind.ROOT ? "arn:" + part + ":iam::" + acct + ":root" : principal;
      return new Classified(
          k,
          acct,
          part,
          roleNameValue,
          roleArnValue,
          principalArn,
          principalType,
          userName,
          callerArn);
    }
  }

  // The resource asked about last and its account: the access analysis sends many requests about
  // one key, whose account would otherwise be cut out of its ARN for each.
  private record ResourceAccount(String resource, @Nullable String account) {}

  private static volatile ResourceAccount lastResource = new ResourceAccount("", null);

  private static @Nullable String resourceAccount(String resource) {
    ResourceAccount last = lastResource;
    if (last.resource.equals(resource)) {
      return last.account;
    }
    String account = accountOfArn(resource);
    lastResource = new ResourceAccount(resource, account);
    return account;
  }

  /** The account part of an ARN (empty parts give null), without allocating an {@link Arn}. */
  static @Nullable String accountOfArn(String arn) {
    if (!arn.startsWith("arn:")) {
      return null;
    }
    int c = 3;
    for (int i = 0; i < 3; i++) {
      c = arn.indexOf(':', c + 1);
      if (c < 0) {
        return null;
      }
    }
    int end = arn.indexOf(':', c + 1);
    return end < 0 || end == c + 1 ? null : arn.substring(c + 1, end);
  }

  private static boolean named(String resource, String prefix) {
    return resource.startsWith(prefix)
        && resource.length() > prefix.length()
        && !resource.endsWith("/");
  }

  private static String badPrincipal(String p) {
    return String.format(
        "principal [%s] is not a caller; expected the ARN of a user, role, assumed-role session,"
            + " federated user or account root, a 12-digit account id, a service principal name"
            + " such as logs.us-east-1.amazonaws.com, or anonymous",
        p);
  }

  private static <T> T requireState(@Nullable T value, String name) {
    if (value == null) {
      throw new IllegalStateException(name + " is not set");
    }
    return value;
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from this request. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Returns the calling principal as given. */
  public String principal() {
    return principal;
  }

  /** Returns the action requested. */
  public KmsAction action() {
    return action;
  }

  /**
   * Returns the ARN of the key the request acts on, when given; the evaluator's key ARN applies
   * otherwise.
   */
  public Optional<String> resource() {
    return Optional.ofNullable(resource);
  }

  /** Returns the request context as given (not derived), sorted by key; unmodifiable. */
  public Map<String, List<String>> context() {
    return context;
  }

  /**
   * Returns the values of context key {@code key} (letter case ignored), including the keys derived
   * from the principal; empty when the key is absent or {@linkplain #isUnknown(String) unknown}.
   */
  public Optional<List<String>> contextValues(String key) {
    Objects.requireNonNull(key, "key");
    List<String> v = lookupLower(key.toLowerCase(Locale.ROOT));
    return v == null || v == UNKNOWN ? Optional.empty() : Optional.of(v);
  }

  /**
   * Returns whether context key {@code key} has a value that cannot be known from the request, such
   * as {@code aws:PrincipalArn} of an assumed-role session whose role path was not given.
   */
  public boolean isUnknown(String key) {
    Objects.requireNonNull(key, "key");
    return lookupLower(key.toLowerCase(Locale.ROOT)) == UNKNOWN;
  }

  /**
   * Returns the context keys given as unknown ({@link Builder#unknownContext(String)}), in lower
   * case, sorted.
   */
  public java.util.SortedSet<String> unknownContext() {
    return unknownKeys;
  }

  /** Returns whether the caller is anonymous (unauthenticated). */
  public boolean isAnonymous() {
    return kind == CallerKind.ANONYMOUS;
  }

  /** Returns whether the caller has a permissions boundary. */
  public boolean hasPermissionsBoundary() {
    return permissionsBoundary;
  }

  /** Returns the path of the caller's role ({@code /} or {@code /a/b/}), when given. */
  public Optional<String> rolePath() {
    return Optional.ofNullable(rolePath);
  }

  // ---- package-private facts for the evaluator ----

  /** Values of a lower-case key: null when absent, {@link #UNKNOWN} when unknown. */
  @Nullable List<String> lookupLower(String lowerKey) {
    Map<String, List<String>> map = givenMap;
    if (map != null) {
      List<String> v = map.get(lowerKey);
      if (v != null) {
        return v;
      }
    } else {
      String[] keys = givenKeys;
      for (int i = 0; i < keys.length; i++) {
        if (keys[i].equals(lowerKey)) {
          return listAt(givenValues, i);
        }
      }
    }
    if (sessionPrincipalArn != null && lowerKey.equals("aws:principalarn")) {
      return sessionPrincipalArn;
    }
    return caller.derived.get(lowerKey);
  }

  CallerKind kind() {
    return kind;
  }

  int actionIndex() {
    return actionIndex;
  }

  /** The account of the resource ARN, when given and it has one. */
  @Nullable String resourceAccount() {
    return resourceAccount;
  }

  /** Whether the action can be used across accounts ({@link KmsAction#isCrossAccount()}). */
  boolean isCrossAccountAction() {
    return crossAccountAction;
  }

  @Nullable String account() {
    return account;
  }

  String partition() {
    return partition;
  }

  /** The principal as an ARN (the root ARN for a bare account id); the name for a service. */
  String callerArn() {
    return callerArn;
  }

  /** The role name of a role or session caller. */
  @Nullable String roleName() {
    return roleName;
  }

  /** The role ARN of a role caller, or of a session caller when the role path is known. */
  @Nullable String roleArn() {
    return roleArn;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AccessRequest r)) {
      return false;
    }

    return principal.equals(r.principal)
        && action.equals(r.action)
        && Objects.equals(resource, r.resource)
        && context.equals(r.context)
        && unknownKeys.equals(r.unknownKeys)
        && permissionsBoundary == r.permissionsBoundary
        && Objects.equals(rolePath, r.rolePath);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        principal, action, resource, context, unknownKeys, permissionsBoundary, rolePath);
  }

  @Override
  public String toString() {
    return "AccessRequest{principal="
        + principal
        + ", action="
        + action
        + (resource == null ? "" : ", resource=" + resource)
        + (context.isEmpty() ? "" : ", context=" + context)
        + (unknownKeys.isEmpty() ? "" : ", unknown=" + unknownKeys)
        + (permissionsBoundary ? ", permissionsBoundary" : "")
        + (rolePath == null ? "" : ", rolePath=" + rolePath)
        + "}";
  }

  /** Builds an {@link AccessRequest}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String principal;
    private @Nullable KmsAction action;
    private @Nullable String resource;
    private Map<String, List<String>> context = new TreeMap<>();
    // Whether a built request holds the context map: it is copied before the next change.
    private boolean contextShared;
    // Made on first use: most requests have no unknown keys.
    private java.util.@Nullable SortedSet<String> unknown;
    private boolean permissionsBoundary;
    private @Nullable String rolePath;

    private Builder() {}

    private Builder(AccessRequest r) {
      this.principal = r.principal;
      this.action = r.action;
      this.resource = r.resource;
      this.context.putAll(r.context);
      if (!r.unknownKeys.isEmpty()) {
        this.unknown = new java.util.TreeSet<>(r.unknownKeys);
      }
      this.permissionsBoundary = r.permissionsBoundary;
      this.rolePath = r.rolePath;
    }

    /**
     * Sets the calling principal: an ARN, a 12-digit account id (the root user), a service
     * principal name, or {@code anonymous}. The form is checked in {@link #build()}.
     */
    public Builder principal(String principal) {
      Objects.requireNonNull(principal, "principal");
      if (principal.isEmpty()) {
        throw new IllegalArgumentException(
            "principal [] is empty; expected an ARN, an account id, a service principal or"
                + " anonymous");
      }
      this.principal = principal;
      return this;
    }

    /** Sets the action requested. */
    public Builder action(KmsAction action) {
      Objects.requireNonNull(action, "action");
      if (action.isWildcard()) {
        throw new IllegalArgumentException(
            String.format(
                "action [%s] holds a wildcard; a request names one action, such as kms:Decrypt",
                action));
      }
      this.action = action.canonical();
      return this;
    }

    /** Sets the action requested by name, such as {@code kms:Decrypt}. */
    public Builder action(String action) {
      Objects.requireNonNull(action, "action");
      KmsAction known = ActionIndex.canonicalNamed(action);
      if (known != null) {
        this.action = known;
        return this;
      }
      return action(KmsAction.of(action));
    }

    /** Sets the ARN of the key the request acts on. */
    public Builder resource(String keyArn) {
      Objects.requireNonNull(keyArn, "keyArn");
      if (keyArn.isEmpty()) {
        throw new IllegalArgumentException("resource [] is empty; expected a key ARN");
      }
      this.resource = keyArn;
      return this;
    }

    /** Sets context key {@code key} to the single value {@code value}. */
    public Builder putContext(String key, String value) {
      Objects.requireNonNull(value, "value");
      return putContext(key, List.of(value));
    }

    /**
     * Sets context key {@code key} to {@code values} (a multi-valued key such as {@code
     * kms:EncryptionContextKeys}; an empty collection is an empty set, which is not the same as an
     * absent key).
     */
    public Builder putContext(String key, Collection<String> values) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(values, "values");
      if (key.isEmpty()) {
        throw new IllegalArgumentException("context key [] is empty; expected e.g. kms:ViaService");
      }
      List<String> copy = List.copyOf(values);
      ownContext();
      String existing = null;
      for (String k : context.keySet()) {
        if (k.equalsIgnoreCase(key)) {
          existing = k;
          break;
        }
      }
      if (existing != null) {
        context.remove(existing);
      }
      java.util.SortedSet<String> u = unknown;
      if (u != null && !u.isEmpty()) {
        u.remove(key.toLowerCase(Locale.ROOT));
      }
      context.put(key, copy);
      return this;
    }

    /**
     * Marks context key {@code key} as present with a value that is not known: a condition on it
     * cannot be decided, so an Allow that needs it does not count and a Deny that names it is
     * treated as applying (as for {@link AccessRequest#isUnknown(String)}). The analysis uses it to
     * ask whether a request is allowed whatever the value is. A value given with {@link
     * #putContext} for the same key is dropped.
     */
    public Builder unknownContext(String key) {
      Objects.requireNonNull(key, "key");
      if (key.isEmpty()) {
        throw new IllegalArgumentException("context key [] is empty; expected e.g. aws:SourceIp");
      }
      ownContext();
      context.keySet().removeIf(k -> k.equalsIgnoreCase(key));
      java.util.SortedSet<String> u = unknown;
      if (u == null) {
        u = new java.util.TreeSet<>();
        unknown = u;
      }
      u.add(key.toLowerCase(Locale.ROOT));
      return this;
    }

    /**
     * Sets whether the caller has a permissions boundary, which makes a Deny statement with {@code
     * NotPrincipal} deny it even when it is named.
     */
    public Builder permissionsBoundary(boolean permissionsBoundary) {
      this.permissionsBoundary = permissionsBoundary;
      return this;
    }

    /**
     * Sets the path of the caller's role ({@code /} or {@code /division/team/}), so that the {@code
     * aws:PrincipalArn} of an assumed-role session can be derived.
     */
    public Builder rolePath(String rolePath) {
      Objects.requireNonNull(rolePath, "rolePath");
      if (!rolePath.startsWith("/") || !rolePath.endsWith("/")) {
        throw new IllegalArgumentException(
            String.format(
                "role path [%s] must start and end with /; expected / or /division/team/",
                rolePath));
      }
      this.rolePath = rolePath;
      return this;
    }

    /**
     * Builds the request.
     *
     * @throws IllegalStateException if the principal or the action is not set
     * @throws IllegalArgumentException if the principal is not a caller form
     */
    public AccessRequest build() {
      return new AccessRequest(this);
    }

    // Hands the context map to a request being built; the builder no longer changes it.
    private Map<String, List<String>> shareContext() {
      contextShared = true;
      return context;
    }

    // Makes the context map this builder's own again before a change.
    private void ownContext() {
      if (contextShared) {
        context = new TreeMap<>(context);
        contextShared = false;
      }
    }
  }
}
