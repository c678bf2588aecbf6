package dev.blinkchroot.emulator.kernel;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The kernel's host and domain names (one UTS namespace per kernel): what uname(2) reports as
 * nodename and domainname and sethostname(2) changes. Starts from {@link KernelConfig#hostname}
 * and {@link KernelVersion#DOMAINNAME}. /proc/sys/kernel/hostname should read {@link #hostname}.
 */
public final class UtsNamespace {
  /** __NEW_UTS_LEN: the longest host or domain name. */
  public static final int HOST_NAME_MAX = 64;

  private static final Map<Kernel, UtsNamespace> TABLE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private byte[] hostname;
  private byte[] domainname;

  private UtsNamespace(byte[] hostname, byte[] domainname) {
    this.hostname = hostname;
    this.domainname = domainname;
  }

  /** The namespace of {@code kernel}. */
  public static UtsNamespace of(Kernel kernel) {
    return TABLE.computeIfAbsent(kernel, k -> new UtsNamespace(
        truncate(k.config().hostname() == null ? new byte[0]
            : k.config().hostname().getBytes(StandardCharsets.UTF_8)),
        KernelVersion.DOMAINNAME.getBytes(StandardCharsets.UTF_8)));
  }

  public synchronized byte[] hostname() {
    return hostname.clone();
  }

  public synchronized byte[] domainname() {
    return domainname.clone();
  }

  /** Sets the host name (at most 64 bytes; the caller checked privilege and length). */
  public synchronized void setHostname(byte[] name) {
    hostname = truncate(name);
  }

  public synchronized void setDomainname(byte[] name) {
    domainname = truncate(name);
  }

  /** At most 64 bytes, and up to the first NUL as the C string uname shows. */
  private static byte[] truncate(byte[] name) {
    int n = 0;
    while (n < name.length && n < HOST_NAME_MAX && name[n] != 0) {
      n++;
    }
    return java.util.Arrays.copyOf(name, n);
  }
}
