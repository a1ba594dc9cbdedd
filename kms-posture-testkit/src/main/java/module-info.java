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
  // Generators and assertions: KmsSource is a JUnit 5 ArgumentsSource; QuickTheories is optional.
  requires transitive org.junit.jupiter.api;
  requires transitive org.junit.jupiter.params;
  requires static transitive quicktheories;
  requires static transitive com.google.errorprone.annotations;
  requires jdk.httpserver;

  // Export only packages that hold classes: javac rejects exporting an empty package.
  exports dev.kmsposture.testkit.net;
  exports dev.kmsposture.testkit.kms;
  exports dev.kmsposture.testkit.assertj;
  exports dev.kmsposture.testkit.generators;
  exports dev.kmsposture.testkit.quicktheories;
}
