package dev.kmsposture.testkit.internal.kms.crypto;

/** Big-endian integers for our binary formats. */
final class ByteCodec {
  private ByteCodec() {}

  static byte[] u32(int value) {
    return new byte[] {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
  }

  static void putU16(byte[] target, int offset, int value) {
    target[offset] = (byte) (value >>> 8);
    target[offset + 1] = (byte) value;
  }

  static int u16(byte[] source, int offset) {
    return ((source[offset] & 0xff) << 8) | (source[offset + 1] & 0xff);
  }

  static void putU32(byte[] target, int offset, int value) {
    target[offset] = (byte) (value >>> 24);
    target[offset + 1] = (byte) (value >>> 16);
    target[offset + 2] = (byte) (value >>> 8);
    target[offset + 3] = (byte) value;
  }

  static int u32(byte[] source, int offset) {
    return ((source[offset] & 0xff) << 24)
        | ((source[offset + 1] & 0xff) << 16)
        | ((source[offset + 2] & 0xff) << 8)
        | (source[offset + 3] & 0xff);
  }
}
