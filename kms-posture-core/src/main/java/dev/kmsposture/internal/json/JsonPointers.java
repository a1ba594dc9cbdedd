package dev.kmsposture.internal.json;

/** JSON Pointer (RFC 6901) helpers. */
public final class JsonPointers {
  private JsonPointers() {}

  /** Appends the member name {@code key} to {@code pointer}, escaping {@code ~} and {@code /}. */
  public static String child(String pointer, String key) {
    if (key.indexOf('~') < 0 && key.indexOf('/') < 0) {
      return pointer + "/" + key;
    }
    return pointer + "/" + key.replace("~", "~0").replace("/", "~1");
  }

  /** Appends the array index {@code index} to {@code pointer}. */
  public static String child(String pointer, int index) {
    return pointer + "/" + index;
  }
}
