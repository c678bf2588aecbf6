package dev.blinkchroot.emulator.kernel;

import java.nio.charset.StandardCharsets;

/**
 * The kernel's host and domain names (one UTS namespace per kernel, {@link Kernel#uts}): what
 * uname(2) reports as nodename and domainname and sethostname(2) changes. Starts from {@link
 * KernelConfig#hostname} and {@link KernelVersion#DOMAINNAME}.
 */
public final class UtsNamespace {
  /** __NEW_UTS_LEN: the longest host or domain name. */
  public static final int HOST_NAME_MAX = 64;

  private byte[] hostname;
  private byte[] domainname;

  private UtsNamespace(byte[] hostname, byte[] domainname) {
    this.hostname = hostname;
    this.domainname = domainname;
  }

  /** The namespace a kernel starts with: the configured host name, the default domain name. */
  static UtsNamespace initial(KernelConfig config) {
    return new UtsNamespace(truncate(config.hostname() == null ? new byte[0]
        : config.hostname().getBytes(StandardCharsets.UTF_8)),
        KernelVersion.DOMAINNAME.getBytes(StandardCharsets.UTF_8));
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
