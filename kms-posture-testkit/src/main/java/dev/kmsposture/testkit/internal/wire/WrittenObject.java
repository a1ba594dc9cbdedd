package dev.kmsposture.testkit.internal.wire;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A response object that a service has also written out as JSON text itself: the dispatcher sends
 * {@link #written()} instead of writing the tree again. A service builds one where the body of a
 * frequent answer can be written more cheaply than a generic writer walks the tree (Decrypt).
 *
 * <p>The service promises that {@link #written()} is, byte for byte, the compact JSON text that
 * Jackson writes for this tree, and that it does not change the tree after handing it over. Readers
 * that want the tree (the engine's own callers, tests) read it as any {@code ObjectNode}.
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

  /** The compact JSON text of this object, as UTF-8 bytes; the caller must not change them. */
  public byte[] written() {
    return written;
  }
}
