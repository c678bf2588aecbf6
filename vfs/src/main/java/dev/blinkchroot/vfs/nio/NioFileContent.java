package dev.blinkchroot.vfs.nio;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileContent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;

/**
 * The data of an open regular file: a host channel. Positional reads and writes need no backend
 * lock on a {@link FileChannel}; any other channel is guarded by itself, since position and
 * transfer are two steps there.
 */
final class NioFileContent implements FileContent {
  /** MAX_LFS_FILESIZE on 64-bit Linux. */
  private static final long MAX_FILE_SIZE = Long.MAX_VALUE;

  private final NioInode inode;
  private final SeekableByteChannel channel;
  private final FileChannel fileChannel;
  private final boolean writable;
  private volatile boolean closed;

  NioFileContent(NioInode inode, SeekableByteChannel channel, boolean writable) {
    this.inode = inode;
    this.channel = channel;
    this.fileChannel = channel instanceof FileChannel ? (FileChannel) channel : null;
    this.writable = writable;
  }

  /** The host channel, which contents opened after the file lost its last name share. */
  SeekableByteChannel channel() {
    return channel;
  }

  boolean writable() {
    return writable;
  }

  private void checkOpen() {
    if (closed) {
      throw Errno.EBADF.exception("content closed");
    }
  }

  @Override
  public int read(long position, ByteBuffer dst) {
    checkOpen();
    if (position < 0) {
      throw Errno.EINVAL.exception("negative position");
    }
    try {
      int total = 0;
      while (dst.hasRemaining()) {
        int n = readAt(position + total, dst);
        if (n <= 0) {
          break;
        }
        total += n;
      }
      return total;
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  private int readAt(long position, ByteBuffer dst) throws IOException {
    if (fileChannel != null) {
      return fileChannel.read(dst, position);
    }
    synchronized (channel) {
      if (position >= channel.size()) {
        return -1;
      }
      channel.position(position);
      return channel.read(dst);
    }
  }

  @Override
  public int write(long position, ByteBuffer src) {
    checkOpen();
    if (!writable) {
      throw Errno.EBADF.exception("content not open for writing");
    }
    if (position < 0) {
      throw Errno.EINVAL.exception("negative position");
    }
    int length = src.remaining();
    if (position > MAX_FILE_SIZE - length) {
      throw Errno.EFBIG.exception();
    }
    try {
      int total = 0;
      while (src.hasRemaining()) {
        total += writeAt(position + total, src);
      }
      synchronized (inode.fs.lock) {
        inode.touchData();
      }
      return total;
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  private int writeAt(long position, ByteBuffer src) throws IOException {
    if (fileChannel != null) {
      return fileChannel.write(src, position);
    }
    synchronized (channel) {
      if (position > channel.size()) {
        // A plain channel may not extend with a gap; fill the hole with zeros ourselves.
        ByteBuffer zeros = ByteBuffer.allocate(8192);
        long at = channel.size();
        channel.position(at);
        while (at < position) {
          zeros.clear().limit((int) Math.min(zeros.capacity(), position - at));
          at += channel.write(zeros);
        }
      }
      channel.position(position);
      return channel.write(src);
    }
  }

  @Override
  public long size() {
    checkOpen();
    try {
      return channelSize();
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  long channelSize() throws IOException {
    return channel.size();
  }

  @Override
  public void truncate(long size) {
    checkOpen();
    if (!writable) {
      throw Errno.EINVAL.exception("content not open for writing");
    }
    if (size < 0) {
      throw Errno.EINVAL.exception("negative size");
    }
    try {
      long old = channel.size();
      if (size < old) {
        channel.truncate(size);
      } else if (size > old) {
        // Writing the last byte extends the file; the gap reads as zeros (a hole on the host).
        writeAt(size - 1, ByteBuffer.allocate(1));
      } else {
        return;
      }
      synchronized (inode.fs.lock) {
        inode.touchData();
      }
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  @Override
  public void sync() {
    checkOpen();
    if (fileChannel != null && inode.fs.kind != NioBackend.Kind.MEMORY) {
      try {
        fileChannel.force(true);
      } catch (IOException e) {
        throw HostErrors.translate(e);
      }
    }
    synchronized (inode.fs.lock) {
      inode.fs.log.force(); // the file's metadata as durable as its data
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    inode.closed(this);
  }

  /** Closes the host channel; the inode calls this under the backend lock. */
  void closeChannel() {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing is lost: the data was written through; the close merely failed to report.
    }
  }
}
