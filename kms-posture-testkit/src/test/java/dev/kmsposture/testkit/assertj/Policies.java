package dev.kmsposture.testkit.assertj;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;

/** Small key policies whose failure messages are short enough to read in a snapshot. */
final class Policies {
  static final AccountId ACCOUNT = AccountId.of("111122223333");
  static final String ADMIN = "arn:aws:iam::111122223333:role/KeyAdmin";
  static final String APP = "arn:aws:iam::111122223333:role/App";
  static final String BATCH = "arn:aws:iam::111122223333:role/Batch";
  static final String PARTNER = "arn:aws:iam::444455556666:role/Partner";
  static final String VIA_S3 = "s3.us-east-1.amazonaws.com";

  private Policies() {}

  /** Administrators, direct users, and users through S3 only. */
  static final KeyPolicy LEAST_PRIVILEGE =
      KeyPolicy.parse(
          """
          {"Version": "2012-10-17", "Statement": [
            {"Sid": "KeyAdministrators", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
             "Action": ["kms:DescribeKey", "kms:PutKeyPolicy", "kms:GetKeyPolicy"],
             "Resource": "*"},
            {"Sid": "KeyUsers", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
             "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], "Resource": "*"},
            {"Sid": "KeyUsersViaS3", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:role/Batch"},
             "Action": "kms:Decrypt", "Resource": "*",
             "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}
          ]}
          """);

  /** The AWS default key policy plus a public Decrypt. */
  static final KeyPolicy PUBLIC =
      KeyPolicy.parse(
          """
          {"Version": "2012-10-17", "Statement": [
            {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "PublicDecrypt", "Effect": "Allow", "Principal": "*",
             "Action": "kms:Decrypt", "Resource": "*"}
          ]}
          """);

  /** The least-privilege policy with a Deny for requests from another VPC endpoint. */
  static final KeyPolicy WITH_VPC_DENY =
      KeyPolicy.parse(
          """
          {"Version": "2012-10-17", "Statement": [
            {"Sid": "KeyAdministrators", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
             "Action": ["kms:DescribeKey", "kms:PutKeyPolicy", "kms:GetKeyPolicy"],
             "Resource": "*"},
            {"Sid": "KeyUsers", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
             "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], "Resource": "*"},
            {"Sid": "DenyOtherVpcEndpoints", "Effect": "Deny", "Principal": "*",
             "Action": "kms:*", "Resource": "*",
             "Condition": {"StringNotEqualsIfExists": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}
          ]}
          """);

  /** The least-privilege policy that also lets the partner decrypt. */
  static final KeyPolicy WITH_PARTNER =
      KeyPolicy.parse(
          """
          {"Version": "2012-10-17", "Statement": [
            {"Sid": "KeyAdministrators", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
             "Action": ["kms:DescribeKey", "kms:PutKeyPolicy", "kms:GetKeyPolicy"],
             "Resource": "*"},
            {"Sid": "KeyUsers", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
             "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], "Resource": "*"},
            {"Sid": "KeyUsersViaS3", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:role/Batch"},
             "Action": "kms:Decrypt", "Resource": "*",
             "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}},
            {"Sid": "Partner", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::444455556666:role/Partner"},
             "Action": "kms:Decrypt", "Resource": "*"}
          ]}
          """);
}
