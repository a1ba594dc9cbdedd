package dev.kmsposture.policy;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One principal named in a statement's {@code Principal} or {@code NotPrincipal} element.
 *
 * <ul>
 *   <li>{@link Everyone}: the bare {@code "Principal": "*"} form;
 *   <li>{@link Aws}: a value under {@code "AWS"} — {@code *}, an account id or root ARN, a role, a
 *       user, an assumed-role or federated-user session, or the unique id ({@code AIDA…}, {@code
 *       AROA…}) that IAM leaves behind when a named principal is deleted; {@link Aws#kind()}
 *       classifies it;
 *   <li>{@link Service}: a value under {@code "Service"}, such as {@code
 *       logs.us-east-1.amazonaws.com};
 *   <li>{@link Federated} and {@link CanonicalUser}: accepted by the grammar but not valid in a key
 *       policy (validation reports them).
 * </ul>
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html">IAM
 *     JSON policy elements: Principal</a>
 */
public sealed interface Principal
    permits Principal.Everyone,
        Principal.Aws,
        Principal.Service,
        Principal.Federated,
        Principal.CanonicalUser {

  /** The JSON key this principal is written under: {@code AWS}, {@code Service}, … or {@code *}. */
  String type();

  /** The value as written. */
  String value();

  /**
   * Returns whether this principal stands for every principal ({@code "*"} or {@code {"AWS":
   * "*"}}).
   */
  default boolean isEveryone() {
    return false;
  }

  /** Returns the bare wildcard principal ({@code "Principal": "*"}). */
  static Principal everyone() {
    return Everyone.INSTANCE;
  }

  /** Returns the AWS principal {@code value} (an ARN, an account id, a unique id or {@code *}). */
  static Aws aws(String value) {
    return new Aws(value);
  }

  /** Returns the service principal {@code name}, such as {@code logs.us-east-1.amazonaws.com}. */
  static Service service(String name) {
    return new Service(name);
  }

  /** Returns the root principal of {@code account}, as an AWS principal written as the root ARN. */
  static Aws root(AccountId account) {
    return new Aws(account.rootArn());
  }

  /** The bare {@code "*"} principal element: every principal, in every account. */
  record Everyone() implements Principal {
    static final Everyone INSTANCE = new Everyone();

    @Override
    public String type() {
      return "*";
    }

    @Override
    public String value() {
      return "*";
    }

    @Override
    public boolean isEveryone() {
      return true;
    }

    @Override
    public String toString() {
      return "*";
    }
  }

  /** What an {@code AWS} principal value names. */
  enum AwsKind {
    /** {@code *}: every principal. */
    EVERYONE,
    /** An account: a bare 12-digit id or {@code arn:…:iam::ACCOUNT:root}. */
    ACCOUNT,
    /** An IAM role, {@code arn:…:iam::ACCOUNT:role/path/name}. */
    ROLE,
    /** An IAM user, {@code arn:…:iam::ACCOUNT:user/path/name}. */
    USER,
    /** A role session, {@code arn:…:sts::ACCOUNT:assumed-role/ROLE/SESSION}. */
    ASSUMED_ROLE_SESSION,
    /** A federated-user session, {@code arn:…:sts::ACCOUNT:federated-user/NAME}. */
    FEDERATED_USER_SESSION,
    /**
     * An IAM unique id ({@code AIDA…}, {@code AROA…}): what a deleted user or role leaves behind.
     */
    UNIQUE_ID,
    /** A value with a wildcard that is not the whole value, such as {@code arn:aws:iam::*:root}. */
    PARTIAL_WILDCARD,
    /** Anything else: not a principal form IAM recognises. */
    UNRECOGNIZED
  }

  /**
   * A principal under the {@code "AWS"} key. Equality is on the value as written; {@link #kind()},
   * {@link #arn()} and {@link #accountId()} are derived from it once.
   */
  final class Aws implements Principal {
    private final String value;

    /**
     * What the value names, derived on first use: parsing needs only the value, and reading the ARN
     * of every principal would cost a good share of a whole policy parse. The racy single-check
     * idiom is safe because {@link Derived} is immutable.
     */
    private @Nullable Derived derived;

    /** The facts derived from the value. */
    private record Derived(AwsKind kind, @Nullable Arn arn, @Nullable AccountId account) {}

    /**
     * Creates the principal {@code value}.
     *
     * @throws IllegalArgumentException if {@code value} is empty
     */
    public Aws(String value) {
      Objects.requireNonNull(value, "value");
      if (value.isEmpty()) {
        throw new IllegalArgumentException(
            "AWS principal [] is empty; expected an ARN, an account id or *");
      }
      this.value = value;
    }

    private Derived derived() {
      Derived d = derived;
      if (d == null) {
        d = derive(value);
        derived = d;
      }
      return d;
    }

    private static Derived derive(String value) {
      Arn parsed = Arn.tryParse(value).orElse(null);
      AwsKind kind = classify(value, parsed);
      AccountId account;
      if (kind == AwsKind.ACCOUNT && parsed == null) {
        account = new AccountId(value);
      } else if (parsed != null && AccountId.isAccountId(parsed.account())) {
        account = new AccountId(parsed.account());
      } else {
        account = null;
      }
      return new Derived(kind, parsed, account);
    }

    private static AwsKind classify(String value, @Nullable Arn arn) {
      if (value.equals("*")) {
        return AwsKind.EVERYONE;
      }
      if (value.indexOf('*') >= 0 || value.indexOf('?') >= 0) {
        return AwsKind.PARTIAL_WILDCARD;
      }
      if (AccountId.isAccountId(value)) {
        return AwsKind.ACCOUNT;
      }
      if (arn == null) {
        return isUniqueId(value) ? AwsKind.UNIQUE_ID : AwsKind.UNRECOGNIZED;
      }
      if (!AccountId.isAccountId(arn.account()) || !arn.region().isEmpty()) {
        return AwsKind.UNRECOGNIZED;
      }
      String res = arn.resource();
      if (arn.service().equals("iam")) {
        if (res.equals("root")) {
          return AwsKind.ACCOUNT;
        }
        if (res.startsWith("role/") && res.length() > 5 && !res.endsWith("/")) {
          return AwsKind.ROLE;
        }
        if (res.startsWith("user/") && res.length() > 5 && !res.endsWith("/")) {
          return AwsKind.USER;
        }
      } else if (arn.service().equals("sts")) {
        int slash = res.indexOf('/', 13);
        if (res.startsWith("assumed-role/") && slash > 13 && slash < res.length() - 1) {
          return AwsKind.ASSUMED_ROLE_SESSION;
        }
        if (res.startsWith("federated-user/") && res.length() > 15) {
          return AwsKind.FEDERATED_USER_SESSION;
        }
      }
      return AwsKind.UNRECOGNIZED;
    }

    /**
     * Returns whether {@code s} looks like an IAM unique id: four upper-case letters starting with
     * {@code A} (such as {@code AIDA}, {@code AROA}, {@code AGPA}) followed by upper-case letters
     * and digits, 16 to 128 characters in all.
     */
    static boolean isUniqueId(String s) {
      if (s.length() < 16 || s.length() > 128 || s.charAt(0) != 'A') {
        return false;
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        boolean upper = c >= 'A' && c <= 'Z';
        boolean digit = c >= '0' && c <= '9';
        if (i < 4 ? !upper : !(upper || digit)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String type() {
      return "AWS";
    }

    @Override
    public String value() {
      return value;
    }

    /** Returns what this value names. */
    public AwsKind kind() {
      return derived().kind();
    }

    /** Returns the value parsed as an ARN, when it is one. */
    public Optional<Arn> arn() {
      return Optional.ofNullable(derived().arn());
    }

    /** Returns the account this principal belongs to, when the value names one. */
    public Optional<AccountId> accountId() {
      return Optional.ofNullable(derived().account());
    }

    /**
     * Returns the partition of an ARN value ({@code aws}, {@code aws-cn}, …), when it is an ARN.
     */
    public Optional<String> partition() {
      Arn arn = derived().arn();
      return arn == null ? Optional.empty() : Optional.of(arn.partition());
    }

    @Override
    public boolean isEveryone() {
      return value.equals("*");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Aws aws && aws.value.equals(value);
    }

    @Override
    public int hashCode() {
      return value.hashCode();
    }

    @Override
    public String toString() {
      return "AWS:" + value;
    }
  }

  /**
   * A principal under the {@code "Service"} key: an AWS service principal.
   *
   * @param value the service principal name, such as {@code logs.us-east-1.amazonaws.com}
   */
  record Service(String value) implements Principal {
    /** Validates the name. */
    public Service {
      Objects.requireNonNull(value, "value");
      if (value.isEmpty()) {
        throw new IllegalArgumentException(
            "service principal [] is empty; expected e.g. logs.us-east-1.amazonaws.com");
      }
    }

    @Override
    public String type() {
      return "Service";
    }

    @Override
    public boolean isEveryone() {
      return value.equals("*");
    }

    @Override
    public String toString() {
      return "Service:" + value;
    }
  }

  /**
   * A principal under the {@code "Federated"} key. Valid in role trust policies, not in key
   * policies.
   *
   * @param value the identity provider
   */
  record Federated(String value) implements Principal {
    /** Validates the value. */
    public Federated {
      Objects.requireNonNull(value, "value");
      if (value.isEmpty()) {
        throw new IllegalArgumentException("federated principal [] is empty");
      }
    }

    @Override
    public String type() {
      return "Federated";
    }

    @Override
    public String toString() {
      return "Federated:" + value;
    }
  }

  /**
   * A principal under the {@code "CanonicalUser"} key (an Amazon S3 identifier). Not valid in key
   * policies.
   *
   * @param value the canonical user id
   */
  record CanonicalUser(String value) implements Principal {
    /** Validates the value. */
    public CanonicalUser {
      Objects.requireNonNull(value, "value");
      if (value.isEmpty()) {
        throw new IllegalArgumentException("canonical user principal [] is empty");
      }
    }

    @Override
    public String type() {
      return "CanonicalUser";
    }

    @Override
    public String toString() {
      return "CanonicalUser:" + value;
    }
  }
}
