package dev.kmsposture.internal.policy;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Parses IPv4 and IPv6 addresses and CIDR blocks from text, for the {@code IpAddress} and {@code
 * NotIpAddress} operators: the one parser that both the evaluator and policy validation use, so
 * that a value validation rejects is exactly a value that never matches. Literal addresses only: no
 * host names, no DNS, no {@link java.net.InetAddress}.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress">IP
 *     address condition operators</a> (RFC 4632 CIDR notation)
 */
public final class IpAddresses {
  private IpAddresses() {}

  /** A CIDR block: the network address bytes (4 or 16) and the prefix length. */
  public static final class Cidr {
    final byte[] network;
    final int prefix;

    Cidr(byte[] network, int prefix) {
      this.network = network;
      this.prefix = prefix;
    }

    /** Returns a copy of the network address bytes: 4 for IPv4, 16 for IPv6. */
    public byte[] network() {
      return network.clone();
    }

    /** Returns the prefix length: 0 to 32 for IPv4, 0 to 128 for IPv6. */
    public int prefix() {
      return prefix;
    }

    /** Returns whether this is an IPv4 block. */
    public boolean isIpv4() {
      return network.length == 4;
    }

    /** Returns whether {@code address} (4 or 16 bytes) lies in this block. */
    public boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (address[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
      return Arrays.toString(network) + "/" + prefix;
    }
  }

  /** Parses {@code a.b.c.d[/n]} or an IPv6 address with an optional {@code /n}; null if invalid. */
  public static @Nullable Cidr parseCidr(String text) {
    int slash = text.indexOf('/');
    String addr = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = parseAddress(addr);
    if (bytes == null) {
      return null;
    }
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      String p = text.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3) {
        return null;
      }
      prefix = 0;
      for (int i = 0; i < p.length(); i++) {
        char c = p.charAt(i);
        if (c < '0' || c > '9') {
          return null;
        }
        prefix = prefix * 10 + (c - '0');
      }
      if (prefix > max) {
        return null;
      }
    }
    return new Cidr(bytes, prefix);
  }

  /** Parses a literal IPv4 or IPv6 address into 4 or 16 bytes; null if it is not one. */
  public static byte @Nullable [] parseAddress(String s) {
    return s.indexOf(':') >= 0 ? parseIpv6(s) : parseIpv4(s, 0, s.length());
  }

  private static byte @Nullable [] parseIpv4(String s, int from, int to) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = from; i <= to; i++) {
      char c = i < to ? s.charAt(i) : '.';
      if (c == '.') {
        if (value < 0 || part > 3) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (++digits > 3 || value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  private static byte @Nullable [] parseIpv6(String s) {
    int[] groups = new int[8];
    int count = 0;
    int gap = -1;
    int i = 0;
    int n = s.length();
    if (n >= 2 && s.startsWith("::")) {
      gap = 0;
      i = 2;
      if (n == 2) {
        return new byte[16];
      }
    } else if (n > 0 && s.charAt(0) == ':') {
      return null;
    }
    while (i < n) {
      int start = i;
      int value = 0;
      while (i < n && isHex(s.charAt(i))) {
        value = value * 16 + Character.digit(s.charAt(i), 16);
        i++;
        if (i - start > 4) {
          return null;
        }
      }
      if (i < n && s.charAt(i) == '.') {
        // Embedded IPv4 in the last 32 bits.
        byte[] v4 = parseIpv4(s, start, n);
        if (v4 == null || count > 6) {
          return null;
        }
        groups[count++] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
        groups[count++] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
        i = n;
        break;
      }
      if (i == start || count >= 8) {
        return null;
      }
      groups[count++] = value;
      if (i == n) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < n && s.charAt(i) == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = count;
        i++;
        if (i == n) {
          break;
        }
      } else if (i == n) {
        return null;
      }
    }
    if (gap < 0 && count != 8) {
      return null;
    }
    if (gap >= 0 && count > 7) {
      return null;
    }
    int[] full = new int[8];
    if (gap < 0) {
      full = groups;
    } else {
      int tail = count - gap;
      System.arraycopy(groups, 0, full, 0, gap);
      System.arraycopy(groups, gap, full, 8 - tail, tail);
    }
    byte[] out = new byte[16];
    for (int g = 0; g < 8; g++) {
      out[2 * g] = (byte) (full[g] >> 8);
      out[2 * g + 1] = (byte) full[g];
    }
    return out;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
