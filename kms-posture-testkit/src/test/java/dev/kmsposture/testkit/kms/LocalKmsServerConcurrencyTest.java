package dev.kmsposture.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** Many SDK threads over keep-alive connections to one server: no answer goes astray. */
class LocalKmsServerConcurrencyTest {
  @Test
  void eightThreads_encryptAndDecryptTheirOwnData_overSharedConnections() throws Exception {
    LocalKms kms = LocalKms.create();
    try (LocalKmsServer server = LocalKmsServer.start(kms);
        KmsClient client = server.kmsClient(Region.US_EAST_1)) {
      String keyId = client.createKey().keyMetadata().keyId();
      Set<String> requestIds = ConcurrentHashMap.newKeySet();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int thread = t;
          results.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < 12; i++) {
                      String text = "thread-" + thread + "-message-" + i;
                      var encrypted =
                          client.encrypt(
                              b -> b.keyId(keyId).plaintext(SdkBytes.fromUtf8String(text)));
                      requestIds.add(encrypted.responseMetadata().requestId());
                      var decrypted =
                          client.decrypt(b -> b.ciphertextBlob(encrypted.ciphertextBlob()));
                      requestIds.add(decrypted.responseMetadata().requestId());
                      assertThat(decrypted.plaintext().asUtf8String()).isEqualTo(text);
                    }
                    return 12;
                  }));
        }
        for (Future<Integer> result : results) {
          assertThat(result.get()).isEqualTo(12);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(requestIds).hasSize(8 * 12 * 2);
      assertThat(kms.journal().entries(e -> e.operation().equals("Decrypt") && e.succeeded()))
          .hasSize(8 * 12);
    }
  }
}
