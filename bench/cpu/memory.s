# Memory-heavy: sum and update a 64 KiB buffer (rsi) 8 bytes at a time. rcx = iterations.
1:  mov   r9d, 8192
    xor   r10d, r10d
2:  mov   rax, [rsi+r10*8]
    add   rbx, rax
    mov   [rsi+r10*8], rbx
    inc   r10
    dec   r9
    jnz   2b
    dec   rcx
    jnz   1b
