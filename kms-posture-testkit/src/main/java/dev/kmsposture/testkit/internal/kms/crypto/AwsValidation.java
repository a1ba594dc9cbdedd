package dev.kmsposture.testkit.internal.kms.crypto;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * AWS's request validation, with its exact messages: byte lengths and numeric ranges from the API
 * model, and enum values. Member names are the model's member names in lower camel case, as AWS
 * writes them ({@code plaintext}, {@code ciphertextBlob}, {@code numberOfBytes}).
 *
 * <p>Sensitive blobs (plaintext, ciphertext, messages) are never echoed: AWS writes "Value at
 * 'plaintext'" without the value, and so do we.
 */
public final class AwsValidation {
  private AwsValidation() {}

  /**
   * Checks that a blob member has between {@code min} and {@code max} bytes.
   *
   * @throws KmsCryptoException {@code ValidationException} with AWS's message otherwise
   */
  public static void requireLength(String member, byte[] value, int min, int max) {
    Objects.requireNonNull(value, member);
    if (value.length < min) {
      throw KmsCryptoException.validation(
          String.format(
              "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must"
                  + " have length greater than or equal to %d",
              member, min));
    }
    if (value.length > max) {
      throw KmsCryptoException.validation(
          String.format(
              "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must"
                  + " have length less than or equal to %d",
              member, max));
    }
  }

  /**
   * Checks that an integer member lies between {@code min} and {@code max}.
   *
   * @throws KmsCryptoException {@code ValidationException} with AWS's message otherwise
   */
  public static void requireRange(String member, int value, int min, int max) {
    if (value < min) {
      throw KmsCryptoException.validation(
          String.format(
              "1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member"
                  + " must have value greater than or equal to %d",
              value, member, min));
    }
    if (value > max) {
      throw KmsCryptoException.validation(
          String.format(
              "1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member"
                  + " must have value less than or equal to %d",
              value, member, max));
    }
  }

  /** The constant of {@code type} whose wire name is {@code value}, if there is one. */
  public static <E extends Enum<E> & WireEnum> Optional<E> findEnum(Class<E> type, String value) {
    Objects.requireNonNull(value, "value");
    for (E constant : type.getEnumConstants()) {
      if (constant.wireName().equals(value)) {
        return Optional.of(constant);
      }
    }
    return Optional.empty();
  }

  /**
   * The constant of {@code type} whose wire name is {@code value}.
   *
   * @throws KmsCryptoException {@code ValidationException} "Member must satisfy enum value set:
   *     [...]" listing the values in the model's order, as AWS does
   */
  public static <E extends Enum<E> & WireEnum> E parseEnum(
      Class<E> type, String member, String value) {
    return findEnum(type, value)
        .orElseThrow(
            () ->
                KmsCryptoException.validation(
                    String.format(
                        "1 validation error detected: Value '%s' at '%s' failed to satisfy"
                            + " constraint: Member must satisfy enum value set: [%s]",
                        value,
                        member,
                        Arrays.stream(type.getEnumConstants())
                            .map(WireEnum::wireName)
                            .collect(Collectors.joining(", ")))));
  }
}
