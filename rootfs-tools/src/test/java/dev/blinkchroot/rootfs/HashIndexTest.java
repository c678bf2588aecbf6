package dev.blinkchroot.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive -> SHA-256 index that lets a warm run skip hashing the tarball. */
class HashIndexTest {
  @TempDir Path tmp;

  private Path archive(String name, String content) {
    return TarBuilder.write(tmp, name, TarBuilder.gzip(TarBuilder.posix().dir("etc")
        .file("etc/hostname", content).tar()));
  }

  /** An uncompressed tar: the same length of content gives the same size. */
  private Path plainArchive(String name, String content) {
    return TarBuilder.write(tmp, name, TarBuilder.posix().dir("etc")
        .file("etc/hostname", content).tar());
  }

  private Path cache() {
    return tmp.resolve("cache");
  }

  private ImageOptions options() {
    return ImageOptions.defaults().withCacheDir(cache());
  }

  private Path images() {
    return cache().resolve(ImageCache.LAYOUT);
  }

  /** The source records of every entry, as "SHA/NAME". */
  private List<String> records() throws IOException {
    if (!Files.exists(images())) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(images())) {
      return s.filter(p -> p.getParent().getFileName().toString().equals(HashIndex.DIR))
          .map(p -> images().relativize(p).toString().replace(HashIndex.DIR + "/", ""))
          .sorted().collect(Collectors.toList());
    }
  }

  /** A complete-looking entry with no tree of the given archive: for records only. */
  private Path fakeEntry(String sha) throws IOException {
    Path entry = images().resolve(sha);
    Files.createDirectories(entry.resolve(ImageCache.TREE));
    Files.writeString(entry.resolve(ImageCache.MARKER), "fake\n");
    return entry;
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static String fakeSha(int n) {
    return String.format("%064x", n);
  }

  @Test
  void secondOpen_takesTheHashFromTheIndex_withoutReadingTheArchive() throws Exception {
    Path file = archive("a.tar.gz", "one\n");
    int hashes = ImageCache.HASHES.get();
    Images.open(file, options());
    assertEquals(hashes + 1, ImageCache.HASHES.get());
    assertEquals(List.of(sha256(file) + "/" + HashIndex.identify(file).recordName()), records(),
        "the import records its source");

    Image again = Images.open(file, options());
    assertEquals(hashes + 1, ImageCache.HASHES.get(), "a warm run must not hash");
    assertEquals("one\n", new Tree(again.lower()).read("/etc/hostname"));
    assertEquals("a.tar.gz (cached " + sha256(file).substring(0, 12) + ")",
        again.description());
  }

  @Test
  void entryIsFoundThroughASymlink_underTheRealPath() throws Exception {
    Path file = archive("a.tar.gz", "one\n");
    Path link = Files.createSymbolicLink(tmp.resolve("link.tar.gz"), file);
    Images.open(file, options());
    int hashes = ImageCache.HASHES.get();
    Images.open(link, options());
    assertEquals(hashes, ImageCache.HASHES.get());
    assertEquals(1, records().size());
  }

  @Test
  void changedArchive_staleEntryIsIgnored_evenWithTheOldSizeAndModificationTime()
      throws Exception {
    Path file = plainArchive("a.tar", "one\n");
    Images.open(file, options());
    FileTime mtime = Files.getLastModifiedTime(file);
    long size = Files.size(file);

    // Same size, rewritten in place (same inode), and the modification time put back, as
    // "touch -d" would: only the change time tells.
    Files.write(file, TarBuilder.posix().dir("etc").file("etc/hostname", "two\n").tar());
    Files.setLastModifiedTime(file, mtime);
    assertEquals(size, Files.size(file));
    assertTrue(HashIndex.identify(file).changeNanos() >= 0, "no change time on this system");

    int hashes = ImageCache.HASHES.get();
    Image image = Images.open(file, options());
    assertEquals(hashes + 1, ImageCache.HASHES.get(), "the change must be noticed");
    assertEquals("two\n", new Tree(image.lower()).read("/etc/hostname"));

    // And the entry now describes the new version.
    int again = ImageCache.HASHES.get();
    assertEquals("two\n", new Tree(Images.open(file, options()).lower()).read("/etc/hostname"));
    assertEquals(again, ImageCache.HASHES.get());
  }

  @Test
  void archiveReplacedByRename_isANewFile() throws Exception {
    Path file = archive("a.tar.gz", "one\n");
    Images.open(file, options());
    Path other = archive("b.tar.gz", "two\n");
    Files.setLastModifiedTime(other, Files.getLastModifiedTime(file));
    Files.move(other, file, StandardCopyOption.REPLACE_EXISTING);

    Image image = Images.open(file, options());
    assertEquals("two\n", new Tree(image.lower()).read("/etc/hostname"));
  }

  @Test
  void identity_changesWithContentSizeAndTimes() throws Exception {
    Path file = archive("a.tar.gz", "one\n");
    HashIndex.FileId first = HashIndex.identify(file);
    assertNotNull(first);
    assertEquals(first, HashIndex.identify(file), "nothing changed");
    assertEquals(file.toRealPath().toString(), first.realPath());
    assertEquals(Files.size(file), first.size());

    Files.setLastModifiedTime(file, FileTime.fromMillis(123_456_789L));
    HashIndex.FileId touched = HashIndex.identify(file);
    assertNotEquals(first, touched);
    assertEquals(123_456_789_000_000L, touched.modifiedNanos());

    assertNull(HashIndex.identify(tmp.resolve("missing.tar.gz")));
  }

  @Test
  void recordForAnotherVersionOfTheFile_isAMiss() throws Exception {
    Path file = archive("a.tar.gz", "one\n");
    HashIndex.FileId id = HashIndex.identify(file);
    HashIndex.record(fakeEntry(fakeSha(1)), id, fakeSha(1));
    assertEquals(fakeSha(1), HashIndex.lookup(images(), id));

    HashIndex.FileId bigger = new HashIndex.FileId(id.realPath(), id.size() + 1,
        id.modifiedNanos(), id.changeNanos(), id.fileKey());
    assertNull(HashIndex.lookup(images(), bigger));
    HashIndex.FileId otherInode = new HashIndex.FileId(id.realPath(), id.size(),
        id.modifiedNanos(), id.changeNanos(), id.fileKey() + "x");
    assertNull(HashIndex.lookup(images(), otherInode));
    HashIndex.FileId changed = new HashIndex.FileId(id.realPath(), id.size(),
        id.modifiedNanos(), id.changeNanos() + 1, id.fileKey());
    assertNull(HashIndex.lookup(images(), changed));
    assertNull(HashIndex.lookup(images(), null));
    assertNull(HashIndex.lookup(tmp.resolve("no-cache-here"), id));
  }

  @Test
  void recordOfAnotherEntry_copiedIntoThisOne_isAMiss() throws Exception {
    Path file = archive("a.tar.gz", "one\n");
    HashIndex.FileId id = HashIndex.identify(file);
    Path entry = fakeEntry(fakeSha(2));
    Files.createDirectories(entry.resolve(HashIndex.DIR));
    Files.writeString(entry.resolve(HashIndex.DIR).resolve(id.recordName()), id.record(fakeSha(3)));
    assertNull(HashIndex.lookup(images(), id), "the record must name its own entry");
  }

  @Test
  void garbageRecord_isAMiss() throws Exception {
    Path file = archive("a.tar.gz", "one\n");
    HashIndex.FileId id = HashIndex.identify(file);
    Path entry = fakeEntry(fakeSha(4));
    Files.createDirectories(entry.resolve(HashIndex.DIR));
    Files.writeString(entry.resolve(HashIndex.DIR).resolve(id.recordName()), "not a record");
    assertNull(HashIndex.lookup(images(), id));
  }

  @Test
  void recordInAnIncompleteEntry_fallsBackToHashingAndImporting() throws Exception {
    Path file = archive("a.tar.gz", "one\n");
    Images.open(file, options());
    Files.delete(images().resolve(sha256(file)).resolve(ImageCache.MARKER));

    int imports = ImageCache.IMPORTS.get();
    Image image = Images.open(file, options());
    assertEquals(imports + 1, ImageCache.IMPORTS.get());
    assertEquals("one\n", new Tree(image.lower()).read("/etc/hostname"));
    assertEquals(sha256(file), HashIndex.lookup(images(), HashIndex.identify(file)));
  }

  @Test
  void entryImportedFromAnotherPath_learnsThisPath_onTheFirstHash() throws Exception {
    Path a = archive("a.tar.gz", "same\n");
    Path b = tmp.resolve("copy.tar.gz");
    Files.copy(a, b);
    Images.open(a, options());
    int hashes = ImageCache.HASHES.get();
    int imports = ImageCache.IMPORTS.get();
    Images.open(b, options());
    assertEquals(hashes + 1, ImageCache.HASHES.get());
    Images.open(b, options());
    assertEquals(hashes + 1, ImageCache.HASHES.get(), "the second open of b finds its record");
    assertEquals(imports, ImageCache.IMPORTS.get());
    assertEquals(2, records().size());
  }

  @Test
  void withoutCache_nothingIsWritten() {
    Path file = archive("a.tar.gz", "mem\n");
    Images.open(file, options().withoutCache());
    assertFalse(Files.exists(cache()));
  }

  @Test
  void concurrentWriters_readersSeeWholeRecordsOnly_andNoTempFilesRemain() throws Exception {
    Path file = archive("a.tar.gz", "one\n");
    HashIndex.FileId id = HashIndex.identify(file);
    Path entry = fakeEntry(fakeSha(5));
    // Writers race to record the same file with the same content, as concurrent runs do; one
    // of them records a different version of the file (another size), as a run that saw the
    // archive before it was rewritten would.
    HashIndex.FileId older = new HashIndex.FileId(id.realPath(), id.size() + 7,
        id.modifiedNanos(), id.changeNanos(), id.fileKey());
    int writers = 4;
    int readers = 2;
    int rounds = 300;
    CyclicBarrier start = new CyclicBarrier(writers + readers);
    ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        HashIndex.FileId what = w == 0 ? older : id;
        results.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < rounds; i++) {
            HashIndex.record(entry, what, fakeSha(5));
          }
          return List.of();
        }));
      }
      for (int r = 0; r < readers; r++) {
        results.add(pool.submit(() -> {
          start.await();
          List<String> seen = new ArrayList<>();
          for (int i = 0; i < rounds; i++) {
            seen.add(String.valueOf(HashIndex.lookup(images(), id)));
          }
          return seen;
        }));
      }
      for (Future<List<String>> f : results) {
        for (String seen : f.get()) {
          assertTrue(seen.equals("null") || seen.equals(fakeSha(5)), "torn record: " + seen);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    try (Stream<Path> s = Files.list(entry.resolve(HashIndex.DIR))) {
      assertEquals(List.of(id.recordName()),
          s.map(p -> p.getFileName().toString()).collect(Collectors.toList()),
          "one record, no temp files left");
    }
    HashIndex.record(entry, id, fakeSha(5));
    assertEquals(fakeSha(5), HashIndex.lookup(images(), id), "a settled record is found");
  }

  @Test
  void concurrentOpens_ofTheSameArchive_allSucceed_andAgreeOnTheEntry() throws Exception {
    Path file = archive("a.tar.gz", "shared\n");
    int threads = 4;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Image>> opens = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        opens.add(pool.submit(() -> {
          start.await();
          return Images.open(file, options());
        }));
      }
      for (Future<Image> f : opens) {
        assertEquals("shared\n", new Tree(f.get().lower()).read("/etc/hostname"));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(sha256(file), HashIndex.lookup(images(), HashIndex.identify(file)));
    assertEquals(1, records().size());
  }

  @Test
  void recordNames_areFixedWidthHex() {
    HashIndex.FileId a = new HashIndex.FileId("/a", 1, 2, 3, "k");
    HashIndex.FileId b = new HashIndex.FileId("/b", 1, 2, 3, "k");
    HashIndex.FileId odd = new HashIndex.FileId("/x\ny", 1, 2, 3, "k");
    assertTrue(a.recordName().matches("[0-9a-f]{16}"));
    assertTrue(odd.recordName().matches("[0-9a-f]{16}"));
    assertNotEquals(a.recordName(), b.recordName());
  }
}
