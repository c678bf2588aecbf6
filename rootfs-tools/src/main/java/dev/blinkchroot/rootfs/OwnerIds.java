package dev.blinkchroot.rootfs;

import java.io.IOException;

/**
 * The owner ids of an entry as Linux keeps them: {@code uid_t} and {@code gid_t} are unsigned
 * 32-bit, held here (as in the VFS) in an int read as unsigned. Tar can hold more: base-256
 * header fields (GNU format) and PAX uid/gid records take any size. Ids that Linux cannot give a
 * file are refused with the entry named rather than cut to 32 bits: 4294967295 is
 * {@code (uid_t) -1}, which chown(2) reads as "leave this id unchanged" ("If the owner or group
 * is specified as -1, then that ID is not changed"), so no file can be owned by it.
 */
final class OwnerIds {
  /** The largest id a file can have: 2^32 - 2. */
  static final long MAX = 0xFFFF_FFFEL;
  private static final int UID_FIELD = 108;
  private static final int GID_FIELD = 116;

  private OwnerIds() {}

  /** @throws TreeWriter.EntryError when the archive's uid is not a Linux uid */
  static int uid(HeaderChain.Entry e) {
    return id("uid", e.pax().get("uid"), e.header(), UID_FIELD);
  }

  /** @throws TreeWriter.EntryError when the archive's gid is not a Linux gid */
  static int gid(HeaderChain.Entry e) {
    return id("gid", e.pax().get("gid"), e.header(), GID_FIELD);
  }

  /**
   * A PAX record wins over the header field, as pax(1) says. Commons Compress reads the field
   * into an int, so 2^32 + 5 in base-256 would arrive as 5: the field is read here instead.
   */
  private static int id(String what, byte[] pax, byte[] header, int field) {
    long value;
    String text;
    if (pax != null) {
      text = NameText.of(pax);
      value = decimal(pax);
      if (value == -1) {
        throw new TreeWriter.EntryError("PAX " + what + " record \"" + text
            + "\" is not a decimal number");
      }
    } else {
      try {
        value = HeaderChain.number(header, field, 8);
      } catch (IOException e) {
        throw new TreeWriter.EntryError(what + " field: " + e.getMessage());
      }
      text = Long.toString(value);
    }
    if (value < 0 || value > MAX) {
      throw new TreeWriter.EntryError(what + " " + text + " is out of range 0.." + MAX
          + " (Linux ids are 32-bit and " + (MAX + 1) + " is (" + what + "_t) -1, which"
          + " chown(2) takes as \"no change\")");
    }
    return (int) value;
  }

  /** ASCII digits as a number (Long.MAX_VALUE when too big for a long); -1 if not digits. */
  private static long decimal(byte[] digits) {
    long v = 0;
    for (byte b : digits) {
      if (b < '0' || b > '9') {
        return -1;
      }
      v = v > Long.MAX_VALUE / 10 - 1 ? Long.MAX_VALUE : v * 10 + (b - '0');
    }
    return v;
  }
}
