package dev.gitopsworkshop.git;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/** The address a room reaches this machine at: its first site-local IPv4 address, else its name. */
final class RoomAddress {
  private RoomAddress() {}

  static String find() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && address.isSiteLocalAddress()) {
            return address.getHostAddress();
          }
        }
      }
      return InetAddress.getLocalHost().getHostName();
    } catch (SocketException | java.net.UnknownHostException e) {
      return "127.0.0.1";
    }
  }
}
