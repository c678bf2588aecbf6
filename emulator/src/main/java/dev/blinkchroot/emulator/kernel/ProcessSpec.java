package dev.blinkchroot.emulator.kernel;

import java.util.List;

/**
 * The first process of a run: the program as given (a path, or a name looked up on the guest
 * PATH), its arguments and environment, where it starts, and who it runs as.
 */
public record ProcessSpec(byte[] program, List<byte[]> argv, List<byte[]> envp, byte[] workdir,
    int uid, int gid, int[] groups) {}
