package dev.kmsposture.testkit.kms;

import dev.kmsposture.policy.AccountId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An IAM role the STS companion lets callers assume with {@code AssumeRole}: who may assume it (a
 * simplified trust policy), an optional external id, and the longest session.
 *
 * <pre>{@code
 * AssumableRole scanner = AssumableRole.builder("arn:aws:iam::111122223333:role/PostureScanner")
 *     .trust("123456789012")            // any principal of account 123456789012
 *     .requireExternalId("posture-2026")
 *     .build();
 * }</pre>
 *
 * <p>A trusted or denied principal is an account id (or its {@code :root} ARN: every principal of
 * that account), an IAM user or role ARN, or {@code *} (anyone). An assumed-role session matches
 * the ARN of its role. Denials win over trust. {@code AssumeRole} on a role that is not registered,
 * that does not trust the caller, or with a wrong or missing external id fails with {@code
 * AccessDenied}, as AWS answers all three.
 */
public final class AssumableRole {
  private static final Pattern ROLE_ARN =
      Pattern.compile(
          "arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):role/(?:[\\w+=,.@/-]*/)?([\\w+=,.@-]{1,64})");

  private final String roleArn;
  private final AccountId account;
  private final String name;
  private final @Nullable String externalId;
  private final List<String> trusted;
  private final List<String> denied;
  private final Duration maxSessionDuration;

  private AssumableRole(Builder builder) {
    this.roleArn = builder.roleArn;
    this.account = builder.account;
    this.name = builder.name;
    this.externalId = builder.externalId;
    this.trusted = List.copyOf(builder.trusted);
    this.denied = List.copyOf(builder.denied);
    this.maxSessionDuration = builder.maxSessionDuration;
  }

  /**
   * Returns a builder for the role {@code roleArn}, such as {@code
   * arn:aws:iam::111122223333:role/Scanner}.
   *
   * @throws IllegalArgumentException if {@code roleArn} is not an IAM role ARN
   */
  public static Builder builder(String roleArn) {
    return new Builder(roleArn);
  }

  /** The role's ARN. */
  public String roleArn() {
    return roleArn;
  }

  /** The role's account. */
  public AccountId account() {
    return account;
  }

  /** The role's name (the last segment of its ARN). */
  public String name() {
    return name;
  }

  /**
   * The external id {@code AssumeRole} must present, if any; see {@link Builder#requireExternalId}.
   */
  public Optional<String> externalId() {
    return Optional.ofNullable(externalId);
  }

  /** The principals the role trusts; see {@link Builder#trust(String)}. */
  public List<String> trusted() {
    return trusted;
  }

  /** The principals that may never assume it; see {@link Builder#deny(String)}. */
  public List<String> denied() {
    return denied;
  }

  /** The longest session it grants; see {@link Builder#maxSessionDuration(Duration)}. */
  public Duration maxSessionDuration() {
    return maxSessionDuration;
  }

  /** Whether {@code caller} may assume this role (trusted and not denied). */
  public boolean admits(Caller caller) {
    Objects.requireNonNull(caller, "caller");
    return denied.stream().noneMatch(entry -> matches(entry, caller))
        && trusted.stream().anyMatch(entry -> matches(entry, caller));
  }

  private static boolean matches(String entry, Caller caller) {
    if (entry.equals("*")) {
      return true;
    }
    String account = caller.account().value();
    if (entry.equals(account) || entry.matches("arn:[\\w-]+:iam::" + account + ":root")) {
      return true;
    }
    String principal = caller.principalArn();
    if (entry.equals(principal)) {
      return true;
    }
    // arn:aws:sts::A:assumed-role/R/S matches the role arn:aws:iam::A:role/[path/]R
    Matcher session =
        Pattern.compile("arn:([\\w-]+):sts::(\\d{12}):assumed-role/([^/]+)/.+").matcher(principal);
    if (session.matches()) {
      Matcher role = ROLE_ARN.matcher(entry);
      return role.matches()
          && role.group(1).equals(session.group(1))
          && role.group(2).equals(session.group(2))
          && role.group(3).equals(session.group(3));
    }
    return false;
  }

  @Override
  public String toString() {
    return "AssumableRole["
        + roleArn
        + " trusts "
        + trusted
        + (denied.isEmpty() ? "" : " denies " + denied)
        + (externalId == null ? "" : " with external id")
        + "]";
  }

  /** Builds an {@link AssumableRole}. */
  public static final class Builder {
    private final String roleArn;
    private final AccountId account;
    private final String name;
    private @Nullable String externalId;
    private final List<String> trusted = new ArrayList<>();
    private final List<String> denied = new ArrayList<>();
    private Duration maxSessionDuration = Duration.ofHours(1);

    private Builder(String roleArn) {
      Objects.requireNonNull(roleArn, "roleArn");
      Matcher matcher = ROLE_ARN.matcher(roleArn);
      if (!matcher.matches()) {
        throw new IllegalArgumentException(
            String.format(
                "role [%s] is not an IAM role ARN; expected arn:aws:iam::<account>:role/<name>",
                roleArn));
      }
      this.roleArn = roleArn;
      this.account = AccountId.of(matcher.group(2));
      this.name = matcher.group(3);
    }

    /**
     * Lets {@code principal} assume the role: an account id or {@code arn:aws:iam::<id>:root}
     * (every principal of that account), an IAM user or role ARN, or {@code *}.
     *
     * @throws IllegalArgumentException if {@code principal} is none of these
     */
    public Builder trust(String principal) {
      trusted.add(requirePrincipal(principal));
      return this;
    }

    /**
     * Never lets {@code principal} assume the role, even if trusted (same forms as {@link
     * #trust(String)}).
     *
     * @throws IllegalArgumentException if {@code principal} is not such a form
     */
    public Builder deny(String principal) {
      denied.add(requirePrincipal(principal));
      return this;
    }

    /**
     * Requires {@code AssumeRole} to present {@code externalId} (2 to 1,224 characters), as a trust
     * policy with an {@code sts:ExternalId} condition does.
     *
     * @throws IllegalArgumentException if the id is shorter than 2 or longer than 1,224 characters
     */
    public Builder requireExternalId(String externalId) {
      Objects.requireNonNull(externalId, "externalId");
      if (externalId.length() < 2 || externalId.length() > 1224) {
        throw new IllegalArgumentException(
            String.format(
                "external id of length [%d] is not 2 to 1,224 characters long",
                externalId.length()));
      }
      this.externalId = externalId;
      return this;
    }

    /**
     * Sets the longest session the role grants, 1 to 12 hours (IAM's {@code MaxSessionDuration});
     * one hour by default.
     *
     * @throws IllegalArgumentException if the duration is outside 1 to 12 hours
     */
    public Builder maxSessionDuration(Duration maxSessionDuration) {
      Objects.requireNonNull(maxSessionDuration, "maxSessionDuration");
      if (maxSessionDuration.compareTo(Duration.ofHours(1)) < 0
          || maxSessionDuration.compareTo(Duration.ofHours(12)) > 0) {
        throw new IllegalArgumentException(
            String.format(
                "max session duration [%s] is not between 1 and 12 hours", maxSessionDuration));
      }
      this.maxSessionDuration = maxSessionDuration;
      return this;
    }

    private static String requirePrincipal(String principal) {
      Objects.requireNonNull(principal, "principal");
      if (principal.equals("*")
          || principal.matches("\\d{12}")
          || principal.matches("arn:[\\w-]+:iam::\\d{12}:(root|user/.+|role/.+)")) {
        return principal;
      }
      throw new IllegalArgumentException(
          String.format(
              "principal [%s] is not an account id, an IAM root, user or role ARN, or *",
              principal));
    }

    /**
     * Builds the role.
     *
     * @throws IllegalStateException if it trusts no principal (nobody could assume it)
     */
    public AssumableRole build() {
      if (trusted.isEmpty()) {
        throw new IllegalStateException(
            String.format(
                "role [%s] trusts no principal; add trust(accountId or principal ARN)", roleArn));
      }
      return new AssumableRole(this);
    }
  }
}
