/**
 * Least-privilege key policies composed from roles: {@link
 * dev.kmsposture.leastprivilege.KeyPolicyBuilder} (administrators, users, service users through
 * {@link dev.kmsposture.leastprivilege.AwsService}, grant users, cross-account users, auditors and
 * an explicit {@link dev.kmsposture.leastprivilege.BreakGlass} choice) and the documented {@link
 * dev.kmsposture.leastprivilege.KeyPolicyPresets}. The builder refuses to build an insecure policy
 * ({@link dev.kmsposture.leastprivilege.InsecurePolicyException}); anything weaker needs an {@code
 * Insecure…} call with a written reason, which stays in the built result's findings.
 */
package dev.kmsposture.leastprivilege;
