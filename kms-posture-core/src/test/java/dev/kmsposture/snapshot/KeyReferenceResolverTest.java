package dev.kmsposture.snapshot;

import static dev.kmsposture.testing.Gens.pick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

class KeyReferenceResolverTest {

  static final String ACCOUNT = "111122223333";
  static final String KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
  static final String KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/" + KEY_ID;

  private static KeyReferenceResolver resolver() {
    return KeyReferenceResolver.of(
        ACCOUNT,
        "aws",
        List.of(
            new AliasEntry("alias/pii", "eu-west-1", KEY_ID),
            new AliasEntry("alias/aws/s3", "eu-west-1", null),
            new AliasEntry("alias/aws/sqs", "eu-west-1", "mrk-0123456789abcdef0123456789abcdef")),
        Set.of("eu-west-1", "us-east-1"),
        Map.of("us-east-1", "AccessDeniedException: not authorized"));
  }

  @Test
  void resolve_eachOfTheFourForms_givesTheKeyArn() {
    KeyReferenceResolver r = resolver();

    assertThat(r.resolve(KEY_ID, "eu-west-1").keyArn()).isEqualTo(KEY_ARN);
    assertThat(r.resolve(KEY_ARN, "us-west-2").keyArn()).isEqualTo(KEY_ARN);
    assertThat(r.resolve("alias/pii", "eu-west-1").keyArn()).isEqualTo(KEY_ARN);
    assertThat(r.resolve("arn:aws:kms:eu-west-1:111122223333:alias/pii", "us-west-2").keyArn())
        .isEqualTo(KEY_ARN);
  }

  @Test
  void resolve_predefinedAliasWithoutTarget_isUnresolvableAndSaysTheKeyIsCreatedOnFirstUse() {
    KeyReference ref = resolver().resolve("alias/aws/s3", "eu-west-1");

    assertThat(ref.isResolved()).isFalse();
    assertThat(ref.written()).isEqualTo("alias/aws/s3");
    assertThat(ref.note()).contains("first uses").contains("never calls DescribeKey");
    assertThat(ref.namesAwsManagedAlias()).isTrue();
  }

  @Test
  void resolve_predefinedAliasWithTarget_resolvesToItsKey() {
    assertThat(resolver().resolve("alias/aws/sqs", "eu-west-1").keyArn())
        .isEqualTo("arn:aws:kms:eu-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef");
  }

  @Test
  void resolve_aliasOfAnotherAccount_isUnresolvableNamingListAliases() {
    KeyReference ref =
        resolver().resolve("arn:aws:kms:eu-west-1:444455556666:alias/x", "eu-west-1");

    assertThat(ref.isResolved()).isFalse();
    assertThat(ref.note()).contains("444455556666").contains("ListAliases covers only");
  }

  @Test
  void resolve_keyArnOfAnotherAccount_isResolvedWithACaveat() {
    String other = "arn:aws:kms:eu-west-1:444455556666:key/" + KEY_ID;

    KeyReference ref = resolver().resolve(other, "eu-west-1");

    assertThat(ref.keyArn()).isEqualTo(other);
    assertThat(ref.note()).contains("444455556666");
  }

  @Test
  void resolve_aliasInARegionWhoseAliasesWereDenied_saysWhy() {
    KeyReference ref = resolver().resolve("alias/pii", "us-east-1");

    assertThat(ref.note()).contains("could not be listed").contains("AccessDeniedException");
  }

  @Test
  void resolve_aliasInARegionNotScanned_saysSo() {
    assertThat(resolver().resolve("alias/pii", "ap-south-1").note()).contains("not scanned");
  }

  @Test
  void resolve_missingCustomerAlias_saysItDoesNotExist() {
    assertThat(resolver().resolve("alias/gone", "eu-west-1").note())
        .contains("no alias alias/gone");
  }

  @Test
  void resolve_garbage_isUnresolvableNotAnException() {
    assertThat(resolver().resolve("not-a-key", "eu-west-1").note())
        .contains("not a key id, key ARN, alias name or alias ARN");
    assertThat(resolver().resolve("arn:aws:s3:::bucket", "eu-west-1").note())
        .contains("not of a KMS key or alias");
  }

  @Test
  void resolve_blank_isRejectedClearly() {
    assertThatThrownBy(() -> resolver().resolve(" ", "eu-west-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
  }

  @Test
  void resolveAsS3_aliasName_carriesTheWritersAccountCaveat() {
    KeyReference ref = resolver().resolveAsS3("alias/pii", "eu-west-1");

    assertThat(ref.keyArn()).isEqualTo(KEY_ARN);
    assertThat(ref.note()).contains("writer");
    assertThat(resolver().resolveAsS3(KEY_ARN, "eu-west-1").note()).isNull();
  }

  @Test
  void keyReference_unresolvedWithoutReason_isRejected() {
    assertThatThrownBy(() -> new KeyReference("alias/x", null, " "))
        .hasMessageContaining("needs a note that says why");
  }

  /** A key: id (UUID or multi-Region), Region, and alias names pointing at it. */
  record Key(String id, String region, String alias) {
    String arn() {
      return "arn:aws:kms:" + region + ":" + ACCOUNT + ":key/" + id;
    }
  }

  private static Gen<String> hex(int n) {
    return SourceDSL.lists()
        .of(SourceDSL.integers().between(0, 15))
        .ofSize(n)
        .map(
            ds -> {
              StringBuilder sb = new StringBuilder();
              ds.forEach(d -> sb.append(Integer.toHexString(d)));
              return sb.toString();
            });
  }

  private static Gen<Key> keys() {
    Gen<String> uuid =
        hex(32)
            .map(
                h ->
                    h.substring(0, 8)
                        + "-"
                        + h.substring(8, 12)
                        + "-"
                        + h.substring(12, 16)
                        + "-"
                        + h.substring(16, 20)
                        + "-"
                        + h.substring(20));
    Gen<String> mrk = hex(32).map(h -> "mrk-" + h);
    Gen<String> ids = uuid.mix(mrk, 30);
    Gen<String> aliases =
        SourceDSL.strings()
            .betweenCodePoints('a', 'z')
            .ofLengthBetween(1, 12)
            .map(a -> "alias/" + a);
    return ids.zip(pick("us-east-1", "eu-west-1", "ap-southeast-2"), aliases, Key::new);
  }

  @Test
  void property_theFourReferenceFormsOfTheSameKey_resolveToTheSameArn() {
    qt().withExamples(500)
        .forAll(keys(), SourceDSL.lists().of(keys()).ofSizeBetween(0, 5))
        .checkAssert(
            (key, others) -> {
              List<AliasEntry> entries = new ArrayList<>();
              for (Key other : others) {
                if (!(other.alias().equals(key.alias()) && other.region().equals(key.region()))) {
                  entries.add(new AliasEntry(other.alias(), other.region(), other.id()));
                }
              }
              entries.add(new AliasEntry(key.alias(), key.region(), key.id()));
              KeyReferenceResolver r =
                  KeyReferenceResolver.of(
                      ACCOUNT,
                      "aws",
                      entries,
                      Set.of("us-east-1", "eu-west-1", "ap-southeast-2"),
                      Map.of());
              String aliasArn = "arn:aws:kms:" + key.region() + ":" + ACCOUNT + ":" + key.alias();
              List<String> forms =
                  List.of(
                      key.id(),
                      key.arn(),
                      key.alias(),
                      aliasArn,
                      key.id().toUpperCase(Locale.ROOT));
              for (String form : forms) {
                KeyReference ref = r.resolve(form, key.region());
                assertThat(ref.keyArn()).as(form).isEqualTo(key.arn().toLowerCase(Locale.ROOT));
                assertThat(ref.written()).isEqualTo(form);
              }
            });
  }
}
