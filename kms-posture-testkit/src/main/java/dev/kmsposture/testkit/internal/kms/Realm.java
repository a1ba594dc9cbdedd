package dev.kmsposture.testkit.internal.kms;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys and aliases of one account in one Region. Mutable; guarded by the engine's lock.
 *
 * @param keys the keys by key id, in creation order
 * @param aliases the aliases by name, sorted
 */
record Realm(Map<String, KmsKey> keys, TreeMap<String, AliasRecord> aliases) {
  Realm() {
    this(new LinkedHashMap<>(), new TreeMap<>());
  }
}
