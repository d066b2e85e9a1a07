; pass 0: flat loop over [N]; 1 sum(s); writes d/d pred
; pass 0
  pushq %rbp
  unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
  movq %rsp, %rbp
  unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
block0:
  movq 0x18(%rdi), %rax
  vmovsd 0x28(%rax), %xmm1
  vmovsd (%rax), %xmm0
  movq (%rdi), %rax
  movq 8(%rdi), %r8
  movq 0x10(%rdi), %rdi
  uninit  %xmm0
  vxorpd %xmm0, %xmm0, %xmm0
  uninit  %xmm2
  vxorps %xmm2, %xmm2, %xmm2
  vcvtsd2ss %xmm1, %xmm2, %xmm1
  vbroadcastss %xmm1, %xmm3
  movdqa %xmm0, %xmm2
  jmp     label1
block1:
  leaq 8(%rsi), %r9
  cmpq %rdx, %r9
  jnbe    label3; j label2
block2:
  vmovups (%rax, %rsi, 4), %xmm4
  vmovups (%r8, %rsi, 4), %xmm5
  vsubps %xmm5, %xmm4, %xmm4
  vmulps %xmm4, %xmm3, %xmm5
  vmovups %xmm5, (%rdi, %rsi, 4)
  leaq 0x100(%rsi), %r10
  leaq -1(%rdx), %r11
  cmpq %r10, %r11
  cmovbq %r11, %r10
  vmovss (%rax, %r10, 4), %xmm5
  vmovss (%r8, %r10, 4), %xmm5
  leaq 4(%rsi), %rsi
  vmovups (%rax, %rsi, 4), %xmm5
  vmovups (%r8, %rsi, 4), %xmm6
  vsubps %xmm6, %xmm5, %xmm5
  vmulps %xmm5, %xmm3, %xmm6
  vmovups %xmm6, (%rdi, %rsi, 4)
  vmulps %xmm4, %xmm4, %xmm4
  vmulps %xmm5, %xmm5, %xmm5
  vaddps %xmm5, %xmm4, %xmm4
  vcvtps2pd %xmm4, %xmm5
  vaddpd %xmm5, %xmm0, %xmm0
  vpshufd $0xee, %xmm4, %xmm4
  vcvtps2pd %xmm4, %xmm4
  vaddpd %xmm4, %xmm2, %xmm2
  movq %r9, %rsi
  jmp     label1
block3:
  uninit  %xmm3
  vxorpd %xmm3, %xmm3, %xmm3
  jmp     label4
block4:
  leaq 1(%rsi), %r9
  cmpq %rdx, %r9
  jnbe    label6; j label5
block5:
  vmovss (%rax, %rsi, 4), %xmm7
  vmovss (%r8, %rsi, 4), %xmm4
  vsubss %xmm4, %xmm7, %xmm7
  vmulss %xmm7, %xmm1, %xmm4
  vmovss %xmm4, (%rdi, %rsi, 4)
  vmulss %xmm7, %xmm7, %xmm4
  uninit  %xmm6
  vxorpd %xmm6, %xmm6, %xmm5
  vcvtss2sd %xmm4, %xmm5, %xmm4
  vaddsd %xmm4, %xmm3, %xmm3
  movq %r9, %rsi
  jmp     label4
block6:
  vaddpd %xmm2, %xmm0, %xmm0
  vpshufd $0xee, %xmm0, %xmm1
  vaddsd %xmm1, %xmm0, %xmm0
  vaddsd %xmm0, %xmm3, %xmm0
  vmovsd %xmm0, (%rcx)
  movq %rbp, %rsp
  popq %rbp
  retq
