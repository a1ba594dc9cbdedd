package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.mrk;
import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Status;
import dev.kmsposture.snapshot.AccountSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiRegionKeyUnjustifiedTest {
  private static final MultiRegionKeyUnjustified RULE = new MultiRegionKeyUnjustified();

  private static Finding primary(PostureConfig config, String overrides) {
    AccountSnapshot s = Fixtures.snapshot(mrk("PRIMARY", overrides));
    List<Finding> f = Fixtures.run(RULE, config, s, Fixtures.PRIMARY_ARN);
    assertThat(f).hasSize(1);
    return f.get(0);
  }

  @Test
  void check_untaggedPrimary_fails() {
    Finding f =
        primary(PostureConfig.defaults(), "{\"aliases\": [\"alias/orders\"], \"tags\": {}}");

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "The CMK named orders is a multi-Region key, and nothing justifies it: no"
                + " MultiRegionJustification tag and not in allowedMultiRegionKeys");
  }

  @Test
  void check_taggedPrimary_passes() {
    Finding f =
        primary(
            PostureConfig.defaults(),
            """
            {"aliases": ["alias/orders"], "tags": {"MultiRegionJustification": "Aurora global DR"}}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).contains("orders is a multi-Region key with a justification");
  }

  @Test
  void check_allowListedById_passesWithoutTags() {
    Finding f =
        primary(
            Fixtures.config("allowedMultiRegionKeys: [" + Fixtures.MRK + "]"),
            "{\"aliases\": [\"alias/orders\"]}");

    assertThat(f.status()).isEqualTo(Status.PASS);
  }

  @Test
  void check_replicaOutsideAllowedRegions_fails() {
    Finding f =
        primary(
            Fixtures.config("allowedRegions: [us-east-1, us-west-2]"),
            """
            {"aliases": ["alias/orders"], "tags": {"MultiRegionJustification": "DR"}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .contains(
            "has key material in eu-west-1, outside the allowed Regions us-east-1, us-west-2");
  }

  @Test
  void check_replicaOfJustifiedPrimary_passes() {
    // given
    AccountSnapshot s =
        Fixtures.snapshot(
            mrk("PRIMARY", "{\"tags\": {\"MultiRegionJustification\": \"DR\"}}"),
            mrk("REPLICA", "{\"aliases\": [\"alias/orders\"], \"tags\": {}}"));

    // when
    List<Finding> f = Fixtures.run(RULE, PostureConfig.defaults(), s, Fixtures.REPLICA_ARN);

    // then
    assertThat(f).singleElement().extracting(Finding::status).isEqualTo(Status.PASS);
    assertThat(f.get(0).message()).contains("orders is a multi-Region replica");
  }

  @Test
  void check_tagsUnreadable_isUnknown() {
    Finding f =
        primary(
            PostureConfig.defaults(),
            "{\"aliases\": [\"alias/orders\"], \"unreadable\": {\"TAGS\": \"AccessDeniedException\"}}");

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message()).contains("tags of the CMK named orders could not be read");
  }

  @Test
  void check_singleRegionKey_isNotApplicable() {
    Finding f = one(RULE, "{\"aliases\": [\"alias/orders\"]}");

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).isEqualTo("The CMK named orders is a single-Region key");
  }
}
