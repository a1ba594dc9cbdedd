package dev.kmsposture.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Findings written to a spool file are read back equal, whatever names their key. */
class FindingCodecTest {
  private static final String ARN = "arn:aws:kms:us-east-1:111122223333:key/k1";

  @Test
  void subjectTheKeyArn_anAlias_orTheAccount_areReadBackEqual() throws IOException {
    List<Finding> findings =
        List.of(
            finding(ARN, new String(ARN.toCharArray())), // equal, not the same instance
            finding(ARN, "alias/app"),
            finding(null, "111122223333"),
            finding(null, ARN)); // an account-level finding named like a key
    FindingCodec codec = new FindingCodec();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      for (Finding f : findings) {
        codec.write(out, f);
      }
    }
    List<Finding> read = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      for (Finding f = codec.read(in); f != null; f = codec.read(in)) {
        read.add(f);
      }
    }
    assertThat(read).isEqualTo(findings);
    for (int i = 0; i < findings.size(); i++) {
      assertThat(read.get(i).subject()).isEqualTo(findings.get(i).subject());
      assertThat(read.get(i).keyArn()).isEqualTo(findings.get(i).keyArn());
    }
  }

  private static Finding finding(@Nullable String keyArn, String subject) {
    return Finding.builder()
        .ruleId(RuleId.of("RotationDisabled"))
        .severity(Severity.CRITICAL)
        .status(Status.FAIL)
        .keyArn(keyArn)
        .subject(subject)
        .message("Rotation is disabled")
        .remediation(new Remediation("Enable it.", "aws kms enable-key-rotation", "enable()"))
        .build();
  }
}
