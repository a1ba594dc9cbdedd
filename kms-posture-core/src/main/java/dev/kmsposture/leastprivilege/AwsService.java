package dev.kmsposture.leastprivilege;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An AWS service that uses KMS keys on a principal's behalf, and the {@code kms:ViaService} value
 * it sends: {@code <prefix>.<region>.amazonaws.com}.
 *
 * <p>The value ends in {@code .amazonaws.com} in every partition, China included (KMS Developer
 * Guide, "kms:ViaService"). The constants cover the services the KMS checklist names; {@link
 * #of(String, String)} makes any other integrated service.
 *
 * @param prefix the service prefix of the ViaService value, such as {@code s3} or {@code ec2}
 * @param name a short name in UpperCamelCase, used in statement Sids ({@code KeyUsersViaS3})
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service">kms:ViaService</a>
 */
public record AwsService(String prefix, String name) {
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9-]*");
  private static final Pattern NAME = Pattern.compile("[A-Z][A-Za-z0-9]*");
  private static final Pattern REGION = Pattern.compile("([a-z]+-){2,3}\\d+");

  /** Amazon S3: {@code s3.REGION.amazonaws.com}. */
  public static final AwsService S3 = new AwsService("s3", "S3");

  /** Amazon EBS, through EC2: {@code ec2.REGION.amazonaws.com} (KMS calls made for EBS). */
  public static final AwsService EBS = new AwsService("ec2", "Ebs");

  /** Amazon RDS, Aurora and Neptune: {@code rds.REGION.amazonaws.com}. */
  public static final AwsService RDS = new AwsService("rds", "Rds");

  /** AWS Secrets Manager: {@code secretsmanager.REGION.amazonaws.com}. */
  public static final AwsService SECRETS_MANAGER =
      new AwsService("secretsmanager", "SecretsManager");

  /**
   * Amazon CloudWatch Logs for roles that call Logs: {@code logs.REGION.amazonaws.com}. Log-group
   * encryption itself authorises the Logs service principal instead; see {@link
   * KeyPolicyBuilder#addCloudWatchLogs(String, String...)}.
   */
  public static final AwsService CLOUDWATCH_LOGS = new AwsService("logs", "CloudWatchLogs");

  /** Amazon SNS: {@code sns.REGION.amazonaws.com}. */
  public static final AwsService SNS = new AwsService("sns", "Sns");

  /** Amazon SQS: {@code sqs.REGION.amazonaws.com}. */
  public static final AwsService SQS = new AwsService("sqs", "Sqs");

  /** Amazon EFS: {@code elasticfilesystem.REGION.amazonaws.com}. */
  public static final AwsService EFS = new AwsService("elasticfilesystem", "Efs");

  /** Amazon FSx: {@code fsx.REGION.amazonaws.com}. */
  public static final AwsService FSX = new AwsService("fsx", "Fsx");

  /** Amazon DynamoDB: {@code dynamodb.REGION.amazonaws.com}. */
  public static final AwsService DYNAMODB = new AwsService("dynamodb", "DynamoDb");

  private static final List<AwsService> KNOWN =
      List.of(S3, EBS, RDS, SECRETS_MANAGER, CLOUDWATCH_LOGS, SNS, SQS, EFS, FSX, DYNAMODB);

  /**
   * Validates the prefix and name.
   *
   * @throws IllegalArgumentException if the prefix is not lower-case letters, digits and dashes, or
   *     the name is not UpperCamelCase letters and digits
   */
  public AwsService {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(name, "name");
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          String.format(
              "service prefix [%s] is not valid; expected lower-case letters, digits and dashes,"
                  + " such as s3 or secretsmanager",
              prefix));
    }
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          String.format(
              "service name [%s] is not valid; expected UpperCamelCase letters and digits, such"
                  + " as SecretsManager",
              name));
    }
  }

  /**
   * Returns the service with ViaService prefix {@code prefix}, named {@code name} in Sids.
   *
   * @throws IllegalArgumentException if either is not valid
   */
  public static AwsService of(String prefix, String name) {
    return new AwsService(prefix, name);
  }

  /** Returns the services the KMS checklist names, in a fixed order. */
  public static List<AwsService> known() {
    return KNOWN;
  }

  /**
   * Looks a known service up by its prefix ({@code s3}, {@code ec2}, {@code elasticfilesystem}) or
   * a common short name ({@code ebs}, {@code efs}, {@code secrets-manager}, {@code
   * cloudwatch-logs}), ignoring letter case.
   */
  public static Optional<AwsService> lookup(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.toLowerCase(Locale.ROOT).replace("_", "-");
    for (AwsService s : KNOWN) {
      String name = s.name.toLowerCase(Locale.ROOT);
      if (t.equals(s.prefix) || t.equals(name) || t.replace("-", "").equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the {@code kms:ViaService} value for {@code region}, such as {@code
   * s3.us-east-1.amazonaws.com}.
   *
   * @throws IllegalArgumentException if {@code region} is not a region name such as {@code
   *     us-east-1}
   */
  public String viaServiceValue(String region) {
    checkRegion(region);
    return prefix + "." + region + ".amazonaws.com";
  }

  static String checkRegion(String region) {
    Objects.requireNonNull(region, "region");
    if (!REGION.matcher(region).matches()) {
      throw new IllegalArgumentException(
          String.format(
              "region [%s] is not valid; expected a region name such as us-east-1", region));
    }
    return region;
  }

  @Override
  public String toString() {
    return name;
  }
}
