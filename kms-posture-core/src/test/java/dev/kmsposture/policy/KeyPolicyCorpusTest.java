package dev.kmsposture.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real-world key policies, written from the AWS documentation, under {@code
 * src/test/resources/corpus}: each parses, is already in canonical form, round-trips, converts to
 * the SDK model and back, and has exactly the expected validation issues.
 *
 * <p>Sources: the default key policy and the console's key administrator, key user and persistent
 * resource statements (KMS Developer Guide, "Default key policy"); the {@code aws/ebs} AWS managed
 * key policy (KMS Developer Guide, "AWS managed keys"); CloudWatch Logs (CloudWatch Logs User
 * Guide, "Encrypt log data in CloudWatch Logs using AWS KMS"); SNS topics that AWS services publish
 * to (SNS Developer Guide, "Enable compatibility between event sources from AWS services and
 * encrypted topics"); CloudTrail (CloudTrail User Guide, "Configure AWS KMS key policies for
 * CloudTrail"); cross-account use (KMS Developer Guide, "Allowing users in other accounts to use a
 * KMS key"); a deleted principal shown as its unique id (KMS Developer Guide, "Troubleshooting key
 * access").
 */
class KeyPolicyCorpusTest {

  /** Every corpus file with the issues we expect, as "KIND pointer". */
  private static final Map<String, List<String>> EXPECTED =
      Map.of(
          "default-key-policy.json", List.of(),
          "default-key-policy-aws-cn.json", List.of(),
          "console-default-key-policy.json", List.of(),
          "console-deleted-principal.json",
              List.of("ORPHANED_PRINCIPAL /Statement/1/Principal/AWS/1"),
          "aws-managed-ebs.json", List.of(),
          "cloudwatch-logs.json", List.of(),
          "sns-topic-for-aws-services.json", List.of(),
          "cloudtrail.json", List.of(),
          "cross-account.json", List.of());

  static Stream<String> files() {
    return EXPECTED.keySet().stream().sorted();
  }

  private static String read(String name) throws IOException {
    try (InputStream in = KeyPolicyCorpusTest.class.getResourceAsStream("/corpus/" + name)) {
      return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void corpus_everyFileHasExpectations() throws IOException, URISyntaxException {
    Path dir = Path.of(Objects.requireNonNull(getClass().getResource("/corpus")).toURI());
    try (Stream<Path> listed = Files.list(dir)) {
      assertThat(listed.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
    }
  }

  @ParameterizedTest
  @MethodSource("files")
  void parse_corpusPolicy_isCanonicalAndRoundTrips(String name) throws IOException {
    // given
    String text = read(name);

    // when
    KeyPolicy p = KeyPolicy.parse(text);

    // then
    assertThat(p.toJson()).isEqualTo(text);
    assertThat(KeyPolicy.parse(p.toCompactJson())).isEqualTo(p);
    assertThat(p.compactSize()).isLessThan(KeyPolicy.MAX_BYTES);
  }

  @ParameterizedTest
  @MethodSource("files")
  void validate_corpusPolicy_hasExpectedIssues(String name) throws IOException {
    List<PolicyIssue> issues = KeyPolicy.parse(read(name)).validate();

    assertThat(issues)
        .extracting(i -> i.kind() + " " + i.pointer())
        .containsExactlyElementsOf(EXPECTED.get(name));
  }

  @ParameterizedTest
  @MethodSource("files")
  void iamPolicy_corpusPolicy_convertsBothWaysWithoutChangingMeaning(String name)
      throws IOException {
    KeyPolicy p = KeyPolicy.parse(read(name));

    assertThat(KeyPolicy.from(p.iamPolicy()).isEquivalentTo(p)).isTrue();
  }

  @Test
  void awsManagedEbs_readsViaServiceAndCallerAccount() throws IOException {
    Statement s = KeyPolicy.parse(read("aws-managed-ebs.json")).statements().get(0);

    assertThat(s.principals()).containsExactly(Principal.aws("*"));
    assertThat(s.conditions())
        .extracting(c -> c.key().name() + "=" + c.valueTexts())
        .containsExactly(
            "kms:CallerAccount=[111122223333]", "kms:ViaService=[ec2.us-west-2.amazonaws.com]");
  }

  @Test
  void cloudWatchLogs_readsRegionalServicePrincipalAndArnLike() throws IOException {
    Statement s = KeyPolicy.parse(read("cloudwatch-logs.json")).statements().get(1);

    assertThat(s.principals()).containsExactly(Principal.service("logs.us-west-2.amazonaws.com"));
    assertThat(s.conditions().get(0).operator()).isEqualTo(ConditionOperator.ARN_LIKE);
    assertThat(s.conditions().get(0).key().name()).isEqualTo("kms:EncryptionContext:aws:logs:arn");
  }

  @Test
  void consolePolicy_persistentResourceStatementUsesStringTrue() throws IOException {
    KeyPolicy p = KeyPolicy.parse(read("console-default-key-policy.json"));

    assertThat(p.statement("Allow attachment of persistent resources").orElseThrow().conditions())
        .singleElement()
        .satisfies(c -> assertThat(c.values()).containsExactly(ConditionValue.of("true")));
  }

  @Test
  void crossAccount_principalsNameTheExternalAccount() throws IOException {
    Statement s = KeyPolicy.parse(read("cross-account.json")).statements().get(1);

    assertThat(s.principals())
        .map(x -> ((Principal.Aws) x).accountId().orElseThrow().value())
        .containsOnly("444455556666");
  }
}
