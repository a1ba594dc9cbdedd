package dev.kmsposture.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudTrailLogFilesTest {
  @TempDir Path dir;

  private static String records(String... names) {
    StringBuilder sb = new StringBuilder("{\"Records\":[");
    for (int i = 0; i < names.length; i++) {
      sb.append(i == 0 ? "" : ",")
          .append("{\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"")
          .append(names[i])
          .append("\",\"nested\":{\"a\":[1,2,{\"b\":null}]}}");
    }
    return sb.append("]}").toString();
  }

  private void gz(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void read_gzAndJsonFiles_passesEveryRecordAndSkipsDigestAndInsight() throws IOException {
    // given: the layout of a synced trail bucket
    Path logs = dir.resolve("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01");
    gz(
        logs.resolve("111122223333_CloudTrail_us-east-1_20261101T0000Z_a.json.gz"),
        records("Decrypt", "Encrypt"));
    Files.writeString(logs.resolve("b.json"), records("DisableKey"));
    gz(
        dir.resolve("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/01/d.json.gz"),
        "{\"awsAccountId\":\"111122223333\",\"logFiles\":[]}");
    gz(
        dir.resolve("AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/11/01/i.json.gz"),
        records("Insight"));
    Files.writeString(logs.resolve("notes.txt"), "not a log");
    List<String> names = new ArrayList<>();

    // when
    CloudTrailLogFiles.Summary summary =
        CloudTrailLogFiles.read(dir, (JsonNode r) -> names.add(r.get("eventName").asText()));

    // then
    assertThat(summary.files()).isEqualTo(2);
    assertThat(summary.records()).isEqualTo(3);
    assertThat(summary.problems()).isEmpty();
    assertThat(names).containsExactly("Decrypt", "Encrypt", "DisableKey");
  }

  @Test
  void read_brokenFiles_areReportedWithTheirPathAndTheOthersRead() throws IOException {
    Files.writeString(dir.resolve("a.json"), records("Decrypt"));
    Files.writeString(dir.resolve("b.json"), "{\"other\":1}");
    Files.write(dir.resolve("c.json.gz"), new byte[] {1, 2, 3});
    Files.writeString(dir.resolve("d.json"), "[1,2]");
    List<String> names = new ArrayList<>();

    CloudTrailLogFiles.Summary summary =
        CloudTrailLogFiles.read(dir, r -> names.add(r.get("eventName").asText()));

    assertThat(names).containsExactly("Decrypt");
    assertThat(summary.problems())
        .hasSize(3)
        .anySatisfy(p -> assertThat(p).startsWith("[b.json]: ").contains("no \"Records\" array"))
        .anySatisfy(p -> assertThat(p).startsWith("[c.json.gz]: "))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("[d.json]: ")
                    .contains("does not start with a JSON object"));
  }

  @Test
  void read_notADirectory_isRejectedSayingWhatToPass() throws IOException {
    Path file = Files.writeString(dir.resolve("x.json"), "{}");

    assertThatThrownBy(() -> CloudTrailLogFiles.read(file, r -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "is not a directory; pass the directory the trail's S3 bucket was synced to");
  }

  @Test
  void read_largeFile_streamsOneRecordAtATime() throws IOException {
    // 200,000 records (about 20 MB uncompressed) pass through a sink that keeps none of them
    Path file = dir.resolve("big.json.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write("{\"Records\":[".getBytes(StandardCharsets.UTF_8));
      byte[] one =
          "{\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"Decrypt\",\"padding\":\"0123456789012345678901234567890123456789012345678901234567890123\"}"
              .getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 200_000; i++) {
        if (i > 0) {
          out.write(',');
        }
        out.write(one);
      }
      out.write("]}".getBytes(StandardCharsets.UTF_8));
    }
    long[] count = new long[1];

    CloudTrailLogFiles.Summary summary = CloudTrailLogFiles.read(dir, r -> count[0]++);

    assertThat(summary.records()).isEqualTo(200_000);
    assertThat(count[0]).isEqualTo(200_000);
  }
}
