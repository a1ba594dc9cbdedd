package dev.kmsposture.testkit.generators;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.support.AnnotationConsumer;
import org.junit.jupiter.params.support.ParameterDeclaration;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * The JUnit 5 {@link ArgumentsProvider} behind {@link KmsSource}: generates the values and names
 * each invocation with its index and seed. JUnit creates it; tests use the annotation.
 *
 * @since 0.1.0
 */
public final class KmsArgumentsProvider
    implements ArgumentsProvider, AnnotationConsumer<KmsSource> {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KmsArgumentsProvider.class);

  private @Nullable KmsSource source;

  /** Creates the provider; JUnit calls it. */
  public KmsArgumentsProvider() {}

  @Override
  public void accept(KmsSource annotation) {
    this.source = Objects.requireNonNull(annotation, "annotation");
  }

  @Override
  public Stream<? extends Arguments> provideArguments(
      ParameterDeclarations parameters, ExtensionContext context) {
    KmsSource s = Objects.requireNonNull(source, "@KmsSource was not read");
    KmsSource.Kind kind = s.value();
    if (s.count() < 1) {
      throw new IllegalArgumentException(
          String.format("@KmsSource count [%d] is not positive; expected 1 or more", s.count()));
    }
    ParameterDeclaration first =
        parameters
            .getFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        String.format(
                            "%s has no parameter; @KmsSource(%s) passes one %s value",
                            parameters.getSourceElementDescription(),
                            kind,
                            kind.type().getSimpleName())));
    if (!first.getParameterType().isAssignableFrom(kind.type())) {
      throw new IllegalArgumentException(
          String.format(
              "parameter [%d] of %s is %s; @KmsSource(%s) passes %s values",
              first.getParameterIndex(),
              parameters.getSourceElementDescription(),
              first.getParameterType().getSimpleName(),
              kind,
              kind.type().getSimpleName()));
    }
    long seed = seed(s);
    context.getStore(NAMESPACE).put(SeedReporter.KEY, describe(s, seed));
    List<?> values = kind.generator().samples(seed, s.count());
    return IntStream.range(0, values.size())
        .mapToObj(
            i ->
                Arguments.argumentSet(
                    String.format("%s #%d of %d, seed %dL", kind, i + 1, s.count(), seed),
                    values.get(i)));
  }

  private static long seed(KmsSource s) {
    if (s.seed() != KmsSource.RANDOM_SEED) {
      return s.seed();
    }
    String property = System.getProperty(KmsSource.SEED_PROPERTY);
    if (property != null && !property.isBlank()) {
      try {
        return Long.parseLong(property.strip().replaceFirst("[lL]$", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            String.format(
                "system property %s [%s] is not a number; expected a seed such as 42",
                KmsSource.SEED_PROPERTY, property),
            e);
      }
    }
    return new SplittableRandom().nextLong();
  }

  static String describe(KmsSource s, long seed) {
    return String.format(
        "values from @KmsSource(value = %s, count = %d, seed = %dL); replay with that seed, or"
            + " with -D%s=%d",
        s.value(), s.count(), seed, KmsSource.SEED_PROPERTY, seed);
  }

  /**
   * Adds the seed of a failing {@link KmsSource} invocation to its exception, as a suppressed
   * exception, so that the failure report says how to replay it. JUnit registers it through the
   * annotation.
   *
   * @since 0.1.0
   */
  public static final class SeedReporter implements TestExecutionExceptionHandler {
    static final String KEY = "seed";

    /** Creates the handler; JUnit calls it. */
    public SeedReporter() {}

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable)
        throws Throwable {
      String seed = context.getStore(NAMESPACE).get(KEY, String.class);
      if (seed != null) {
        throwable.addSuppressed(new GeneratedBy(seed));
      }
      throw throwable;
    }
  }

  /** Says which generator and seed produced a failing value; carries no stack trace. */
  static final class GeneratedBy extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GeneratedBy(String message) {
      super(message, null, false, false);
    }
  }
}
