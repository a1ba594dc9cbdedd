package dev.kmsposture.rules;

import dev.kmsposture.internal.text.Messages;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A finding's message before it is rendered: a template with {@code %s} (and {@code %d})
 * placeholders and its arguments, as in {@code Message.of("Rotation is disabled on %s", name)}.
 *
 * <p>Findings keep their message unrendered and render it each time {@link Finding#message()} is
 * read. A check of 100,000 keys holds about three million findings; rendered, their messages were
 * most of the report's memory and most of the engine's garbage-collection work. Arguments must be
 * immutable (strings, numbers, immutable collections): they are rendered later, with {@link
 * String#valueOf(Object)}.
 */
public final class Message {
  private static final Object[] NO_ARGS = new Object[0];

  private final String template;
  // The arguments, packed: NO_ARGS, the single argument itself (unless it is an Object[]), or the
  // array of two or more. Findings keep this packed form, so a message with one argument costs no
  // array.
  private final Object packed;

  private Message(String template, Object packed) {
    this.template = template;
    this.packed = packed;
  }

  /**
   * Returns the message {@code template} with {@code args}.
   *
   * @throws IllegalArgumentException if the template is blank, has a conversion other than {@code
   *     %s}, {@code %d} and {@code %%}, or the number of placeholders and arguments differ
   */
  public static Message of(String template, @Nullable Object... args) {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(args, "args");
    checkTemplate(template, args);
    Object packed;
    if (args.length == 0) {
      packed = NO_ARGS;
    } else if (args.length == 1 && !(args[0] instanceof Object[])) {
      packed = Objects.requireNonNullElse(args[0], "null");
    } else {
      packed = args.clone();
    }
    return new Message(template, packed);
  }

  // Templates already checked, with their number of placeholders. Rules make messages from a few
  // dozen constant templates millions of times; scanning each template every time was a twentieth
  // of the engine's time. Templates with %d are checked every time (the check reads the argument
  // types); the cache stops growing at MAX_CHECKED templates.
  private static final int MAX_CHECKED = 4096;
  private static final Map<String, Integer> CHECKED = new ConcurrentHashMap<>();

  // A template in the cache was found not blank when it was put there.
  private static void checkTemplate(String template, Object[] args) {
    Integer placeholders = CHECKED.get(template);
    if (placeholders != null && placeholders == args.length) {
      return;
    }
    if (template.isBlank()) {
      throw new IllegalArgumentException("a finding needs a message");
    }
    Messages.check(template, args);
    if (CHECKED.size() < MAX_CHECKED && !template.contains("%d")) {
      CHECKED.put(template, args.length);
    }
  }

  String template() {
    return template;
  }

  Object packedArgs() {
    return packed;
  }

  /** Renders a template with arguments packed as {@link #packedArgs()} packs them. */
  static String render(String template, Object packed) {
    if (packed == NO_ARGS && template.indexOf('%') < 0) {
      return template;
    }
    return Messages.format(
        template, packed instanceof Object[] array ? array : new Object[] {packed});
  }

  /** Returns the rendered text. */
  public String render() {
    return render(template, packed);
  }

  /** Returns the rendered text. */
  @Override
  public String toString() {
    return render();
  }

  /** Two messages are equal when they render the same text. */
  @Override
  public boolean equals(@Nullable Object o) {
    return this == o || (o instanceof Message message && render().equals(message.render()));
  }

  @Override
  public int hashCode() {
    return render().hashCode();
  }
}
