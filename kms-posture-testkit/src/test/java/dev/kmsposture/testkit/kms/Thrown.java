package dev.kmsposture.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Catches the exception a call must throw; fails the test if it throws none or another type. */
final class Thrown {
  private Thrown() {}

  static <T extends Throwable> T thrown(Class<T> type, ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).as("the exception the call threw").isInstanceOf(type);
    return type.cast(thrown);
  }
}
