# SSE: packed single and double arithmetic over a 4 KiB buffer (rsi). rcx = iterations.
1:  mov   r9d, 256
    mov   r10, rsi
2:  movaps xmm0, [r10]
    mulps  xmm0, xmm1
    addps  xmm2, xmm0
    movapd xmm3, [r10]
    addpd  xmm4, xmm3
    sqrtpd xmm5, xmm4
    add    r10, 16
    dec    r9
    jnz    2b
    dec    rcx
    jnz    1b
