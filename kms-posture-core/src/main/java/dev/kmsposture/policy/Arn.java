package dev.kmsposture.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * An Amazon Resource Name split into its six parts: {@code
 * arn:partition:service:region:account:resource}.
 *
 * <p>The resource part keeps its colons and slashes, so {@code
 * arn:aws:kms:us-east-1:111122223333:key/1234} has resource {@code key/1234}. Parts may be empty
 * (IAM ARNs have no region).
 *
 * @param partition {@code aws}, {@code aws-cn}, {@code aws-us-gov}, …
 * @param service the service namespace, such as {@code iam}, {@code sts} or {@code kms}
 * @param region the region, or empty
 * @param account the account part as written (12 digits, empty, or a wildcard in a pattern)
 * @param resource everything after the fifth colon
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html">IAM
 *     identifiers: ARNs</a>
 */
public record Arn(
    String partition, String service, String region, String account, String resource) {

  /** Validates that no part is null and the partition and service are not empty. */
  public Arn {
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(resource, "resource");
    if (partition.isEmpty() || service.isEmpty()) {
      throw new IllegalArgumentException(
          String.format(
              "arn [%s] needs a partition and a service",
              join(partition, service, region, account, resource)));
    }
  }

  /**
   * Parses {@code text} as an ARN.
   *
   * @throws IllegalArgumentException if {@code text} does not have the form {@code
   *     arn:partition:service:region:account:resource}
   */
  public static Arn parse(String text) {
    return tryParse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    String.format(
                        "[%s] is not an ARN; expected arn:partition:service:region:account:resource",
                        text)));
  }

  /** Parses {@code text} as an ARN, or returns empty when it is not one. */
  public static Optional<Arn> tryParse(String text) {
    Objects.requireNonNull(text, "text");
    if (!text.startsWith("arn:")) {
      return Optional.empty();
    }
    // The five colons after "arn", found by hand: String.split costs more than a whole policy
    // parse.
    int c1 = 3;
    int c2 = text.indexOf(':', c1 + 1);
    int c3 = c2 < 0 ? -1 : text.indexOf(':', c2 + 1);
    int c4 = c3 < 0 ? -1 : text.indexOf(':', c3 + 1);
    int c5 = c4 < 0 ? -1 : text.indexOf(':', c4 + 1);
    if (c5 < 0 || c2 == c1 + 1 || c3 == c2 + 1) {
      return Optional.empty();
    }
    return Optional.of(
        new Arn(
            text.substring(c1 + 1, c2),
            text.substring(c2 + 1, c3),
            text.substring(c3 + 1, c4),
            text.substring(c4 + 1, c5),
            text.substring(c5 + 1)));
  }

  /** Returns the account as an {@link AccountId} when it is twelve digits. */
  public Optional<AccountId> accountId() {
    return AccountId.isAccountId(account) ? Optional.of(new AccountId(account)) : Optional.empty();
  }

  /** Returns the resource type: the resource part up to the first {@code /} or {@code :}. */
  public String resourceType() {
    for (int i = 0; i < resource.length(); i++) {
      char c = resource.charAt(i);
      if (c == '/' || c == ':') {
        return resource.substring(0, i);
      }
    }
    return resource;
  }

  @Override
  public String toString() {
    return join(partition, service, region, account, resource);
  }

  private static String join(String p, String s, String r, String a, String res) {
    return "arn:" + p + ":" + s + ":" + r + ":" + a + ":" + res;
  }
}
