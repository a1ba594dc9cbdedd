package dev.kmsposture.testkit.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A response object that a service has also written out as JSON text itself: the dispatcher sends
 * {@link #written()} instead of writing the tree again. A service builds one where the body of a
 * frequent answer can be written more cheaply than a generic writer walks the tree (Decrypt).
 *
 * <p>The service promises that {@link #written()} is, byte for byte, the compact JSON text that
 * Jackson writes for this tree, and that it does not change the tree after handing it over. Readers
 * that want the tree (the engine's own callers, tests) read it as any {@code ObjectNode}.
 *
 * <p>Made {@linkplain #WrittenObject(JsonNodeFactory, byte[], Consumer) with its members to come},
 * the tree is built when it is first read: the transport, which sends the text, never reads it, so
 * on the wire the members are never made at all.
 */
// Jackson's ObjectNode narrows JsonNode's generic deepCopy(); javac reports it on every subclass
@SuppressWarnings("unchecked")
public final class WrittenObject extends ObjectNode {
  private static final long serialVersionUID = 1L;

  // a serialized node travels as JSON text (BaseJsonNode.writeReplace): the bytes never do
  private final transient byte[] written;

  /**
   * Creates an empty object whose members the caller then puts, in the order of {@code written}.
   *
   * @param nodes the node factory of the members
   * @param written the compact JSON text of the finished object, as UTF-8 bytes; not copied
   */
  public WrittenObject(JsonNodeFactory nodes, byte[] written) {
    super(Objects.requireNonNull(nodes, "nodes"));
    this.written = Objects.requireNonNull(written, "written");
  }

  /**
   * Creates the object whose members {@code members} puts into the map it is given, in the order of
   * {@code written}, when the tree is first read (once, whichever thread reads first).
   *
   * @param nodes the node factory of the members
   * @param written the compact JSON text of the finished object, as UTF-8 bytes; not copied
   * @param members puts the members, as the caller would have put them into an empty object
   */
  public WrittenObject(
      JsonNodeFactory nodes, byte[] written, Consumer<Map<String, JsonNode>> members) {
    super(Objects.requireNonNull(nodes, "nodes"), new LaterMembers(members));
    this.written = Objects.requireNonNull(written, "written");
  }

  /** The compact JSON text of this object, as UTF-8 bytes; the caller must not change them. */
  public byte[] written() {
    return written;
  }

  /**
   * The members of an object, made on first use: every operation goes to the map that the maker
   * fills then (the views, the default methods and equality through {@code entrySet}).
   */
  private static final class LaterMembers extends AbstractMap<String, JsonNode> {
    private @Nullable Consumer<Map<String, JsonNode>> maker;
    private volatile @Nullable Map<String, JsonNode> made;

    LaterMembers(Consumer<Map<String, JsonNode>> maker) {
      this.maker = Objects.requireNonNull(maker, "members");
    }

    private Map<String, JsonNode> members() {
      Map<String, JsonNode> members = made;
      if (members != null) {
        return members;
      }
      synchronized (this) {
        members = made;
        if (members == null) {
          members = new LinkedHashMap<>();
          Consumer<Map<String, JsonNode>> fill = Objects.requireNonNull(maker);
          fill.accept(members);
          maker = null;
          made = members;
        }
        return members;
      }
    }

    @Override
    public Set<Map.Entry<String, JsonNode>> entrySet() {
      return members().entrySet();
    }

    @Override
    public int size() {
      return members().size();
    }

    @Override
    public boolean isEmpty() {
      return members().isEmpty();
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
      return members().containsKey(key);
    }

    @Override
    public @Nullable JsonNode get(@Nullable Object key) {
      return members().get(key);
    }

    @Override
    public @Nullable JsonNode put(String key, JsonNode value) {
      return members().put(key, value);
    }

    @Override
    public @Nullable JsonNode remove(@Nullable Object key) {
      return members().remove(key);
    }

    @Override
    public void clear() {
      members().clear();
    }
  }
}
