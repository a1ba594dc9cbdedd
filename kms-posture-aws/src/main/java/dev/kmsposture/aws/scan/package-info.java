/**
 * Scanning live accounts into snapshots: {@link dev.kmsposture.aws.scan.KmsScanner} reads the KMS
 * keys of one account in one or more Regions, within the account's request quotas, into the {@link
 * dev.kmsposture.snapshot.AccountSnapshot} the rules judge; {@link
 * dev.kmsposture.aws.scan.OrganizationScanner} scans every account of an AWS Organization (or a
 * list of accounts) through a read-only audit role, one snapshot per account. Both use only clients
 * the caller built and never call an API that changes anything.
 */
package dev.kmsposture.aws.scan;
