package dev.kmsposture.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A built request does not change when its builder goes on (the builder hands its context map to
 * the request and copies it before the next change), and context lookups give the same answers
 * whether a request has few context keys (searched in turn) or many (a hash map).
 */
class AccessRequestBuilderTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/App";

  @Test
  void build_thenBuilderChanges_firstRequestKeepsItsContext() {
    AccessRequest.Builder b =
        AccessRequest.builder()
            .principal(ROLE)
            .action("kms:Decrypt")
            .putContext("aws:SourceIp", "10.0.0.1");
    AccessRequest first = b.build();

    b.putContext("aws:SourceIp", "10.0.0.2")
        .putContext("kms:ViaService", "s3.us-east-1.amazonaws.com");
    AccessRequest second = b.build();
    b.unknownContext("aws:SourceIp");
    AccessRequest third = b.build();

    assertThat(first.context()).isEqualTo(Map.of("aws:SourceIp", List.of("10.0.0.1")));
    assertThat(first.contextValues("aws:sourceip")).contains(List.of("10.0.0.1"));
    assertThat(first.contextValues("kms:ViaService")).isEmpty();
    assertThat(second.contextValues("AWS:SourceIp")).contains(List.of("10.0.0.2"));
    assertThat(second.context()).containsOnlyKeys("aws:SourceIp", "kms:ViaService");
    assertThat(third.isUnknown("aws:SourceIp")).isTrue();
    assertThat(third.context()).containsOnlyKeys("kms:ViaService");
    assertThat(second.isUnknown("aws:SourceIp")).isFalse();
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void contextValues_manyKeysOrFew_sameAnswers() {
    for (int keys : new int[] {0, 1, 5, 12, 13, 40}) {
      AccessRequest.Builder b = AccessRequest.builder().principal(ROLE).action("kms:Decrypt");
      for (int i = 0; i < keys; i++) {
        b.putContext("aws:Tag" + i, "v" + i);
      }
      b.putContext("aws:PrincipalAccount", "444455556666");
      b.unknownContext("aws:SourceVpc");
      AccessRequest r = b.build();

      for (int i = 0; i < keys; i++) {
        assertThat(r.contextValues("AWS:TAG" + i)).as("%d keys", keys).contains(List.of("v" + i));
      }
      assertThat(r.contextValues("aws:Tag" + keys)).isEmpty();
      // A given key wins over the one derived from the principal; the others stay derived.
      assertThat(r.contextValues("aws:PrincipalAccount")).contains(List.of("444455556666"));
      assertThat(r.contextValues("kms:CallerAccount")).contains(List.of("111122223333"));
      assertThat(r.contextValues("aws:PrincipalArn")).contains(List.of(ROLE));
      assertThat(r.isUnknown("aws:SourceVpc")).isTrue();
      assertThat(r.contextValues("aws:SourceVpc")).isEqualTo(Optional.empty());
    }
  }

  @Test
  void sessionWithRolePath_principalArnIsTheRoleUnlessGiven() {
    String session = "arn:aws:sts::111122223333:assumed-role/App/i-0abc";
    AccessRequest.Builder b = AccessRequest.builder().principal(session).action("kms:Decrypt");
    assertThat(b.build().isUnknown("aws:PrincipalArn")).isTrue();

    b.rolePath("/team/");
    assertThat(b.build().contextValues("aws:PrincipalArn"))
        .contains(List.of("arn:aws:iam::111122223333:role/team/App"));

    b.putContext("aws:PrincipalArn", "arn:aws:iam::111122223333:role/Given");
    assertThat(b.build().contextValues("aws:principalarn"))
        .contains(List.of("arn:aws:iam::111122223333:role/Given"));
  }
}
