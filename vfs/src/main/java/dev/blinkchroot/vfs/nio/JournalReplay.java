package dev.blinkchroot.vfs.nio;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Applies a journal's records over the last full sidecar, giving what the sidecar would hold had
 * the session that wrote the journal flushed at its last change.
 *
 * <p>Names and nodes are kept apart while replaying (a node's metadata is shared by all its
 * names, and a NODE record names none of them) and joined at the end: each name takes the last
 * metadata recorded for its inode number. A name whose inode was never recorded is dropped, and
 * the host alone describes that entry at load, as it did before there was a journal. A name
 * that is replaced keeps its place in its directory's order, as a rename over it keeps the
 * readdir slot; a new name goes last.
 */
final class JournalReplay implements MetadataJournal.Visitor {
  private final MetadataSidecar.Contents contents;
  /** No sidecar yet: the journal's header says how names are kept. */
  private final boolean noSidecar;
  /** Inode number to its latest metadata: from the sidecar first, then from NODE records. */
  private final Map<Long, MetadataSidecar.Record> nodes = new HashMap<>();
  private long highestIno;

  /** Replays over {@code base}, or over an empty store when there is no sidecar yet (null). */
  JournalReplay(MetadataSidecar.Contents base) {
    noSidecar = base == null;
    if (base == null) {
      base = new MetadataSidecar.Contents();
    }
    this.contents = base;
    if (base.root != null) {
      nodes.put(base.root.ino, base.root);
    }
    for (Map<String, MetadataSidecar.Record> names : base.byParent.values()) {
      for (MetadataSidecar.Record r : names.values()) {
        nodes.putIfAbsent(r.ino, r); // every name of one file carries the same metadata
      }
    }
  }

  @Override
  public void node(MetadataSidecar.Record meta) {
    nodes.put(meta.ino, meta);
    seen(meta.ino);
  }

  @Override
  public void link(long parentIno, String hostName, byte[] name, long ino) {
    MetadataSidecar.Record r = new MetadataSidecar.Record();
    r.parentIno = parentIno;
    r.hostName = hostName;
    r.name = name;
    r.ino = ino;
    contents.byParent.computeIfAbsent(parentIno, k -> new LinkedHashMap<>()).put(hostName, r);
    seen(ino);
  }

  @Override
  public void unlink(long parentIno, String hostName) {
    Map<String, MetadataSidecar.Record> names = contents.byParent.get(parentIno);
    if (names != null) {
      names.remove(hostName);
      if (names.isEmpty()) {
        contents.byParent.remove(parentIno);
      }
    }
  }

  private void seen(long ino) {
    highestIno = Math.max(highestIno, ino);
  }

  /**
   * The replayed contents: every name with its inode's last metadata, and a next inode number
   * above every number recorded, so none is reused.
   *
   * @param journalFlags the journal header's flags, which a store without a sidecar takes
   */
  MetadataSidecar.Contents finish(int journalFlags) {
    if (noSidecar) {
      contents.flags = journalFlags;
    }
    MetadataSidecar.Record rootMeta = nodes.get(NioBackend.ROOT_INO);
    if (rootMeta != null && rootMeta != contents.root) {
      MetadataSidecar.Record root = contents.root;
      if (root == null) {
        root = new MetadataSidecar.Record();
        root.hostName = "";
        root.name = new byte[0];
        root.ino = NioBackend.ROOT_INO;
        contents.root = root;
      }
      MetadataSidecar.copyMeta(rootMeta, root);
    }
    for (Iterator<Map<String, MetadataSidecar.Record>> dirs =
        contents.byParent.values().iterator(); dirs.hasNext(); ) {
      Map<String, MetadataSidecar.Record> names = dirs.next();
      for (Iterator<MetadataSidecar.Record> it = names.values().iterator(); it.hasNext(); ) {
        MetadataSidecar.Record r = it.next();
        MetadataSidecar.Record meta = nodes.get(r.ino);
        if (meta == null) {
          it.remove();
        } else if (meta != r) {
          MetadataSidecar.copyMeta(meta, r);
        }
      }
      if (names.isEmpty()) {
        dirs.remove();
      }
    }
    contents.nextIno = Math.max(contents.nextIno, highestIno + 1);
    return contents;
  }
}
