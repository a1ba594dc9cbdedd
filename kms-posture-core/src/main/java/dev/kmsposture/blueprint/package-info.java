/**
 * Key blueprints: what a customer-managed KMS key should be ({@link
 * dev.kmsposture.blueprint.KeyBlueprint}), read from YAML or JSON or built in code, and judged by
 * the same posture rules as every other key on a snapshot of the key it would create ({@link
 * dev.kmsposture.blueprint.KeyBlueprint#validate(dev.kmsposture.blueprint.BlueprintContext)}). The
 * provisioner in kms-posture-aws turns a validated blueprint into KMS calls.
 */
package dev.kmsposture.blueprint;
