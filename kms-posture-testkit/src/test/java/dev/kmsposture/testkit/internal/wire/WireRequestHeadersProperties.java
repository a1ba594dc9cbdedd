package dev.kmsposture.testkit.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import com.sun.net.httpserver.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A request over a header view (the SDK's headers in-process, the JDK server's over HTTP) reads
 * every header exactly as a request over a copy of the same headers does, whatever the case of the
 * names on either side.
 */
class WireRequestHeadersProperties {
  private static final List<String> NAMES =
      List.of(
          "X-Amz-Target",
          "Authorization",
          "Content-Type",
          "User-Agent",
          "Content-Length",
          "X-Amz-Date",
          "amz-sdk-invocation-id",
          "amz-sdk-request",
          "Host",
          "X-Amz-Security-Token");

  private static String anyCase(String name, Random random) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
    }
    return out.toString();
  }

  private static String value(Random random) {
    String alphabet = "abcXYZ019 /=,;:-_.";
    StringBuilder out = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  private static WireRequest request(Map<String, List<String>> headers) {
    return new WireRequest("POST", "/", headers, new byte[0], "127.0.0.1");
  }

  @Test
  void aView_readsEveryHeader_asACopyDoes() {
    qt().withExamples(1000)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Random random = new Random(seed);
              // as the SDK holds them: a case-insensitive map; as the JDK server: its Headers
              TreeMap<String, List<String>> sdk = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
              Headers jdk = new Headers();
              List<String> names = new ArrayList<>(NAMES);
              names.add("X-Extra-" + random.nextInt(1000));
              for (String name : names) {
                if (random.nextInt(4) == 0) {
                  continue;
                }
                List<String> values = new ArrayList<>();
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                  values.add(value(random));
                }
                sdk.put(anyCase(name, random), List.copyOf(values));
                jdk.put(anyCase(name, random), values);
              }
              WireRequest copied = request(sdk);
              WireRequest sdkView = request(WireRequest.headersView(sdk::get, () -> sdk));
              WireRequest jdkView = request(WireRequest.headersView(jdk::get, () -> jdk));
              for (String name : names) {
                for (String asked :
                    List.of(
                        name,
                        name.toLowerCase(Locale.ROOT),
                        name.toUpperCase(Locale.ROOT),
                        anyCase(name, random))) {
                  String expected = copied.header(asked);
                  assertThat(sdkView.header(asked)).as(asked).isEqualTo(expected);
                  assertThat(jdkView.header(asked)).as(asked).isEqualTo(expected);
                  assertThat(sdkView.headers().get(asked)).isEqualTo(copied.headers().get(asked));
                  assertThat(jdkView.headers().containsKey(asked))
                      .isEqualTo(copied.headers().containsKey(asked));
                }
              }
              assertThat(sdkView.header("X-Not-Sent")).isEmpty();
              assertThat(jdkView.header("X-Not-Sent")).isEmpty();
              // the whole map, when asked for, holds the same headers
              assertThat(sdkView.headers()).isEqualTo(copied.headers());
              assertThat(jdkView.headers()).isEqualTo(copied.headers());
              assertThat(jdkView.headers().size()).isEqualTo(copied.headers().size());
            });
  }

  @Test
  void aView_isReadOnly() {
    TreeMap<String, List<String>> sdk = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    sdk.put("X-Amz-Target", List.of("TrentService.ListKeys"));
    Map<String, List<String>> view = WireRequest.headersView(sdk::get, () -> sdk);
    assertThatThrownBy(() -> view.put("Host", List.of("x")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> view.entrySet().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(sdk).containsOnlyKeys("X-Amz-Target");
  }
}
