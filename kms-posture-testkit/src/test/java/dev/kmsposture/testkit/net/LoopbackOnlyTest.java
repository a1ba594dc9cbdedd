package dev.kmsposture.testkit.net;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoopbackOnlyTest {

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.255.0.9", "::1"})
  void requireLoopback_loopbackAddress_passes(String literal) throws UnknownHostException {
    InetAddress address = InetAddress.getByName(literal);

    assertThatCode(() -> LoopbackOnly.requireLoopback(address)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1", "192.168.1.1", "0.0.0.0", "8.8.8.8", "::2"})
  void requireLoopback_otherAddress_throwsNamingAddress(String literal)
      throws UnknownHostException {
    InetAddress address = InetAddress.getByName(literal);

    assertThatThrownBy(() -> LoopbackOnly.requireLoopback(address))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "address ["
                + address.getHostAddress()
                + "] is not loopback; tests may only talk to 127.0.0.0/8 or ::1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:8080",
        "http://localhost:4566/",
        "https://LOCALHOST",
        "http://[::1]:9000/kms",
        "http://127.0.0.2"
      })
  void requireLoopback_loopbackUri_passes(String uri) {
    assertThatCode(() -> LoopbackOnly.requireLoopback(URI.create(uri))).doesNotThrowAnyException();
  }

  @Test
  void requireLoopback_uriWithHostName_throwsWithoutLookup() {
    URI uri = URI.create("https://kms.us-east-1.amazonaws.com");

    assertThatThrownBy(() -> LoopbackOnly.requireLoopback(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "host [kms.us-east-1.amazonaws.com] of uri [https://kms.us-east-1.amazonaws.com] is"
                + " not loopback; tests may only talk to localhost, 127.0.0.0/8 or ::1");
  }

  @Test
  void requireLoopback_uriWithPrivateAddress_throwsNamingAddress() {
    URI uri = URI.create("http://10.1.2.3:8080");

    assertThatThrownBy(() -> LoopbackOnly.requireLoopback(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "address [10.1.2.3] is not loopback; tests may only talk to 127.0.0.0/8 or ::1");
  }

  @Test
  void requireLoopback_uriWithoutHost_throws() {
    URI uri = URI.create("file:///tmp/policy.json");

    assertThatThrownBy(() -> LoopbackOnly.requireLoopback(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "uri [file:///tmp/policy.json] has no host; expected a loopback endpoint such as"
                + " http://127.0.0.1:8080");
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: the rejection is the subject
  void requireLoopback_nullAddress_throwsNamingParameter() {
    assertThatThrownBy(() -> LoopbackOnly.requireLoopback((InetAddress) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("address");
  }
}
