package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.kmsposture.report.MarkdownReportWriter;
import dev.kmsposture.report.MarkdownSpool;
import dev.kmsposture.report.ReportFormat;
import dev.kmsposture.report.ReportWriter;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.PostureSummary;
import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.InventoryCoverage;
import dev.kmsposture.snapshot.KeyReference;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import dev.kmsposture.testkit.generators.KmsGenerators;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The reports {@code check} streams (the snapshot read key by key, findings spooled) are
 * byte-identical to those the writers make of a report held in memory ({@link PostureEngine#check}
 * then {@link ReportWriter#write(PostureReport)}), in all four formats: for the demo snapshot, the
 * demo snapshot with a resource inventory, and generated snapshots; and the Markdown spool gives
 * the same text however small its memory, so that its temporary files and their merges are used.
 */
class StreamedReportTest {
  private static final PostureEngine ENGINE =
      PostureEngine.builder().ruleSet(KmsPostureRules.all()).build();

  @TempDir Path dir;

  private static String demo() {
    try (InputStream in = StreamedReportTest.class.getResourceAsStream("/demo/snapshot.json")) {
      return new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Four resources: two name keys of the snapshot, one names an alias of no key, one no key. */
  static ResourceInventory inventory(AccountSnapshot s) {
    String k0 = s.keys().get(0).arn();
    String k1 = s.keys().get(1).arn();
    return ResourceInventory.of(
        List.of("s3", "sqs", "secretsmanager", "sns"),
        List.of(
            InventoryCoverage.complete("s3", "us-east-1"),
            InventoryCoverage.complete("sqs", "us-east-1"),
            InventoryCoverage.complete("secretsmanager", "us-east-1"),
            new InventoryCoverage("sns", "us-east-1", "ListTopics: AccessDeniedException")),
        List.of(
            ResourceSnapshot.builder("arn:aws:s3:::orders-data", "s3", "bucket", "us-east-1")
                .encryption("aws:kms", ResourceProtection.CUSTOMER_MANAGED_KEY)
                .key(KeyReference.resolved("alias/orders", k0, "S3 resolves an alias name"))
                .tags(Map.of("DataClassification", "confidential"))
                .build(),
            ResourceSnapshot.builder("arn:aws:s3:::exports_*`x", "s3", "bucket", "us-east-1")
                .encryption("aws:kms", ResourceProtection.CUSTOMER_MANAGED_KEY)
                .key(KeyReference.resolved(k1, k1, "by ARN"))
                .tags(Map.of())
                .build(),
            ResourceSnapshot.builder(
                    "arn:aws:sqs:us-east-1:111122223333:orders", "sqs", "queue", "us-east-1")
                .encryption("SSE-SQS", ResourceProtection.AWS_OWNED_KEY)
                .tags(Map.of())
                .build(),
            ResourceSnapshot.builder(
                    "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf",
                    "secretsmanager",
                    "secret",
                    "us-east-1")
                .encryption("aws/secretsmanager", ResourceProtection.KMS_KEY)
                .key(KeyReference.unresolvable("alias/aws/secretsmanager", "no key yet"))
                .build()));
  }

  // The report of the snapshot held in memory, as the writers made it before reports streamed.
  private static String inMemory(AccountSnapshot s, ReportFormat format, String source) {
    PostureReport report = ENGINE.check(s, source);
    ReportWriter w = format.writer();
    if (format == ReportFormat.MARKDOWN && s.inventory() != null) {
      w = new MarkdownReportWriter().withInventory(Objects.requireNonNull(s.inventory()));
    }
    return w.write(report);
  }

  private String checked(Path snapshot, ReportFormat format) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new CheckCommand(CheckCommand::builtInRules, () -> false));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(snapshot.toString(), "--format", format.name());
    assertThat(code).as(err.toString()).isIn(ExitCode.OK, ExitCode.FINDINGS);
    return out.toString();
  }

  private void assertStreamedEqualsInMemory(AccountSnapshot s, String name) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, s.toJson());
    for (ReportFormat format : ReportFormat.values()) {
      assertThat(checked(file, format))
          .as(name + " " + format)
          .isEqualTo(inMemory(s, format, file.toString()));
    }
  }

  @Test
  void check_demoSnapshot_streamsTheReportsOfTheInMemoryWriters() throws IOException {
    assertStreamedEqualsInMemory(AccountSnapshot.parse(demo()), "demo.json");
  }

  @Test
  void check_demoSnapshotWithInventory_endsTheMarkdownWithItsResources() throws IOException {
    AccountSnapshot plain = AccountSnapshot.parse(demo());
    AccountSnapshot s = plain.withInventory(inventory(plain));

    assertStreamedEqualsInMemory(s, "inventory.json");
    String md = checked(dir.resolve("inventory.json"), ReportFormat.MARKDOWN);
    assertThat(md)
        .contains("\n\n## Resources per key\n\n")
        .contains("- `arn:aws:s3:::orders-data` (s3 bucket, us-east-1)")
        .endsWith("AWS_OWNED_KEY\n");
  }

  @Test
  void check_generatedSnapshot_streamsTheReportsOfTheInMemoryWriters() throws IOException {
    // the key shapes of the scale test: shared and public policies, prod and dev names
    Path file = dir.resolve("generated.json");
    CheckAtScaleTest.writeSnapshot(file, 400);
    AccountSnapshot s = AccountSnapshot.parse(Files.readString(file));
    for (ReportFormat format : ReportFormat.values()) {
      assertThat(checked(file, format))
          .as("generated " + format)
          .isEqualTo(inMemory(s, format, file.toString()));
    }
  }

  @Test
  void snapshotReader_version3WithoutInventory_handsOverEveryKeyInOrderFromItsTemporaryFile()
      throws IOException {
    // given: our writer's version 3 document without an inventory, whose keys wait for the end of
    // the document; main held them all in memory (a million-key snapshot died in -Xmx512m)
    Path file = dir.resolve("v1.json");
    CheckAtScaleTest.writeSnapshot(file, 700);
    AccountSnapshot whole = AccountSnapshot.parse(Files.readString(file));
    Path v3 = dir.resolve("v3.json");
    // the writer picks the lowest schema version a snapshot needs: mark this one version 3
    Files.writeString(
        v3, whole.toJson().replaceFirst("\"schemaVersion\" : [12],", "\"schemaVersion\" : 3,"));
    assertThat(Files.readString(v3)).contains("\"schemaVersion\" : 3").doesNotContain("inventory");
    List<KeySnapshot> handed = new java.util.ArrayList<>();

    // when
    try (InputStream in = Files.newInputStream(v3)) {
      dev.kmsposture.snapshot.SnapshotReader.create()
          .read(
              in,
              new dev.kmsposture.snapshot.SnapshotReader.KeyConsumer() {
                @Override
                public void start(AccountSnapshot header) {}

                @Override
                public void accept(KeySnapshot key) {
                  handed.add(key);
                }
              });
    }

    // then: the same keys, equal and in document order (most went through the temporary file)
    assertThat(handed).containsExactlyElementsOf(whole.keys());
    assertThat(checked(v3, ReportFormat.MARKDOWN))
        .isEqualTo(inMemory(whole, ReportFormat.MARKDOWN, v3.toString()));
  }

  private static boolean distinctArns(AccountSnapshot s) {
    Set<String> seen = new HashSet<>();
    for (KeySnapshot k : s.keys()) {
      if (!seen.add(k.arn())) {
        return false;
      }
    }
    return true;
  }

  @Test
  void markdownSpool_anyMemoryBound_writesTheInMemoryText() {
    AtomicInteger spilled = new AtomicInteger();
    AtomicInteger checkedAccounts = new AtomicInteger();
    qt().withFixedSeed(14_101L)
        .withExamples(60)
        .forAll(longs().all(), integers().between(1, 80))
        .checkAssert(
            (seed, maxInMemory) -> {
              AccountSnapshot s =
                  KmsGenerators.accountSnapshots().maxKeys(30).generate(new Random(seed), 100);
              if (!distinctArns(s)) {
                return;
              }
              checkedAccounts.incrementAndGet();
              String expected = new MarkdownReportWriter().write(ENGINE.check(s));
              StringWriter streamed = new StringWriter();
              try (MarkdownSpool spool = MarkdownSpool.create(dir, maxInMemory)) {
                PostureEngine.Session session = ENGINE.start(s, "", spool);
                for (KeySnapshot k : s.keys()) {
                  session.check(k);
                }
                PostureSummary summary = session.finish(s);
                new MarkdownReportWriter().write(summary, spool, streamed);
                if (s.keys().size() * 10 > maxInMemory) {
                  spilled.incrementAndGet();
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              assertThat(streamed.toString()).as("seed " + seed).isEqualTo(expected);
            });
    assertThat(checkedAccounts.get()).isGreaterThan(30);
    assertThat(spilled.get()).isGreaterThan(15);
  }

  @Test
  void markdownSpool_moreRunsThanItMergesAtOnce_keepsTheOrder() throws IOException {
    // 400 keys of about 30 findings, one key per run: more than MAX_FILES (64) runs, merged
    Path file = dir.resolve("runs.json");
    CheckAtScaleTest.writeSnapshot(file, 400);
    AccountSnapshot s = AccountSnapshot.parse(Files.readString(file));
    String expected = new MarkdownReportWriter().write(ENGINE.check(s));
    StringWriter streamed = new StringWriter();
    try (MarkdownSpool spool = MarkdownSpool.create(dir, 1)) {
      PostureEngine.Session session = ENGINE.start(s, "", spool);
      for (KeySnapshot k : s.keys()) {
        session.check(k);
      }
      new MarkdownReportWriter().write(session.finish(s), spool, streamed);
    }
    assertThat(streamed.toString()).isEqualTo(expected);
    try (var left = Files.list(dir)) {
      assertThat(left.filter(p -> p.getFileName().toString().startsWith("kms-posture-")))
          .as("temporary files are deleted")
          .isEmpty();
    }
  }
}
