package dev.kmsposture.internal.policy;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpAddressesTest {

  @ParameterizedTest(name = "{0} in {1}: {2}")
  @CsvSource({
    "10.1.2.3, 10.0.0.0/8, true",
    "11.1.2.3, 10.0.0.0/8, false",
    "192.168.1.1, 192.168.1.1, true",
    "192.168.1.2, 192.168.1.1/32, false",
    "0.0.0.0, 0.0.0.0/0, true",
    "255.255.255.255, 0.0.0.0/0, true",
    "203.0.113.130, 203.0.113.128/25, true",
    "203.0.113.127, 203.0.113.128/25, false",
    "2001:db8::1, 2001:db8::/32, true",
    "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, 2001:db8::/32, true",
    "2001:db9::1, 2001:db8::/32, false",
    "::1, ::1/128, true",
    "::, ::/0, true",
    "::ffff:10.0.0.1, ::ffff:10.0.0.0/104, true",
    "fe80::1:2, fe80::/10, true",
    "10.0.0.1, ::/0, false",
    "2001:db8::1, 0.0.0.0/0, false"
  })
  void cidr_contains_matchesPrefix(String address, String cidr, boolean expected) {
    IpAddresses.Cidr block = IpAddresses.parseCidr(cidr);
    byte[] bytes = IpAddresses.parseAddress(address);

    assertThat(block).as("cidr %s", cidr).isNotNull();
    assertThat(bytes).as("address %s", address).isNotNull();
    assertThat(requireNonNull(block).contains(requireNonNull(bytes)))
        .as("%s in %s", address, cidr)
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} is rejected")
  @CsvSource({
    "256.0.0.1",
    "1.2.3",
    "1.2.3.4.5",
    "1..2.3",
    "01234.1.1.1",
    "example.com",
    "2001:db8:::1",
    "2001:db8::1::2",
    "1:2:3:4:5:6:7:8:9",
    "12345::1",
    ":1:2",
    "1.2.3.4/33",
    "::/129",
    "10.0.0.0/",
    "10.0.0.0/x"
  })
  void parseCidr_invalid_returnsNull(String text) {
    assertThat(IpAddresses.parseCidr(text)).as(text).isNull();
  }
}
