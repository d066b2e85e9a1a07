; pass 0: flat loop over [N]; 1 sum(s); writes d/d pred
; pass 0
  pushq %rbp
  unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
  movq %rsp, %rbp
  unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
block0:
  movq 0x18(%rdi), %rax
  vmovsd 0x30(%rax), %xmm0
  vmovsd 0x40(%rax), %xmm0
  vmovsd 0x38(%rax), %xmm0
  vmovsd 8(%rax), %xmm1
  vmovsd 0x10(%rax), %xmm1
  vmovsd (%rax), %xmm1
  movq (%rdi), %rax
  movq 8(%rdi), %r8
  movq 0x10(%rdi), %rdi
  uninit  %xmm1
  vxorpd %xmm1, %xmm1, %xmm1
  uninit  %xmm2
  vxorps %xmm2, %xmm2, %xmm2
  vcvtsd2ss %xmm0, %xmm2, %xmm0
  vbroadcastss %xmm0, %xmm3
  vmovups (%rip), %xmm4
  vmovups (%rip), %xmm5
  vmovups (%rip), %xmm6
  vmovups (%rip), %xmm7
  movdqa %xmm1, %xmm2
  jmp     label1
block1:
  leaq 8(%rsi), %r9
  cmpq %rdx, %r9
  jnbe    label3; j label2
block2:
  vmovups (%rax, %rsi, 4), %xmm8
  vmovups (%r8, %rsi, 4), %xmm9
  vsubps %xmm9, %xmm8, %xmm9
  vminps %xmm9, %xmm4, %xmm8
  vmaxps %xmm8, %xmm5, %xmm8
  vmulps %xmm8, %xmm3, %xmm8
  vmovups %xmm8, (%rdi, %rsi, 4)
  leaq 4(%rsi), %rsi
  vmovups (%rax, %rsi, 4), %xmm8
  vmovups (%r8, %rsi, 4), %xmm10
  vsubps %xmm10, %xmm8, %xmm8
  vminps %xmm8, %xmm4, %xmm10
  vmaxps %xmm10, %xmm5, %xmm10
  vmulps %xmm10, %xmm3, %xmm10
  vmovups %xmm10, (%rdi, %rsi, 4)
  vandnps %xmm9, %xmm6, %xmm9
  vcmpltps %xmm4, %xmm9, %xmm10
  vmulps %xmm9, %xmm9, %xmm11
  vmulps %xmm11, %xmm7, %xmm11
  vsubps %xmm7, %xmm9, %xmm9
  vpblendvb %xmm10, %xmm11, %xmm9, %xmm9
  vcvtps2pd %xmm9, %xmm10
  vaddpd %xmm10, %xmm1, %xmm1
  vpshufd $0xee, %xmm9, %xmm9
  vcvtps2pd %xmm9, %xmm9
  vaddpd %xmm9, %xmm1, %xmm1
  vandnps %xmm8, %xmm6, %xmm8
  vcmpltps %xmm4, %xmm8, %xmm9
  vmulps %xmm8, %xmm8, %xmm10
  vmulps %xmm10, %xmm7, %xmm10
  vsubps %xmm7, %xmm8, %xmm8
  vpblendvb %xmm9, %xmm10, %xmm8, %xmm8
  vcvtps2pd %xmm8, %xmm9
  vaddpd %xmm9, %xmm2, %xmm2
  vpshufd $0xee, %xmm8, %xmm8
  vcvtps2pd %xmm8, %xmm8
  vaddpd %xmm8, %xmm2, %xmm2
  movq %r9, %rsi
  jmp     label1
block3:
  uninit  %xmm3
  vxorpd %xmm3, %xmm3, %xmm3
  movl $0x80000000, %r9d
  vmovd %r9d, %xmm4
  jmp     label4
block4:
  leaq 1(%rsi), %r9
  cmpq %rdx, %r9
  jnbe    label6; j label5
block5:
  vmovss (%rax, %rsi, 4), %xmm5
  vmovss (%r8, %rsi, 4), %xmm6
  vsubss %xmm6, %xmm5, %xmm6
  movl $0x3f800000, %r10d
  vmovd %r10d, %xmm5
  vminss %xmm6, %xmm5, %xmm7
  movl $0xbf800000, %r10d
  vmovd %r10d, %xmm8
  vmaxss %xmm7, %xmm8, %xmm7
  vmulss %xmm7, %xmm0, %xmm7
  vmovss %xmm7, (%rdi, %rsi, 4)
  uninit  %xmm7
  vpcmpeqd %xmm7, %xmm7, %xmm7
  vxorps %xmm7, %xmm4, %xmm7
  vandps %xmm7, %xmm6, %xmm6
  vmulss %xmm6, %xmm6, %xmm7
  movl $0x3f000000, %esi
  vmovd %esi, %xmm8
  vmulss %xmm7, %xmm8, %xmm8
  vsubss (%rip), %xmm6, %xmm7
  vucomiss %xmm6, %xmm5
  movss %xmm7, %xmm7; jbe $next; movss %xmm8, %xmm7; $next:
  uninit  %xmm5
  vxorpd %xmm5, %xmm5, %xmm5
  vcvtss2sd %xmm7, %xmm5, %xmm5
  vaddsd %xmm5, %xmm3, %xmm3
  movq %r9, %rsi
  jmp     label4
block6:
  vaddpd %xmm2, %xmm1, %xmm0
  vpshufd $0xee, %xmm0, %xmm1
  vaddsd %xmm1, %xmm0, %xmm0
  vaddsd %xmm0, %xmm3, %xmm0
  vmovsd %xmm0, (%rcx)
  movq %rbp, %rsp
  popq %rbp
  retq
