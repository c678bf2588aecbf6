package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.decode.ByteSource;
import dev.blinkchroot.emulator.decode.Decoder;
import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.decode.Op;
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
 * threads of a process, and so is the {@link CompiledCode} installed on a block: compiled code
 * is registered under every page it was compiled from, so a change of any of them drops it with
 * the blocks (and {@link #generation} tells code that is running to leave).
 */
public final class CodeCache {
  /** A block ends at a branch, or after this many instructions. */
  static final int MAX_BLOCK = 64;

  /** Straight-line instructions, executed in order until one transfers control. */
  static final class Block {
    final long start;
    final Insn[] insns;
    /** Code compiled from here, entered at {@link #start}; null while interpreted. */
    volatile CompiledCode compiled;
    /** Executions by the interpreter, counted toward its tier's threshold (racy: a hint). */
    int hits;
    /** Whether the block ends in an indirect CALL or JMP (whose target {@link #lastTarget} is). */
    final boolean indirectExit;
    /** Where the block's indirect CALL/JMP went last time the interpreter ran it (0: never). */
    long lastTarget;

    Block(long start, Insn[] insns) {
      this.start = start;
      this.insns = insns;
      Insn last = insns[insns.length - 1];
      this.indirectExit = (last.op == Op.CALL || last.op == Op.JMP) && last.kind0 != Insn.K_REL;
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
  /**
   * The generation again, as a plain field, for compiled code's check after each store: a store
   * that rewrites code reaches {@link #invalidatePage} through the store's slow path (marked pages
   * never sit in the write TLB), a call after which HotSpot reads the field again; on the TLB-hit
   * path nothing can change it, and HotSpot may fold the read. Another thread's change is seen
   * once this thread synchronizes with it (a locked instruction, a system call), as x86 requires
   * of cross-modifying code.
   */
  private int version;
  /** Orders installing compiled code against invalidation. */
  private final Object installLock = new Object();
  /** What the compiler keeps about this address space's compiled code (opaque here). */
  private volatile Object compilerState;

  public CodeCache(GuestMemory memory) {
    this(memory, null);
  }

  /** A cache that takes blocks from, and gives blocks to, {@code shared} (null: none). */
  public CodeCache(GuestMemory memory, SharedDecodes shared) {
    this.memory = memory;
    this.shared = shared;
    memory.setCodeInvalidationListener(this::invalidatePage);
  }

  /**
   * Changes whenever decoded code may have gone stale; compiled code compares it after stores
   * and calls to leave at once when its own code may have changed.
   */
  public int generation() {
    return generation;
  }

  /** {@link #generation} read plainly (see {@link #version}). */
  public int version() {
    return version;
  }

  /** The decoded block at {@code rip} (decoding it if needed), for a compiler. */
  public Insn[] decodedBlock(long rip) {
    return blockAt(rip).insns;
  }

  /**
   * Where the indirect CALL or JMP ending the block at {@code rip} last went (0: unknown), a
   * profile a compiler may speculate on behind a check.
   */
  public long lastTarget(long rip) {
    Block b = blocks.get(rip);
    return b == null ? 0 : b.lastTarget;
  }

  /** The instructions of the block already decoded at {@code rip}, or null: it never ran. */
  public Insn[] cachedBlock(long rip) {
    Block b = blocks.get(rip);
    return b == null ? null : b.insns;
  }

  /** The compiler's own state for this address space (its entry points), or null. */
  public Object compilerState() {
    return compilerState;
  }

  public void setCompilerState(Object state) {
    compilerState = state;
  }

  /**
   * Attaches {@code compiled} to the block at {@code entry}, to be dropped with the block when
   * any of {@code pageAddrs} changes. Refused (false) if anything was invalidated since {@code
   * generationBefore}, read before the compiler looked at the code, if the block is gone (or was
   * never decoded), or if it already has compiled code.
   */
  public boolean install(long entry, CompiledCode compiled, long[] pageAddrs,
      int generationBefore) {
    synchronized (installLock) {
      Block b = blocks.get(entry);
      if (b == null || generation != generationBefore || b.compiled != null) {
        return false;
      }
      for (long page : pageAddrs) {
        blocksByPage.computeIfAbsent(page, p -> ConcurrentHashMap.newKeySet()).add(entry);
      }
      b.compiled = compiled;
      return true;
    }
  }

  /** Takes {@code compiled} off its block (eviction); the block is interpreted again. */
  public void uninstall(long entry, CompiledCode compiled) {
    Block b = blocks.get(entry);
    if (b != null && b.compiled == compiled) {
      b.compiled = null;
      b.hits = 0;
    }
    compiled.retire();
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
    synchronized (installLock) {
      matched.remove(pageAddr);
      Set<Long> starts = blocksByPage.remove(pageAddr);
      if (starts != null) {
        for (Long start : starts) {
          Block b = blocks.remove(start);
          if (b != null && b.compiled != null) {
            b.compiled.retire();
          }
        }
      }
      // version first: a thread that sees the new generation sees the new version too
      int next = generation + 1;
      version = next;
      generation = next;
    }
  }

  /** How many blocks are cached (for tests and statistics). */
  public int size() {
    return blocks.size();
  }
}
