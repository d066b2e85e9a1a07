; pass 0: flat loop over [N]; 1 sum(s); writes d/d pred
; pass 0
  pushq %rbp
  unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
  movq %rsp, %rbp
  unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
block0:
  movq 0x18(%rdi), %rax
  vmovsd 8(%rax), %xmm0
  vmovsd 0x10(%rax), %xmm0
  vmovsd 0x30(%rax), %xmm1
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
  vmovups (%rip), %xmm4
  vmovups (%rip), %xmm5
  vmovups (%rip), %xmm6
  movdqa %xmm0, %xmm2
  jmp     label1
block1:
  leaq 8(%rsi), %r9
  cmpq %rdx, %r9
  jnbe    label3; j label2
block2:
  vmovups (%rax, %rsi, 4), %xmm7
  vmovups (%r8, %rsi, 4), %xmm8
  vsubps %xmm8, %xmm7, %xmm7
  vminps %xmm7, %xmm4, %xmm8
  vmaxps %xmm8, %xmm5, %xmm8
  vmulps %xmm8, %xmm3, %xmm9
  vmovups %xmm9, (%rdi, %rsi, 4)
  leaq 0x100(%rsi), %r10
  leaq -1(%rdx), %r11
  cmpq %r10, %r11
  cmovbq %r11, %r10
  vmovss (%rax, %r10, 4), %xmm9
  vmovss (%r8, %r10, 4), %xmm9
  leaq 4(%rsi), %rsi
  vmovups (%rax, %rsi, 4), %xmm9
  vmovups (%r8, %rsi, 4), %xmm10
  vsubps %xmm10, %xmm9, %xmm9
  vminps %xmm9, %xmm4, %xmm10
  vmaxps %xmm10, %xmm5, %xmm10
  vmulps %xmm10, %xmm3, %xmm11
  vmovups %xmm11, (%rdi, %rsi, 4)
  vmulps %xmm8, %xmm6, %xmm11
  vsubps %xmm11, %xmm7, %xmm7
  vmulps %xmm7, %xmm8, %xmm7
  vmulps %xmm10, %xmm6, %xmm8
  vsubps %xmm8, %xmm9, %xmm8
  vmulps %xmm8, %xmm10, %xmm8
  vaddps %xmm8, %xmm7, %xmm7
  vcvtps2pd %xmm7, %xmm8
  vaddpd %xmm8, %xmm0, %xmm0
  vpshufd $0xee, %xmm7, %xmm7
  vcvtps2pd %xmm7, %xmm7
  vaddpd %xmm7, %xmm2, %xmm2
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
  vmovss (%rax, %rsi, 4), %xmm4
  vmovss (%r8, %rsi, 4), %xmm5
  vsubss %xmm5, %xmm4, %xmm4
  movl $0x3f800000, %r10d
  vmovd %r10d, %xmm5
  vminss %xmm4, %xmm5, %xmm5
  movl $0xbf800000, %r10d
  vmovd %r10d, %xmm6
  vmaxss %xmm5, %xmm6, %xmm5
  vmulss %xmm5, %xmm1, %xmm6
  vmovss %xmm6, (%rdi, %rsi, 4)
  movl $0x3f000000, %esi
  vmovd %esi, %xmm6
  vmulss %xmm5, %xmm6, %xmm6
  vsubss %xmm6, %xmm4, %xmm4
  vmulss %xmm4, %xmm5, %xmm4
  uninit  %xmm5
  vxorpd %xmm5, %xmm5, %xmm5
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
