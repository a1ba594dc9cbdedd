package dev.kmsposture.aws.provision;

/** The blueprints the provisioning tests share. */
final class Blueprints {
  private Blueprints() {}

  /** The reference production data key, with the provisioning role as administrator. */
  static final String PAYMENTS =
      """
      alias: alias/prod-payments-customer-pii
      description: Encrypts customer PII in the payments service database
      tags: {Owner: team-payments, Environment: prod, Purpose: customer-pii-encryption, DataClassification: restricted}
      protects: customer names, addresses and card tokens in the payments database
      blastRadius: the payments service's customer records in us-east-1
      policy:
        account: "123456789012"
        administrators: ["arn:aws:iam::123456789012:role/SecurityAdmin"]
        serviceUsers:
          - {principals: ["arn:aws:iam::123456789012:role/PaymentsApp"], services: [rds], regions: [us-east-1]}
        auditors: ["arn:aws:iam::123456789012:role/Audit"]
        breakGlass: none
      rotation: {enabled: true, periodDays: 365}
      """;

  /** The same key, multi-Region with a replica in eu-west-1. */
  static final String PAYMENTS_MULTI_REGION =
      PAYMENTS
              .replace("payments-customer-pii", "payments-orders")
              .replace("in us-east-1", "in us-east-1 and eu-west-1")
          + "multiRegion: {replicas: [eu-west-1], reason: Aurora global database failover to eu-west-1}\n";
}
