package dev.kmsposture.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonBaselineBenchmarkTest {

  @Test
  void tenStatements_resource_isValidJsonWithTenUniquelyNamedStatements() throws IOException {
    // given
    String text = JsonBaselineBenchmark.resourceText(JsonBaselineBenchmark.TEN_STATEMENTS);

    // when
    JsonNode policy = new ObjectMapper().readTree(text);

    // then
    assertThat(policy.path("Version").asText()).isEqualTo("2012-10-17");
    JsonNode statements = policy.path("Statement");
    assertThat(statements.isArray()).isTrue();
    assertThat(statements.size()).isEqualTo(10);
    List<String> sids = new ArrayList<>();
    statements.forEach(s -> sids.add(s.path("Sid").asText()));
    assertThat(sids).doesNotHaveDuplicates().doesNotContain("");
    assertThat(statements.findValuesAsText("Effect")).containsOnly("Allow", "Deny");
  }

  @Test
  void readTree_afterSetup_parsesTheSamePolicy() throws IOException {
    // given
    JsonBaselineBenchmark benchmark = new JsonBaselineBenchmark();
    benchmark.loadPolicy();

    // when
    JsonNode tree = benchmark.readTree();

    // then
    assertThat(tree.path("Statement").size()).isEqualTo(10);
    assertThat(tree.path("Statement").get(9).path("Effect").asText()).isEqualTo("Deny");
  }

  @Test
  void resourceText_missingResource_throwsNamingIt() {
    assertThatThrownBy(() -> JsonBaselineBenchmark.resourceText("/policies/absent.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("resource [/policies/absent.json] is not on the class path");
  }
}
