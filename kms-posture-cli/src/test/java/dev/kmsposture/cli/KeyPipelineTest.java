package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyPipelineTest {
  private static KeySnapshot key(int i) {
    return KeySnapshot.builder("arn:aws:kms:us-east-1:111122223333:key/" + i, KeyMetadata.unknown())
        .policy(i % 7 == 0 ? "x".repeat(300_000) : null)
        .build();
  }

  @Test
  void keys_areJudgedOnce_inTheOrderHandedOver() {
    qt().withExamples(100)
        .forAll(integers().between(0, 2_000))
        .checkAssert(
            n -> {
              List<String> judged = Collections.synchronizedList(new ArrayList<>());
              KeyPipeline pipeline = new KeyPipeline(k -> judged.add(k.arn()), true);
              List<String> expected = new ArrayList<>();
              for (int i = 0; i < n; i++) {
                KeySnapshot k = key(i);
                expected.add(k.arn());
                pipeline.accept(k);
              }
              pipeline.finish();
              assertThat(judged).containsExactlyElementsOf(expected);
            });
  }

  @Test
  void aFailureWhileJudging_isThrownToTheReader_andStopsTheJudging() {
    List<String> judged = Collections.synchronizedList(new ArrayList<>());
    KeyPipeline pipeline =
        new KeyPipeline(
            k -> {
              if (k.arn().endsWith("/5")) {
                throw new IllegalStateException("judging key 5 failed");
              }
              judged.add(k.arn());
            },
            true);
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 10_000; i++) {
                pipeline.accept(key(i));
              }
              pipeline.finish();
            })
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("judging key 5 failed");
    // after the failure, nothing more is judged, and ending again throws the same failure
    assertThatThrownBy(pipeline::abort).hasMessage("judging key 5 failed");
    assertThat(judged).hasSize(5);
  }

  @Test
  void abort_stopsJudging_andReturnsWhenNothingFailed() {
    List<String> judged = Collections.synchronizedList(new ArrayList<>());
    KeyPipeline pipeline = new KeyPipeline(k -> judged.add(k.arn()), true);
    for (int i = 0; i < 500; i++) {
      pipeline.accept(key(i));
    }
    pipeline.abort();
    int seen = judged.size();
    assertThat(seen).isLessThanOrEqualTo(500);
    assertThat(judged)
        .containsExactlyElementsOf(
            judged.stream().sorted((a, b) -> Integer.compare(n(a), n(b))).toList());
  }

  @Test
  void inASmallHeap_keysAreJudgedAsTheyAreHandedOver() {
    List<String> judged = new ArrayList<>();
    KeyPipeline pipeline = new KeyPipeline(k -> judged.add(k.arn()), false);
    pipeline.accept(key(1));
    assertThat(judged).containsExactly(key(1).arn());
    pipeline.finish();
  }

  private static int n(String arn) {
    return Integer.parseInt(arn.substring(arn.lastIndexOf('/') + 1));
  }
}
