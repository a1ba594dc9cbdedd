/**
 * kms-posture core: the key-policy model, the KMS action catalog, access evaluation,
 * least-privilege builders, the snapshot model, the rule engine and the report writers. Core runs
 * on data and holds no AWS service client.
 */
// Some dependencies (the AWS SDK for Java v2) ship automatic modules (Automatic-Module-Name, no
// module-info), and our API hands out their types, so we require them, transitively where needed.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
@org.jspecify.annotations.NullMarked
module dev.kmsposture.core {
  requires static transitive org.jspecify;
  requires transitive software.amazon.awssdk.policybuilder.iam;
  requires org.slf4j;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.annotation;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires com.fasterxml.jackson.dataformat.yaml;

  exports dev.kmsposture.policy;
  exports dev.kmsposture.leastprivilege;
  exports dev.kmsposture.blueprint;
  exports dev.kmsposture.access;
  exports dev.kmsposture.snapshot;
  exports dev.kmsposture.rules;
  exports dev.kmsposture.rules.library;
  exports dev.kmsposture.report;

  opens dev.kmsposture.snapshot to
      com.fasterxml.jackson.databind;
  opens dev.kmsposture.rules to
      com.fasterxml.jackson.databind;
}
