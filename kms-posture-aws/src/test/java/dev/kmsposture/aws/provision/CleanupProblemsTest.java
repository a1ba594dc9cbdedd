package dev.kmsposture.aws.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kmsposture.blueprint.KeyBlueprint;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link ProvisioningException#cleanupProblems()}: what the clean-up after a failed run could not
 * do, each named in the exception's message too; empty when it did everything.
 */
class CleanupProblemsTest {

  // The provisioning role may do everything except the operations listed.
  private static String denying(String... operations) {
    StringBuilder actions = new StringBuilder();
    for (String o : operations) {
      actions.append(actions.length() == 0 ? "" : ", ").append("\"kms:").append(o).append('"');
    }
    return "{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"},"
        + "{\"Effect\":\"Deny\",\"Action\":["
        + actions
        + "],\"Resource\":\"*\"}]}";
  }

  private static ProvisioningException failedRun(String identityPolicy) {
    try (LocalAccount account =
        LocalAccount.start(
            b -> b.identityPolicy(LocalAccount.SECURITY_ADMIN, identityPolicy),
            Duration.ofSeconds(2))) {
      KeyProvisioner provisioner =
          account
              .provisioner()
              .consistencyTimeout(Duration.ofSeconds(1))
              .verificationTimeout(Duration.ofSeconds(1))
              .build();
      ProvisioningPlan plan = provisioner.plan(KeyBlueprint.fromYaml(Blueprints.PAYMENTS));
      return catchThrowableOfType(ProvisioningException.class, () -> provisioner.apply(plan));
    }
  }

  @Test
  void cleanupProblems_deletionRefusedToo_namesTheKeyAndTheRefusedStep() {
    // given: CreateAlias fails after CreateKey, and the clean-up may not schedule the deletion
    ProvisioningException e = failedRun(denying("CreateAlias", "ScheduleKeyDeletion"));

    // then
    assertThat(e).isNotNull();
    assertThat(e.failedStep()).contains("CreateAlias");
    assertThat(e.leftovers()).hasSize(1);
    String arn = e.leftovers().get(0).arn();
    assertThat(e.cleanupProblems())
        .singleElement()
        .asString()
        .startsWith(arn + ": ScheduleKeyDeletion failed: ")
        .containsIgnoringCase("denied");
    assertThat(e.getMessage()).contains("clean-up problems: " + e.cleanupProblems().get(0));
    // The other steps still ran: the key is marked and disabled.
    assertThat(e.leftovers().get(0).state()).isEqualTo("Disabled");
  }

  @Test
  void cleanupProblems_cleanUpDidEverything_isEmpty() {
    ProvisioningException e = failedRun(denying("CreateAlias"));

    assertThat(e).isNotNull();
    assertThat(e.failedStep()).contains("CreateAlias");
    assertThat(e.cleanupProblems()).isEmpty();
    assertThat(e.getMessage()).doesNotContain("clean-up problems");
    assertThat(e.leftovers())
        .singleElement()
        .satisfies(k -> assertThat(k.state()).isEqualTo("PendingDeletion"));
  }
}
