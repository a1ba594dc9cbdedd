package dev.kmsposture.testkit.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A {@link WrittenObject} whose members come later reads, writes, compares and changes as the same
 * object built member by member does, and makes its members once, on first read only.
 */
class WrittenObjectLaterMembersTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] TEXT =
      "{\"KeyId\":\"k\",\"Plaintext\":\"AQI=\",\"N\":3}".getBytes(StandardCharsets.UTF_8);

  private static ObjectNode built() {
    ObjectNode out = NODES.objectNode();
    out.put("KeyId", "k");
    out.put("Plaintext", "AQI=");
    out.put("N", 3);
    return out;
  }

  private static Consumer<Map<String, JsonNode>> members(AtomicInteger calls) {
    return m -> {
      calls.incrementAndGet();
      m.put("KeyId", NODES.textNode("k"));
      m.put("Plaintext", NODES.textNode("AQI="));
      m.put("N", NODES.numberNode(3));
    };
  }

  @Test
  void sentAsText_membersAreNeverMade() {
    AtomicInteger calls = new AtomicInteger();
    WrittenObject later = new WrittenObject(NODES, TEXT, members(calls));
    assertThat(later.written()).isSameAs(TEXT);
    assertThat(calls).hasValue(0);
  }

  @Test
  void read_isTheObjectBuiltMemberByMember() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    WrittenObject later = new WrittenObject(NODES, TEXT, members(calls));
    ObjectNode built = built();
    assertThat(later).isEqualTo(built);
    assertThat(built).isEqualTo(later);
    assertThat(later.hashCode()).isEqualTo(built.hashCode());
    assertThat(later.size()).isEqualTo(3);
    assertThat(later.get("Plaintext").asText()).isEqualTo("AQI=");
    assertThat(later.has("N")).isTrue();
    assertThat(later.has("missing")).isFalse();
    List<String> names = new ArrayList<>();
    later.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("KeyId", "Plaintext", "N");
    assertThat(later.toString()).isEqualTo(built.toString());
    assertThat(JSON.writeValueAsBytes(later)).isEqualTo(TEXT);
    assertThat(later.deepCopy()).isEqualTo(built);
    assertThat(calls).hasValue(1);
  }

  @Test
  void changed_changesAsTheBuiltObjectDoes() {
    WrittenObject later = new WrittenObject(NODES, TEXT, members(new AtomicInteger()));
    ObjectNode built = built();
    for (ObjectNode node : List.of(later, built)) {
      node.put("Extra", true);
      node.remove("KeyId");
      node.put("Plaintext", "changed");
    }
    assertThat(later).isEqualTo(built);
    assertThat(later.toString()).isEqualTo(built.toString());
    later.removeAll();
    assertThat(later.isEmpty()).isTrue();
  }

  @Test
  void readByManyThreadsAtOnce_membersAreMadeOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 50; round++) {
        AtomicInteger calls = new AtomicInteger();
        WrittenObject later = new WrittenObject(NODES, TEXT, members(calls));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> reads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          reads.add(
              pool.submit(
                  () -> {
                    start.await();
                    return later.get("KeyId").asText() + later.size();
                  }));
        }
        start.countDown();
        for (Future<String> read : reads) {
          assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("k3");
        }
        assertThat(calls).hasValue(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
