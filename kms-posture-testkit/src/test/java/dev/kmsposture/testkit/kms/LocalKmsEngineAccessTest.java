package dev.kmsposture.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.policy.AccountId;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/** What the transport asks the engine directly: the key spec of a key, for quota buckets. */
class LocalKmsEngineAccessTest {
  @Test
  void keySpecOf_findsTheKeyByIdArnAliasOrAliasArn_andIsEmptyOtherwise() {
    LocalKms kms = LocalKms.create();
    String id;
    String arn;
    try (KmsClient client = kms.kmsClient(Region.EU_WEST_1)) {
      var md =
          client
              .createKey(b -> b.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.SIGN_VERIFY))
              .keyMetadata();
      id = md.keyId();
      arn = md.arn();
      client.createAlias(b -> b.aliasName("alias/rsa").targetKeyId(md.keyId()));
    }
    AccountId account = Caller.DEFAULT_ACCOUNT;

    assertThat(kms.engine().keySpecOf(account, "eu-west-1", id)).contains("RSA_2048");
    assertThat(kms.engine().keySpecOf(account, "eu-west-1", arn)).contains("RSA_2048");
    assertThat(kms.engine().keySpecOf(account, "eu-west-1", "alias/rsa")).contains("RSA_2048");
    assertThat(
            kms.engine()
                .keySpecOf(account, "eu-west-1", "arn:aws:kms:eu-west-1:123456789012:alias/rsa"))
        .contains("RSA_2048");
    assertThat(kms.engine().keySpecOf(account, "us-east-1", id)).isEmpty();
    assertThat(kms.engine().keySpecOf(account, "eu-west-1", "alias/none")).isEmpty();
    assertThat(kms.engine().keySpecOf(AccountId.of("210987654321"), "eu-west-1", arn))
        .contains("RSA_2048");
    assertThat(kms.journal().entries())
        .extracting(JournalEntry::operation)
        .containsExactly("CreateKey", "CreateAlias");
  }
}
