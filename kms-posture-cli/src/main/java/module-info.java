/** The kms-posture command line. */
// Some dependencies (the AWS SDK for Java v2) ship automatic modules (Automatic-Module-Name, no
// module-info), and our API hands out their types, so we require them, transitively where needed.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
@org.jspecify.annotations.NullMarked
module dev.kmsposture.cli {
  requires static transitive org.jspecify;
  requires dev.kmsposture.core;
  requires dev.kmsposture.aws;
  requires software.amazon.awssdk.http.urlconnection;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.awscore;
  requires dev.kmsposture.testkit;
  // Optional: analyze --prove uses the prover when it is present at run time.
  requires static dev.kmsposture.prover;
  requires info.picocli;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;

  exports dev.kmsposture.cli;

  opens dev.kmsposture.cli to
      info.picocli;
}
