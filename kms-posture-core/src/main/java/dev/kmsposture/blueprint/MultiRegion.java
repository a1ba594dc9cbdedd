package dev.kmsposture.blueprint;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A blueprint's multi-Region choice: the Regions of the replicas and the written reason. A
 * multi-Region key shares its key material across Regions, which widens its blast radius and makes
 * revocation harder, so it is made only when asked and only with a reason; the reason is recorded
 * on the key as the justification tag the posture rules read ({@code MultiRegionJustification} by
 * default) and in the key's ADR.
 *
 * @param replicas the Regions of the replicas, such as {@code eu-west-1}; sorted, no duplicates
 * @param reason why the key must be multi-Region (at most 256 characters: it becomes a tag value)
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html">Multi-Region
 *     keys</a>
 */
public record MultiRegion(List<String> replicas, String reason) {
  // ReplicateKey's ReplicaRegion pattern (KMS API model).
  private static final Pattern REGION = Pattern.compile("([a-z]+-){2,3}\\d+");

  /**
   * Checks the Regions and the reason.
   *
   * @throws IllegalArgumentException if no replica is given, a Region is not a Region name, a
   *     Region is listed twice, or the reason is blank or too long for a tag value
   */
  public MultiRegion {
    Objects.requireNonNull(replicas, "replicas");
    Objects.requireNonNull(reason, "reason");
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException(
          "multiRegion has no replicas; list the Regions of the replicas, such as [eu-west-1]");
    }
    TreeSet<String> sorted = new TreeSet<>();
    for (String r : replicas) {
      Objects.requireNonNull(r, "replica Region");
      if (!REGION.matcher(r).matches()) {
        throw new IllegalArgumentException(
            String.format(
                "replica Region [%s] is not a Region name; expected e.g. eu-west-1 or"
                    + " ap-southeast-2",
                r));
      }
      if (!sorted.add(r)) {
        throw new IllegalArgumentException(
            String.format(
                "replica Region [%s] is listed twice; KMS allows one replica per Region", r));
      }
    }
    replicas = List.copyOf(sorted);
    if (reason.isBlank()) {
      throw new IllegalArgumentException(
          "multiRegion needs a reason; write why the key must be multi-Region (cross-Region"
              + " replication, failover, a global table), since a single-Region key has the"
              + " smaller blast radius");
    }
    Tags.checkValue("multiRegion.reason", reason);
  }

  /**
   * Returns a multi-Region choice with {@code replicas} and {@code reason}.
   *
   * @throws IllegalArgumentException as the constructor
   */
  public static MultiRegion of(List<String> replicas, String reason) {
    return new MultiRegion(replicas, reason);
  }
}
