package dev.kmsposture.testkit.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * Shared copies of repeated text are the text asked for, whatever the table held before; and the
 * credential scope read in place gives the parts (and the errors) that splitting the scope gives.
 */
class RepeatedTextProperties {
  /** Short texts from a small alphabet, so that equal texts and colliding slots both happen. */
  private static Gen<String> texts() {
    return SourceDSL.strings().betweenCodePoints('a', 'd').ofLengthBetween(0, 6);
  }

  @Test
  void substrings_areTheSubstringAskedFor() {
    RepeatedText shared = new RepeatedText();
    AtomicInteger reused = new AtomicInteger();
    qt().withExamples(3000)
        .forAll(texts(), texts(), texts(), SourceDSL.longs().all())
        .checkAssert(
            (prefix, middle, suffix, seed) -> {
              String source = prefix + middle + suffix;
              int start = prefix.length();
              int end = start + middle.length();
              String first = shared.of(source, start, end);
              assertThat(first).isEqualTo(source.substring(start, end));
              // the same text again, alone or inside another string: shared now
              String again =
                  new SplittableRandom(seed).nextBoolean()
                      ? shared.of(middle)
                      : shared.of("<" + middle + ">", 1, 1 + middle.length());
              assertThat(again).isEqualTo(middle);
              Set<String> seen = Collections.newSetFromMap(new IdentityHashMap<>());
              seen.add(first);
              if (!seen.add(again)) {
                reused.incrementAndGet();
              }
              assertThat(shared.of(source)).isEqualTo(source);
            });
    assertThat(reused.get()).isGreaterThan(1000);
  }

  @Test
  void latin1Texts_areTheBytesDecoded() {
    RepeatedText shared = new RepeatedText();
    AtomicInteger reused = new AtomicInteger();
    qt().withExamples(3000)
        .forAll(texts(), SourceDSL.integers().between(0, 8))
        .checkAssert(
            (text, slack) -> {
              byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
              byte[] buffer = new byte[bytes.length + slack];
              System.arraycopy(bytes, 0, buffer, 0, bytes.length);
              // bytes past the length are not part of the text
              java.util.Arrays.fill(buffer, bytes.length, buffer.length, (byte) 'z');
              Set<String> seen = Collections.newSetFromMap(new IdentityHashMap<>());
              for (int i = 0; i < 2; i++) {
                String out = shared.latin1(buffer, bytes.length);
                assertThat(out).isEqualTo(text);
                if (!seen.add(out)) {
                  reused.incrementAndGet();
                }
              }
              // a change to the buffer afterwards does not change what was handed out
              if (bytes.length > 0) {
                String before = shared.latin1(buffer, bytes.length);
                buffer[0] = (byte) 'q';
                assertThat(before).isEqualTo(text);
                assertThat(shared.latin1(buffer, bytes.length)).isEqualTo("q" + text.substring(1));
              }
            });
    assertThat(reused.get()).isGreaterThan(1000);
  }

  @Test
  void latin1Ranges_areTheBytesOfTheRangeDecoded() {
    RepeatedText shared = new RepeatedText();
    AtomicInteger reused = new AtomicInteger();
    qt().withExamples(3000)
        .forAll(texts(), SourceDSL.integers().between(0, 8), SourceDSL.integers().between(0, 8))
        .checkAssert(
            (text, before, after) -> {
              byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
              byte[] buffer = new byte[before + bytes.length + after];
              // bytes around the range are not part of the text
              java.util.Arrays.fill(buffer, (byte) 'z');
              System.arraycopy(bytes, 0, buffer, before, bytes.length);
              String first = shared.latin1(buffer, before, bytes.length);
              String second = shared.latin1(buffer, before, bytes.length);
              assertThat(first).isEqualTo(text);
              assertThat(second).isEqualTo(text);
              Set<String> seen = Collections.newSetFromMap(new IdentityHashMap<>());
              seen.add(first);
              if (!seen.add(second)) {
                reused.incrementAndGet();
              }
            });
    assertThat(reused.get()).isGreaterThan(1000);
    assertThatThrownBy(() -> shared.latin1(new byte[4], 3, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> shared.latin1(new byte[4], -1, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  // ---- the credential scope ----

  private static Gen<String> parts() {
    return SourceDSL.strings().betweenCodePoints('-', '9').ofLengthBetween(0, 5);
  }

  @Test
  void credentialScopes_readInPlace_areTheSplitParts() {
    RepeatedText shared = new RepeatedText();
    AtomicInteger valid = new AtomicInteger();
    AtomicInteger invalid = new AtomicInteger();
    qt().withExamples(4000)
        .forAll(parts(), parts(), SourceDSL.integers().between(0, 3))
        .checkAssert(
            (a, b, shape) -> {
              String scope =
                  switch (shape) {
                    case 0 -> a + "/20261205/" + b + "/kms/aws4_request";
                    case 1 -> a + "/" + b;
                    case 2 -> a + "/20261205/" + b + "/kms/aws4_request/x";
                    default -> a.replace('/', '-') + "/d/" + b.replace('/', '-') + "/s/r";
                  };
              String header =
                  "AWS4-HMAC-SHA256 Credential="
                      + scope
                      + (a.length() % 2 == 0 ? ", SignedHeaders=host" : "");
              Object expected = splitOracle(scope);
              Object actual;
              try {
                actual = WireDispatcher.Credential.parse(header, shared);
              } catch (AwsServiceError e) {
                actual = e.code() + ": " + e.getMessage();
              }
              assertThat(actual).isEqualTo(expected);
              if (expected instanceof WireDispatcher.Credential) {
                valid.incrementAndGet();
              } else {
                invalid.incrementAndGet();
              }
            });
    assertThat(valid.get()).isGreaterThan(500);
    assertThat(invalid.get()).isGreaterThan(500);
  }

  @Test
  void credentialScopes_readByTheDispatcher_oneAfterAnother_areEachTheirOwnParts() {
    // the dispatcher remembers the scope read last: whatever came before, each header gives its
    // own scope's parts (the same scope again, a longer or shorter one, another signature, none)
    WireDispatcher dispatcher =
        new WireDispatcher(
            key ->
                dev.kmsposture.testkit.kms.Caller.root(
                    dev.kmsposture.testkit.kms.Caller.DEFAULT_ACCOUNT),
            () -> "id",
            java.time.Clock.systemUTC());
    qt().withExamples(4000)
        .forAll(
            SourceDSL.integers().between(0, 5),
            SourceDSL.integers().between(0, 3),
            SourceDSL.integers().between(0, 2))
        .checkAssert(
            (key, region, tail) -> {
              String scope =
                  List.of("AKIA1", "AKIA2", "AKIA12", "", "AKIA1/x", "AKIA").get(key)
                      + "/20261205/"
                      + List.of("us-east-1", "us-east-12", "eu-west-1", "").get(region)
                      + "/kms/aws4_request"
                      + List.of("", "x", "/more").get(tail);
              String header =
                  "AWS4-HMAC-SHA256 Credential="
                      + scope
                      + (key % 2 == 0 ? ", SignedHeaders=host, Signature=" + region : "");
              Object expected = splitOracle(scope);
              Object actual;
              try {
                actual = dispatcher.credentialOf(header);
              } catch (AwsServiceError e) {
                actual = e.code() + ": " + e.getMessage();
              }
              assertThat(actual).as(header).isEqualTo(expected);
            });
  }

  @Test
  void targets_routedOneAfterAnother_areEachTheirOwnServiceAndOperation() {
    // the dispatcher remembers the target routed last: whatever came before, each target names
    // the service registered for the text before its last dot, and the operation after it; a
    // registration made between two calls is seen by the next
    WireDispatcher dispatcher =
        new WireDispatcher(
            key ->
                dev.kmsposture.testkit.kms.Caller.root(
                    dev.kmsposture.testkit.kms.Caller.DEFAULT_ACCOUNT),
            () -> "id",
            java.time.Clock.systemUTC());
    java.util.Map<String, String> registered = new java.util.HashMap<>();
    AwsServiceHandler handler = call -> JsonNodeFactory.instance.objectNode();
    List<String> prefixes = List.of("TrentService", "A", "A.B", "Trent", "");
    for (String prefix : prefixes.subList(0, 3)) {
      dispatcher.register("svc-" + prefix, prefix, handler);
      registered.put(prefix, "svc-" + prefix);
    }
    qt().withExamples(4000)
        .forAll(
            SourceDSL.integers().between(0, prefixes.size() - 1),
            SourceDSL.integers().between(0, 5),
            SourceDSL.integers().between(0, 19))
        .checkAssert(
            (prefix, operation, register) -> {
              String op =
                  List.of("Decrypt", "Encrypt", "", "B.Decrypt", "Decrypt.", "x").get(operation);
              String target =
                  operation == 5 ? prefixes.get(prefix) + op : prefixes.get(prefix) + "." + op;
              assertThat(dispatcher.routeOf(target))
                  .as(target)
                  .isEqualTo(oracle(registered, target));
              if (register == 0) {
                // now and then a service registers (again, or anew) under this target's prefix,
                // and the same target is routed again
                String p = prefixes.get(prefix);
                String service = "svc-" + p + "-" + operation;
                dispatcher.register(service, p, handler);
                registered.put(p, service);
                assertThat(dispatcher.routeOf(target))
                    .as(target)
                    .isEqualTo(oracle(registered, target));
              }
            });
  }

  /** The service registered for the text before the last dot, and the text after it. */
  private static @org.jspecify.annotations.Nullable List<String> oracle(
      java.util.Map<String, String> registered, String target) {
    int dot = target.lastIndexOf('.');
    String service = dot < 0 ? null : registered.get(target.substring(0, dot));
    return service == null ? null : List.of(service, target.substring(dot + 1));
  }

  @Test
  void missingCredential_isTheAuthenticationError() {
    AwsServiceError e =
        catchThrowableOfType(
            AwsServiceError.class,
            () ->
                WireDispatcher.Credential.parse(
                    "AWS4-HMAC-SHA256 Signature=x", new RepeatedText()));
    assertThat(e.code()).isEqualTo("MissingAuthenticationTokenException");
  }

  /** The parts of a scope as String.split reads them, or the error code and message. */
  private static Object splitOracle(String scope) {
    String[] parts = scope.split("/", -1);
    if (parts.length != 5 || parts[0].isEmpty() || parts[2].isEmpty()) {
      return "IncompleteSignatureException: Credential should be scoped to a valid Region, not '"
          + scope
          + "'";
    }
    return new WireDispatcher.Credential(parts[0], parts[2], parts[3]);
  }
}
