package dev.kmsposture.policy;

import java.util.Objects;

/**
 * A 12-digit AWS account id, such as {@code 111122223333}.
 *
 * @param value the twelve digits
 */
public record AccountId(String value) implements Comparable<AccountId> {

  /**
   * Validates the id.
   *
   * @throws IllegalArgumentException if {@code value} is not exactly twelve ASCII digits
   */
  public AccountId {
    Objects.requireNonNull(value, "value");
    if (!isAccountId(value)) {
      throw new IllegalArgumentException(
          String.format("account id [%s] is not valid; expected exactly 12 digits", value));
    }
  }

  /**
   * Returns the account id {@code value}.
   *
   * @throws IllegalArgumentException if {@code value} is not exactly twelve digits
   */
  public static AccountId of(String value) {
    return new AccountId(value);
  }

  /** Returns whether {@code text} is twelve ASCII digits. */
  public static boolean isAccountId(String text) {
    if (text.length() != 12) {
      return false;
    }
    for (int i = 0; i < 12; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the ARN of this account's root user in {@code partition}, e.g. {@code
   * arn:aws:iam::111122223333:root}.
   */
  public String rootArn(String partition) {
    return "arn:" + partition + ":iam::" + value + ":root";
  }

  /** Returns the ARN of this account's root user in the {@code aws} partition. */
  public String rootArn() {
    return rootArn("aws");
  }

  @Override
  public int compareTo(AccountId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
