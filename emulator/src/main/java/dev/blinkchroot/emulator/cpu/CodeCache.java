package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.decode.ByteSource;
import dev.blinkchroot.emulator.decode.Decoder;
import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decoded blocks of one address space, keyed by their first address, and dropped when the
 * memory reports that a page they were decoded from may have changed (a write, mprotect,
 * munmap: {@link dev.blinkchroot.emulator.memory.CodeInvalidationListener}). Shared by the
 * threads of a process.
 */
public final class CodeCache {
  /** A block ends at a branch, or after this many instructions. */
  static final int MAX_BLOCK = 64;

  /** Straight-line instructions, executed in order until one transfers control. */
  static final class Block {
    final long start;
    final Insn[] insns;

    Block(long start, Insn[] insns) {
      this.start = start;
      this.insns = insns;
    }
  }

  /** A front-cache slot: the block and the invalidation generation it was stored under. */
  private record Recent(Block block, int generation) {}

  /** Slots of the direct-mapped front cache (a power of two). */
  private static final int RECENT = 1024;

  private final GuestMemory memory;
  /** The kernel's store of decoded pages, or null to decode everything here. */
  private final SharedDecodes shared;
  /** Pages of this address space found equal to a shared page, until they change. */
  private final Map<Long, SharedDecodes.Page> matched = new ConcurrentHashMap<>();
  private final Map<Long, Block> blocks = new ConcurrentHashMap<>();
  /**
   * Every taken branch looks up a block: this direct-mapped cache saves the boxed hash lookup.
   * A slot is trusted only under the generation it was filled in, so any invalidation empties it
   * all at once (slots are single references, so threads never see a torn one).
   */
  private final Recent[] recent = new Recent[RECENT];
  /** Page address -> start addresses of the blocks decoded from it. */
  private final Map<Long, Set<Long>> blocksByPage = new ConcurrentHashMap<>();
  /** Bumped on every invalidation; the interpreter leaves a block whose generation passed. */
  private volatile int generation;

  public CodeCache(GuestMemory memory) {
    this(memory, null);
  }

  /** A cache that takes blocks from, and gives blocks to, {@code shared} (null: none). */
  public CodeCache(GuestMemory memory, SharedDecodes shared) {
    this.memory = memory;
    this.shared = shared;
    memory.setCodeInvalidationListener(this::invalidatePage);
  }

  int generation() {
    return generation;
  }

  Block blockAt(long rip) {
    int slot = (int) (rip ^ (rip >>> 12)) & (RECENT - 1);
    int generation = this.generation;
    Recent r = recent[slot];
    if (r != null && r.block.start == rip && r.generation == generation) {
      return r.block;
    }
    Block b = blocks.get(rip);
    if (b == null) {
      b = decode(rip);
    }
    recent[slot] = new Recent(b, generation);
    return b;
  }

  private Block decode(long rip) {
    long pageAddr = rip & ~(GuestMemory.PAGE_SIZE - 1L);
    SharedDecodes.Page known = sharedPage(pageAddr);
    if (known != null) {
      Insn[] decoded = known.blocks.get(rip);
      if (decoded != null) {
        return remember(new Block(rip, decoded), List.of(pageAddr));
      }
    }
    List<Insn> insns = new ArrayList<>();
    List<Long> pages = new ArrayList<>();
    // Mark each page before reading from it (the listener protocol), so a write racing with
    // the decode is still reported.
    ByteSource source = addr -> {
      long page = addr & ~(GuestMemory.PAGE_SIZE - 1L);
      if (!pages.contains(page)) {
        memory.markCode(addr);
        pages.add(page);
      }
      return memory.fetch8(addr);
    };
    long pc = rip;
    while (insns.size() < MAX_BLOCK) {
      Insn insn;
      try {
        insn = Decoder.decode(source, pc);
      } catch (MemoryFault fault) {
        if (insns.isEmpty()) {
          throw fault;
        }
        break; // the unfetchable instruction starts the next block, and faults there
      }
      insns.add(insn);
      if (insn.branch || insn.raisesSigill() || insn.privileged) {
        break;
      }
      pc = insn.nextAddress();
    }
    Block block = new Block(rip, insns.toArray(new Insn[0]));
    if (known != null && pages.size() == 1 && pages.get(0) == pageAddr) {
      known.blocks.putIfAbsent(rip, block.insns);
    }
    return remember(block, pages);
  }

  /**
   * The shared page equal to this address space's page at {@code pageAddr}: looked up once, then
   * kept until the page changes. Marked as code first (the listener protocol), so a write after
   * the comparison is reported and forgets the match.
   */
  private SharedDecodes.Page sharedPage(long pageAddr) {
    if (shared == null) {
      return null;
    }
    SharedDecodes.Page page = matched.get(pageAddr);
    if (page == null) {
      if (!memory.markCode(pageAddr)) {
        return null; // not mapped: the decode below raises the fault precisely
      }
      page = shared.match(memory, pageAddr);
      if (page != null) {
        matched.put(pageAddr, page);
      }
    }
    return page;
  }

  private Block remember(Block block, List<Long> pages) {
    blocks.put(block.start, block);
    for (long page : pages) {
      blocksByPage.computeIfAbsent(page, p -> ConcurrentHashMap.newKeySet()).add(block.start);
    }
    return block;
  }

  private void invalidatePage(long pageAddr) {
    matched.remove(pageAddr);
    Set<Long> starts = blocksByPage.remove(pageAddr);
    if (starts != null) {
      for (Long start : starts) {
        blocks.remove(start);
      }
    }
    generation++;
  }

  /** How many blocks are cached (for tests and statistics). */
  public int size() {
    return blocks.size();
  }
}
