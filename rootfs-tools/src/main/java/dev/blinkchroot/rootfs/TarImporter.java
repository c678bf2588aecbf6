package dev.blinkchroot.rootfs;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileSystemBackend;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Stat;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Streams one tar archive (plain or compressed) into a backend. Every failure, whichever layer it
 * comes from (file, decompressor, tar headers, the tree), leaves as one {@link ImageException}
 * whose message names the file and the entry or offset where it broke.
 */
final class TarImporter {
  private static final int BLOCK = 512;
  /** GNU tar's typeflag 'V': the archive's volume label, not a file. */
  private static final byte GNU_VOLUME_LABEL = 'V';

  private final Path archive;
  private final String display;
  private final Progress progress;
  private final MessageDigest digest;

  private ArchiveFormat format = ArchiveFormat.TAR;
  private CountingInputStream raw;
  private CountingInputStream tar;
  private String entryName;
  private boolean inEntry;
  private int entries;
  private long rawAtTarFailure;

  private TarImporter(Path archive, String display, Progress progress, MessageDigest digest) {
    this.archive = archive;
    this.display = display;
    this.progress = progress;
    this.digest = digest;
  }

  /**
   * Imports {@code archive} into {@code target}.
   *
   * @param digest fed every byte of the file when non-null (the cache checks its key with it)
   * @return the number of entries imported
   * @throws ImageException on any failure; {@code target} is then half-written and must be dropped
   */
  static int importInto(Path archive, String display, FileSystemBackend target, Progress progress,
      MessageDigest digest) {
    return new TarImporter(archive, display, progress, digest).run(target);
  }

  private int run(FileSystemBackend target) {
    try (InputStream file = Files.newInputStream(archive)) {
      long fileSize = Files.size(archive);
      return stream(file, fileSize, target);
    } catch (NoSuchFileException e) {
      throw fail("no such file or directory");
    } catch (AccessDeniedException e) {
      throw fail("cannot read file (permission denied)");
    } catch (DecompressionException e) {
      throw decompressionFailure(e);
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      DecompressionException d = findDecompressionCause(e);
      throw d != null ? decompressionFailure(d) : tarFailure(e);
    } catch (ErrnoException e) {
      throw fail("entry " + entryName + ": " + e.errno().message()
          + " (" + e.errno().name() + ")");
    } catch (TreeWriter.EntryError e) {
      throw fail("entry " + entryName + ": " + e.getMessage());
    } finally {
      progress.finish();
    }
  }

  private int stream(InputStream file, long fileSize, FileSystemBackend target)
      throws IOException {
    if (fileSize == 0) {
      throw fail("empty file, not an archive");
    }
    BufferedInputStream buffered = new BufferedInputStream(file, 64 * 1024);
    buffered.mark(ArchiveFormat.MAGIC_LENGTH);
    byte[] magic = buffered.readNBytes(ArchiveFormat.MAGIC_LENGTH);
    buffered.reset();
    try {
      format = ArchiveFormat.detect(magic, magic.length);
    } catch (IllegalArgumentException e) {
      throw fail(e.getMessage());
    }
    raw = new CountingInputStream(buffered, digest);
    DecompressionException.Guard decompressed;
    try {
      decompressed = new DecompressionException.Guard(format.decompress(raw));
    } catch (IOException | RuntimeException e) {
      throw new DecompressionException(e);
    }
    try {
      return readEntries(decompressed, fileSize, target);
    } finally {
      decompressed.release();
    }
  }

  private int readEntries(InputStream decompressed, long fileSize, FileSystemBackend target)
      throws IOException {
    byte[] head = decompressed.readNBytes(BLOCK);
    checkTarHead(head);
    tar = new CountingInputStream(
        new SequenceInputStream(new ByteArrayInputStream(head), decompressed), null);
    HeaderTap tap = new HeaderTap(tar);
    // ISO-8859-1 maps each byte to one char, so the names Commons Compress reads from header
    // fields turn back into the archived bytes; what it reads from PAX records (always as
    // UTF-8, lossy) comes from the tap instead.
    TarArchiveInputStream tis = new TarArchiveInputStream(tap, ISO_8859_1.name());
    HeaderChain chain = new HeaderChain();
    TreeWriter writer = new TreeWriter(target);
    TarArchiveEntry entry;
    tap.arm();
    while ((entry = tis.getNextEntry()) != null) {
      HeaderChain.Entry archived = readChain(chain, tap);
      byte[] name = archived.name() != null ? archived.name()
          : entry.getName().getBytes(ISO_8859_1);
      entryName = NameText.of(name);
      inEntry = true;
      entries++;
      add(writer, entry, archived, name, tis);
      // Read what add() left of the data, so the next chain starts at the next block boundary.
      drain(tis);
      inEntry = false;
      progress.update(raw.count(), fileSize, entries);
      tap.arm();
    }
    if (!tar.endsWithZeroBlock()) {
      // The stream ended at a header boundary without tar's end-of-archive blocks.
      throw fail("truncated tar archive at " + tarOffsetText(tar.count()) + " " + where());
    }
    writer.finishDirectories();
    // Read the compressed stream to its end, so a damaged trailer (gzip CRC) is still noticed
    // and the digest covers the whole file.
    drain(decompressed);
    drain(raw);
    return entries;
  }

  /** The header chain the tar reader just read, as archived. */
  private HeaderChain.Entry readChain(HeaderChain chain, HeaderTap tap) {
    byte[] recorded = tap.disarm();
    try {
      return chain.read(recorded, tap.overflowed());
    } catch (HeaderChain.BadHeader e) {
      throw fail("corrupt tar header at " + tarOffsetText(tap.chainStart() + e.at) + " "
          + where() + ": " + e.getMessage());
    }
  }

  private void checkTarHead(byte[] head) {
    if (ArchiveFormat.isTarHeader(head, head.length)
        || (head.length == BLOCK && ArchiveFormat.isZeroBlock(head, BLOCK))) {
      return;
    }
    if (head.length >= 262 && new String(head, 257, 5, UTF_8).equals("ustar")) {
      throw fail("truncated tar archive at " + tarOffsetText(head.length)
          + " (in the first header)");
    }
    throw fail(format.compressed()
        ? format.label() + " data that is not a tar archive"
        : "unknown format (not a tar, tar.gz, tar.xz or tar.bz2 archive)");
  }

  private void add(TreeWriter writer, TarArchiveEntry e, HeaderChain.Entry archived,
      byte[] name, InputStream data) throws IOException {
    if (e.isGlobalPaxHeader() || e.getLinkFlag() == GNU_VOLUME_LABEL) {
      return; // not files: archive-wide PAX defaults (already applied) and GNU volume labels
    }
    byte[] path = pathBytes(name);
    TreeWriter.Attrs attrs = attrs(e, archived);
    byte[] linkName = archived.linkName() != null ? archived.linkName()
        : e.getLinkName().getBytes(ISO_8859_1);
    if (e.isDirectory()) {
      writer.directory(path, attrs);
    } else if (e.isSymbolicLink()) {
      writer.symlink(path, linkName, attrs);
    } else if (e.isLink()) {
      writer.hardLink(path, pathBytes(linkName));
    } else if (e.isCharacterDevice() || e.isBlockDevice()) {
      FileType type = e.isCharacterDevice() ? FileType.CHARACTER_DEVICE : FileType.BLOCK_DEVICE;
      writer.node(path, type, Stat.makedev(e.getDevMajor(), e.getDevMinor()), attrs);
    } else if (e.isFIFO()) {
      writer.node(path, FileType.FIFO, 0, attrs);
    } else {
      // Regular files, contiguous files, sparse files (expanded by the stream) and, as POSIX
      // asks of unknown type flags, anything else.
      writer.regular(path, attrs, data);
    }
  }

  /** The entry name as path bytes: trailing slashes dropped (the root stays "/"), "" is ".". */
  private static byte[] pathBytes(byte[] name) {
    int end = name.length;
    while (end > 1 && name[end - 1] == '/') {
      end--;
    }
    return end == 0 ? new byte[] {'.'} : Arrays.copyOf(name, end);
  }

  private static TreeWriter.Attrs attrs(TarArchiveEntry e, HeaderChain.Entry archived) {
    long mtime = nanos(e.getLastModifiedTime());
    FileTime atime = e.getLastAccessTime();
    // Without an archived atime use the mtime, not "now": an import is then reproducible.
    return new TreeWriter.Attrs(e.getMode() & 07777, OwnerIds.uid(archived),
        OwnerIds.gid(archived), atime != null ? nanos(atime) : mtime, mtime,
        xattrs(archived.pax()));
  }

  private static long nanos(FileTime t) {
    Instant i = t.toInstant();
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
  }

  /**
   * The xattrs of PAX records: SCHILY.xattr.NAME=value (GNU tar, star) and
   * LIBARCHIVE.xattr.URL-ENCODED-NAME=base64 (bsdtar; binary-safe, so it wins when both are
   * present). Names outside Linux's namespaces (macOS's com.apple.*) cannot exist on Linux and
   * are dropped, as GNU tar does.
   */
  private static Map<String, byte[]> xattrs(Map<String, byte[]> pax) {
    if (pax.isEmpty()) {
      return Map.of();
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> h : pax.entrySet()) {
      if (h.getKey().startsWith("SCHILY.xattr.")) {
        // GNU tar writes the value raw, binary ones (security.capability) included.
        putXattr(out, h.getKey().substring(13), h.getValue());
      }
    }
    for (Map.Entry<String, byte[]> h : pax.entrySet()) {
      if (h.getKey().startsWith("LIBARCHIVE.xattr.")) {
        String name = new String(percentDecode(h.getKey().substring(17)), UTF_8);
        putXattr(out, name,
            Base64.getDecoder().decode(new String(h.getValue(), ISO_8859_1).trim()));
      }
    }
    return out;
  }

  private static void putXattr(Map<String, byte[]> out, String name, byte[] value) {
    if (name.startsWith("user.") || name.startsWith("trusted.") || name.startsWith("security.")
        || name.startsWith("system.")) {
      out.put(name, value);
    }
  }

  private static byte[] percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = s.getBytes(UTF_8);
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '%' && i + 2 < b.length
          && Character.digit(b[i + 1], 16) >= 0 && Character.digit(b[i + 2], 16) >= 0) {
        out.write(Character.digit(b[i + 1], 16) * 16 + Character.digit(b[i + 2], 16));
        i += 2;
      } else {
        out.write(b[i]);
      }
    }
    return out.toByteArray();
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buf = new byte[64 * 1024];
    while (in.read(buf) >= 0) {
      // discard
    }
  }

  // ---------------------------------------------------------------- messages

  private ImageException fail(String what) {
    return new ImageException(display + ": " + what);
  }

  private ImageException decompressionFailure(DecompressionException e) {
    boolean truncated = raw != null && raw.sawEnd();
    long offset = raw == null ? 0 : raw.count();
    return new ImageException(display + ": " + (truncated ? "truncated " : "corrupt ")
        + format.label() + " data at offset " + offset + " " + where(), e);
  }

  private ImageException tarFailure(Exception e) {
    long offset = tar == null ? 0 : tar.count();
    if (tar != null && tar.sawEnd()) {
      return new ImageException(display + ": truncated tar archive at " + tarOffsetText(offset)
          + " " + where(), e);
    }
    if (format.compressed() && blameCompression()) {
      // Damaged compressed data often decompresses to garbage that first breaks a tar header;
      // the decompressor's own check (CRC) then confirms where the fault really is.
      return new ImageException(display + ": corrupt " + format.label() + " data at offset "
          + rawAtTarFailure + " " + where(), e);
    }
    if (!inEntry && offset >= BLOCK && offset % BLOCK == 0) {
      return new ImageException(display + ": corrupt tar header at "
          + tarOffsetText(offset - BLOCK) + " " + where(), e);
    }
    return new ImageException(display + ": corrupt tar data at " + tarOffsetText(offset) + " "
        + where(), e);
  }

  /** Reads the rest of the decompressed stream; true if the decompressor reports damage. */
  private boolean blameCompression() {
    rawAtTarFailure = raw.count();
    try {
      drain(tar);
      return false;
    } catch (IOException | RuntimeException e) {
      return findDecompressionCause(e) != null;
    }
  }

  private String tarOffsetText(long offset) {
    return (format.compressed() ? "uncompressed offset " : "offset ") + offset;
  }

  private String where() {
    if (entryName == null) {
      return "(before the first entry)";
    }
    return inEntry ? "(entry " + entryName + ")" : "(after entry " + entryName + ")";
  }

  private static DecompressionException findDecompressionCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof DecompressionException) {
        return (DecompressionException) c;
      }
    }
    return null;
  }
}
