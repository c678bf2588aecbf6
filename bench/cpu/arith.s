# Tight integer arithmetic: add, imul, xor, shift, loop counter. rcx = iterations.
1:  add   rax, rcx
    imul  rbx, rax, 7
    xor   rdx, rbx
    shr   rdx, 3
    lea   r8, [rax+rdx*2]
    sub   rax, r8
    dec   rcx
    jnz   1b
