package dev.kmsposture.testkit.kms;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The JUnit 5 extension behind {@link WithLocalKms @WithLocalKms}: one embedded KMS per test class,
 * reset before every test, its clients injected as parameters of test methods, constructors and
 * lifecycle methods, and into {@link InjectLocalKms @InjectLocalKms} fields.
 *
 * <p>Injectable types: {@code KmsClient}, {@code CloudTrailClient} (the CloudTrail companion, whose
 * {@code LookupEvents} answers from the KMS's journal), {@code StsClient}, {@link LocalKms} (to
 * seed it, inject faults, read the journal) and, with {@link WithLocalKms.Transport#HTTP}, {@link
 * LocalKmsServer}. The clients act as {@link WithLocalKms#caller()} (the root user of {@link
 * Caller#DEFAULT_ACCOUNT} by default); within a test class every test gets the same client objects,
 * which the extension closes after the class, with the server.
 *
 * <p>Usually registered through {@link WithLocalKms}; {@code @ExtendWith(LocalKmsExtension.class)}
 * works too and uses {@code @WithLocalKms}'s defaults. Lifecycle, in order: the KMS is built (with
 * the class's {@link LocalKmsSeed} files) when the class starts, or earlier if a {@code PER_CLASS}
 * test instance asks for it; before each test (and before its {@code @BeforeEach} methods) it is
 * reset and the test method's seed files are added; after the class the clients are closed and the
 * server stopped. Keys made in a {@code @BeforeAll} method are therefore gone by the first test:
 * put what every test needs in a class seed.
 *
 * @since 0.1.0
 */
public final class LocalKmsExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        TestInstancePostProcessor,
        ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LocalKmsExtension.class);
  private static final String KEY = "local-kms";
  private static final Set<Class<?>> INJECTABLE =
      Set.of(
          KmsClient.class,
          CloudTrailClient.class,
          StsClient.class,
          LocalKms.class,
          LocalKmsServer.class);
  private static final String INJECTABLE_NAMES =
      "KmsClient, CloudTrailClient, StsClient, LocalKms, LocalKmsServer";
  // Region names such as us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-isob-east-1
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

  /** Creates the extension; JUnit does this for {@code @WithLocalKms} and {@code @ExtendWith}. */
  public LocalKmsExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    resources(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    // Only the class that built the KMS closes it: a @Nested class's store has nothing under KEY.
    LocalKmsResources resources = context.getStore(NAMESPACE).remove(KEY, LocalKmsResources.class);
    if (resources != null) {
      resources.close();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    LocalKmsResources resources = resources(context);
    resources.reset();
    Optional<LocalKmsSeed> methodSeed =
        context
            .getTestMethod()
            .flatMap(m -> AnnotationSupport.findAnnotation(m, LocalKmsSeed.class));
    if (methodSeed.isPresent()) {
      Class<?> testClass = context.getRequiredTestClass();
      String where = testClass.getName() + "." + context.getRequiredTestMethod().getName();
      for (KmsSeed seed : seeds(testClass, methodSeed.get(), where)) {
        resources.kms().seed(seed);
      }
    }
  }

  @Override
  public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
    List<Field> fields =
        AnnotationSupport.findAnnotatedFields(
            testInstance.getClass(),
            InjectLocalKms.class,
            f -> true,
            HierarchyTraversalMode.TOP_DOWN);
    if (fields.isEmpty()) {
      return;
    }
    LocalKmsResources resources = resources(context);
    for (Field field : fields) {
      String where = field.getDeclaringClass().getName() + "." + field.getName();
      if (Modifier.isStatic(field.getModifiers()) || Modifier.isFinal(field.getModifiers())) {
        throw new ExtensionConfigurationException(
            String.format(
                "@InjectLocalKms field [%s] is static or final; expected a non-final instance"
                    + " field",
                where));
      }
      if (!INJECTABLE.contains(field.getType())) {
        throw new ExtensionConfigurationException(
            String.format(
                "@InjectLocalKms field [%s] has type [%s]; expected one of %s",
                where, field.getType().getName(), INJECTABLE_NAMES));
      }
      Object value =
          value(resources, field.getType())
              .orElseThrow(
                  () ->
                      new ExtensionConfigurationException(
                          String.format(
                              "@InjectLocalKms field [%s] wants a LocalKmsServer, but [%s] runs"
                                  + " the KMS in-process; use @WithLocalKms(transport = HTTP)",
                              where, context.getRequiredTestClass().getName())));
      try {
        field.setAccessible(true);
        field.set(testInstance, value);
      } catch (IllegalAccessException | InaccessibleObjectException e) {
        throw new ExtensionConfigurationException(
            String.format(
                "cannot set @InjectLocalKms field [%s]: %s; open the test package to"
                    + " dev.kmsposture.testkit, or use a parameter",
                where, e.getMessage()),
            e);
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return INJECTABLE.contains(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return value(resources(context), type)
        .orElseThrow(
            () ->
                new ParameterResolutionException(
                    String.format(
                        "parameter [%s] of [%s] wants a LocalKmsServer, but [%s] runs the KMS"
                            + " in-process; use @WithLocalKms(transport = HTTP)",
                        parameter.getParameter().getName(),
                        parameter.getDeclaringExecutable().getName(),
                        context.getRequiredTestClass().getName())));
  }

  private static Optional<Object> value(LocalKmsResources resources, Class<?> type) {
    if (type == KmsClient.class) {
      return Optional.of(resources.kmsClient());
    } else if (type == CloudTrailClient.class) {
      return Optional.of(resources.cloudTrailClient());
    } else if (type == StsClient.class) {
      return Optional.of(resources.stsClient());
    } else if (type == LocalKms.class) {
      return Optional.of(resources.kms());
    } else if (type == LocalKmsServer.class) {
      return resources.server().map(s -> s);
    }
    throw new IllegalStateException("bug in kms-posture: no value for injectable type " + type);
  }

  /** The KMS of the class {@code context} belongs to, built on first use. */
  private static LocalKmsResources resources(ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    // The store looks in the enclosing classes' stores too, so @Nested classes share the KMS.
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            KEY, k -> create(classContext.getRequiredTestClass()), LocalKmsResources.class);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() || current.getTestClass().isEmpty()) {
      Optional<ExtensionContext> parent = current.getParent();
      if (parent.isEmpty()) {
        throw new ExtensionConfigurationException(
            "LocalKmsExtension serves test classes; register it on a class with @WithLocalKms");
      }
      current = parent.get();
    }
    return current;
  }

  private static LocalKmsResources create(Class<?> testClass) {
    WithLocalKms config = enclosing(testClass, WithLocalKms.class).orElse(Defaults.CONFIG);
    if (!REGION.matcher(config.region()).matches()) {
      throw new ExtensionConfigurationException(
          String.format(
              "region [%s] in @WithLocalKms on [%s] is not an AWS Region name; expected a name"
                  + " such as us-east-1",
              config.region(), testClass.getName()));
    }
    LocalKms.Builder builder = LocalKms.builder().enforcePolicies(config.enforcePolicies());
    if (!config.caller().isEmpty()) {
      Caller caller;
      try {
        caller = Caller.of(config.caller());
      } catch (IllegalArgumentException e) {
        throw new ExtensionConfigurationException(
            String.format(
                "caller in @WithLocalKms on [%s] is not usable: %s",
                testClass.getName(), e.getMessage()),
            e);
      }
      builder.caller(LocalKms.DEFAULT_ACCESS_KEY_ID, caller);
    }
    Optional<LocalKmsSeed> classSeed = enclosing(testClass, LocalKmsSeed.class);
    if (classSeed.isPresent()) {
      for (KmsSeed seed : seeds(testClass, classSeed.get(), testClass.getName())) {
        builder.seed(seed);
      }
    }
    return new LocalKmsResources(
        testClass.getName(), builder.build(), config.transport(), Region.of(config.region()));
  }

  /** Finds {@code type} on the class, its superclasses and then the classes enclosing it. */
  private static <A extends java.lang.annotation.Annotation> Optional<A> enclosing(
      Class<?> testClass, Class<A> type) {
    for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
      Optional<A> found = AnnotationSupport.findAnnotation(c, type);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static List<KmsSeed> seeds(Class<?> testClass, LocalKmsSeed annotation, String where) {
    if (annotation.value().length == 0) {
      throw new KmsSeedException(
          "",
          String.format(
              "@LocalKmsSeed on [%s] names no file; expected class-path names such as"
                  + " \"seeds/orders.yaml\"",
              where));
    }
    return List.of(annotation.value()).stream()
        .map(name -> seed(testClass, name, where))
        .collect(Collectors.toUnmodifiableList());
  }

  /** Reads one seed file from the class path of {@code testClass}. */
  static KmsSeed seed(Class<?> testClass, String name, String where) {
    String path = name.startsWith("/") ? name.substring(1) : name;
    if (path.isBlank()) {
      throw new KmsSeedException(
          "",
          String.format(
              "@LocalKmsSeed on [%s] names an empty file [%s]; expected a class-path name such as"
                  + " \"seeds/orders.yaml\"",
              where, name));
    }
    ClassLoader loader = testClass.getClassLoader();
    URL url = loader == null ? ClassLoader.getSystemResource(path) : loader.getResource(path);
    if (url == null) {
      throw new KmsSeedException(
          "",
          String.format(
              "seed file [%s] named by @LocalKmsSeed on [%s] is not on the class path; names are"
                  + " resolved from the class-path root (src/test/resources/%s)",
              name, where, path));
    }
    String text;
    try (InputStream in = url.openStream()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KmsSeedException(
          "",
          String.format(
              "cannot read seed file [%s] named by @LocalKmsSeed on [%s]: %s",
              name, where, e.getMessage()),
          e);
    }
    return KmsSeedFile.parse(text, path);
  }

  /**
   * Holds the tests of one {@link WithLocalKms @WithLocalKms} class to one at a time under JUnit's
   * parallel execution, because they share the class's KMS and reset it: a read-write resource lock
   * named after the class. Different classes take different locks, so they still run concurrently.
   * {@code @WithLocalKms} declares it; JUnit instantiates it.
   *
   * @since 0.1.0
   */
  public static final class OneTestAtATimePerClass implements ResourceLocksProvider {
    /** Creates the provider; JUnit does this. */
    public OneTestAtATimePerClass() {}

    @Override
    public Set<Lock> provideForClass(Class<?> testClass) {
      return Set.of(new Lock("dev.kmsposture.testkit.LocalKms:" + testClass.getName()));
    }
  }

  /**
   * Holds the defaults of {@code @WithLocalKms}, for classes registering the extension directly.
   */
  @WithLocalKms
  private static final class Defaults {
    static final WithLocalKms CONFIG =
        AnnotationSupport.findAnnotation(Defaults.class, WithLocalKms.class)
            .orElseThrow(() -> new IllegalStateException("bug in kms-posture: no defaults"));

    private Defaults() {}
  }
}
