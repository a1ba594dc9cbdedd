package dev.kmsposture.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetKeyPolicyRequest;
import software.amazon.awssdk.services.kms.model.GetKeyPolicyResponse;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

class KeyPolicyReaderTest {
  private static final String KEY_ARN =
      "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"EnableIamPolicies\","
          + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"
          + "\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";

  @Test
  void read_existingKey_returnsPolicyTextAndAsksForDefaultPolicy() {
    // given
    RecordingKms kms =
        RecordingKms.answering(GetKeyPolicyResponse.builder().policy(POLICY).build());

    // when
    String policy = KeyPolicyReader.of(kms).read(KEY_ARN);

    // then
    assertThat(policy).isEqualTo(POLICY);
    assertThat(kms.requests)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.keyId()).isEqualTo(KEY_ARN);
              assertThat(r.policyName()).isEqualTo("default");
            });
  }

  @Test
  void read_unknownKey_throwsIllegalArgumentNamingTheKey() {
    // given
    NotFoundException notFound =
        NotFoundException.builder().message("Key '" + KEY_ARN + "' does not exist").build();
    KeyPolicyReader reader = KeyPolicyReader.of(RecordingKms.failing(notFound));

    // when / then
    assertThatThrownBy(() -> reader.read(KEY_ARN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "key ["
                + KEY_ARN
                + "] was not found; check the key id or ARN and the client's account and region")
        .hasCause(notFound);
  }

  @Test
  void read_accessDenied_propagatesKmsException() {
    // given
    KmsException denied =
        (KmsException) KmsException.builder().message("not authorized").statusCode(400).build();
    KeyPolicyReader reader = KeyPolicyReader.of(RecordingKms.failing(denied));

    // when / then
    assertThatThrownBy(() -> reader.read(KEY_ARN)).isSameAs(denied);
  }

  @Test
  void read_responseWithoutPolicy_throwsIllegalState() {
    KeyPolicyReader reader =
        KeyPolicyReader.of(RecordingKms.answering(GetKeyPolicyResponse.builder().build()));

    assertThatThrownBy(() -> reader.read(KEY_ARN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("KMS returned no key policy for key [" + KEY_ARN + "]");
  }

  @Test
  void read_blankKeyId_throwsWithoutCallingKms() {
    // given
    RecordingKms kms =
        RecordingKms.answering(GetKeyPolicyResponse.builder().policy(POLICY).build());

    // when / then
    assertThatThrownBy(() -> KeyPolicyReader.of(kms).read("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("key id [] is blank; pass a key id or key ARN");
    assertThat(kms.requests).isEmpty();
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: the rejection is the subject
  void of_nullClient_throwsNamingTheParameter() {
    assertThatThrownBy(() -> KeyPolicyReader.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("kms");
  }

  /** A hand-written KmsClient: records GetKeyPolicy requests and answers or fails. No network. */
  private static final class RecordingKms implements KmsClient {
    final List<GetKeyPolicyRequest> requests = new ArrayList<>();
    private final @Nullable GetKeyPolicyResponse response;
    private final @Nullable RuntimeException failure;

    private RecordingKms(
        @Nullable GetKeyPolicyResponse response, @Nullable RuntimeException failure) {
      this.response = response;
      this.failure = failure;
    }

    static RecordingKms answering(GetKeyPolicyResponse response) {
      return new RecordingKms(response, null);
    }

    static RecordingKms failing(RuntimeException failure) {
      return new RecordingKms(null, failure);
    }

    @Override
    public GetKeyPolicyResponse getKeyPolicy(GetKeyPolicyRequest request) {
      requests.add(request);
      if (failure != null) {
        throw failure;
      }
      return Objects.requireNonNull(response, "answering or failing");
    }

    @Override
    public String serviceName() {
      return SERVICE_NAME;
    }

    @Override
    public void close() {}
  }
}
