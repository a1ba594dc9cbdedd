package dev.kmsposture.snapshot;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.kmsposture.internal.json.JacksonProblems;
import dev.kmsposture.policy.AccountId;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads an account snapshot's JSON one key at a time, so a snapshot of a million keys is checked in
 * the memory of one key. The same reader backs {@link AccountSnapshot#parse(String)}, so both hold
 * a snapshot to the same rules ({@code docs/snapshot-schema.md}); every error is a {@link
 * SnapshotParseException} that names the JSON Pointer of the offending member.
 *
 * <pre>{@code
 * AccountSnapshot account = SnapshotReader.create().read(in, new SnapshotReader.KeyConsumer() {
 *   public void start(AccountSnapshot header) { ... }   // account, partition, capturedAt, ...
 *   public void accept(KeySnapshot key) { ... }         // each key, in document order
 * });
 * }</pre>
 *
 * <p>Beyond the record types' own checks, the reader rejects: a {@code schemaVersion} that is not
 * the JSON integer {@code 1} (not {@code "1"}, not {@code 1.0}); an account id that is not 12
 * digits; a key whose ARN names another account or partition; a key listed twice (same ARN); a key
 * that a multi-Region key names as its primary or replica but that has no {@code multiRegion} block
 * itself (KMS reports every key of a multi-Region set as multi-Region); and any instant that is not
 * written in UTC ({@code …Z}). A {@code multiRegion} block without {@code replicaKeys} has none (as
 * in the KMS API, where the member is optional).
 *
 * <p><strong>Memory.</strong> Each key is read, checked and handed over before the next is read. A
 * key larger than the limit ({@link #DEFAULT_MAX_KEY_BYTES} unless {@link #withMaxKeyBytes} says
 * otherwise) is rejected as soon as that many bytes of it were read, and so is any other top-level
 * member; the document as a whole has no size limit. What the reader remembers of the keys (each
 * ARN listed, to find keys listed twice, and each ARN a multi-Region key names as its partner) is
 * 32 bytes per ARN, on the heap for the first {@link #DEFAULT_MAX_INDEXED_KEYS_IN_MEMORY} ({@link
 * #withMaxIndexedKeysInMemory}) and for all of them beyond in a temporary file, so the heap a read
 * needs does not grow with the number of keys. {@code keys} is read key by key when {@code
 * schemaVersion}, {@code account}, {@code partition} and {@code capturedAt} (and, from schema
 * version 3 on, {@code inventory}) come before it, as kms-posture writes them; otherwise the keys
 * wait until the header is complete, each as the exact bytes of its JSON (the first 4 MiB in
 * memory, the rest in a temporary file), and are bound once, when handed over. What is reported
 * about a document does not depend on whether its keys waited: the same keys, or the same first
 * problem with the same pointer and message.
 *
 * <p>Immutable and thread-safe; each {@code read} is independent.
 */
public final class SnapshotReader {
  /**
   * The default size limit of one key (and of any other top-level member): 64 MiB. A key's JSON is
   * mostly its policy (at most 32 KB) and its grants; KMS allows 50,000 grants per key, about 25
   * MB.
   */
  public static final long DEFAULT_MAX_KEY_BYTES = 64L * 1024 * 1024;

  // Each reads one member's value from the middle of the document: what follows it is not
  // trailing content (the reader checks the document's end itself).
  // Built when first needed (a key KeyBinder leaves to data binding, a key read from a String, an
  // inventory): building an ObjectReader builds its whole deserializer, for a key the deserializers
  // of all its parts, which a check whose keys all bind with KeyBinder never uses.
  private static final class KeyReader {
    static final ObjectReader READER = member(KeySnapshot.class);
  }

  private static final class InventoryReader {
    static final ObjectReader READER = member(ResourceInventory.class);
  }

  // Bytes of keys read before the header is complete that wait in memory; the rest wait on disk.
  static final long WAITING_IN_MEMORY = 4L * 1024 * 1024;
  private static final ObjectReader STRINGS = member(new TypeReference<List<String>>() {});
  private static final ObjectReader ALIASES = member(new TypeReference<List<AliasEntry>>() {});
  private static final ObjectReader TRAILS = member(new TypeReference<List<TrailSnapshot>>() {});
  private static final ObjectReader ERRORS = member(new TypeReference<List<CollectionError>>() {});
  private static final ObjectReader INSTANT = member(Instant.class);

  private static ObjectReader member(Class<?> type) {
    return SnapshotCodec.MAPPER
        .readerFor(type)
        .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  private static ObjectReader member(TypeReference<?> type) {
    return SnapshotCodec.MAPPER
        .readerFor(type)
        .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  // The members whose values a look-ahead may read before the keys: those of the header a key
  // rule may see (RuleContext#snapshot) that may follow the keys.
  private static final List<String> LATE_MEMBERS =
      List.of("regions", "aliases", "trails", "collectionErrors", "durationMillis", "inventory");

  private static final List<String> MEMBERS =
      List.of(
          "schemaVersion",
          "account",
          "partition",
          "regions",
          "capturedAt",
          "keys",
          "aliases",
          "trails",
          "collectionErrors",
          "durationMillis",
          "inventory");

  /**
   * How many keys' ARNs a read remembers on the heap by default (to find a key listed twice, and a
   * key named by a multi-Region key that is not multi-Region): 65,536, about 3 MB; beyond them, all
   * are remembered in a temporary file, 32 bytes per ARN.
   */
  public static final int DEFAULT_MAX_INDEXED_KEYS_IN_MEMORY = 1 << 16;

  private final long maxKeyBytes;
  private final long waitingInMemory;
  private final int indexInMemory;

  // Whether keys read from a stream are bound by KeyBinder where it can tell (otherwise, as keys
  // read from a String always are, by data binding alone: what the binder must match).
  private final boolean keyBinder;

  private SnapshotReader(
      long maxKeyBytes, long waitingInMemory, int indexInMemory, boolean keyBinder) {
    this.maxKeyBytes = maxKeyBytes;
    this.waitingInMemory = waitingInMemory;
    this.indexInMemory = indexInMemory;
    this.keyBinder = keyBinder;
  }

  /** Returns a reader with the default per-key limit, {@link #DEFAULT_MAX_KEY_BYTES}. */
  public static SnapshotReader create() {
    return new SnapshotReader(
        DEFAULT_MAX_KEY_BYTES, WAITING_IN_MEMORY, DEFAULT_MAX_INDEXED_KEYS_IN_MEMORY, true);
  }

  /**
   * Returns this reader remembering the ARNs of at most {@code keys} keys on the heap ({@value
   * #DEFAULT_MAX_INDEXED_KEYS_IN_MEMORY} by default); beyond them, all are remembered in a
   * temporary file, deleted when the read ends. What is read does not depend on it.
   *
   * @throws IllegalArgumentException if {@code keys} is negative
   */
  public SnapshotReader withMaxIndexedKeysInMemory(int keys) {
    if (keys < 0) {
      throw new IllegalArgumentException(
          String.format("maxIndexedKeysInMemory [%d] must be 0 or more", keys));
    }
    return new SnapshotReader(maxKeyBytes, waitingInMemory, keys, keyBinder);
  }

  /**
   * Returns this reader with keys that wait for the header held in memory up to {@code bytes}, the
   * rest in a temporary file (tests use a small budget to read through the file).
   */
  SnapshotReader withWaitingInMemory(long bytes) {
    return new SnapshotReader(maxKeyBytes, bytes, indexInMemory, keyBinder);
  }

  /**
   * Returns this reader binding keys that wait for the header as they are read and holding them in
   * memory, as {@link #read(String)} does: what waiting as text must match (tests only).
   */
  SnapshotReader bindingInPlace() {
    return new SnapshotReader(maxKeyBytes, -1, indexInMemory, keyBinder);
  }

  /**
   * Returns this reader binding every key with data binding alone, never with {@link KeyBinder}:
   * what the binder must match (tests only).
   */
  SnapshotReader bindingWithDataBindingOnly() {
    return new SnapshotReader(maxKeyBytes, waitingInMemory, indexInMemory, false);
  }

  /**
   * Returns a reader that rejects a key (or other top-level member) larger than {@code
   * maxKeyBytes}.
   *
   * @throws IllegalArgumentException if {@code maxKeyBytes} is not positive
   */
  public SnapshotReader withMaxKeyBytes(long maxKeyBytes) {
    if (maxKeyBytes <= 0) {
      throw new IllegalArgumentException(
          String.format("maxKeyBytes [%d] must be positive", maxKeyBytes));
    }
    return new SnapshotReader(maxKeyBytes, waitingInMemory, indexInMemory, keyBinder);
  }

  /** Returns the size limit of one key, in bytes. */
  public long maxKeyBytes() {
    return maxKeyBytes;
  }

  /** Receives a snapshot's header, then its keys, one at a time. */
  public interface KeyConsumer {
    /**
     * Called once, before the first key (or, for a snapshot without keys, at the end), with the
     * snapshot's header: its schema version, account, partition, Regions and capture time, no keys,
     * and whatever other account parts came before the keys (from schema version 3 on, always the
     * inventory: keys wait for it).
     *
     * @param header the header
     */
    void start(AccountSnapshot header);

    /**
     * Called for each key, in document order, after it was checked.
     *
     * @param key the key
     */
    void accept(KeySnapshot key);
  }

  /**
   * Reads a snapshot from {@code in}, handing each key to {@code keys} as it is read.
   *
   * @param in the snapshot's JSON as UTF-8; read to its end, not closed
   * @param keys receives the header and the keys
   * @return the snapshot without its keys ({@link AccountSnapshot#keys()} is empty): the header and
   *     the account parts (aliases, trails, collection errors, duration)
   * @throws SnapshotParseException if the JSON is malformed, does not follow the schema, or a key
   *     is larger than the limit; the message gives the JSON Pointer of the offending member. Keys
   *     handed over before the problem was found stay handed over.
   * @throws java.io.UncheckedIOException if {@code in} fails
   */
  public AccountSnapshot read(InputStream in, KeyConsumer keys) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(keys, "keys");
    BoundedInput bounded = new BoundedInput(in);
    try (JsonParser p = SnapshotCodec.MAPPER.createParser(bounded)) {
      return new Run(p, bounded, keys, null).document();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the snapshot: " + e.getMessage(), e);
    }
  }

  /**
   * Opens the same document again, from its start, for {@link #read(InputStream, KeyConsumer,
   * LookAhead)}: a file can be read twice, standard input cannot.
   */
  @FunctionalInterface
  public interface LookAhead {
    /**
     * Returns a new stream of the document's bytes from its first; closed by the reader.
     *
     * @throws IOException if the document cannot be opened again
     */
    InputStream open() throws IOException;
  }

  /**
   * Thrown by {@link #read(InputStream, KeyConsumer, LookAhead)} when the keys it handed over must
   * be forgotten: read the document again with {@link #read(InputStream, KeyConsumer)}, which hands
   * over the same keys or reports the problem the document has.
   */
  public static final class ReadAgain extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReadAgain(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Reads a snapshot as {@link #read(InputStream, KeyConsumer)} does, but when its keys would wait
   * for members that follow them (a schema version 3 document whose {@code inventory} does not come
   * before its keys), reads those members first from a second stream of the document ({@code
   * ahead}), skipping over the keys, so that the keys are read in place and handed over as they are
   * read, with the header they would have been handed over with: the header at the document's end.
   * When the look-ahead cannot tell (it cannot be opened, or what follows the keys is not simple
   * members), the keys wait as usual.
   *
   * <p>When keys were handed over this way and then the document turns out to have a problem, or to
   * differ from what was read ahead (it changed between the two reads), this throws {@link
   * ReadAgain}: the caller forgets what it was handed and reads the document again with {@link
   * #read(InputStream, KeyConsumer)}, which reports the problem exactly as it always does.
   *
   * @param in the snapshot's JSON as UTF-8; read to its end, not closed
   * @param keys receives the header and the keys
   * @param ahead opens the same document again
   * @return the snapshot without its keys, as {@link #read(InputStream, KeyConsumer)} returns it
   * @throws ReadAgain if keys were handed over ahead of the members that follow them and the
   *     document then did not read as it was read ahead
   * @throws SnapshotParseException as {@link #read(InputStream, KeyConsumer)}, when no key was
   *     handed over ahead
   */
  public AccountSnapshot read(InputStream in, KeyConsumer keys, LookAhead ahead) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(ahead, "ahead");
    BoundedInput bounded = new BoundedInput(in);
    try (JsonParser p = SnapshotCodec.MAPPER.createParser(bounded)) {
      return new Run(p, bounded, keys, ahead).document();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the snapshot: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a whole snapshot from its JSON text, keys included: {@link AccountSnapshot#parse}.
   *
   * @throws SnapshotParseException if the JSON is malformed or does not follow the schema
   */
  public AccountSnapshot read(String json) {
    Objects.requireNonNull(json, "json");
    List<KeySnapshot> all = new ArrayList<>();
    AccountSnapshot account;
    try (JsonParser p = SnapshotCodec.MAPPER.createParser(json)) {
      account =
          new Run(
                  p,
                  null,
                  new KeyConsumer() {
                    @Override
                    public void start(AccountSnapshot header) {}

                    @Override
                    public void accept(KeySnapshot key) {
                      all.add(key);
                    }
                  },
                  null)
              .document();
    } catch (IOException e) {
      throw new IllegalStateException("bug in kms-posture: reading a String failed", e);
    }
    // The canonical constructor, as data binding calls it (see KeyBinder): the builder refuses
    // more than the record does, and the reader must accept what data binding accepts.
    return new AccountSnapshot(
        account.schemaVersion(),
        account.account(),
        account.partition(),
        account.regions(),
        account.capturedAt(),
        all,
        account.aliases(),
        account.trails(),
        account.collectionErrors(),
        account.durationMillis(),
        account.inventory());
  }

  /** One read of one document. */
  private final class Run {
    private final JsonParser p;
    private final @Nullable BoundedInput input;
    private final KeyConsumer consumer;
    // The ARNs listed, and those that multi-Region keys name as partners, with where.
    private final KeyIndex index =
        new KeyIndex(indexInMemory, Path.of(System.getProperty("java.io.tmpdir", ".")));

    private @Nullable Integer schemaVersion;
    private @Nullable String account;
    private @Nullable String partition;
    private List<String> regions = List.of();
    private @Nullable Instant capturedAt;
    private List<AliasEntry> aliases = List.of();
    private @Nullable List<TrailSnapshot> trails;
    private List<CollectionError> collectionErrors = List.of();
    private @Nullable Long durationMillis;
    private @Nullable ResourceInventory inventory;
    private final List<String> seen = new ArrayList<>();

    private boolean started;
    private int keyCount;
    // Keys read before the header was complete, handed over once it is. Read from a String, they
    // are held bound; read from a stream, they wait as their JSON text (in memory up to
    // WAITING_IN_MEMORY bytes, the rest in a temporary file) and are bound once, when handed over,
    // so that a version 3 document without an inventory before its keys is read in bounded memory
    // and each key is bound only once.
    private final List<KeySnapshot> early = new ArrayList<>();
    private @Nullable WaitingKeys waiting;
    // How many waiting keys are known to bind, and the binding problem of the first that does not
    // (once found, no other problem is looked for).
    private int boundUpTo;
    private @Nullable SnapshotParseException firstBindingProblem;

    // Opens the document again to read the members after the keys first (null: keys wait).
    private final @Nullable LookAhead ahead;
    // The header the keys were handed over with when they were read ahead of the members that
    // follow them, and those members' names, in order; null when they were not.
    private @Nullable AccountSnapshot aheadHeader;
    private List<String> aheadMembers = List.of();

    Run(
        JsonParser p,
        @Nullable BoundedInput input,
        KeyConsumer consumer,
        @Nullable LookAhead ahead) {
      this.p = p;
      this.input = input;
      this.consumer = consumer;
      this.ahead = ahead;
    }

    AccountSnapshot document() throws IOException {
      try {
        return documentOnce();
      } catch (IOException | RuntimeException e) {
        if (aheadHeader != null) {
          // Keys were handed over ahead of the members after them: whatever went wrong, the
          // document is read again the usual way, which reports it as it always does.
          throw new ReadAgain(
              "the snapshot did not read as it was read ahead: " + e.getMessage(), e);
        }
        // A key that waits is bound only when handed over, but binding it is what the document
        // shows first: its problem comes before any found later in the document, and before any
        // check of the keys against the account (which needs every key bound), as when each key
        // is bound as it is read.
        SnapshotParseException first = firstBindingProblem();
        if (first != null && first != e) {
          throw first;
        }
        throw e;
      } finally {
        closeEarly();
        index.close();
      }
    }

    private AccountSnapshot documentOnce() throws IOException {
      try {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new SnapshotParseException(
              "", "expected a JSON object (an account snapshot, docs/snapshot-schema.md)");
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          member(name);
        }
        if (t != JsonToken.END_OBJECT) {
          throw new SnapshotParseException("", "malformed JSON: the document does not end");
        }
        if (p.nextToken() != null) {
          throw new SnapshotParseException("", "malformed JSON: content after the snapshot object");
        }
      } catch (TooLarge e) {
        throw new SnapshotParseException(e.pointer, String.valueOf(e.getMessage()), e);
      } catch (JsonMappingException e) {
        throw new SnapshotParseException(
            SnapshotCodec.pointer(e) + SnapshotCodec.member(e), SnapshotCodec.problem(e), e);
      } catch (JsonProcessingException e) {
        throw new SnapshotParseException("", JacksonProblems.syntax(e), e);
      }
      requireHeader();
      AccountSnapshot header = header();
      if (!started) {
        start(header);
      }
      checkPartners();
      AccountSnapshot handed = aheadHeader;
      if (handed != null) {
        int keysAt = seen.indexOf("keys");
        if (!handed.equals(header) || !seen.subList(keysAt + 1, seen.size()).equals(aheadMembers)) {
          throw new ReadAgain(
              "the members after the keys differ from those read ahead (the snapshot changed while"
                  + " it was read?)",
              null);
        }
      }
      return header;
    }

    private void member(String name) throws IOException {
      if (seen.contains(name)) {
        // STRICT_DUPLICATE_DETECTION catches this first; kept for readers without it.
        throw new SnapshotParseException("/" + name, "member [" + name + "] appears twice");
      }
      seen.add(name);
      arm(name);
      try {
        value(name);
      } catch (JsonMappingException e) {
        // Jackson's path starts at the member's value.
        throw new SnapshotParseException(
            "/" + escape(name) + SnapshotCodec.pointer(e) + SnapshotCodec.member(e),
            SnapshotCodec.problem(e),
            e);
      }
      disarm();
    }

    private void value(String name) throws IOException {
      switch (name) {
        case "schemaVersion" -> schemaVersion = schemaVersion();
        case "account" -> account = account();
        case "partition" -> partition = text("partition");
        case "regions" -> regions = orEmpty(STRINGS.<List<String>>readValue(p));
        case "capturedAt" -> capturedAt = instant("capturedAt");
        case "keys" -> keys();
        case "aliases" -> aliases = orEmpty(ALIASES.<List<AliasEntry>>readValue(p));
        case "trails" ->
            trails = p.currentToken() == JsonToken.VALUE_NULL ? null : TRAILS.readValue(p);
        case "collectionErrors" ->
            collectionErrors = orEmpty(ERRORS.<List<CollectionError>>readValue(p));
        case "durationMillis" -> durationMillis = durationMillis();
        case "inventory" ->
            inventory =
                p.currentToken() == JsonToken.VALUE_NULL
                    ? null
                    : InventoryReader.READER.readValue(p);
        default ->
            throw new SnapshotParseException(
                "/" + escape(name),
                "unknown member ["
                    + name
                    + "]; a snapshot (schema versions "
                    + AccountSnapshot.OLDEST_SCHEMA_VERSION
                    + " to "
                    + AccountSnapshot.SCHEMA_VERSION
                    + ") has "
                    + String.join(", ", MEMBERS));
      }
    }

    private <T> List<T> orEmpty(@Nullable List<T> list) {
      return list == null ? List.of() : list;
    }

    private int schemaVersion() throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_INT) {
        int v = p.getIntValue();
        if (v < AccountSnapshot.OLDEST_SCHEMA_VERSION || v > AccountSnapshot.SCHEMA_VERSION) {
          throw new SnapshotParseException(
              "/schemaVersion",
              String.format(
                  "snapshot schemaVersion [%d] is not supported; this version of kms-posture"
                      + " reads %d to %d",
                  v, AccountSnapshot.OLDEST_SCHEMA_VERSION, AccountSnapshot.SCHEMA_VERSION));
        }
        return v;
      }
      String shown =
          t == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\"" : String.valueOf(p.getText());
      throw new SnapshotParseException(
          "/schemaVersion",
          "schemaVersion ["
              + shown
              + "] is not a JSON integer from "
              + AccountSnapshot.OLDEST_SCHEMA_VERSION
              + " to "
              + AccountSnapshot.SCHEMA_VERSION
              + "; write, for example, \"schemaVersion\": "
              + AccountSnapshot.SCHEMA_VERSION);
    }

    private String account() throws IOException {
      String a = text("account");
      if (!AccountId.isAccountId(a)) {
        throw new SnapshotParseException(
            "/account", "account [" + a + "] is not an AWS account id; expected 12 digits");
      }
      return a;
    }

    private String text(String name) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw new SnapshotParseException(
            "/" + name, name + " must be a string, not " + describe(p.currentToken()));
      }
      return p.getText();
    }

    private @Nullable Long durationMillis() throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      if (t != JsonToken.VALUE_NUMBER_INT) {
        throw new SnapshotParseException(
            "/durationMillis", "durationMillis must be an integer, not " + describe(t));
      }
      return p.getLongValue();
    }

    private Instant instant(String name) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        throw new SnapshotParseException("/" + name, "required field [" + name + "] is missing");
      }
      try {
        return INSTANT.readValue(p);
      } catch (JsonMappingException e) {
        throw new SnapshotParseException("/" + name, SnapshotCodec.problem(e), e);
      }
    }

    private void keys() throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return;
      }
      if (t != JsonToken.START_ARRAY) {
        throw new SnapshotParseException(
            "/keys", "keys must be an array of keys, not " + describe(t));
      }
      boolean headerFirst = hasHeader();
      if (!headerFirst && readMembersAfterKeys()) {
        headerFirst = true;
        aheadHeader = header();
      }
      if (headerFirst) {
        start(header());
      }
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        int i = keyCount++;
        String at = "/keys/" + i;
        arm(at);
        if (t != JsonToken.START_OBJECT) {
          throw new SnapshotParseException(at, "a key must be a JSON object, not " + describe(t));
        }
        BoundedInput in = input;
        if (!headerFirst && in != null && waitingInMemory >= 0) {
          waitAsText(at, in);
          continue;
        }
        KeySnapshot key;
        if (in != null && keyBinder) {
          key = bindInPlace(at, in);
        } else {
          try {
            key = KeyReader.READER.readValue(p);
          } catch (JsonMappingException e) {
            throw new SnapshotParseException(
                at + SnapshotCodec.pointer(e) + SnapshotCodec.member(e),
                SnapshotCodec.problem(e),
                e);
          }
        }
        if (headerFirst) {
          check(key, i);
          consumer.accept(key);
        } else {
          early.add(key);
        }
      }
      disarm();
    }

    /**
     * Binds the key that starts at the current token as data binding would: with {@link KeyBinder}
     * when it can tell; otherwise its exact bytes are bound as a waiting key is, so that a problem
     * is reported in the same words, at the same pointer, and the first of several first.
     */
    private KeySnapshot bindInPlace(String at, BoundedInput in) throws IOException {
      JsonLocation start = p.currentTokenLocation();
      long from = start.getByteOffset();
      int depth = p.getParsingContext().getNestingDepth();
      in.keepFrom(from);
      // The binder finds a member twice itself and leaves such a key to data binding, which
      // reports it as the parser does (as for a key that waited): the parser need not keep the
      // names of every object of the key to look for one. Only the key's own contexts go without;
      // the next key's object gets a detector from the array's again.
      p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      try {
        KeySnapshot key = KeyBinder.bind(p);
        if (key != null) {
          return key;
        }
        // to the key's end, from wherever the binder stopped
        while (p.getParsingContext().getNestingDepth() >= depth) {
          if (p.nextToken() == null) {
            throw new IllegalStateException("bug in kms-posture: the input ended inside a key");
          }
        }
        long to = p.currentTokenLocation().getByteOffset() + 1;
        return bindWithDataBinding(
            at, new WaitingKeys.Text(in.copy(from, to), start.getLineNr(), start.getColumnNr()));
      } catch (TooLarge | JsonProcessingException e) {
        broken(at, in, from, start, e instanceof TooLarge tooLarge ? tooLarge : null);
        throw e;
      } finally {
        p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        in.keepFrom(Long.MAX_VALUE);
      }
    }

    // Copies the key that starts at the current token, as its exact bytes, to the waiting keys.
    private void waitAsText(String at, BoundedInput in) throws IOException {
      JsonLocation start = p.currentTokenLocation();
      long from = start.getByteOffset();
      in.keepFrom(from);
      try {
        p.skipChildren();
      } catch (TooLarge | JsonProcessingException e) {
        broken(at, in, from, start, e instanceof TooLarge tooLarge ? tooLarge : null);
        throw e;
      }
      long to = p.currentTokenLocation().getByteOffset() + 1;
      byte[] json = in.copy(from, to);
      in.keepFrom(Long.MAX_VALUE);
      WaitingKeys w = waiting;
      if (w == null) {
        w = new WaitingKeys(waitingInMemory);
        waiting = w;
      }
      w.add(json, start.getLineNr(), start.getColumnNr());
    }

    // What reading a key that breaks off (malformed, or over the size limit) reports: binding it
    // would have found a problem of its content before the break, if it has one, and reports a
    // malformed key as binding does (over the limit, where binding stood when the limit was hit);
    // otherwise (returning) the break stands.
    private void broken(
        String at, BoundedInput in, long from, JsonLocation start, @Nullable TooLarge tooLarge) {
      byte[] partial = in.copy(from, in.position());
      SnapshotParseException bound =
          bindProblem(at, partial, start.getLineNr(), start.getColumnNr(), tooLarge);
      // Over the limit, the bytes held end where reading stopped: their end is not a problem.
      if (bound != null && !(tooLarge != null && endsEarly(bound))) {
        throw bound;
      }
    }

    private static boolean endsEarly(Throwable e) {
      for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
        if (c instanceof com.fasterxml.jackson.core.io.JsonEOFException) {
          return true;
        }
      }
      return false;
    }

    // The first waiting key (from those not yet known to bind) that does not bind, if any.
    private @Nullable SnapshotParseException firstBindingProblem() {
      if (firstBindingProblem != null) {
        return firstBindingProblem;
      }
      WaitingKeys w = waiting;
      if (w == null || boundUpTo >= w.size()) {
        return null;
      }
      try (WaitingKeys.Cursor c = w.cursor()) {
        for (int n = 0; c.hasNext(); n++) {
          WaitingKeys.Text t = c.next();
          if (n < boundUpTo) {
            continue;
          }
          if (binds(t.json())) {
            continue;
          }
          SnapshotParseException problem =
              bindProblem("/keys/" + n, t.json(), t.line(), t.column(), null);
          if (problem != null) {
            firstBindingProblem = problem;
            return problem;
          }
        }
      } catch (IOException e) {
        // the problem found first stands
      }
      return null;
    }

    // Whether a waiting key binds (the quick test; bindProblem says how it does not).
    private boolean binds(byte[] json) {
      try {
        KeyReader.READER.readValue(SnapshotCodec.MAPPER.createParser(json));
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    // Binds a waiting key, as reading it in place would have.
    private KeySnapshot bind(String at, WaitingKeys.Text t) {
      if (keyBinder) {
        try (JsonParser q = SnapshotCodec.MAPPER.createParser(t.json())) {
          // The binder finds a member twice itself (and leaves the key to data binding, which
          // reports it as the parser does), so the parser need not look for it too.
          q.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
          q.nextToken();
          KeySnapshot key = KeyBinder.bind(q);
          if (key != null) {
            return key;
          }
        } catch (IOException e) {
          // data binding reports it, below
        }
      }
      return bindWithDataBinding(at, t);
    }

    // Binds a key's exact bytes with data binding, reporting a problem as reading it in place
    // would.
    private KeySnapshot bindWithDataBinding(String at, WaitingKeys.Text t) {
      try {
        return KeyReader.READER.readValue(SnapshotCodec.MAPPER.createParser(t.json()));
      } catch (IOException e) {
        SnapshotParseException problem = bindProblem(at, t.json(), t.line(), t.column(), null);
        if (problem == null) {
          throw new IllegalStateException(
              "bug in kms-posture: a key failed to bind once and bound the second time", e);
        }
        throw problem;
      }
    }

    /**
     * Returns what binding {@code json} in place (at the given line and column of the document)
     * reports, or null when it binds. The text is preceded by as many line breaks and spaces as the
     * document had before it, so that Jackson's messages name the same line and column. When {@code
     * tooLarge} is given, {@code json} is what was read of a key when the limit stopped it, and
     * reading on past it fails as reading the document did, where binding stood then (data binding
     * names the member or element it was in when the limit is hit inside a list); null when that
     * failure reaches binding's caller unwrapped, as it then did in the document.
     */
    private @Nullable SnapshotParseException bindProblem(
        String at, byte[] json, int line, int column, @Nullable TooLarge tooLarge) {
      InputStream text = new java.io.ByteArrayInputStream(json);
      if (tooLarge != null) {
        text = new java.io.SequenceInputStream(text, new Failing(tooLarge));
      }
      InputStream padded =
          new java.io.SequenceInputStream(
              new Padding(Math.max(0, line - 1), Math.max(0, column - 1)), text);
      // Closed only once the problem is described: the description reads the parser's token.
      JsonParser q = null;
      try {
        q = SnapshotCodec.MAPPER.createParser(new BoundedInput(padded));
        q.nextToken();
        KeyReader.READER.readValue(q);
        return null;
      } catch (JsonMappingException e) {
        return new SnapshotParseException(
            at + SnapshotCodec.pointer(e) + SnapshotCodec.member(e), SnapshotCodec.problem(e), e);
      } catch (JsonProcessingException e) {
        return new SnapshotParseException("", JacksonProblems.syntax(e), e);
      } catch (TooLarge e) {
        return null;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } finally {
        if (q != null) {
          try {
            q.close();
          } catch (IOException e) {
            // reading from memory: nothing to release
          }
        }
      }
    }

    /**
     * When the header lacks only what members after the keys may give (a schema version 3 document
     * whose inventory has not come yet), reads those members from a second stream of the document,
     * skipping the keys with {@link MembersAfterKeys}, and takes their values as if they had been
     * read already; returns whether it did. It does not when there is no second stream, when the
     * keys are not at the same place in it, or when what follows them is anything but distinct
     * members of the header that do not come before the keys and that read without a problem: then
     * the keys wait as usual, and the document reports whatever problem it has as usual.
     */
    private boolean readMembersAfterKeys() throws IOException {
      LookAhead a = ahead;
      Integer version = schemaVersion;
      if (a == null
          || input == null
          || waitingInMemory < 0
          || version == null
          || version < 3
          || account == null
          || partition == null
          || capturedAt == null
          || seen.contains("inventory")) {
        return false;
      }
      long at = p.currentTokenLocation().getByteOffset();
      byte[] after;
      try (InputStream again = a.open()) {
        after = MembersAfterKeys.find(again, at, maxKeyBytes);
      } catch (IOException | RuntimeException e) {
        return false;
      }
      if (after == null) {
        return false;
      }
      Run late;
      try (JsonParser q = SnapshotCodec.MAPPER.createParser(after)) {
        late = new Run(q, null, consumer, null);
        try {
          if (!late.lateMembers(seen)) {
            return false;
          }
        } finally {
          // It reads members, never keys: its key index stays empty and is released here.
          late.index.close();
        }
      } catch (IOException | RuntimeException e) {
        return false;
      }
      // only the members read ahead: those before the keys stand
      List<String> read = late.seen;
      if (read.contains("regions")) {
        regions = late.regions;
      }
      if (read.contains("aliases")) {
        aliases = late.aliases;
      }
      if (read.contains("trails")) {
        trails = late.trails;
      }
      if (read.contains("collectionErrors")) {
        collectionErrors = late.collectionErrors;
      }
      if (read.contains("durationMillis")) {
        durationMillis = late.durationMillis;
      }
      if (read.contains("inventory")) {
        inventory = late.inventory;
      }
      aheadMembers = List.copyOf(read);
      return true;
    }

    /**
     * Reads an object of members that follow the keys: true when each is a distinct header member
     * after which keys may come, and none is in {@code before} (read before the keys).
     */
    private boolean lateMembers(List<String> before) throws IOException {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        if (!LATE_MEMBERS.contains(name) || before.contains(name) || seen.contains(name)) {
          return false;
        }
        p.nextToken();
        member(name);
      }
      return t == JsonToken.END_OBJECT && p.nextToken() == null;
    }

    // Forgets the waiting keys, deleting their temporary file, if any.
    void closeEarly() {
      WaitingKeys w = waiting;
      waiting = null;
      if (w != null) {
        w.close();
      }
    }

    private void start(AccountSnapshot header) {
      started = true;
      consumer.start(header);
      for (int i = 0; i < early.size(); i++) {
        KeySnapshot key = early.get(i);
        check(key, i);
        consumer.accept(key);
      }
      early.clear();
      WaitingKeys w = waiting;
      if (w == null) {
        return;
      }
      try (WaitingKeys.Cursor c = w.cursor()) {
        for (int n = 0; c.hasNext(); n++) {
          WaitingKeys.Text t = c.next();
          KeySnapshot key;
          try {
            key = bind("/keys/" + n, t);
          } catch (SnapshotParseException e) {
            firstBindingProblem = e;
            throw e;
          }
          boundUpTo = n + 1;
          check(key, n);
          consumer.accept(key);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(
            "cannot read back the keys held in a temporary file: " + e.getMessage(), e);
      }
      closeEarly();
    }

    // Key rules read the inventory (which resources use the key): from version 3 on, keys are
    // handed over only once the inventory member was read (our writer puts it before the keys), or
    // at the end of the document when it has none.
    private boolean hasHeader() {
      return schemaVersion != null
          && account != null
          && partition != null
          && capturedAt != null
          && (schemaVersion < 3 || seen.contains("inventory"));
    }

    private void requireHeader() {
      for (String name : List.of("schemaVersion", "account", "partition", "capturedAt")) {
        if (!seen.contains(name)) {
          throw new SnapshotParseException("/" + name, "required field [" + name + "] is missing");
        }
      }
    }

    private AccountSnapshot header() {
      int version = Objects.requireNonNull(schemaVersion);
      if (inventory != null && version < 3) {
        throw new SnapshotParseException(
            "/inventory",
            String.format(
                "[inventory] needs snapshot schemaVersion 3; this snapshot says schemaVersion %d",
                version));
      }
      // The canonical constructor, as data binding calls it (see KeyBinder).
      return new AccountSnapshot(
          Objects.requireNonNull(schemaVersion),
          Objects.requireNonNull(account),
          Objects.requireNonNull(partition),
          regions,
          Objects.requireNonNull(capturedAt),
          List.of(),
          aliases,
          trails,
          collectionErrors,
          durationMillis,
          inventory);
    }

    // What the records cannot check alone: the key against the account, and against the others.
    private void check(KeySnapshot key, int i) {
      String at = "/keys/" + i;
      String arn = key.arn();
      if (Objects.requireNonNull(schemaVersion) < 2) {
        try {
          AccountSnapshot.requireVersion1(List.of(key));
        } catch (IllegalArgumentException e) {
          throw new SnapshotParseException(at, String.valueOf(e.getMessage()), e);
        }
      }
      if (!key.account().equals(account)) {
        throw new SnapshotParseException(
            at + "/arn",
            String.format(
                "key ARN [%s] is in account [%s], not in the snapshot's account [%s]; a snapshot"
                    + " holds the keys of one account",
                arn, key.account(), account));
      }
      if (!key.partition().equals(partition)) {
        throw new SnapshotParseException(
            at + "/arn",
            String.format(
                "key ARN [%s] is in partition [%s], not in the snapshot's partition [%s]",
                arn, key.partition(), partition));
      }
      MultiRegionConfiguration mr = key.metadata().multiRegion();
      int before = index.add(arn, i, mr != null);
      if (before >= 0) {
        throw new SnapshotParseException(
            at + "/arn",
            String.format("key [%s] is listed twice, at /keys/%d and here", arn, before));
      }
      if (mr != null) {
        index.named(mr.primaryKey().arn(), i, -1);
        for (int r = 0; r < mr.replicaKeys().size(); r++) {
          index.named(mr.replicaKeys().get(r).arn(), i, r);
        }
      }
    }

    // A key named as a primary or replica must itself be multi-Region when the snapshot lists it.
    private void checkPartners() {
      KeyIndex.Misnamed m = index.misnamed();
      if (m != null) {
        throw new SnapshotParseException(
            "/keys/" + m.listedAt() + "/metadata",
            String.format(
                "key [%s] is named as part of a multi-Region set (at %s) but has no multiRegion"
                    + " block; KMS describes every key of a multi-Region set as multi-Region",
                m.arn(), m.namedAt()));
      }
    }

    // The per-key (per-member) size limit: counted from here until disarm().
    private void arm(String what) {
      if (input != null) {
        input.arm(what, maxKeyBytes, p.currentTokenLocation().getByteOffset());
      }
    }

    private void disarm() {
      if (input != null) {
        input.disarm();
      }
    }
  }

  private static String describe(@Nullable JsonToken t) {
    if (t == null) {
      return "the end of the input";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.toString();
    };
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  /** {@code lines} line breaks, then {@code spaces} spaces, made as they are read. */
  private static final class Padding extends InputStream {
    private long lines;
    private long spaces;

    Padding(long lines, long spaces) {
      this.lines = lines;
      this.spaces = spaces;
    }

    @Override
    public int read() {
      if (lines > 0) {
        lines--;
        return '\n';
      }
      if (spaces > 0) {
        spaces--;
        return ' ';
      }
      return -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      int n = 0;
      while (n < len && lines > 0) {
        b[off + n++] = '\n';
        lines--;
      }
      while (n < len && spaces > 0) {
        b[off + n++] = ' ';
        spaces--;
      }
      return n == 0 ? -1 : n;
    }
  }

  /** Fails every read as reading the document failed when a key went over the size limit. */
  private static final class Failing extends InputStream {
    private final TooLarge tooLarge;

    Failing(TooLarge tooLarge) {
      this.tooLarge = tooLarge;
    }

    @Override
    public int read() throws TooLarge {
      throw new TooLarge(tooLarge.pointer, String.valueOf(tooLarge.getMessage()));
    }

    @Override
    public int read(byte[] b, int off, int len) throws TooLarge {
      throw new TooLarge(tooLarge.pointer, String.valueOf(tooLarge.getMessage()));
    }
  }

  /**
   * A member over the size limit. An IOException, so that Jackson passes it through unwrapped from
   * wherever the reading stood.
   */
  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @serial the JSON Pointer of the member
     */
    private final String pointer;

    TooLarge(String pointer, String problem) {
      super(problem);
      this.pointer = pointer;
    }
  }

  /**
   * Counts the bytes Jackson has taken, and fails once a member has used more than its limit.
   * Jackson asks for more input only when it has consumed all it was given, so the count at each
   * read is exactly what it consumed: a member is stopped within one read (a few kilobytes) past
   * its limit.
   */
  private static final class BoundedInput extends FilterInputStream {
    // How much of what was read is kept beyond a key being copied: more than the parser's buffer,
    // so that a key's first byte is still here when the parser reports its opening brace.
    private static final int TAIL = 64 * 1024;

    private long position;
    private long limitAt = Long.MAX_VALUE;
    private String what = "";
    private long limit;
    // The bytes read lately, [position - historyLength, position): the last TAIL bytes at least,
    // and every byte from keepFrom on.
    private byte[] history = new byte[4 * TAIL];
    private int historyLength;
    private long keepFrom = Long.MAX_VALUE;

    BoundedInput(InputStream in) {
      super(in);
    }

    void arm(String what, long limit, long start) {
      this.what = what;
      this.limit = limit;
      this.limitAt = (start < 0 ? position : start) + limit;
    }

    void disarm() {
      limitAt = Long.MAX_VALUE;
    }

    long position() {
      return position;
    }

    /** Keeps every byte from {@code from} on (until told otherwise), so it can be copied. */
    void keepFrom(long from) {
      keepFrom = from;
    }

    /**
     * Returns the bytes from {@code from} (inclusive) to {@code to} (exclusive), which must still
     * be held.
     */
    byte[] copy(long from, long to) {
      long start = position - historyLength;
      if (from < start || to > position || from > to) {
        throw new IllegalStateException(
            String.format(
                "bug in kms-posture: bytes %d to %d of the snapshot are no longer held (%d to %d"
                    + " are)",
                from, to, start, position));
      }
      return java.util.Arrays.copyOfRange(
          history, (int) (from - start), (int) (from - start + (to - from)));
    }

    @Override
    public int read() throws IOException {
      check();
      int b = super.read();
      if (b >= 0) {
        remember(new byte[] {(byte) b}, 0, 1);
        position++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      check();
      int n = super.read(b, off, len);
      if (n > 0) {
        remember(b, off, n);
        position += n;
      }
      return n;
    }

    // Appends what was just read (before position moves on), dropping what need not be held.
    private void remember(byte[] b, int off, int n) {
      if (historyLength + n > history.length) {
        long start = position - historyLength;
        long keep = Math.min(keepFrom, position - TAIL);
        int drop = (int) Math.max(0, Math.min(historyLength, keep - start));
        System.arraycopy(history, drop, history, 0, historyLength - drop);
        historyLength -= drop;
        if (historyLength + n > history.length) {
          history =
              java.util.Arrays.copyOf(
                  history, (int) Math.min(Integer.MAX_VALUE - 8, 2L * (historyLength + n)));
        }
      }
      System.arraycopy(b, off, history, historyLength, n);
      historyLength += n;
    }

    private void check() throws TooLarge {
      if (position > limitAt) {
        boolean key = what.startsWith("/keys/");
        throw new TooLarge(
            key ? what : "/" + escape(what),
            String.format(
                "the %s is larger than the limit of %d bytes per %s",
                key ? "key" : "member", limit, key ? "key" : "member"));
      }
    }
  }
}
