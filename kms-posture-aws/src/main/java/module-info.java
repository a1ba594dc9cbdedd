/** kms-posture aws: the parts that talk to AWS, always through clients the caller built. */
// Some dependencies (the AWS SDK for Java v2, resilience4j) ship automatic modules
// (Automatic-Module-Name, no module-info), and our API hands out their types, so we require them,
// transitively where needed.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
@org.jspecify.annotations.NullMarked
module dev.kmsposture.aws {
  requires static transitive org.jspecify;
  requires transitive dev.kmsposture.core;
  requires transitive software.amazon.awssdk.services.kms;
  requires transitive software.amazon.awssdk.services.cloudtrail;
  requires transitive software.amazon.awssdk.services.sts;
  requires transitive software.amazon.awssdk.services.s3;
  requires transitive software.amazon.awssdk.services.ec2;
  requires transitive software.amazon.awssdk.services.rds;
  requires transitive software.amazon.awssdk.services.secretsmanager;
  requires transitive software.amazon.awssdk.services.cloudwatchlogs;
  requires transitive software.amazon.awssdk.services.sns;
  requires transitive software.amazon.awssdk.services.sqs;
  requires transitive software.amazon.awssdk.services.dynamodb;
  requires transitive software.amazon.awssdk.regions;
  requires transitive software.amazon.awssdk.auth;
  requires transitive software.amazon.awssdk.http;
  requires transitive software.amazon.awssdk.identity.spi;
  requires software.amazon.awssdk.awscore;
  requires transitive software.amazon.awssdk.core;
  requires software.amazon.awssdk.utils;
  requires software.amazon.awssdk.metrics;
  requires software.amazon.awssdk.retries.api;
  requires software.amazon.awssdk.http.auth.aws;
  requires software.amazon.awssdk.http.auth.spi;
  requires io.github.resilience4j.ratelimiter;
  requires io.github.resilience4j.core;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.kmsposture.aws;
  exports dev.kmsposture.aws.scan;
  exports dev.kmsposture.aws.provision;
  exports dev.kmsposture.aws.inventory;
  exports dev.kmsposture.aws.permissions;
}
