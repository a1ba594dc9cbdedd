package dev.kmsposture.aws.inventory;

import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Secrets Manager secrets: {@code KmsKeyId}, or, when there is none, the AWS managed key {@code
 * aws/secretsmanager}. Secrets scheduled for deletion are listed too.
 */
final class SecretsManagerCollector implements ServiceCollector {
  static final String DEFAULT_ALIAS = "alias/aws/secretsmanager";

  @Override
  public InventoryService service() {
    return InventoryService.SECRETS_MANAGER;
  }

  @Override
  public void read(String region, Reading reading, List<String> problems) {
    SecretsManagerClient sm =
        reading.clients.client(region, SecretsManagerClient.class).orElseThrow();
    String token = null;
    do {
      String t = token;
      ListSecretsResponse page =
          reading.call(
              "secretsmanager",
              region,
              "ListSecrets",
              () -> sm.listSecrets(r -> r.includePlannedDeletion(true).nextToken(t)));
      for (SecretListEntry s : page.secretList()) {
        reading.add(secret(s, region, reading));
      }
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
  }

  private static ResourceSnapshot secret(SecretListEntry s, String region, Reading reading) {
    ResourceSnapshot.Builder b =
        ResourceSnapshot.builder(s.arn(), "secretsmanager", "secret", region);
    String kms = s.kmsKeyId();
    if (kms == null || kms.isBlank()) {
      reading.kmsKey(b, "KmsKeyId not set (aws/secretsmanager)", DEFAULT_ALIAS, region);
    } else {
      reading.kmsKey(b, "KmsKeyId", kms, region);
    }
    if (s.deletedDate() != null) {
      b.putAttribute("deletedDate", s.deletedDate().toString());
    }
    if (s.primaryRegion() != null) {
      b.putAttribute("primaryRegion", s.primaryRegion());
    }
    Map<String, String> tags = new TreeMap<>();
    for (Tag tag : s.tags()) {
      tags.put(tag.key(), tag.value() == null ? "" : tag.value());
    }
    return b.tags(tags).build();
  }
}
