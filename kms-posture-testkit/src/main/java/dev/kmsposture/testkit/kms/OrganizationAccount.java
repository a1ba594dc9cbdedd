package dev.kmsposture.testkit.kms;

import dev.kmsposture.policy.AccountId;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An account of an {@link Organization}, as Organizations' {@code ListAccounts} shows it.
 *
 * <pre>{@code
 * OrganizationAccount prod = OrganizationAccount.builder(AccountId.of("111122223333"))
 *     .name("prod")
 *     .state("ACTIVE")
 *     .build();
 * }</pre>
 */
public final class OrganizationAccount {
  private static final Set<String> STATES =
      Set.of("PENDING_ACTIVATION", "ACTIVE", "SUSPENDED", "PENDING_CLOSURE", "CLOSED");

  private final AccountId id;
  private final String name;
  private final String email;
  private final String state;
  private final String joinedMethod;
  private final Instant joinedTimestamp;

  private OrganizationAccount(Builder builder) {
    this.id = builder.id;
    this.name = builder.name;
    this.email = builder.email;
    this.state = builder.state;
    this.joinedMethod = builder.joinedMethod;
    this.joinedTimestamp = builder.joinedTimestamp;
  }

  /** Returns a builder for the account {@code id}: active, created in the organization. */
  public static Builder builder(AccountId id) {
    return new Builder(id);
  }

  /** The account id. */
  public AccountId id() {
    return id;
  }

  /** The account name; see {@link Builder#name(String)}. */
  public String name() {
    return name;
  }

  /** The root user's email; see {@link Builder#email(String)}. */
  public String email() {
    return email;
  }

  /** The account's {@code State}; see {@link Builder#state(String)}. */
  public String state() {
    return state;
  }

  /**
   * The account's legacy {@code Status} (retired by AWS in September 2026), derived from its state:
   * {@code ACTIVE}, {@code SUSPENDED} (also for closed accounts) or {@code PENDING_CLOSURE}.
   */
  public String status() {
    return switch (state) {
      case "SUSPENDED", "CLOSED" -> "SUSPENDED";
      case "PENDING_CLOSURE" -> "PENDING_CLOSURE";
      default -> "ACTIVE";
    };
  }

  /** How the account joined; see {@link Builder#joinedMethod(String)}. */
  public String joinedMethod() {
    return joinedMethod;
  }

  /** When the account joined; see {@link Builder#joinedTimestamp(Instant)}. */
  public Instant joinedTimestamp() {
    return joinedTimestamp;
  }

  @Override
  public String toString() {
    return "OrganizationAccount[" + id + " " + name + " " + state + "]";
  }

  /** Builds an {@link OrganizationAccount}. */
  public static final class Builder {
    private final AccountId id;
    private String name;
    private String email;
    private String state = "ACTIVE";
    private String joinedMethod = "CREATED";
    private Instant joinedTimestamp = Instant.parse("2024-01-01T00:00:00Z");

    private Builder(AccountId id) {
      this.id = Objects.requireNonNull(id, "id");
      this.name = "account-" + id.value();
      this.email = "account-" + id.value() + "@example.com";
    }

    /** Sets the account name ({@code account-<id>} by default). */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank() || name.length() > 50) {
        throw new IllegalArgumentException(
            String.format("account name [%s] is not 1 to 50 characters long", name));
      }
      this.name = name;
      return this;
    }

    /** Sets the root user's email ({@code account-<id>@example.com} by default). */
    public Builder email(String email) {
      Objects.requireNonNull(email, "email");
      if (!email.matches("[^\\s@]+@[^\\s@]+")) {
        throw new IllegalArgumentException(
            String.format("email [%s] is not an email address", email));
      }
      this.email = email;
      return this;
    }

    /**
     * Sets the account's state: {@code ACTIVE} (the default), {@code SUSPENDED}, {@code
     * PENDING_CLOSURE}, {@code CLOSED} or {@code PENDING_ACTIVATION}.
     */
    public Builder state(String state) {
      Objects.requireNonNull(state, "state");
      if (!STATES.contains(state)) {
        throw new IllegalArgumentException(
            String.format(
                "account state [%s] is not one of PENDING_ACTIVATION, ACTIVE, SUSPENDED,"
                    + " PENDING_CLOSURE, CLOSED",
                state));
      }
      this.state = state;
      return this;
    }

    /**
     * Sets how the account joined: {@code CREATED} (the default; AWS then creates the role {@code
     * OrganizationAccountAccessRole} in it, trusting the management account, and so does the
     * embedded STS) or {@code INVITED}.
     */
    public Builder joinedMethod(String joinedMethod) {
      Objects.requireNonNull(joinedMethod, "joinedMethod");
      if (!joinedMethod.equals("CREATED") && !joinedMethod.equals("INVITED")) {
        throw new IllegalArgumentException(
            String.format("joined method [%s] is not CREATED or INVITED", joinedMethod));
      }
      this.joinedMethod = joinedMethod;
      return this;
    }

    /** Sets when the account joined (2024-01-01 by default). */
    public Builder joinedTimestamp(Instant joinedTimestamp) {
      this.joinedTimestamp = Objects.requireNonNull(joinedTimestamp, "joinedTimestamp");
      return this;
    }

    /** Builds the account. */
    public OrganizationAccount build() {
      return new OrganizationAccount(this);
    }
  }
}
