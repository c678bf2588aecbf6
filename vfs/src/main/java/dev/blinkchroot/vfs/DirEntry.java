package dev.blinkchroot.vfs;

/**
 * One entry of a directory listing. {@code cookie} is the position after this entry: passing it
 * back to {@link Inode#readdir} resumes the listing just past it (getdents64's {@code d_off}).
 */
public record DirEntry(FileName name, long ino, FileType type, long cookie) {}
