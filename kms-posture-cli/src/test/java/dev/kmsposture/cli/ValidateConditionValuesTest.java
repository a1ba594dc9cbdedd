package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code validate} reports condition values that can never match, each with its JSON Pointer (on
 * main it accepted them all with exit 0).
 */
class ValidateConditionValuesTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int validate(String policy) {
    CommandLine cl =
        new CommandLine(
            new ValidateCommand(new ByteArrayInputStream(policy.getBytes(StandardCharsets.UTF_8))));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute("-");
  }

  private static String policy(String operator, String key, String value) {
    return "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\", \"Principal\":"
        + " \"*\", \"Action\": \"kms:*\", \"Resource\": \"*\", \"Condition\": {\""
        + operator
        + "\": {\""
        + key
        + "\": [\""
        + value
        + "\"]}}}]}";
  }

  @ParameterizedTest(name = "{0} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "NotIpAddress | aws:SourceIp | 999.1.1.1/33 | INVALID_CONDITION_VALUE | is not an IP address",
        "DateLessThan | aws:CurrentTime | yesterday | INVALID_CONDITION_VALUE | is not a date",
        "NumericLessThan | kms:ScheduleKeyDeletionPendingWindowInDays | thirty"
            + " | INVALID_CONDITION_VALUE | is not a number",
        "NumericLessThan | kms:ScheduleKeyDeletionPendingWindowInDays | NaN"
            + " | INVALID_CONDITION_VALUE | is not a number",
        "Bool | aws:SecureTransport | maybe | INVALID_CONDITION_VALUE | is not a boolean",
        "StringNotEquals | aws:PrincipalArn | arn:aws:iam::111122223333:user/${aws:username"
            + " | MALFORMED_POLICY_VARIABLE | is not closed"
      })
  void validate_conditionValueThatNeverMatches_isAnIssueWithItsPointer(
      String operator, String key, String value, String kind, String message) {
    int code = validate(policy(operator, key, value));

    assertThat(code).isEqualTo(ExitCode.FINDINGS);
    assertThat(out.toString())
        .contains(
            "CRITICAL "
                + kind
                + " at /Statement/0/Condition/"
                + operator
                + "/"
                + key
                + "/0: condition ["
                + operator
                + " "
                + key
                + "]: ")
        .contains(message);
    assertThat(err.toString()).isEmpty();
  }
}
