package dev.gitopsworkshop.cli;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option values that have a range: an absurd one is refused when the command line is read, in one
 * line saying what would be right, before anything starts.
 */
final class OptionValues {
  private OptionValues() {}

  /** {@code --max-push-size}: whole MiB, 1 to 1 TiB. */
  static final class PushSizeMiB implements ITypeConverter<Long> {
    static final long MAX = 1024L * 1024;

    @Override
    public Long convert(String value) {
      long mib = number(value, "a number of MiB");
      if (mib < 1) {
        throw new TypeConversionException(value + (mib == 0 ? " MiB would refuse every push" : " is not a size")
            + ": give at least 1 (MiB; the default is 100)");
      }
      if (mib > MAX) {
        throw new TypeConversionException(value + " MiB is more than this server can take: give at most " + MAX + " (1 TiB)");
      }
      return mib;
    }
  }

  /** {@code --port}, {@code --api-port}: 1 to 65535, or 0 for any free port. */
  static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      long port = number(value, "a port number");
      if (port < 0 || port > 65535) {
        throw new TypeConversionException(value + " is not a port: give 1 to 65535, 0 for any free one, "
            + "or leave the option out for the one this data dir used last time");
      }
      return (int) port;
    }
  }

  /** {@code --pod-start-delay}: 0 to 10 minutes, in milliseconds. */
  static final class DelayMillis implements ITypeConverter<Long> {
    static final long MAX = 600_000;

    @Override
    public Long convert(String value) {
      long millis = number(value, "a number of milliseconds");
      if (millis < 0 || millis > MAX) {
        throw new TypeConversionException(value + " ms is not a delay a container can take: give 0 to " + MAX + " (10 minutes)");
      }
      return millis;
    }
  }

  /** {@code --bind}: an address of this machine (or 0.0.0.0 / :: for all of them). */
  static final class BindAddress implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      String hint = "give an address of this machine: 127.0.0.1 (this machine only) or 0.0.0.0 (a whole room)";
      if (value.isBlank()) {
        throw new TypeConversionException("an empty address: " + hint);
      }
      InetAddress address;
      try {
        address = InetAddress.getByName(value.strip());
      } catch (UnknownHostException e) {
        throw new TypeConversionException("'" + value + "' is not an address this machine knows: " + hint);
      }
      try {
        if (!address.isAnyLocalAddress() && !address.isLoopbackAddress() && NetworkInterface.getByInetAddress(address) == null) {
          throw new TypeConversionException("'" + value + "' (" + address.getHostAddress() + ") is not an address of this machine: " + hint);
        }
      } catch (SocketException e) {
        throw new TypeConversionException("cannot list this machine's addresses (" + e.getMessage() + "): " + hint);
      }
      return value.strip();
    }
  }

  private static long number(String value, String what) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not " + what);
    }
  }
}
