package dev.kmsposture.testkit.kms;

import dev.kmsposture.policy.AccountId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An AWS organization the Organizations companion answers for: its id, management account, feature
 * set and accounts ({@code DescribeOrganization}, {@code ListAccounts}, {@code DescribeAccount}).
 *
 * <pre>{@code
 * Organization org = Organization.builder("o-a1b2c3d4e5", AccountId.of("123456789012"))
 *     .account(OrganizationAccount.builder(AccountId.of("111122223333")).name("prod").build())
 *     .account(OrganizationAccount.builder(AccountId.of("444455556666")).state("SUSPENDED").build())
 *     .build();
 * }</pre>
 *
 * <p>The management account is always an account of its organization.
 */
public final class Organization {
  private final String id;
  private final AccountId managementAccount;
  private final String featureSet;
  private final List<OrganizationAccount> accounts;

  private Organization(Builder builder) {
    this.id = builder.id;
    this.managementAccount = builder.managementAccount;
    this.featureSet = builder.featureSet;
    this.accounts = List.copyOf(builder.accounts.values());
  }

  /**
   * Returns a builder for organization {@code id} ({@code o-} and 10 to 32 lower-case letters or
   * digits) managed by {@code managementAccount}.
   *
   * @throws IllegalArgumentException if {@code id} is not an organization id
   */
  public static Builder builder(String id, AccountId managementAccount) {
    return new Builder(id, managementAccount);
  }

  /** The organization id, such as {@code o-a1b2c3d4e5}. */
  public String id() {
    return id;
  }

  /** The management account. */
  public AccountId managementAccount() {
    return managementAccount;
  }

  /** The feature set: {@code ALL} (the default) or {@code CONSOLIDATED_BILLING}. */
  public String featureSet() {
    return featureSet;
  }

  /** The accounts, management account first, in the order they were added. */
  public List<OrganizationAccount> accounts() {
    return accounts;
  }

  /** The account {@code id} of this organization, if it is one. */
  public Optional<OrganizationAccount> account(AccountId id) {
    return accounts.stream().filter(account -> account.id().equals(id)).findFirst();
  }

  /** The organization's ARN: {@code arn:aws:organizations::<management>:organization/<id>}. */
  public String arn() {
    return String.format(
        "arn:aws:organizations::%s:organization/%s", managementAccount.value(), id);
  }

  /** The ARN of account {@code id} in this organization. */
  public String accountArn(AccountId id) {
    return String.format(
        "arn:aws:organizations::%s:account/%s/%s", managementAccount.value(), this.id, id.value());
  }

  @Override
  public String toString() {
    return "Organization["
        + id
        + " managed by "
        + managementAccount
        + ", "
        + accounts.size()
        + " accounts]";
  }

  /** Builds an {@link Organization}. */
  public static final class Builder {
    private final String id;
    private final AccountId managementAccount;
    private String featureSet = "ALL";
    private final Map<AccountId, OrganizationAccount> accounts = new LinkedHashMap<>();

    private Builder(String id, AccountId managementAccount) {
      Objects.requireNonNull(id, "id");
      if (!id.matches("o-[a-z0-9]{10,32}")) {
        throw new IllegalArgumentException(
            String.format(
                "organization id [%s] is not o- followed by 10 to 32 lower-case letters or"
                    + " digits",
                id));
      }
      this.id = id;
      this.managementAccount = Objects.requireNonNull(managementAccount, "managementAccount");
      accounts.put(
          managementAccount,
          OrganizationAccount.builder(managementAccount)
              .name("management")
              .joinedMethod("INVITED")
              .build());
    }

    /** Sets the feature set: {@code ALL} (the default) or {@code CONSOLIDATED_BILLING}. */
    public Builder featureSet(String featureSet) {
      Objects.requireNonNull(featureSet, "featureSet");
      if (!featureSet.equals("ALL") && !featureSet.equals("CONSOLIDATED_BILLING")) {
        throw new IllegalArgumentException(
            String.format("feature set [%s] is not ALL or CONSOLIDATED_BILLING", featureSet));
      }
      this.featureSet = featureSet;
      return this;
    }

    /**
     * Adds {@code account}; an account with the same id (the management account included) is
     * replaced.
     */
    public Builder account(OrganizationAccount account) {
      Objects.requireNonNull(account, "account");
      accounts.put(account.id(), account);
      return this;
    }

    /** Adds {@code accounts}. */
    public Builder accounts(List<OrganizationAccount> accounts) {
      new ArrayList<>(accounts).forEach(this::account);
      return this;
    }

    /** Builds the organization. */
    public Organization build() {
      return new Organization(this);
    }
  }
}
