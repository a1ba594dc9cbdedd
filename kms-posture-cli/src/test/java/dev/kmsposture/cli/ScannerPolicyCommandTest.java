package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ScannerPolicyCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl =
        KmsPosture.commandLine(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            new ByteArrayInputStream(new byte[0]),
            name -> null);
    List<String> all = new ArrayList<>(List.of("scanner-policy"));
    all.addAll(List.of(args));
    return cl.execute(all.toArray(new String[0]));
  }

  private List<String> actions() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(out.toString());
    List<String> actions = new ArrayList<>();
    for (JsonNode s : doc.get("Statement")) {
      assertThat(s.get("Effect").asText()).isEqualTo("Allow");
      s.get("Action").forEach(a -> actions.add(a.asText()));
    }
    return actions;
  }

  @Test
  void default_printsTheKmsReadsOnly() throws Exception {
    assertThat(run()).isEqualTo(ExitCode.OK);

    assertThat(actions())
        .contains("kms:ListKeys", "kms:GetKeyPolicy")
        .allMatch(a -> a.startsWith("kms:"));
  }

  @Test
  void resourcesAndCloudTrail_addTheirReads() throws Exception {
    assertThat(run("--resources", "--cloudtrail")).isEqualTo(ExitCode.OK);

    assertThat(actions())
        .contains(
            "s3:ListAllMyBuckets",
            "s3:GetEncryptionConfiguration",
            "s3:GetBucketTagging",
            "ec2:GetEbsDefaultKmsKeyId",
            "elasticfilesystem:DescribeFileSystems",
            "fsx:DescribeFileSystems",
            "dynamodb:DescribeTable",
            "cloudtrail:LookupEvents")
        .doesNotContain("sts:AssumeRole");
  }

  @Test
  void organization_assumesOnlyTheNamedRole() throws Exception {
    assertThat(run("--organization", "--role-name", "Audit")).isEqualTo(ExitCode.OK);

    assertThat(out.toString())
        .contains("\"arn:aws:iam::*:role/Audit\"")
        .contains("organizations:ListAccounts");
  }

  @Test
  void badRoleName_isAUsageErrorSayingWhatIsAccepted() {
    assertThat(run("--organization", "--role-name", "no spaces")).isEqualTo(ExitCode.BAD_INPUT);

    assertThat(err.toString()).contains("audit role [no spaces] is not an IAM role name");
  }
}
