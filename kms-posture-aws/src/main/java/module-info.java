/** kms-posture aws: the parts that talk to AWS, always through clients the caller built. */
// Some dependencies (the AWS SDK for Java v2) ship automatic modules (Automatic-Module-Name, no
// module-info), and our API hands out their types, so we require them, transitively where needed.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
@org.jspecify.annotations.NullMarked
module dev.kmsposture.aws {
  requires static transitive org.jspecify;
  requires transitive dev.kmsposture.core;
  requires transitive software.amazon.awssdk.services.kms;

  exports dev.kmsposture.aws;
}
