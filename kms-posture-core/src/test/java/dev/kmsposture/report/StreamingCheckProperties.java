package dev.kmsposture.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.kmsposture.rules.Baseline;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.PostureResults;
import dev.kmsposture.rules.PostureSummary;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Status;
import dev.kmsposture.rules.Suppression;
import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.SnapshotReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming check — the snapshot read key by key ({@link SnapshotReader}), each key judged as it
 * arrives ({@link PostureEngine#start}), findings put in order by a {@link FindingSpool} that
 * spills to files — writes exactly the bytes the in-memory check writes, in every format.
 */
class StreamingCheckProperties {
  private static final List<ReportWriter> WRITERS =
      List.of(
          new JsonReportWriter(),
          new SarifReportWriter(),
          new MarkdownReportWriter(),
          new AsffReportWriter());

  private static final List<Status> STATUSES = List.of(Status.values());

  @TempDir Path dir;

  @Test
  void streamingCheck_anySnapshotAndSpillSize_writesTheSameBytesAsTheInMemoryCheck() {
    Map<Status, Integer> statuses = new EnumMap<>(Status.class);
    int[] spilled = new int[1];
    qt().withExamples(40)
        .withShrinkCycles(20)
        .forAll(longs().all(), integers().between(0, 50), integers().between(1, 60))
        .checkAssert(
            (seed, keys, maxInMemory) -> {
              // given: a snapshot, and an engine with a suppression and a baseline
              AccountSnapshot snapshot = GeneratedSnapshots.snapshot(seed, keys);
              String json = snapshot.toJson();
              PostureEngine plain = PostureEngine.builder().ruleSet(KmsPostureRules.all()).build();
              PostureReport first = plain.check(AccountSnapshot.parse(json), "snap.json");
              Baseline baseline =
                  Baseline.of(
                      first.activeFailures().stream()
                          .filter(f -> Math.floorMod(f.fingerprint().hashCode() ^ seed, 3) == 0)
                          .map(f -> f.fingerprint())
                          .toList());
              PostureEngine engine =
                  PostureEngine.builder()
                      .ruleSet(KmsPostureRules.all())
                      .config(PostureConfig.defaults())
                      .baseline(baseline)
                      .addSuppression(
                          new Suppression(
                              "RotationDisabled",
                              "alias/staging-*",
                              "staging keys rotate with their stack",
                              LocalDate.of(2030, 1, 1)))
                      .build();
              PostureReport report = engine.check(AccountSnapshot.parse(json), "snap.json");
              report.findings().forEach(f -> statuses.merge(f.status(), 1, Integer::sum));

              for (ReportWriter writer : WRITERS) {
                // when
                String streamed = streamed(engine, json, writer, maxInMemory, spilled);

                // then
                assertThat(streamed)
                    .as("%s, seed %d, %d keys, %d in memory", writer, seed, keys, maxInMemory)
                    .isEqualTo(writer.write(report));
              }
            });
    // The generator reaches every status, and the spool spills to files.
    assertThat(statuses.keySet()).containsExactlyInAnyOrder(Status.values());
    assertThat(spilled[0]).isGreaterThan(40);
  }

  private String streamed(
      PostureEngine engine, String json, ReportWriter writer, int maxInMemory, int[] spilled) {
    try (FindingSpool spool = FindingSpool.create(writer::includes, dir, maxInMemory)) {
      List<PostureEngine.Session> session = new ArrayList<>();
      AccountSnapshot account =
          SnapshotReader.create()
              .read(
                  new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                  new SnapshotReader.KeyConsumer() {
                    @Override
                    public void start(AccountSnapshot header) {
                      session.add(engine.start(header, "snap.json", spool));
                    }

                    @Override
                    public void accept(KeySnapshot key) {
                      session.get(0).check(key);
                    }
                  });
      PostureSummary summary = session.get(0).finish(account);
      if (spool.fileCount() > 0) {
        spilled[0]++;
      }
      StringWriter out = new StringWriter();
      writer.write(PostureResults.of(summary, spool.inReportOrder()), out);
      return out.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void streamingCheck_multiRegionKeysHeldInAFile_givesTheFindingsOfTheInMemoryCheck() {
    int[] multiRegion = new int[1];
    qt().withExamples(60)
        .withShrinkCycles(20)
        .forAll(longs().all(), integers().between(0, 60), integers().between(0, 3))
        .checkAssert(
            (seed, keys, inMemory) -> {
              AccountSnapshot snapshot = GeneratedSnapshots.snapshot(seed, keys);
              long held =
                  snapshot.keys().stream().filter(k -> k.metadata().multiRegion() != null).count();
              if (held > inMemory) {
                multiRegion[0]++;
              }
              PostureEngine engine =
                  PostureEngine.builder()
                      .ruleSet(KmsPostureRules.all())
                      .maxMultiRegionKeysInMemory(inMemory)
                      .build();
              PostureReport report = engine.check(snapshot, "snap.json");
              List<dev.kmsposture.rules.Finding> streamed = new ArrayList<>();
              PostureEngine.Session session = engine.start(snapshot, "snap.json", streamed::add);
              snapshot.keys().forEach(session::check);
              session.finish(snapshot);

              streamed.sort(PostureEngine.reportOrder());
              assertThat(streamed).containsExactlyElementsOf(report.findings());
            });
    // Most examples hold multi-Region keys in the file.
    assertThat(multiRegion[0]).isGreaterThan(30);
  }

  @Test
  void spool_closed_leavesNoTemporaryFiles() throws IOException {
    AccountSnapshot snapshot = GeneratedSnapshots.snapshot(7, 40);
    PostureEngine engine = PostureEngine.builder().ruleSet(KmsPostureRules.all()).build();
    try (FindingSpool spool = FindingSpool.create(f -> true, dir, 10)) {
      PostureEngine.Session session = engine.start(snapshot, "", spool);
      snapshot.keys().forEach(session::check);
      session.finish(snapshot);
      assertThat(spool.fileCount()).isPositive();
      assertThat(spool.inReportOrder()).hasSize((int) spool.size());
    }
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void spool_manyFiles_mergesIntoOneBeforeOpeningTooMany() {
    AccountSnapshot snapshot = GeneratedSnapshots.snapshot(11, 60);
    PostureEngine engine = PostureEngine.builder().ruleSet(KmsPostureRules.all()).build();
    PostureReport report = engine.check(snapshot);
    try (FindingSpool spool = FindingSpool.create(f -> true, dir, 3)) {
      PostureEngine.Session session = engine.start(snapshot, "", spool);
      snapshot.keys().forEach(session::check);
      session.finish(snapshot);

      assertThat(report.findings().size()).isGreaterThan(3 * FindingSpool.MAX_FILES);
      assertThat(spool.fileCount()).isLessThan(FindingSpool.MAX_FILES);
      assertThat(spool.inReportOrder()).containsExactlyElementsOf(report.findings());
    }
  }

  @Test
  void spool_findingsOfOneStatus_areTheFilteredFindingsInReportOrder() {
    int[] spilled = new int[1];
    qt().withExamples(60)
        .withShrinkCycles(20)
        .forAll(longs().all(), integers().between(0, 60), integers().between(1, 400))
        .checkAssert(
            (seed, keys, maxInMemory) -> {
              AccountSnapshot snapshot = GeneratedSnapshots.snapshot(seed, keys);
              PostureEngine engine = PostureEngine.builder().ruleSet(KmsPostureRules.all()).build();
              try (FindingSpool spool = FindingSpool.create(f -> true, dir, maxInMemory)) {
                PostureEngine.Session session = engine.start(snapshot, "", spool);
                snapshot.keys().forEach(session::check);
                session.finish(snapshot);
                if (spool.fileCount() > 1) {
                  spilled[0]++;
                }
                for (Status status : Status.values()) {
                  List<dev.kmsposture.rules.Finding> expected = new ArrayList<>();
                  for (dev.kmsposture.rules.Finding f : spool.inReportOrder()) {
                    if (f.status() == status) {
                      expected.add(f);
                    }
                  }
                  assertThat(spool.inReportOrder(status)).containsExactlyElementsOf(expected);
                  // read twice, the same
                  assertThat(spool.inReportOrder(status)).containsExactlyElementsOf(expected);
                }
              }
            });
    // most examples read the findings from several files
    assertThat(spilled[0]).isGreaterThan(30);
  }

  @Test
  void spool_upTo400FindingsAndFewInMemory_readsTheInMemoryCheckOrderTwice() {
    int[] heldAndFiles = new int[1];
    qt().withExamples(60)
        .withShrinkCycles(20)
        .forAll(longs().all(), integers().between(1, 12), integers().between(1, 30))
        .checkAssert(
            (seed, keys, maxInMemory) -> {
              // given: a snapshot of at most 400 findings, and a spool holding few in memory
              AccountSnapshot snapshot = GeneratedSnapshots.snapshot(seed, keys);
              PostureEngine engine = PostureEngine.builder().ruleSet(KmsPostureRules.all()).build();
              List<Finding> expected = engine.check(snapshot, "").findings();
              if (expected.isEmpty() || expected.size() > 400) {
                return;
              }
              try (FindingSpool spool = FindingSpool.create(f -> true, dir, maxInMemory)) {
                PostureEngine.Session session = engine.start(snapshot, "", spool);
                snapshot.keys().forEach(session::check);
                session.finish(snapshot);
                if (spool.fileCount() > 0 && spool.size() % maxInMemory != 0) {
                  heldAndFiles[0]++;
                }

                // then: every iteration, of all findings or of one status, reads check's order
                assertInReportOrder(spool, expected);
              }
            });
    // most examples merge files with findings still held in memory
    assertThat(heldAndFiles[0]).isGreaterThan(30);
  }

  @Test
  void spool_tiedFindings_keepTheOrderTheyArrivedIn() {
    RuleInfo[] rules = {
      KmsPostureRules.all().rules().get(0).info(), KmsPostureRules.all().rules().get(1).info()
    };
    qt().withExamples(80)
        .withShrinkCycles(20)
        .forAll(longs().all(), integers().between(1, 400), integers().between(1, 20))
        .checkAssert(
            (seed, size, maxInMemory) -> {
              // given: findings of few distinct places in report order (so many tie), told apart
              // only by a priority reason the order does not read: their arrival index
              Random random = new Random(seed);
              List<Finding> arrived = new ArrayList<>();
              for (int i = 0; i < size; i++) {
                RuleInfo rule = rules[random.nextInt(rules.length)];
                Status status = STATUSES.get(random.nextInt(STATUSES.size()));
                arrived.add(
                    Finding.builder()
                        .ruleId(rule.id())
                        .severity(rule.severity())
                        .status(status)
                        .keyArn("arn:aws:kms:us-east-1:111122223333:key/k" + random.nextInt(2))
                        .subject("key " + random.nextInt(2))
                        .message("the same message")
                        .remediation(rule.remediation())
                        .priority(Finding.Priority.NORMAL)
                        .priorityReasons(List.of("arrived " + i))
                        .build());
              }
              // the order the in-memory check gives: a stable sort in report order
              List<Finding> expected = new ArrayList<>(arrived);
              expected.sort(PostureEngine.reportOrder());

              try (FindingSpool spool = FindingSpool.create(f -> true, dir, maxInMemory)) {
                arrived.forEach(spool::accept);

                assertInReportOrder(spool, expected);
              }
            });
  }

  // All findings and those of each status, each read twice, are those of expected in its order.
  private static void assertInReportOrder(FindingSpool spool, List<Finding> expected) {
    for (int read = 0; read < 2; read++) {
      assertThat(spool.inReportOrder()).containsExactlyElementsOf(expected);
      for (Status status : Status.values()) {
        List<Finding> ofStatus = expected.stream().filter(f -> f.status() == status).toList();
        assertThat(spool.inReportOrder(status))
            .as("%s, read %d", status, read)
            .containsExactlyElementsOf(ofStatus);
      }
    }
    // each iteration of one Iterable starts again
    Iterable<Finding> all = spool.inReportOrder();
    assertThat(all).containsExactlyElementsOf(expected);
    assertThat(all).containsExactlyElementsOf(expected);
  }
}
