/** kms-posture testkit: the embedded KMS, fluent policy assertions and generators for tests. */
// Some dependencies (the AWS SDK for Java v2) ship automatic modules (Automatic-Module-Name, no
// module-info), and our API hands out their types, so we require them, transitively where needed.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
@org.jspecify.annotations.NullMarked
module dev.kmsposture.testkit {
  requires static transitive org.jspecify;
  requires transitive dev.kmsposture.core;
  requires transitive org.assertj.core;
  requires transitive software.amazon.awssdk.services.kms;
  requires transitive software.amazon.awssdk.services.cloudtrail;
  requires transitive software.amazon.awssdk.services.sts;
  requires transitive software.amazon.awssdk.http;
  requires transitive software.amazon.awssdk.regions;
  requires software.amazon.awssdk.auth;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.utils;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires jdk.httpserver;

  // Export only packages that hold classes: javac rejects exporting an empty package.
  // dev.kmsposture.testkit.assertj is exported again once KeyPolicyAssert lands in it.
  exports dev.kmsposture.testkit.net;
  exports dev.kmsposture.testkit.kms;
}
