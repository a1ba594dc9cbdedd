package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.testkit.internal.kms.crypto.AwsValidation;
import dev.kmsposture.testkit.internal.kms.crypto.KeyMaterial;
import dev.kmsposture.testkit.internal.kms.crypto.KeySpec;
import dev.kmsposture.testkit.internal.wire.AwsCall;
import dev.kmsposture.testkit.internal.wire.AwsServiceError;
import dev.kmsposture.testkit.internal.wire.AwsServiceHandler;
import dev.kmsposture.testkit.kms.Caller;
import dev.kmsposture.testkit.kms.KmsSeed;
import dev.kmsposture.testkit.kms.KmsSeedException;
import dev.kmsposture.testkit.kms.RequestJournal;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The embedded KMS's service: keys, aliases, tags, grants, policies, rotation, multi-Region keys
 * and cryptography across accounts and Regions, answering {@link AwsCall}s for service {@code kms}
 * (target prefix {@code TrentService}) with the JSON bodies and errors the KMS API reference
 * defines.
 *
 * <p>Every call is recorded in the {@link RequestJournal}, succeeded or failed, with the request
 * parameters CloudTrail would log; events KMS raises on its own as the clock passes ({@code
 * RotateKey}, {@code DeleteKey}, {@code DeleteExpiredKeyMaterial}) are recorded at their time.
 *
 * <p>Thread-safe: one lock guards the state; cryptographic work runs outside it.
 */
public final class KmsEngine implements AwsServiceHandler {
  private final KmsState state;
  private final AccessControl access;
  private final JournalWriter writer;
  private final KeySupport keys;
  private final Map<String, Operation> operations = new HashMap<>();
  private final Seeder seeds;
  private volatile Consumer<KmsEngine> seeder = e -> {};

  /** Creates an empty engine on {@code clock} that records into {@code journal}, as AWS behaves. */
  public KmsEngine(Clock clock, RequestJournal journal) {
    this(clock, journal, EngineConfig.defaults(), null);
  }

  /**
   * Creates an empty engine.
   *
   * @param clock the clock every timestamp, deletion window and rotation reads
   * @param journal where calls and service events are recorded
   * @param config the behaviour where AWS leaves a choice or a test wants control
   * @param idSeed a seed for deterministic ids, or null for random ones
   */
  public KmsEngine(
      Clock clock, RequestJournal journal, EngineConfig config, @Nullable Long idSeed) {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(config, "config");
    Ids ids = idSeed == null ? Ids.random() : Ids.seeded(idSeed);
    this.state = new KmsState(config, clock, ids, journal, KmsEngine::generate);
    this.access = new AccessControl(config);
    this.writer = new JournalWriter(journal);
    this.keys = new KeySupport(state, access, supportedSpecs());
    new KeyOperations(state, access, keys).register(operations);
    new PolicyOperations(state, access).register(operations);
    new AliasOperations(state, access).register(operations);
    new TagOperations(state, access).register(operations);
    new GrantOperations(state, access).register(operations);
    new RotationOperations(state, access).register(operations);
    new MultiRegionOperations(state, access, keys).register(operations);
    new CryptoOperations(state, access, keys).register(operations);
    this.seeds = new Seeder(state, keys);
    new ImportOperations(state, access).register(operations);
    new CustomKeyStoreOperations(state, access).register(operations);
  }

  /** The key specs the crypto package can serve on this JDK. */
  private static Set<String> supportedSpecs() {
    java.util.LinkedHashSet<String> specs = new java.util.LinkedHashSet<>();
    for (KeySpec spec : KeySpec.values()) {
      if (spec.isSupported()) {
        specs.add(spec.wireName());
      }
    }
    return specs;
  }

  private static KeyMaterial generate(String spec) {
    return KeyMaterial.generate(
        AwsValidation.findEnum(KeySpec.class, spec)
            .orElseThrow(() -> new IllegalArgumentException("unknown key spec [" + spec + "]")));
  }

  @Override
  public JsonNode handle(AwsCall call) {
    KmsCall c = new KmsCall(call, state.ids.uuid());
    Operation op = operations.get(call.operation());
    try {
      if (op == null) {
        throw KmsErrors.unknownOperation(call.operation());
      }
      JsonNode out = op.run(c);
      writer.record(c, null);
      return out;
    } catch (AwsServiceError e) {
      writer.record(c, e.code());
      throw e;
    } catch (RuntimeException e) {
      AwsServiceError error =
          KmsErrors.internal(
              "The embedded KMS failed on "
                  + call.operation()
                  + ": "
                  + e.getClass().getSimpleName()
                  + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      writer.record(c, error.code());
      throw error;
    }
  }

  /**
   * Returns the key spec of the key that {@code keyIdArnOrAlias} names in {@code account} and
   * {@code region} (a key id, key ARN, alias name or alias ARN), or empty when it names none. The
   * transport uses it to pick the request-quota bucket of a cryptographic request.
   */
  public Optional<String> keySpecOf(AccountId account, String region, String keyIdArnOrAlias) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(keyIdArnOrAlias, "keyIdArnOrAlias");
    AwsCall probe =
        new AwsCall(
            "kms",
            "KeySpecOf",
            region,
            Caller.root(account),
            Json.object(),
            "",
            state.clock.instant(),
            "",
            "127.0.0.1");
    KmsCall c = new KmsCall(probe, "");
    try {
      return Optional.of(
          state.locked(
              c,
              () -> state.resolve(c, keyIdArnOrAlias, KmsState.Naming.KEY_OR_ALIAS, true).spec()));
    } catch (AwsServiceError e) {
      return Optional.empty();
    }
  }

  /**
   * Applies every event due by the clock's time now (deletions, rotations, expiries, replica and
   * update completions) without a request, so that readers of the journal see them.
   */
  public void catchUp() {
    Instant now = state.clock.instant();
    state.locked(now, () -> null);
  }

  /**
   * Adds the keys of {@code seed} (at the clock's time now, for keys without a creation date).
   * Applied completely or not at all: on a problem the engine is emptied.
   *
   * @throws KmsSeedException if a key cannot be seeded; the message names the field
   */
  public void seed(KmsSeed seed) {
    Objects.requireNonNull(seed, "seed");
    Instant now = state.clock.instant();
    state.locked(
        now,
        () -> {
          try {
            seeds.apply(seed, now);
          } catch (RuntimeException e) {
            state.clear();
            throw e;
          }
          return null;
        });
  }

  /** Sets what {@link #reset()} applies after emptying the engine (the builder's seeds). */
  public void onReset(Consumer<KmsEngine> seeder) {
    this.seeder = Objects.requireNonNull(seeder, "seeder");
  }

  /** Forgets every key, alias and grant, then applies the seed again (if any). */
  public void reset() {
    state.locked(
        state.clock.instant(),
        () -> {
          state.clear();
          return null;
        });
    seeder.accept(this);
  }

  /** The operations this engine answers, sorted. */
  public List<String> operations() {
    return operations.keySet().stream().sorted().toList();
  }
}
