package dev.kmsposture.aws.provision;

import java.util.List;
import java.util.Objects;

/**
 * How to move one resource's data from the key it uses now (typically an AWS managed {@code
 * aws/<service>} key) to a customer managed key made from a blueprint: printed steps in the
 * service's own re-encryption path, and an ADR stub to record the decision. A plan only: nothing is
 * called and no data is copied ({@link Remediator#planMigration}).
 *
 * @param resourceArn the resource
 * @param service the inventory's service name ({@code s3}, {@code ebs}, …)
 * @param currentKey the key as the resource names it now (as written), or a description when it
 *     names none
 * @param targetAlias the alias of the customer managed key to create (the blueprint's)
 * @param inPlace whether the service changes the key of the resource itself; false where a new
 *     resource must be made and the data copied (EBS volumes, RDS, EFS, FSx)
 * @param steps the steps, in order, each a sentence with the AWS CLI command where there is one
 * @param caveats what the move does not change (old data keeping its old key, …)
 * @param adr the ADR stub (Markdown), status "proposed"
 */
public record MigrationPlan(
    String resourceArn,
    String service,
    String currentKey,
    String targetAlias,
    boolean inPlace,
    List<String> steps,
    List<String> caveats,
    String adr) {
  /** Copies the lists. */
  public MigrationPlan {
    Objects.requireNonNull(resourceArn, "resourceArn");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(currentKey, "currentKey");
    Objects.requireNonNull(targetAlias, "targetAlias");
    Objects.requireNonNull(adr, "adr");
    steps = List.copyOf(steps);
    caveats = List.copyOf(caveats);
  }

  /** The steps and caveats as printed text, one numbered step a line. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append("Migration plan for ")
        .append(resourceArn)
        .append(": from ")
        .append(currentKey)
        .append(" to ")
        .append(targetAlias)
        .append(inPlace ? " (in place)" : " (a new resource and a copy)")
        .append('\n');
    for (int i = 0; i < steps.size(); i++) {
      b.append("  ").append(i + 1).append(". ").append(steps.get(i)).append('\n');
    }
    for (String c : caveats) {
      b.append("  note: ").append(c).append('\n');
    }
    return b.toString();
  }
}
