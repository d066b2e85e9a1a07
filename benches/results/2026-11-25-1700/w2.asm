; pass 0: flat loop over [N]; 1 sum(s); writes d/d pred
; pass 0
  pushq %rbp
  unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
  movq %rsp, %rbp
  unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 16 }
  subq $0x2a0, %rsp
  movq %rbx, 0x290(%rsp)
  unwind SaveReg { clobber_offset: 0, reg: p3i }
block0:
  movq 0x18(%rdi), %rax
  vmovsd 0x28(%rax), %xmm0
  vmovsd (%rax), %xmm1
  movq (%rdi), %rax
  movq 8(%rdi), %r9
  movq 0x10(%rdi), %rdi
  uninit  %xmm1
  vxorpd %xmm1, %xmm1, %xmm6
  movdqu %xmm6, <offset:1>+(%rsp)
  uninit  %xmm1
  vxorps %xmm1, %xmm1, %xmm1
  vcvtsd2ss %xmm0, %xmm1, %xmm1
  vbroadcastss %xmm1, %xmm7
  movdqu %xmm7, <offset:1>+0x270(%rsp)
  movdqu %xmm1, <offset:1>+0x280(%rsp)
  vmovups (%rip), %xmm4
  uninit  %xmm0
  vxorps %xmm0, %xmm0, %xmm5
  vmovups (%rip), %xmm8
  movdqu %xmm8, <offset:1>+0x260(%rsp)
  vmovups (%rip), %xmm10
  movdqu %xmm10, <offset:1>+0x250(%rsp)
  vmovups (%rip), %xmm9
  movdqu %xmm9, <offset:1>+0x240(%rsp)
  vmovups (%rip), %xmm11
  movdqu %xmm11, <offset:1>+0x230(%rsp)
  vmovups (%rip), %xmm1
  movdqu %xmm1, <offset:1>+0x220(%rsp)
  vmovups (%rip), %xmm12
  movdqu %xmm12, <offset:1>+0x210(%rsp)
  vmovups (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0x200(%rsp)
  vmovups (%rip), %xmm14
  movdqu %xmm14, <offset:1>+0x1f0(%rsp)
  vmovups (%rip), %xmm15
  movdqu %xmm15, <offset:1>+0x1e0(%rsp)
  vmovups (%rip), %xmm0
  movdqu %xmm0, <offset:1>+0x1d0(%rsp)
  vmovups (%rip), %xmm6
  movdqu %xmm6, <offset:1>+0x1c0(%rsp)
  vmovups (%rip), %xmm2
  movdqu %xmm2, <offset:1>+0x1b0(%rsp)
  vmovups (%rip), %xmm8
  movdqu %xmm8, <offset:1>+0x1a0(%rsp)
  vmovdqu (%rip), %xmm9
  movdqu %xmm9, <offset:1>+0x190(%rsp)
  vmovups (%rip), %xmm0
  movdqu %xmm0, <offset:1>+0x180(%rsp)
  vmovups (%rip), %xmm11
  movdqu %xmm11, <offset:1>+0x170(%rsp)
  vmovups (%rip), %xmm12
  movdqu %xmm12, <offset:1>+0x160(%rsp)
  vmovdqu (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0x150(%rsp)
  vmovdqu (%rip), %xmm14
  movdqu %xmm14, <offset:1>+0x140(%rsp)
  vmovups (%rip), %xmm15
  movdqu %xmm15, <offset:1>+0x130(%rsp)
  vmovups (%rip), %xmm0
  movdqu %xmm0, <offset:1>+0x120(%rsp)
  vmovdqu (%rip), %xmm2
  movdqu %xmm2, <offset:1>+0x110(%rsp)
  vmovdqu (%rip), %xmm6
  movdqu %xmm6, <offset:1>+0x100(%rsp)
  vmovups (%rip), %xmm9
  movdqu %xmm9, <offset:1>+0xf0(%rsp)
  vmovups (%rip), %xmm12
  movdqu %xmm12, <offset:1>+0xe0(%rsp)
  vmovups (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0xd0(%rsp)
  vmovups (%rip), %xmm3
  movdqu %xmm3, <offset:1>+0xc0(%rsp)
  vmovups (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0xb0(%rsp)
  movdqu <offset:1>+(%rsp), %xmm0
  movdqu %xmm0, <offset:1>+0x10(%rsp)
  jmp     label1
block1:
  leaq 8(%rsi), %r8
  cmpq %rdx, %r8
  jnbe    label3; j label2
block2:
  vmovups (%r9, %rsi, 4), %xmm12
  vmovups (%rax, %rsi, 4), %xmm14
  movdqu %xmm14, <offset:1>+0x90(%rsp)
  vsubps %xmm12, %xmm4, %xmm1
  movdqu <offset:1>+0x270(%rsp), %xmm14
  movdqu %xmm12, <offset:1>+0xa0(%rsp)
  vmulps %xmm1, %xmm14, %xmm0
  movdqu <offset:1>+0x90(%rsp), %xmm2
  movdqu %xmm1, <offset:1>+0x80(%rsp)
  vcmpleps %xmm2, %xmm5, %xmm1
  movdqu <offset:1>+0x250(%rsp), %xmm10
  vorps %xmm2, %xmm10, %xmm2
  movdqu <offset:1>+0x240(%rsp), %xmm15
  vmaxps %xmm2, %xmm15, %xmm2
  movdqu <offset:1>+0x260(%rsp), %xmm15
  vminps %xmm2, %xmm15, %xmm7
  movdqu <offset:1>+0x230(%rsp), %xmm15
  movdqu <offset:1>+0x220(%rsp), %xmm3
  movdqa %xmm7, %xmm2
  vfmadd213ps %xmm3, %xmm15, %xmm2
  vsubps %xmm3, %xmm2, %xmm6
  movdqu <offset:1>+0x200(%rsp), %xmm15
  movdqa %xmm6, %xmm8
  vfmadd213ps %xmm7, %xmm15, %xmm8
  movdqu <offset:1>+0x210(%rsp), %xmm15
  vfmadd213ps %xmm8, %xmm15, %xmm6
  vmulps %xmm6, %xmm6, %xmm7
  movdqu <offset:1>+0x1f0(%rsp), %xmm9
  movdqu <offset:1>+0x1e0(%rsp), %xmm15
  movdqa %xmm9, %xmm8
  vfmadd213ps %xmm15, %xmm6, %xmm8
  movdqu <offset:1>+0x1d0(%rsp), %xmm15
  vfmadd213ps %xmm15, %xmm6, %xmm8
  movdqu <offset:1>+0x1c0(%rsp), %xmm15
  vfmadd213ps %xmm15, %xmm6, %xmm8
  movdqu <offset:1>+0x1b0(%rsp), %xmm15
  vfmadd213ps %xmm15, %xmm6, %xmm8
  movdqu <offset:1>+0x1a0(%rsp), %xmm9
  vfmadd213ps %xmm9, %xmm6, %xmm8
  vfmadd213ps %xmm6, %xmm8, %xmm7
  vaddps %xmm4, %xmm7, %xmm6
  movdqu <offset:1>+0x190(%rsp), %xmm15
  vpaddd %xmm15, %xmm2, %xmm2
  vpsrld $0x1, %xmm2, %xmm7
  vpslld $0x17, %xmm7, %xmm8
  vmulps %xmm8, %xmm6, %xmm6
  vpsubd %xmm7, %xmm2, %xmm2
  vpslld $0x17, %xmm2, %xmm2
  vmulps %xmm2, %xmm6, %xmm7
  vpblendvb %xmm1, %xmm4, %xmm7, %xmm1
  vaddps %xmm7, %xmm4, %xmm2
  vdivps %xmm2, %xmm4, %xmm2
  vmulps %xmm2, %xmm1, %xmm1
  vmulps %xmm1, %xmm0, %xmm0
  vmulps %xmm12, %xmm14, %xmm6
  movdqu <offset:1>+0x90(%rsp), %xmm1
  vxorps %xmm10, %xmm1, %xmm1
  vcmpleps %xmm1, %xmm5, %xmm8
  vpblendvb %xmm8, %xmm4, %xmm7, %xmm8
  vmulps %xmm2, %xmm8, %xmm2
  vmulps %xmm2, %xmm6, %xmm2
  vsubps %xmm2, %xmm0, %xmm0
  vmovups %xmm0, (%rdi, %rsi, 4)
  leaq 4(%rsi), %rsi
  vmovups (%r9, %rsi, 4), %xmm6
  movdqu %xmm6, <offset:1>+0x70(%rsp)
  vmovups (%rax, %rsi, 4), %xmm9
  movdqu %xmm9, <offset:1>+0x60(%rsp)
  vsubps %xmm6, %xmm4, %xmm11
  vmulps %xmm11, %xmm14, %xmm8
  movdqu %xmm11, <offset:1>+0x50(%rsp)
  vcmpleps %xmm9, %xmm5, %xmm0
  vorps %xmm9, %xmm10, %xmm2
  movdqu <offset:1>+0x240(%rsp), %xmm6
  vmaxps %xmm2, %xmm6, %xmm2
  movdqu <offset:1>+0x260(%rsp), %xmm6
  vminps %xmm2, %xmm6, %xmm9
  movdqu <offset:1>+0x230(%rsp), %xmm6
  movdqa %xmm9, %xmm2
  vfmadd213ps %xmm3, %xmm6, %xmm2
  vsubps %xmm3, %xmm2, %xmm6
  movdqu <offset:1>+0x200(%rsp), %xmm10
  movdqa %xmm6, %xmm3
  vfmadd213ps %xmm9, %xmm10, %xmm3
  movdqu <offset:1>+0x210(%rsp), %xmm10
  vfmadd213ps %xmm3, %xmm10, %xmm6
  vmulps %xmm6, %xmm6, %xmm3
  movdqu <offset:1>+0x1f0(%rsp), %xmm9
  movdqu <offset:1>+0x1e0(%rsp), %xmm10
  vfmadd213ps %xmm10, %xmm6, %xmm9
  movdqu <offset:1>+0x1d0(%rsp), %xmm10
  vfmadd213ps %xmm10, %xmm6, %xmm9
  movdqu <offset:1>+0x1c0(%rsp), %xmm10
  vfmadd213ps %xmm10, %xmm6, %xmm9
  movdqu <offset:1>+0x1b0(%rsp), %xmm10
  vfmadd213ps %xmm10, %xmm6, %xmm9
  movdqu <offset:1>+0x1a0(%rsp), %xmm10
  vfmadd213ps %xmm10, %xmm6, %xmm9
  vfmadd213ps %xmm6, %xmm9, %xmm3
  vaddps %xmm4, %xmm3, %xmm3
  movdqu <offset:1>+0x190(%rsp), %xmm12
  vpaddd %xmm12, %xmm2, %xmm2
  vpsrld $0x1, %xmm2, %xmm6
  vpslld $0x17, %xmm6, %xmm9
  vmulps %xmm9, %xmm3, %xmm3
  vpsubd %xmm6, %xmm2, %xmm2
  vpslld $0x17, %xmm2, %xmm2
  vmulps %xmm2, %xmm3, %xmm13
  vpblendvb %xmm0, %xmm4, %xmm13, %xmm2
  vaddps %xmm13, %xmm4, %xmm0
  vdivps %xmm0, %xmm4, %xmm0
  vmulps %xmm0, %xmm2, %xmm2
  vmulps %xmm2, %xmm8, %xmm2
  movdqu <offset:1>+0x70(%rsp), %xmm6
  vmulps %xmm6, %xmm14, %xmm3
  movdqu <offset:1>+0x60(%rsp), %xmm9
  movdqu <offset:1>+0x250(%rsp), %xmm10
  vxorps %xmm10, %xmm9, %xmm10
  vcmpleps %xmm10, %xmm5, %xmm6
  movdqu %xmm10, <offset:1>+0x40(%rsp)
  vpblendvb %xmm6, %xmm4, %xmm13, %xmm6
  vmulps %xmm0, %xmm6, %xmm0
  vmulps %xmm0, %xmm3, %xmm0
  vsubps %xmm0, %xmm2, %xmm0
  vmovups %xmm0, (%rdi, %rsi, 4)
  vmaxps %xmm1, %xmm5, %xmm15
  movdqu %xmm15, <offset:1>+0x30(%rsp)
  vaddps %xmm4, %xmm7, %xmm1
  movdqu <offset:1>+0x180(%rsp), %xmm2
  vcmpeqps %xmm2, %xmm1, %xmm11
  movdqu %xmm11, <offset:1>+0x20(%rsp)
  vcmpeqps %xmm5, %xmm1, %xmm11
  vcmpnleps %xmm1, %xmm5, %xmm3
  movdqu <offset:1>+0x150(%rsp), %xmm14
  vpaddd %xmm14, %xmm1, %xmm2
  vpsrld $0x17, %xmm2, %xmm6
  movdqu <offset:1>+0x140(%rsp), %xmm0
  vpor %xmm0, %xmm6, %xmm8
  movdqu <offset:1>+0x130(%rsp), %xmm6
  vsubps %xmm6, %xmm8, %xmm0
  vcmpeqps %xmm5, %xmm0, %xmm6
  movdqu <offset:1>+0x110(%rsp), %xmm12
  vpand %xmm12, %xmm2, %xmm8
  movdqu <offset:1>+0x100(%rsp), %xmm2
  vpaddd %xmm2, %xmm8, %xmm8
  vsubps %xmm4, %xmm8, %xmm2
  vpblendvb %xmm6, %xmm7, %xmm2, %xmm12
  movdqu <offset:1>+0x1a0(%rsp), %xmm2
  vmulps %xmm2, %xmm12, %xmm2
  vmulps %xmm12, %xmm2, %xmm8
  movdqu <offset:1>+0xf0(%rsp), %xmm2
  vaddps %xmm2, %xmm12, %xmm9
  vdivps %xmm9, %xmm12, %xmm2
  vmulps %xmm2, %xmm2, %xmm9
  movdqu <offset:1>+0xd0(%rsp), %xmm10
  movdqu <offset:1>+0xe0(%rsp), %xmm15
  movdqa %xmm15, %xmm14
  vfmadd213ps %xmm10, %xmm9, %xmm14
  movdqu <offset:1>+0xc0(%rsp), %xmm10
  vfmadd213ps %xmm10, %xmm9, %xmm14
  vmulps %xmm14, %xmm9, %xmm9
  vaddps %xmm9, %xmm8, %xmm9
  vsubps %xmm7, %xmm1, %xmm14
  vsubps %xmm14, %xmm1, %xmm10
  vsubps %xmm10, %xmm7, %xmm7
  vsubps %xmm14, %xmm4, %xmm10
  vaddps %xmm10, %xmm7, %xmm7
  vdivps %xmm1, %xmm7, %xmm1
  vpblendvb %xmm6, %xmm5, %xmm1, %xmm1
  movdqu <offset:1>+0xb0(%rsp), %xmm7
  movdqa %xmm0, %xmm6
  vfmadd213ps %xmm1, %xmm7, %xmm6
  vfmadd213ps %xmm6, %xmm9, %xmm2
  vsubps %xmm2, %xmm8, %xmm1
  vsubps %xmm1, %xmm12, %xmm1
  movdqu <offset:1>+0x120(%rsp), %xmm6
  vfmadd213ps %xmm1, %xmm6, %xmm0
  movdqu <offset:1>+0x160(%rsp), %xmm12
  movdqu %xmm6, <offset:1>+0x120(%rsp)
  vpblendvb %xmm3, %xmm12, %xmm0, %xmm0
  movdqu <offset:1>+0x170(%rsp), %xmm6
  vpblendvb %xmm11, %xmm6, %xmm0, %xmm0
  movdqu <offset:1>+0x180(%rsp), %xmm10
  movdqu <offset:1>+0x20(%rsp), %xmm11
  vpblendvb %xmm11, %xmm10, %xmm0, %xmm0
  movdqu <offset:1>+0x30(%rsp), %xmm15
  vaddps %xmm0, %xmm15, %xmm1
  movdqu <offset:1>+0xa0(%rsp), %xmm12
  vmulps %xmm1, %xmm12, %xmm1
  movdqu <offset:1>+0x90(%rsp), %xmm14
  vmaxps %xmm14, %xmm5, %xmm2
  vaddps %xmm0, %xmm2, %xmm0
  movdqu <offset:1>+0x80(%rsp), %xmm2
  vmulps %xmm0, %xmm2, %xmm0
  vaddps %xmm0, %xmm1, %xmm0
  vcvtps2pd %xmm0, %xmm1
  movdqu <offset:1>+(%rsp), %xmm11
  vaddpd %xmm1, %xmm11, %xmm1
  vpshufd $0xee, %xmm0, %xmm0
  vcvtps2pd %xmm0, %xmm0
  vaddpd %xmm0, %xmm1, %xmm11
  movdqu <offset:1>+0x40(%rsp), %xmm10
  movdqu %xmm11, <offset:1>+(%rsp)
  vmaxps %xmm10, %xmm5, %xmm10
  vaddps %xmm4, %xmm13, %xmm0
  movdqu <offset:1>+0x180(%rsp), %xmm1
  vcmpeqps %xmm1, %xmm0, %xmm15
  vcmpeqps %xmm5, %xmm0, %xmm11
  vcmpnleps %xmm0, %xmm5, %xmm3
  movdqu <offset:1>+0x150(%rsp), %xmm6
  vpaddd %xmm6, %xmm0, %xmm2
  vpsrld $0x17, %xmm2, %xmm1
  movdqu <offset:1>+0x140(%rsp), %xmm9
  vpor %xmm9, %xmm1, %xmm1
  movdqu <offset:1>+0x130(%rsp), %xmm6
  vsubps %xmm6, %xmm1, %xmm7
  vcmpeqps %xmm5, %xmm7, %xmm1
  movdqu <offset:1>+0x110(%rsp), %xmm14
  vpand %xmm14, %xmm2, %xmm2
  movdqu <offset:1>+0x100(%rsp), %xmm6
  vpaddd %xmm6, %xmm2, %xmm2
  vsubps %xmm4, %xmm2, %xmm2
  vpblendvb %xmm1, %xmm13, %xmm2, %xmm12
  movdqu <offset:1>+0x1a0(%rsp), %xmm2
  vmulps %xmm2, %xmm12, %xmm2
  vmulps %xmm12, %xmm2, %xmm6
  movdqu <offset:1>+0xf0(%rsp), %xmm2
  vaddps %xmm2, %xmm12, %xmm2
  vdivps %xmm2, %xmm12, %xmm2
  vmulps %xmm2, %xmm2, %xmm14
  movdqu <offset:1>+0xd0(%rsp), %xmm8
  movdqu <offset:1>+0xe0(%rsp), %xmm9
  vfmadd213ps %xmm8, %xmm14, %xmm9
  movdqu <offset:1>+0xc0(%rsp), %xmm8
  vfmadd213ps %xmm8, %xmm14, %xmm9
  vmulps %xmm9, %xmm14, %xmm8
  vaddps %xmm8, %xmm6, %xmm14
  vsubps %xmm13, %xmm0, %xmm9
  vsubps %xmm9, %xmm0, %xmm8
  vsubps %xmm8, %xmm13, %xmm13
  vsubps %xmm9, %xmm4, %xmm8
  vaddps %xmm8, %xmm13, %xmm8
  vdivps %xmm0, %xmm8, %xmm0
  vpblendvb %xmm1, %xmm5, %xmm0, %xmm1
  movdqu <offset:1>+0xb0(%rsp), %xmm0
  movdqa %xmm7, %xmm9
  vfmadd213ps %xmm1, %xmm0, %xmm9
  vfmadd213ps %xmm9, %xmm14, %xmm2
  vsubps %xmm2, %xmm6, %xmm1
  vsubps %xmm1, %xmm12, %xmm2
  movdqu <offset:1>+0x120(%rsp), %xmm1
  vfmadd213ps %xmm2, %xmm1, %xmm7
  movdqu <offset:1>+0x160(%rsp), %xmm12
  vpblendvb %xmm3, %xmm12, %xmm7, %xmm2
  movdqu <offset:1>+0x170(%rsp), %xmm6
  vpblendvb %xmm11, %xmm6, %xmm2, %xmm2
  movdqu <offset:1>+0x180(%rsp), %xmm3
  vpblendvb %xmm15, %xmm3, %xmm2, %xmm2
  vaddps %xmm2, %xmm10, %xmm3
  movdqu <offset:1>+0x70(%rsp), %xmm7
  vmulps %xmm3, %xmm7, %xmm3
  movdqu <offset:1>+0x60(%rsp), %xmm9
  vmaxps %xmm9, %xmm5, %xmm7
  vaddps %xmm2, %xmm7, %xmm2
  movdqu <offset:1>+0x50(%rsp), %xmm11
  vmulps %xmm2, %xmm11, %xmm2
  vaddps %xmm2, %xmm3, %xmm2
  vcvtps2pd %xmm2, %xmm7
  movdqu <offset:1>+0x10(%rsp), %xmm3
  vaddpd %xmm7, %xmm3, %xmm3
  vpshufd $0xee, %xmm2, %xmm2
  vcvtps2pd %xmm2, %xmm2
  vaddpd %xmm2, %xmm3, %xmm3
  movdqu %xmm3, <offset:1>+0x10(%rsp)
  movq %r8, %rsi
  jmp     label1
block3:
  uninit  %xmm0
  vxorpd %xmm0, %xmm0, %xmm4
  movdqu %xmm4, <offset:1>+0x20(%rsp)
  jmp     label4
block4:
  leaq 1(%rsi), %r8
  cmpq %rdx, %r8
  jnbe    label6; j label5
block5:
  vmovss (%r9, %rsi, 4), %xmm2
  vmovss (%rax, %rsi, 4), %xmm3
  movl $0x3f800000, %r10d
  vmovd %r10d, %xmm6
  vsubss %xmm2, %xmm6, %xmm4
  movdqu <offset:1>+0x280(%rsp), %xmm15
  vmulss %xmm4, %xmm15, %xmm7
  uninit  %xmm1
  vxorps %xmm1, %xmm1, %xmm5
  movl $0x80000000, %r10d
  vmovd %r10d, %xmm8
  vorps %xmm3, %xmm8, %xmm1
  movl $0xc2dc0000, %r10d
  vmovd %r10d, %xmm9
  vmaxss %xmm1, %xmm9, %xmm1
  movl $0x42c80000, %r10d
  vmovd %r10d, %xmm9
  vminss %xmm1, %xmm9, %xmm1
  movl $0x3fb8aa3b, %r10d
  vmovd %r10d, %xmm10
  movdqa %xmm1, %xmm9
  vfmadd213ss (%rip), %xmm10, %xmm9
  vsubss (%rip), %xmm9, %xmm10
  movl $0xbf318000, %r10d
  vmovd %r10d, %xmm12
  movdqa %xmm10, %xmm11
  vfmadd213ss %xmm1, %xmm12, %xmm11
  movl $0x395e8083, %r10d
  vmovd %r10d, %xmm1
  vfmadd213ss %xmm11, %xmm1, %xmm10
  vmulss %xmm10, %xmm10, %xmm1
  movl $0x3950bf6d, %r10d
  vmovd %r10d, %xmm11
  vfmadd213ss (%rip), %xmm10, %xmm11
  vfmadd213ss (%rip), %xmm10, %xmm11
  vfmadd213ss (%rip), %xmm10, %xmm11
  vfmadd213ss (%rip), %xmm10, %xmm11
  vfmadd213ss (%rip), %xmm10, %xmm11
  vfmadd213ss %xmm10, %xmm11, %xmm1
  vaddss (%rip), %xmm1, %xmm1
  vmovd %xmm9, %r10d
  leal -0x4b3fff02(%r10), %r10d
  movq %r10, %r11
  shrl $1, %r11d
  movq %r11, %rbx
  shll $0x17, %ebx
  vmovd %ebx, %xmm9
  vmulss %xmm9, %xmm1, %xmm1
  subl %r11d, %r10d
  shll $0x17, %r10d
  vmovd %r10d, %xmm9
  vmulss %xmm9, %xmm1, %xmm12
  vucomiss (%rip), %xmm3
  movdqa %xmm12, %xmm9
  movss %xmm9, %xmm9; jb $next; movss %xmm6, %xmm9; $next:
  vaddss %xmm12, %xmm6, %xmm1
  vdivss %xmm1, %xmm6, %xmm1
  vmulss %xmm1, %xmm9, %xmm9
  vmulss %xmm9, %xmm7, %xmm7
  vmulss %xmm2, %xmm15, %xmm9
  vxorps %xmm8, %xmm3, %xmm8
  vucomiss (%rip), %xmm8
  movdqa %xmm12, %xmm10
  movss %xmm10, %xmm10; jb $next; movss %xmm6, %xmm10; $next:
  vmulss %xmm1, %xmm10, %xmm1
  vmulss %xmm1, %xmm9, %xmm1
  vsubss %xmm1, %xmm7, %xmm1
  vmovss %xmm1, (%rdi, %rsi, 4)
  vmaxss %xmm8, %xmm5, %xmm7
  vaddss (%rip), %xmm12, %xmm9
  movl $0x7f800000, %esi
  vmovd %esi, %xmm8
  vmovd %xmm9, %esi
  leal 0x4afb0d(%rsi), %esi
  movq %rsi, %r10
  shrl $0x17, %r10d
  orl $0x4b000000, %r10d
  vmovd %r10d, %xmm1
  vsubss (%rip), %xmm1, %xmm10
  andl $0x7fffff, %esi
  leal 0x3f3504f3(%rsi), %esi
  vmovd %esi, %xmm1
  vsubss (%rip), %xmm1, %xmm1
  vucomiss (%rip), %xmm10
  movdqa %xmm12, %xmm11
  movss %xmm11, %xmm11; jnp $next; movss %xmm1, %xmm11; $next:
  movss %xmm11, %xmm11; jz $next; movss %xmm1, %xmm11; $next:
  vmulss (%rip), %xmm11, %xmm1
  vmulss %xmm11, %xmm1, %xmm13
  vaddss (%rip), %xmm11, %xmm1
  vdivss %xmm1, %xmm11, %xmm14
  vmulss %xmm14, %xmm14, %xmm1
  movl $0x3e9778b0, %esi
  vmovd %esi, %xmm15
  vfmadd213ss (%rip), %xmm1, %xmm15
  vfmadd213ss (%rip), %xmm1, %xmm15
  vmulss %xmm15, %xmm1, %xmm1
  vaddss %xmm1, %xmm13, %xmm1
  vsubss %xmm12, %xmm9, %xmm15
  vsubss %xmm15, %xmm9, %xmm0
  vsubss %xmm0, %xmm12, %xmm12
  vsubss %xmm15, %xmm6, %xmm0
  vaddss %xmm0, %xmm12, %xmm0
  vdivss %xmm9, %xmm0, %xmm12
  vucomiss (%rip), %xmm10
  movdqa %xmm5, %xmm6
  movss %xmm6, %xmm6; jnp $next; movss %xmm12, %xmm6; $next:
  movss %xmm6, %xmm6; jz $next; movss %xmm12, %xmm6; $next:
  movl $0xb95e8083, %esi
  vmovd %esi, %xmm12
  movdqa %xmm10, %xmm15
  vfmadd213ss %xmm6, %xmm12, %xmm15
  vfmadd213ss %xmm15, %xmm1, %xmm14
  vsubss %xmm14, %xmm13, %xmm0
  vsubss %xmm0, %xmm11, %xmm1
  movl $0x3f318000, %esi
  vmovd %esi, %xmm6
  vfmadd213ss %xmm1, %xmm6, %xmm10
  movl $0x7fc00000, %esi
  vmovd %esi, %xmm1
  vucomiss (%rip), %xmm9
  movss %xmm10, %xmm10; jnb $next; movss %xmm1, %xmm10; $next:
  movl $0xff800000, %esi
  vmovd %esi, %xmm1
  vucomiss (%rip), %xmm9
  movss %xmm1, %xmm1; jnp $next; movss %xmm10, %xmm1; $next:
  movss %xmm1, %xmm1; jz $next; movss %xmm10, %xmm1; $next:
  vucomiss (%rip), %xmm9
  movss %xmm8, %xmm8; jnp $next; movss %xmm1, %xmm8; $next:
  movss %xmm8, %xmm8; jz $next; movss %xmm1, %xmm8; $next:
  vaddss %xmm8, %xmm7, %xmm0
  vmulss %xmm0, %xmm2, %xmm1
  vmaxss %xmm3, %xmm5, %xmm0
  vaddss %xmm8, %xmm0, %xmm0
  vmulss %xmm0, %xmm4, %xmm0
  vaddss %xmm0, %xmm1, %xmm1
  uninit  %xmm0
  vxorpd %xmm0, %xmm0, %xmm0
  vcvtss2sd %xmm1, %xmm0, %xmm0
  movdqu <offset:1>+0x20(%rsp), %xmm4
  vaddsd %xmm0, %xmm4, %xmm4
  movq %r8, %rsi
  movdqu %xmm4, <offset:1>+0x20(%rsp)
  jmp     label4
block6:
  movdqu <offset:1>+0x10(%rsp), %xmm3
  movdqu <offset:1>+0x20(%rsp), %xmm4
  movdqu <offset:1>+(%rsp), %xmm11
  vaddpd %xmm3, %xmm11, %xmm1
  vpshufd $0xee, %xmm1, %xmm0
  vaddsd %xmm0, %xmm1, %xmm0
  vaddsd %xmm0, %xmm4, %xmm0
  vmovsd %xmm0, (%rcx)
  movq 0x290(%rsp), %rbx
  addq $0x2a0, %rsp
  movq %rbp, %rsp
  popq %rbp
  retq
