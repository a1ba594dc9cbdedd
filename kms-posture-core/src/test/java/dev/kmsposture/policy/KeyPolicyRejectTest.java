package dev.kmsposture.policy;

import static dev.kmsposture.policy.PolicyTexts.allow;
import static dev.kmsposture.policy.PolicyTexts.policy;
import static dev.kmsposture.policy.PolicyTexts.withPrincipal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every reject path: the exception carries the JSON Pointer and says what was expected. */
class KeyPolicyRejectTest {

  private static ThrowableAssert.ThrowingCallable parsing(String json) {
    return () -> KeyPolicy.parse(json);
  }

  private static void assertRejected(String json, String pointer, String message) {
    assertThatThrownBy(parsing(json))
        .isInstanceOf(PolicyParseException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((PolicyParseException) e).pointer()).isEqualTo(pointer));
  }

  // --- malformed JSON

  @Test
  void parse_unclosedArray_rejectedAsMalformed() {
    assertRejected("{\"Statement\": [", "/Statement", "malformed JSON: Unexpected end-of-input");
  }

  @Test
  void parse_trailingComma_rejectedWithLocation() {
    assertRejected(
        policy("{\"Effect\": \"Allow\",}"),
        "/Statement/0/Effect",
        "was expecting double-quote to start field name (line 1, column");
  }

  @Test
  void parse_jsonComment_rejected() {
    assertRejected("{/* c */\"Statement\": []}", "", "malformed JSON: Unexpected character ('/'");
  }

  @Test
  void parse_nonStandardNumber_rejected() {
    assertRejected(
        policy(allow("\"Condition\": {\"NumericLessThan\": {\"a\": NaN}}")),
        "/Statement/0/Condition/NumericLessThan/a",
        "Non-standard token 'NaN'");
  }

  @Test
  void parse_trailingContent_rejected() {
    assertRejected(
        policy(allow("")) + " {}", "", "unexpected content after the end of the document");
  }

  @Test
  void parse_emptyDocument_rejected() {
    assertRejected(" \n", "", "the document is empty; expected a JSON object");
  }

  @Test
  void parse_documentNotAnObject_rejected() {
    assertRejected("[]", "", "the document is an array; a key policy is a JSON object");
  }

  @Test
  void parse_nestingTooDeep_rejectedWithPointer() {
    String deep = "[".repeat(70) + "]".repeat(70);

    assertRejected(
        policy(allow("\"Condition\": {\"StringEquals\": {\"a\": " + deep + "}}")),
        "/Statement/0/Condition/StringEquals/a" + "/0".repeat(60),
        "the document nests deeper than 64 levels");
  }

  @Test
  void parse_startMarkerMessage_hasNoSourceDescription() {
    assertThatThrownBy(parsing("{\"Statement\": [")).hasMessageNotContaining("Source:");
  }

  // --- duplicate keys

  @Test
  void parse_duplicateTopLevelKey_rejected() {
    assertRejected(
        "{\"Version\": \"2012-10-17\", \"Version\": \"2012-10-17\", \"Statement\": []}",
        "/Version",
        "duplicate key \"Version\" at line 1, column 27; each key may appear once in an object");
  }

  @Test
  void parse_duplicateStatementKey_rejected() {
    assertRejected(
        policy("{\"Effect\": \"Allow\", \"Effect\": \"Deny\"}"),
        "/Statement/0/Effect",
        "duplicate key \"Effect\"");
  }

  @Test
  void parse_duplicatePrincipalType_rejected() {
    assertRejected(
        policy(withPrincipal("\"Principal\": {\"AWS\": \"*\", \"AWS\": \"111122223333\"}")),
        "/Statement/0/Principal/AWS",
        "duplicate key \"AWS\"");
  }

  @Test
  void parse_duplicateOperator_rejected() {
    assertRejected(
        policy(
            allow(
                "\"Condition\": {\"StringEquals\": {\"a\": \"1\"}, \"StringEquals\": {\"b\": \"2\"}}")),
        "/Statement/0/Condition/StringEquals",
        "duplicate key \"StringEquals\"");
  }

  @Test
  void parse_duplicateConditionKey_rejectedWithEscapedPointer() {
    assertRejected(
        policy(
            allow(
                "\"Condition\": {\"StringEquals\": {\"aws:ResourceTag/a\": \"1\","
                    + " \"aws:ResourceTag/a\": \"2\"}}")),
        "/Statement/0/Condition/StringEquals/aws:ResourceTag~1a",
        "duplicate key \"aws:ResourceTag/a\"");
  }

  // --- size

  /** A valid policy of exactly {@code bytes} UTF-8 bytes, padded with {@code filler} in a Sid. */
  private static String policyOfBytes(int bytes, String filler) {
    String prefix =
        "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\":"
            + " \"*\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\", \"Sid\": \"";
    String suffix = "\"}}";
    int fillerBytes = filler.getBytes(StandardCharsets.UTF_8).length;
    int room = bytes - prefix.length() - suffix.length();
    String doc =
        prefix + filler.repeat(room / fillerBytes) + "x".repeat(room % fillerBytes) + suffix;
    assertThat(doc.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
    return doc;
  }

  @Test
  void parse_exactly32768Bytes_accepted() {
    assertThat(KeyPolicy.parse(policyOfBytes(32_768, "a")).statements()).hasSize(1);
  }

  @Test
  void parse_32769Bytes_rejected() {
    assertRejected(
        policyOfBytes(32_769, "a"),
        "",
        "the document is 32769 bytes (UTF-8); KMS accepts key policies of at most 32768 bytes");
  }

  @Test
  void parse_exactly32768BytesWithTwoByteCharacters_accepted() {
    String doc = policyOfBytes(32_768, "é");

    assertThat(doc.length()).isLessThan(20_000);
    assertThat(KeyPolicy.parse(doc).statements().get(0).sid()).startsWith("éé");
  }

  @Test
  void parse_twoByteCharactersOverLimit_rejectedCountingUtf8() {
    String doc = policyOfBytes(32_770, "é");

    assertThat(doc.length()).isLessThan(32_768);
    assertRejected(doc, "", "the document is 32770 bytes (UTF-8)");
  }

  // --- characters

  @ParameterizedTest
  @ValueSource(strings = {"\u4e2d", "\u0100", "\u2028", "\u0001", "\u007f\u0000", "\uFEFF"})
  void parse_rawCharacterOutsideKmsRange_rejected(String bad) {
    String doc = policy(allow("\"Sid\": \"x" + bad + "\""));
    int cp = bad.codePointAt(bad.length() - 1);

    assertRejected(
        doc,
        "",
        String.format(
            "character U+%04X at line 1, column %d is not allowed; KMS accepts only tab, LF, CR and"
                + " U+0020 to U+00FF in the policy text (write other characters as \\uXXXX escapes"
                + " inside strings)",
            cp, doc.indexOf(bad) + bad.length()));
  }

  @Test
  void parse_rawCharacterOnLaterLine_reportsLineAndColumn() {
    assertRejected(
        "{\n  \"Statement\": \"\u4e2d\"\n}", "", "character U+4E2D at line 2, column 17");
  }

  @Test
  void parse_escapedCharacterOutsideRange_acceptedDecodedAndWrittenEscaped() {
    // given
    String doc = policy(allow("\"Sid\": \"key \\u4e2d\""));

    // when
    KeyPolicy p = KeyPolicy.parse(doc);

    // then
    assertThat(p.statements().get(0).sid()).isEqualTo("key \u4e2d");
    assertThat(p.toJson()).contains("\"Sid\": \"key \\u4e2d\"");
    assertThat(KeyPolicy.parse(p.toJson())).isEqualTo(p);
  }

  // --- Version, Statement, unknown elements

  @ParameterizedTest
  @ValueSource(strings = {"2012-10-18", "2012-10-17 ", "", "2024-01-01"})
  void parse_otherVersion_rejected(String version) {
    assertRejected(
        "{\"Version\": \"" + version + "\", \"Statement\": [" + allow("") + "]}",
        "/Version",
        "Version [" + version + "] is not accepted; expected \"2012-10-17\" or \"2008-10-17\"");
  }

  @Test
  void parse_versionNotAString_rejected() {
    assertRejected(
        "{\"Version\": 2012, \"Statement\": [" + allow("") + "]}",
        "/Version",
        "Version is a number; expected a string");
  }

  @Test
  void parse_missingStatement_rejected() {
    assertRejected(
        "{\"Version\": \"2012-10-17\"}",
        "",
        "the policy has no Statement element; a key policy needs at least one statement");
  }

  @Test
  void parse_emptyStatementArray_rejected() {
    assertRejected(
        "{\"Version\": \"2012-10-17\", \"Statement\": []}",
        "/Statement",
        "Statement is empty; a key policy needs at least one statement");
  }

  @Test
  void parse_statementString_rejected() {
    assertRejected(
        "{\"Statement\": \"Allow\"}",
        "/Statement",
        "Statement is a string; expected an object or an array of objects");
  }

  @Test
  void parse_statementItemNotObject_rejected() {
    assertRejected(
        policy(allow(""), "[]"), "/Statement/1", "a statement is an array; expected a JSON object");
  }

  @Test
  void parse_unknownTopLevelElement_rejected() {
    assertRejected(
        "{\"Version\": \"2012-10-17\", \"statement\": []}",
        "/statement",
        "unknown element [statement] in the policy; expected Version, Id and Statement (element"
            + " names are case-sensitive)");
  }

  @Test
  void parse_unknownStatementElement_rejected() {
    assertRejected(
        policy(allow("\"Principals\": \"*\"")),
        "/Statement/0/Principals",
        "unknown element [Principals] in a statement; expected Sid, Effect, Principal or"
            + " NotPrincipal");
  }

  @Test
  void parse_sidNotAString_rejected() {
    assertRejected(
        policy(allow("\"Sid\": 1")), "/Statement/0/Sid", "Sid is a number; expected a string");
  }

  // --- Effect

  @Test
  void parse_missingEffect_rejected() {
    assertRejected(
        policy("{\"Principal\": \"*\", \"Action\": \"kms:*\", \"Resource\": \"*\"}"),
        "/Statement/0",
        "the statement has no Effect; expected \"Allow\" or \"Deny\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Maybe", "allow", "DENY", ""})
  void parse_otherEffect_rejected(String effect) {
    assertRejected(
        policy(
            "{\"Effect\": \""
                + effect
                + "\", \"Principal\": \"*\", \"Action\": \"kms:*\", \"Resource\": \"*\"}"),
        "/Statement/0/Effect",
        "Effect [" + effect + "] is not valid; expected \"Allow\" or \"Deny\"");
  }

  @Test
  void parse_effectNotAString_rejected() {
    assertRejected(
        policy("{\"Effect\": true, \"Principal\": \"*\"}"),
        "/Statement/0/Effect",
        "Effect is a boolean; expected a string");
  }

  // --- Principal

  @Test
  void parse_missingPrincipal_rejected() {
    assertRejected(
        policy("{\"Effect\": \"Allow\", \"Action\": \"kms:*\", \"Resource\": \"*\"}"),
        "/Statement/0",
        "the statement has no Principal or NotPrincipal; every statement in a key policy must name"
            + " at least one principal");
  }

  @Test
  void parse_emptyPrincipalObject_rejected() {
    assertRejected(
        policy(withPrincipal("\"Principal\": {}")),
        "/Statement/0/Principal",
        "Principal is empty; name at least one principal");
  }

  @Test
  void parse_emptyPrincipalArray_rejected() {
    assertRejected(
        policy(withPrincipal("\"Principal\": []")),
        "/Statement/0/Principal",
        "Principal is an empty array; name at least one principal");
  }

  @Test
  void parse_emptyPrincipalString_rejected() {
    assertRejected(
        policy(withPrincipal("\"NotPrincipal\": \"\"")),
        "/Statement/0/NotPrincipal",
        "NotPrincipal is an empty string; name at least one principal");
  }

  @Test
  void parse_emptyAwsPrincipalList_rejected() {
    assertRejected(
        policy(withPrincipal("\"Principal\": {\"AWS\": []}")),
        "/Statement/0/Principal/AWS",
        "the AWS principal list is empty; name at least one principal");
  }

  @Test
  void parse_emptyAwsPrincipalValue_rejected() {
    assertRejected(
        policy(withPrincipal("\"Principal\": {\"AWS\": [\"111122223333\", \"\"]}")),
        "/Statement/0/Principal/AWS/1",
        "a AWS principal is an empty string; expected an ARN, account id or *");
  }

  @Test
  void parse_barePrincipalString_rejected() {
    assertRejected(
        policy(withPrincipal("\"Principal\": \"111122223333\"")),
        "/Statement/0/Principal",
        "Principal [111122223333] is a bare string; only \"*\" may be written that way, other"
            + " principals go in an object such as {\"AWS\": \"111122223333\"}");
  }

  @Test
  void parse_principalArrayOfStrings_rejected() {
    assertRejected(
        policy(withPrincipal("\"Principal\": [\"*\"]")),
        "/Statement/0/Principal",
        "Principal is an array; expected \"*\" or an object");
  }

  @Test
  void parse_unknownPrincipalType_rejected() {
    assertRejected(
        policy(withPrincipal("\"Principal\": {\"aws\": \"*\"}")),
        "/Statement/0/Principal/aws",
        "unknown principal type [aws]; expected AWS, Service, Federated or CanonicalUser");
  }

  @Test
  void parse_principalValueNotString_rejected() {
    assertRejected(
        policy(withPrincipal("\"Principal\": {\"AWS\": [111122223333]}")),
        "/Statement/0/Principal/AWS/0",
        "a AWS principal is a number; expected a string");
  }

  // --- both X and NotX

  @Test
  void parse_principalAndNotPrincipal_rejected() {
    assertRejected(
        policy(allow("\"NotPrincipal\": {\"AWS\": \"111122223333\"}")),
        "/Statement/0/NotPrincipal",
        "the statement has both Principal and NotPrincipal; a statement may have only one of them");
  }

  @Test
  void parse_actionAndNotAction_rejected() {
    assertRejected(
        policy(allow("\"NotAction\": \"kms:Encrypt\"")),
        "/Statement/0/NotAction",
        "the statement has both Action and NotAction; a statement may have only one of them");
  }

  @Test
  void parse_resourceAndNotResource_rejected() {
    assertRejected(
        policy(allow("\"NotResource\": \"*\"")),
        "/Statement/0/NotResource",
        "the statement has both Resource and NotResource; a statement may have only one of them");
  }

  // --- Action and Resource values

  @Test
  void parse_emptyActionString_rejected() {
    assertRejected(
        policy(
            "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": [\"kms:Decrypt\", \"\"]}"),
        "/Statement/0/Action/1",
        "Action holds an empty string");
  }

  @Test
  void parse_actionNotStringOrArray_rejected() {
    assertRejected(
        policy("{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": {}}"),
        "/Statement/0/Action",
        "Action is an object; expected a string or an array of strings");
  }

  @Test
  void parse_resourceItemNotString_rejected() {
    assertRejected(
        policy("{\"Effect\": \"Allow\", \"Principal\": \"*\", \"NotResource\": [null]}"),
        "/Statement/0/NotResource/0",
        "an item of NotResource is null; expected a string");
  }

  // --- Condition

  @Test
  void parse_sameConditionKeyDifferentCase_rejected() {
    assertRejected(
        policy(
            allow(
                "\"Condition\": {\"StringEquals\": {\"kms:ViaService\": \"a\", \"KMS:viaservice\":"
                    + " \"b\"}}")),
        "/Statement/0/Condition/StringEquals/KMS:viaservice",
        "condition key [KMS:viaservice] repeats [kms:ViaService] under operator [StringEquals];"
            + " condition keys are case-insensitive");
  }

  @Test
  void parse_conditionNotAnObject_rejected() {
    assertRejected(
        policy(allow("\"Condition\": [\"StringEquals\"]")),
        "/Statement/0/Condition",
        "Condition is an array; expected an object of operators");
  }

  @Test
  void parse_operatorBlockNotAnObject_rejected() {
    assertRejected(
        policy(allow("\"Condition\": {\"StringEquals\": \"kms:ViaService\"}")),
        "/Statement/0/Condition/StringEquals",
        "the block of operator [StringEquals] is a string; expected an object of condition keys");
  }

  @Test
  void parse_conditionValueNull_rejected() {
    assertRejected(
        policy(allow("\"Condition\": {\"StringEquals\": {\"kms:ViaService\": null}}")),
        "/Statement/0/Condition/StringEquals/kms:ViaService",
        "a condition value is null; expected a string, number or boolean, or an array of them");
  }

  @Test
  void parse_conditionValueObject_rejected() {
    assertRejected(
        policy(allow("\"Condition\": {\"StringEquals\": {\"kms:ViaService\": [\"a\", {}]}}")),
        "/Statement/0/Condition/StringEquals/kms:ViaService/1",
        "a condition value is an object; expected a string, number or boolean");
  }

  @Test
  void parse_emptyOperatorName_rejected() {
    assertRejected(
        policy(allow("\"Condition\": {\"\": {\"a\": \"1\"}}")),
        "/Statement/0/Condition/",
        "a condition operator is an empty string");
  }

  @Test
  void parse_emptyConditionKey_rejected() {
    assertRejected(
        policy(allow("\"Condition\": {\"StringEquals\": {\"\": \"1\"}}")),
        "/Statement/0/Condition/StringEquals/",
        "a condition key is an empty string");
  }

  @Test
  void parseException_message_startsWithPointer() {
    assertThatThrownBy(parsing("[]"))
        .hasMessage(
            "invalid key policy at [/]: the document is an array; a key policy is a JSON object")
        .satisfies(
            e ->
                assertThat(((PolicyParseException) e).problem())
                    .isEqualTo("the document is an array; a key policy is a JSON object"));
  }
}
