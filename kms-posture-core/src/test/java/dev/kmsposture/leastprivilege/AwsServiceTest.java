package dev.kmsposture.leastprivilege;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AwsServiceTest {

  @Test
  void viaServiceValue_s3_isServiceRegionAmazonawsCom() {
    assertThat(AwsService.S3.viaServiceValue("us-east-1")).isEqualTo("s3.us-east-1.amazonaws.com");
  }

  @Test
  void viaServiceValue_ebs_usesEc2Prefix() {
    assertThat(AwsService.EBS.viaServiceValue("eu-west-1"))
        .isEqualTo("ec2.eu-west-1.amazonaws.com");
  }

  @Test
  void viaServiceValue_chinaRegion_stillEndsInAmazonawsCom() {
    assertThat(AwsService.EFS.viaServiceValue("cn-north-1"))
        .isEqualTo("elasticfilesystem.cn-north-1.amazonaws.com");
  }

  @Test
  void viaServiceValue_govCloudRegion_isAccepted() {
    assertThat(AwsService.RDS.viaServiceValue("us-gov-west-1"))
        .isEqualTo("rds.us-gov-west-1.amazonaws.com");
  }

  @Test
  void viaServiceValue_badRegion_throwsWithMessage() {
    assertThatThrownBy(() -> AwsService.S3.viaServiceValue("US-EAST-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("region [US-EAST-1] is not valid; expected a region name such as us-east-1");
  }

  @Test
  void known_coversTheTenChecklistServices() {
    assertThat(AwsService.known())
        .extracting(AwsService::prefix)
        .containsExactly(
            "s3",
            "ec2",
            "rds",
            "secretsmanager",
            "logs",
            "sns",
            "sqs",
            "elasticfilesystem",
            "fsx",
            "dynamodb");
  }

  @Test
  void lookup_byPrefixOrShortName_findsTheService() {
    assertThat(AwsService.lookup("ebs")).contains(AwsService.EBS);
    assertThat(AwsService.lookup("ec2")).contains(AwsService.EBS);
    assertThat(AwsService.lookup("secrets-manager")).contains(AwsService.SECRETS_MANAGER);
    assertThat(AwsService.lookup("DynamoDB")).contains(AwsService.DYNAMODB);
    assertThat(AwsService.lookup("cloudwatch-logs")).contains(AwsService.CLOUDWATCH_LOGS);
  }

  @Test
  void lookup_unknown_isEmpty() {
    assertThat(AwsService.lookup("kinesis")).isEmpty();
  }

  @Test
  void of_badPrefix_throwsWithMessage() {
    assertThatThrownBy(() -> AwsService.of("S3", "S3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "service prefix [S3] is not valid; expected lower-case letters, digits and dashes,"
                + " such as s3 or secretsmanager");
  }

  @Test
  void of_badName_throwsWithMessage() {
    assertThatThrownBy(() -> AwsService.of("kinesis", "kinesis stream"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "service name [kinesis stream] is not valid; expected UpperCamelCase letters and"
                + " digits, such as SecretsManager");
  }
}
