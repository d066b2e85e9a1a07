; pass 0: flat loop over [N]; 1 sum(s); writes d/d pred
; pass 0
  pushq %rbp
  unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
  movq %rsp, %rbp
  unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 16 }
  subq $0x2c0, %rsp
  movq %rbx, 0x2b0(%rsp)
  unwind SaveReg { clobber_offset: 0, reg: p3i }
block0:
  movq 0x18(%rdi), %rax
  vmovsd 0x28(%rax), %xmm0
  vmovsd 8(%rax), %xmm0
  vmovsd (%rax), %xmm0
  vmovsd 0x30(%rax), %xmm0
  movq (%rdi), %rax
  movq 8(%rdi), %r8
  movq 0x10(%rdi), %rdi
  uninit  %xmm1
  vxorpd %xmm1, %xmm1, %xmm6
  movdqu %xmm6, <offset:1>+(%rsp)
  uninit  %xmm1
  vxorps %xmm1, %xmm1, %xmm1
  vcvtsd2ss %xmm0, %xmm1, %xmm1
  vbroadcastss %xmm1, %xmm7
  movdqu %xmm7, <offset:1>+0x290(%rsp)
  movdqu %xmm1, <offset:1>+0x2a0(%rsp)
  vmovups (%rip), %xmm4
  uninit  %xmm0
  vxorps %xmm0, %xmm0, %xmm0
  movdqu %xmm0, <offset:1>+0x280(%rsp)
  vmovups (%rip), %xmm8
  movdqu %xmm8, <offset:1>+0x270(%rsp)
  vmovups (%rip), %xmm10
  movdqu %xmm10, <offset:1>+0x260(%rsp)
  vmovups (%rip), %xmm9
  movdqu %xmm9, <offset:1>+0x250(%rsp)
  vmovups (%rip), %xmm11
  movdqu %xmm11, <offset:1>+0x240(%rsp)
  vmovups (%rip), %xmm1
  movdqu %xmm1, <offset:1>+0x230(%rsp)
  vmovups (%rip), %xmm12
  movdqu %xmm12, <offset:1>+0x220(%rsp)
  vmovups (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0x210(%rsp)
  vmovups (%rip), %xmm14
  movdqu %xmm14, <offset:1>+0x200(%rsp)
  vmovups (%rip), %xmm15
  movdqu %xmm15, <offset:1>+0x1f0(%rsp)
  vmovups (%rip), %xmm0
  movdqu %xmm0, <offset:1>+0x1e0(%rsp)
  vmovups (%rip), %xmm6
  movdqu %xmm6, <offset:1>+0x1d0(%rsp)
  vmovups (%rip), %xmm2
  movdqu %xmm2, <offset:1>+0x1c0(%rsp)
  vmovups (%rip), %xmm8
  movdqu %xmm8, <offset:1>+0x1b0(%rsp)
  vmovdqu (%rip), %xmm9
  movdqu %xmm9, <offset:1>+0x1a0(%rsp)
  vmovups (%rip), %xmm6
  movdqu %xmm6, <offset:1>+0x190(%rsp)
  vmovups (%rip), %xmm11
  movdqu %xmm11, <offset:1>+0x180(%rsp)
  vmovups (%rip), %xmm12
  movdqu %xmm12, <offset:1>+0x170(%rsp)
  vmovdqu (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0x160(%rsp)
  vmovdqu (%rip), %xmm14
  movdqu %xmm14, <offset:1>+0x150(%rsp)
  vmovups (%rip), %xmm0
  movdqu %xmm0, <offset:1>+0x140(%rsp)
  vmovups (%rip), %xmm9
  movdqu %xmm9, <offset:1>+0x130(%rsp)
  vmovdqu (%rip), %xmm2
  movdqu %xmm2, <offset:1>+0x120(%rsp)
  vmovdqu (%rip), %xmm15
  movdqu %xmm15, <offset:1>+0x110(%rsp)
  vmovups (%rip), %xmm5
  movdqu %xmm5, <offset:1>+0x100(%rsp)
  vmovups (%rip), %xmm11
  movdqu %xmm11, <offset:1>+0xf0(%rsp)
  vmovups (%rip), %xmm12
  movdqu %xmm12, <offset:1>+0xe0(%rsp)
  vmovups (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0xd0(%rsp)
  vmovups (%rip), %xmm3
  movdqu %xmm3, <offset:1>+0xc0(%rsp)
  movdqu <offset:1>+(%rsp), %xmm0
  movdqu %xmm0, <offset:1>+0x10(%rsp)
  jmp     label1
block1:
  leaq 8(%rsi), %r9
  cmpq %rdx, %r9
  jnbe    label3; j label2
block2:
  vmovups (%rax, %rsi, 4), %xmm10
  vmovups (%r8, %rsi, 4), %xmm13
  movdqu <offset:1>+0x280(%rsp), %xmm15
  vcmpleps %xmm10, %xmm15, %xmm2
  movdqu <offset:1>+0x260(%rsp), %xmm0
  vorps %xmm10, %xmm0, %xmm1
  movdqu <offset:1>+0x250(%rsp), %xmm14
  vmaxps %xmm1, %xmm14, %xmm0
  movdqu <offset:1>+0x270(%rsp), %xmm14
  vminps %xmm0, %xmm14, %xmm3
  movdqu <offset:1>+0x230(%rsp), %xmm14
  movdqu <offset:1>+0x240(%rsp), %xmm1
  movdqa %xmm3, %xmm0
  vfmadd213ps %xmm14, %xmm1, %xmm0
  vsubps %xmm14, %xmm0, %xmm1
  movdqu <offset:1>+0x210(%rsp), %xmm14
  movdqa %xmm1, %xmm5
  vfmadd213ps %xmm3, %xmm14, %xmm5
  movdqu <offset:1>+0x220(%rsp), %xmm14
  vfmadd213ps %xmm5, %xmm14, %xmm1
  vmulps %xmm1, %xmm1, %xmm3
  movdqu <offset:1>+0x200(%rsp), %xmm5
  movdqu <offset:1>+0x1f0(%rsp), %xmm14
  movdqa %xmm5, %xmm6
  vfmadd213ps %xmm14, %xmm1, %xmm6
  movdqu <offset:1>+0x1e0(%rsp), %xmm14
  vfmadd213ps %xmm14, %xmm1, %xmm6
  movdqu <offset:1>+0x1d0(%rsp), %xmm14
  vfmadd213ps %xmm14, %xmm1, %xmm6
  movdqu <offset:1>+0x1c0(%rsp), %xmm14
  vfmadd213ps %xmm14, %xmm1, %xmm6
  movdqu <offset:1>+0x1b0(%rsp), %xmm8
  vfmadd213ps %xmm8, %xmm1, %xmm6
  vfmadd213ps %xmm1, %xmm6, %xmm3
  vaddps %xmm4, %xmm3, %xmm1
  movdqu <offset:1>+0x1a0(%rsp), %xmm14
  vpaddd %xmm14, %xmm0, %xmm0
  vpsrld $0x1, %xmm0, %xmm3
  vpslld $0x17, %xmm3, %xmm5
  vmulps %xmm5, %xmm1, %xmm1
  vpsubd %xmm3, %xmm0, %xmm0
  vpslld $0x17, %xmm0, %xmm0
  vmulps %xmm0, %xmm1, %xmm1
  vpblendvb %xmm2, %xmm4, %xmm1, %xmm0
  vaddps %xmm1, %xmm4, %xmm2
  vdivps %xmm2, %xmm4, %xmm3
  vmulps %xmm3, %xmm0, %xmm11
  vmulps %xmm13, %xmm11, %xmm0
  vsubps %xmm11, %xmm4, %xmm14
  vsubps %xmm13, %xmm4, %xmm2
  vmulps %xmm2, %xmm14, %xmm5
  movdqu %xmm14, <offset:1>+0x60(%rsp)
  vaddps %xmm5, %xmm0, %xmm0
  vsubps %xmm0, %xmm4, %xmm12
  vmulps %xmm12, %xmm12, %xmm0
  movdqu <offset:1>+0x290(%rsp), %xmm14
  vmulps %xmm0, %xmm14, %xmm6
  movdqu %xmm0, <offset:1>+0xb0(%rsp)
  vmulps %xmm2, %xmm6, %xmm0
  vmulps %xmm11, %xmm0, %xmm0
  vmulps %xmm13, %xmm6, %xmm7
  movdqu <offset:1>+0x260(%rsp), %xmm5
  movdqu %xmm13, <offset:1>+0x70(%rsp)
  vxorps %xmm5, %xmm10, %xmm6
  movdqu %xmm10, <offset:1>+0x80(%rsp)
  vcmpleps %xmm6, %xmm15, %xmm5
  vpblendvb %xmm5, %xmm4, %xmm1, %xmm5
  vmulps %xmm3, %xmm5, %xmm3
  vmulps %xmm3, %xmm7, %xmm3
  vsubps %xmm3, %xmm0, %xmm9
  movdqu %xmm9, <offset:1>+0x50(%rsp)
  vmaxps %xmm6, %xmm15, %xmm0
  movdqu %xmm0, <offset:1>+0x40(%rsp)
  vaddps %xmm4, %xmm1, %xmm7
  movdqu <offset:1>+0x190(%rsp), %xmm8
  vcmpeqps %xmm8, %xmm7, %xmm5
  movdqu %xmm5, <offset:1>+0x30(%rsp)
  vcmpeqps %xmm15, %xmm7, %xmm13
  movdqu %xmm13, <offset:1>+0x20(%rsp)
  vcmpnleps %xmm7, %xmm15, %xmm0
  movdqu <offset:1>+0x160(%rsp), %xmm3
  movdqu %xmm0, <offset:1>+0xa0(%rsp)
  vpaddd %xmm3, %xmm7, %xmm0
  vpsrld $0x17, %xmm0, %xmm5
  movdqu <offset:1>+0x150(%rsp), %xmm3
  vpor %xmm3, %xmm5, %xmm6
  movdqu <offset:1>+0x140(%rsp), %xmm5
  vsubps %xmm5, %xmm6, %xmm3
  vcmpeqps %xmm15, %xmm3, %xmm9
  movdqu <offset:1>+0x120(%rsp), %xmm5
  vpand %xmm5, %xmm0, %xmm6
  movdqu <offset:1>+0x110(%rsp), %xmm0
  vpaddd %xmm0, %xmm6, %xmm5
  vsubps %xmm4, %xmm5, %xmm0
  vpblendvb %xmm9, %xmm1, %xmm0, %xmm14
  movdqu <offset:1>+0x1b0(%rsp), %xmm8
  vmulps %xmm8, %xmm14, %xmm0
  vmulps %xmm14, %xmm0, %xmm8
  movdqu <offset:1>+0x100(%rsp), %xmm0
  vaddps %xmm0, %xmm14, %xmm0
  vdivps %xmm0, %xmm14, %xmm0
  vmulps %xmm0, %xmm0, %xmm10
  movdqu <offset:1>+0xe0(%rsp), %xmm6
  movdqu <offset:1>+0xf0(%rsp), %xmm13
  movdqa %xmm13, %xmm5
  vfmadd213ps %xmm6, %xmm10, %xmm5
  movdqu <offset:1>+0xd0(%rsp), %xmm6
  vfmadd213ps %xmm6, %xmm10, %xmm5
  vmulps %xmm5, %xmm10, %xmm5
  vaddps %xmm5, %xmm8, %xmm10
  vsubps %xmm1, %xmm7, %xmm5
  vsubps %xmm5, %xmm7, %xmm6
  vsubps %xmm6, %xmm1, %xmm1
  vsubps %xmm5, %xmm4, %xmm5
  vaddps %xmm5, %xmm1, %xmm1
  vdivps %xmm7, %xmm1, %xmm1
  vpblendvb %xmm9, %xmm15, %xmm1, %xmm1
  movdqu <offset:1>+0xc0(%rsp), %xmm9
  movdqa %xmm3, %xmm5
  vfmadd213ps %xmm1, %xmm9, %xmm5
  vfmadd213ps %xmm5, %xmm10, %xmm0
  vsubps %xmm0, %xmm8, %xmm0
  vsubps %xmm0, %xmm14, %xmm0
  movdqu <offset:1>+0x130(%rsp), %xmm1
  vfmadd213ps %xmm0, %xmm1, %xmm3
  movdqu <offset:1>+0xa0(%rsp), %xmm1
  movdqu <offset:1>+0x170(%rsp), %xmm0
  vpblendvb %xmm1, %xmm0, %xmm3, %xmm1
  movdqu <offset:1>+0x180(%rsp), %xmm7
  movdqu <offset:1>+0x20(%rsp), %xmm13
  vpblendvb %xmm13, %xmm7, %xmm1, %xmm0
  movdqu <offset:1>+0x30(%rsp), %xmm5
  movdqu <offset:1>+0x190(%rsp), %xmm8
  vpblendvb %xmm5, %xmm8, %xmm0, %xmm0
  movdqu <offset:1>+0x40(%rsp), %xmm1
  vaddps %xmm0, %xmm1, %xmm1
  movdqu <offset:1>+0x70(%rsp), %xmm13
  vmulps %xmm1, %xmm13, %xmm1
  movdqu <offset:1>+0x80(%rsp), %xmm10
  vmaxps %xmm10, %xmm15, %xmm3
  vaddps %xmm0, %xmm3, %xmm0
  vmulps %xmm0, %xmm2, %xmm0
  vaddps %xmm0, %xmm1, %xmm7
  movdqu <offset:1>+0x290(%rsp), %xmm0
  vmulps %xmm7, %xmm0, %xmm0
  movdqu <offset:1>+0x100(%rsp), %xmm14
  movdqu %xmm7, <offset:1>+0xa0(%rsp)
  vmulps %xmm12, %xmm14, %xmm1
  vmulps %xmm1, %xmm0, %xmm0
  vmulps %xmm2, %xmm0, %xmm1
  vmulps %xmm13, %xmm0, %xmm0
  vsubps %xmm0, %xmm1, %xmm0
  movdqu <offset:1>+0x60(%rsp), %xmm14
  vmulps %xmm14, %xmm11, %xmm1
  vmulps %xmm1, %xmm0, %xmm0
  movdqu <offset:1>+0x50(%rsp), %xmm9
  vaddps %xmm0, %xmm9, %xmm0
  vmovups %xmm0, (%rdi, %rsi, 4)
  leaq 4(%rsi), %rsi
  vmovups (%rax, %rsi, 4), %xmm6
  vmovups (%r8, %rsi, 4), %xmm0
  movdqa %xmm0, %xmm11
  vcmpleps %xmm6, %xmm15, %xmm0
  movdqu <offset:1>+0x260(%rsp), %xmm10
  vorps %xmm6, %xmm10, %xmm1
  movdqu <offset:1>+0x250(%rsp), %xmm15
  vmaxps %xmm1, %xmm15, %xmm1
  movdqu <offset:1>+0x270(%rsp), %xmm15
  vminps %xmm1, %xmm15, %xmm3
  movdqu <offset:1>+0x230(%rsp), %xmm14
  movdqu <offset:1>+0x240(%rsp), %xmm15
  movdqa %xmm3, %xmm1
  vfmadd213ps %xmm14, %xmm15, %xmm1
  vsubps %xmm14, %xmm1, %xmm2
  movdqu <offset:1>+0x210(%rsp), %xmm15
  movdqa %xmm2, %xmm5
  vfmadd213ps %xmm3, %xmm15, %xmm5
  movdqu <offset:1>+0x220(%rsp), %xmm15
  vfmadd213ps %xmm5, %xmm15, %xmm2
  vmulps %xmm2, %xmm2, %xmm3
  movdqu <offset:1>+0x200(%rsp), %xmm5
  movdqu <offset:1>+0x1f0(%rsp), %xmm15
  movdqa %xmm5, %xmm7
  vfmadd213ps %xmm15, %xmm2, %xmm7
  movdqu <offset:1>+0x1e0(%rsp), %xmm15
  vfmadd213ps %xmm15, %xmm2, %xmm7
  movdqu <offset:1>+0x1d0(%rsp), %xmm15
  vfmadd213ps %xmm15, %xmm2, %xmm7
  movdqu <offset:1>+0x1c0(%rsp), %xmm15
  vfmadd213ps %xmm15, %xmm2, %xmm7
  movdqu <offset:1>+0x1b0(%rsp), %xmm8
  vfmadd213ps %xmm8, %xmm2, %xmm7
  vfmadd213ps %xmm2, %xmm7, %xmm3
  vaddps %xmm4, %xmm3, %xmm2
  movdqu <offset:1>+0x1a0(%rsp), %xmm15
  vpaddd %xmm15, %xmm1, %xmm1
  vpsrld $0x1, %xmm1, %xmm3
  vpslld $0x17, %xmm3, %xmm5
  vmulps %xmm5, %xmm2, %xmm2
  vpsubd %xmm3, %xmm1, %xmm1
  vpslld $0x17, %xmm1, %xmm1
  vmulps %xmm1, %xmm2, %xmm8
  vpblendvb %xmm0, %xmm4, %xmm8, %xmm1
  vaddps %xmm8, %xmm4, %xmm0
  vdivps %xmm0, %xmm4, %xmm0
  vmulps %xmm0, %xmm1, %xmm9
  movdqa %xmm11, %xmm15
  vmulps %xmm15, %xmm9, %xmm1
  vsubps %xmm9, %xmm4, %xmm2
  vsubps %xmm15, %xmm4, %xmm12
  vmulps %xmm12, %xmm2, %xmm3
  movdqu %xmm2, <offset:1>+0x70(%rsp)
  vaddps %xmm3, %xmm1, %xmm1
  vsubps %xmm1, %xmm4, %xmm1
  vmulps %xmm1, %xmm1, %xmm2
  movdqa %xmm2, %xmm5
  movdqu <offset:1>+0x290(%rsp), %xmm7
  movdqu %xmm1, <offset:1>+0x60(%rsp)
  vmulps %xmm5, %xmm7, %xmm2
  movdqu %xmm5, <offset:1>+0x50(%rsp)
  vmulps %xmm12, %xmm2, %xmm1
  vmulps %xmm9, %xmm1, %xmm1
  vmulps %xmm15, %xmm2, %xmm7
  vxorps %xmm10, %xmm6, %xmm2
  movdqu <offset:1>+0x280(%rsp), %xmm3
  movdqu %xmm6, <offset:1>+0x90(%rsp)
  vcmpleps %xmm2, %xmm3, %xmm5
  vpblendvb %xmm5, %xmm4, %xmm8, %xmm5
  vmulps %xmm0, %xmm5, %xmm0
  vmulps %xmm0, %xmm7, %xmm0
  vsubps %xmm0, %xmm1, %xmm11
  movdqu %xmm11, <offset:1>+0x40(%rsp)
  vmaxps %xmm2, %xmm3, %xmm13
  movdqu %xmm13, <offset:1>+0x30(%rsp)
  vaddps %xmm4, %xmm8, %xmm14
  movdqu <offset:1>+0x190(%rsp), %xmm10
  vcmpeqps %xmm10, %xmm14, %xmm5
  movdqu %xmm5, <offset:1>+0x20(%rsp)
  vcmpeqps %xmm3, %xmm14, %xmm7
  movdqu %xmm7, <offset:1>+0x80(%rsp)
  vcmpnleps %xmm14, %xmm3, %xmm7
  movdqu <offset:1>+0x160(%rsp), %xmm0
  vpaddd %xmm0, %xmm14, %xmm1
  vpsrld $0x17, %xmm1, %xmm0
  movdqu <offset:1>+0x150(%rsp), %xmm2
  vpor %xmm2, %xmm0, %xmm0
  movdqu <offset:1>+0x140(%rsp), %xmm2
  vsubps %xmm2, %xmm0, %xmm10
  vcmpeqps %xmm3, %xmm10, %xmm11
  movdqu <offset:1>+0x120(%rsp), %xmm0
  vpand %xmm0, %xmm1, %xmm0
  movdqu <offset:1>+0x110(%rsp), %xmm1
  vpaddd %xmm1, %xmm0, %xmm0
  vsubps %xmm4, %xmm0, %xmm0
  vpblendvb %xmm11, %xmm8, %xmm0, %xmm2
  movdqu <offset:1>+0x1b0(%rsp), %xmm0
  vmulps %xmm0, %xmm2, %xmm0
  vmulps %xmm2, %xmm0, %xmm1
  movdqu <offset:1>+0x100(%rsp), %xmm0
  vaddps %xmm0, %xmm2, %xmm0
  vdivps %xmm0, %xmm2, %xmm13
  vmulps %xmm13, %xmm13, %xmm6
  movdqu <offset:1>+0xe0(%rsp), %xmm0
  movdqu <offset:1>+0xf0(%rsp), %xmm5
  vfmadd213ps %xmm0, %xmm6, %xmm5
  movdqu <offset:1>+0xd0(%rsp), %xmm0
  vfmadd213ps %xmm0, %xmm6, %xmm5
  vmulps %xmm5, %xmm6, %xmm0
  vaddps %xmm0, %xmm1, %xmm6
  vsubps %xmm8, %xmm14, %xmm5
  vsubps %xmm5, %xmm14, %xmm0
  vsubps %xmm0, %xmm8, %xmm8
  vsubps %xmm5, %xmm4, %xmm0
  vaddps %xmm0, %xmm8, %xmm0
  vdivps %xmm14, %xmm0, %xmm0
  vpblendvb %xmm11, %xmm3, %xmm0, %xmm5
  movdqu <offset:1>+0xc0(%rsp), %xmm11
  movdqa %xmm10, %xmm8
  vfmadd213ps %xmm5, %xmm11, %xmm8
  vfmadd213ps %xmm8, %xmm6, %xmm13
  vsubps %xmm13, %xmm1, %xmm0
  vsubps %xmm0, %xmm2, %xmm1
  movdqu <offset:1>+0x130(%rsp), %xmm14
  vfmadd213ps %xmm1, %xmm14, %xmm10
  movdqu <offset:1>+0x170(%rsp), %xmm8
  vpblendvb %xmm7, %xmm8, %xmm10, %xmm0
  movdqu <offset:1>+0x80(%rsp), %xmm1
  movdqu <offset:1>+0x180(%rsp), %xmm7
  vpblendvb %xmm1, %xmm7, %xmm0, %xmm0
  movdqu <offset:1>+0x20(%rsp), %xmm5
  movdqu <offset:1>+0x190(%rsp), %xmm10
  vpblendvb %xmm5, %xmm10, %xmm0, %xmm0
  movdqu <offset:1>+0x30(%rsp), %xmm13
  vaddps %xmm0, %xmm13, %xmm1
  vmulps %xmm1, %xmm15, %xmm1
  movdqu <offset:1>+0x90(%rsp), %xmm6
  vmaxps %xmm6, %xmm3, %xmm2
  vaddps %xmm0, %xmm2, %xmm0
  vmulps %xmm0, %xmm12, %xmm0
  vaddps %xmm0, %xmm1, %xmm1
  movdqu <offset:1>+0x290(%rsp), %xmm0
  vmulps %xmm1, %xmm0, %xmm2
  movdqu <offset:1>+0x100(%rsp), %xmm0
  movdqu <offset:1>+0x60(%rsp), %xmm5
  vmulps %xmm5, %xmm0, %xmm5
  vmulps %xmm5, %xmm2, %xmm2
  vmulps %xmm12, %xmm2, %xmm5
  vmulps %xmm15, %xmm2, %xmm2
  vsubps %xmm2, %xmm5, %xmm2
  movdqu <offset:1>+0x70(%rsp), %xmm5
  vmulps %xmm5, %xmm9, %xmm5
  vmulps %xmm5, %xmm2, %xmm2
  movdqu <offset:1>+0x40(%rsp), %xmm11
  vaddps %xmm2, %xmm11, %xmm2
  vmovups %xmm2, (%rdi, %rsi, 4)
  movdqu <offset:1>+0xa0(%rsp), %xmm2
  movdqu <offset:1>+0xb0(%rsp), %xmm5
  vmulps %xmm2, %xmm5, %xmm2
  vcvtps2pd %xmm2, %xmm6
  movdqu <offset:1>+(%rsp), %xmm5
  vaddpd %xmm6, %xmm5, %xmm5
  vpshufd $0xee, %xmm2, %xmm2
  vcvtps2pd %xmm2, %xmm2
  vaddpd %xmm2, %xmm5, %xmm5
  movdqu <offset:1>+0x50(%rsp), %xmm2
  movdqu %xmm5, <offset:1>+(%rsp)
  vmulps %xmm1, %xmm2, %xmm1
  vcvtps2pd %xmm1, %xmm2
  movdqu <offset:1>+0x10(%rsp), %xmm5
  vaddpd %xmm2, %xmm5, %xmm2
  vpshufd $0xee, %xmm1, %xmm1
  vcvtps2pd %xmm1, %xmm1
  vaddpd %xmm1, %xmm2, %xmm1
  movdqu %xmm1, <offset:1>+0x10(%rsp)
  movq %r9, %rsi
  jmp     label1
block3:
  uninit  %xmm0
  vxorpd %xmm0, %xmm0, %xmm4
  movdqu %xmm4, <offset:1>+0x20(%rsp)
  jmp     label4
block4:
  leaq 1(%rsi), %r9
  cmpq %rdx, %r9
  jnbe    label6; j label5
block5:
  vmovss (%rax, %rsi, 4), %xmm2
  movdqu %xmm2, <offset:1>+0x80(%rsp)
  vmovss (%r8, %rsi, 4), %xmm10
  uninit  %xmm0
  vxorps %xmm0, %xmm0, %xmm7
  movdqa %xmm7, %xmm14
  movl $0x80000000, %r10d
  vmovd %r10d, %xmm11
  movdqu <offset:1>+0x80(%rsp), %xmm1
  vorps %xmm1, %xmm11, %xmm0
  movl $0xc2dc0000, %r10d
  vmovd %r10d, %xmm1
  vmaxss %xmm0, %xmm1, %xmm0
  movl $0x42c80000, %r10d
  vmovd %r10d, %xmm1
  vminss %xmm0, %xmm1, %xmm4
  movl $0x3fb8aa3b, %r10d
  vmovd %r10d, %xmm1
  movdqa %xmm4, %xmm0
  vfmadd213ss (%rip), %xmm1, %xmm0
  vsubss (%rip), %xmm0, %xmm1
  movl $0xbf318000, %r10d
  vmovd %r10d, %xmm3
  movdqa %xmm1, %xmm5
  vfmadd213ss %xmm4, %xmm3, %xmm5
  movl $0x395e8083, %r10d
  vmovd %r10d, %xmm3
  vfmadd213ss %xmm5, %xmm3, %xmm1
  vmulss %xmm1, %xmm1, %xmm4
  movl $0x3950bf6d, %r10d
  vmovd %r10d, %xmm5
  vfmadd213ss (%rip), %xmm1, %xmm5
  vfmadd213ss (%rip), %xmm1, %xmm5
  vfmadd213ss (%rip), %xmm1, %xmm5
  vfmadd213ss (%rip), %xmm1, %xmm5
  vfmadd213ss (%rip), %xmm1, %xmm5
  vfmadd213ss %xmm1, %xmm5, %xmm4
  movl $0x3f800000, %r10d
  vmovd %r10d, %xmm12
  vaddss (%rip), %xmm4, %xmm1
  vmovd %xmm0, %r10d
  leal -0x4b3fff02(%r10), %r10d
  movq %r10, %r11
  shrl $1, %r11d
  movq %r11, %rbx
  shll $0x17, %ebx
  vmovd %ebx, %xmm0
  vmulss %xmm0, %xmm1, %xmm0
  subl %r11d, %r10d
  shll $0x17, %r10d
  vmovd %r10d, %xmm1
  vmulss %xmm1, %xmm0, %xmm0
  movdqu <offset:1>+0x80(%rsp), %xmm2
  vucomiss (%rip), %xmm2
  movdqa %xmm0, %xmm4
  movss %xmm4, %xmm4; jb $next; movss %xmm12, %xmm4; $next:
  vaddss %xmm0, %xmm12, %xmm1
  vdivss %xmm1, %xmm12, %xmm1
  vmulss %xmm1, %xmm4, %xmm6
  vmulss %xmm10, %xmm6, %xmm4
  vsubss %xmm6, %xmm12, %xmm8
  vsubss %xmm10, %xmm12, %xmm9
  movdqu %xmm10, <offset:1>+0x70(%rsp)
  vmulss %xmm9, %xmm8, %xmm3
  movdqu %xmm8, <offset:1>+0x60(%rsp)
  vaddss %xmm3, %xmm4, %xmm3
  vsubss %xmm3, %xmm12, %xmm10
  vmulss %xmm10, %xmm10, %xmm13
  movdqu <offset:1>+0x2a0(%rsp), %xmm2
  vmulss %xmm13, %xmm2, %xmm5
  movdqu %xmm13, <offset:1>+0x50(%rsp)
  vmulss %xmm9, %xmm5, %xmm3
  vmulss %xmm6, %xmm3, %xmm4
  movdqu <offset:1>+0x70(%rsp), %xmm2
  vmulss %xmm2, %xmm5, %xmm7
  movdqu <offset:1>+0x80(%rsp), %xmm2
  vxorps %xmm11, %xmm2, %xmm5
  vucomiss (%rip), %xmm5
  movdqa %xmm0, %xmm3
  movss %xmm3, %xmm3; jb $next; movss %xmm12, %xmm3; $next:
  vmulss %xmm1, %xmm3, %xmm1
  vmulss %xmm1, %xmm7, %xmm1
  vsubss %xmm1, %xmm4, %xmm4
  movdqa %xmm14, %xmm7
  movdqu %xmm4, <offset:1>+0x40(%rsp)
  vmaxss %xmm5, %xmm7, %xmm3
  movdqu %xmm3, <offset:1>+0x30(%rsp)
  vaddss (%rip), %xmm0, %xmm14
  movl $0x7f800000, %r10d
  vmovd %r10d, %xmm15
  vmovd %xmm14, %r10d
  leal 0x4afb0d(%r10), %r10d
  movq %r10, %r11
  shrl $0x17, %r11d
  orl $0x4b000000, %r11d
  vmovd %r11d, %xmm1
  vsubss (%rip), %xmm1, %xmm5
  andl $0x7fffff, %r10d
  leal 0x3f3504f3(%r10), %r10d
  vmovd %r10d, %xmm1
  vsubss (%rip), %xmm1, %xmm1
  vucomiss (%rip), %xmm5
  movdqa %xmm0, %xmm11
  movss %xmm11, %xmm11; jnp $next; movss %xmm1, %xmm11; $next:
  movss %xmm11, %xmm11; jz $next; movss %xmm1, %xmm11; $next:
  vmulss (%rip), %xmm11, %xmm1
  vmulss %xmm11, %xmm1, %xmm4
  movl $0x40000000, %r10d
  vmovd %r10d, %xmm1
  vaddss (%rip), %xmm11, %xmm3
  vdivss %xmm3, %xmm11, %xmm8
  vmulss %xmm8, %xmm8, %xmm13
  movl $0x3e9778b0, %r10d
  vmovd %r10d, %xmm3
  vfmadd213ss (%rip), %xmm13, %xmm3
  vfmadd213ss (%rip), %xmm13, %xmm3
  vmulss %xmm3, %xmm13, %xmm3
  vaddss %xmm3, %xmm4, %xmm13
  vsubss %xmm0, %xmm14, %xmm3
  vsubss %xmm3, %xmm14, %xmm2
  vsubss %xmm2, %xmm0, %xmm0
  vsubss %xmm3, %xmm12, %xmm2
  vaddss %xmm2, %xmm0, %xmm0
  vdivss %xmm14, %xmm0, %xmm12
  vucomiss (%rip), %xmm5
  movdqa %xmm7, %xmm0
  movss %xmm0, %xmm0; jnp $next; movss %xmm12, %xmm0; $next:
  movss %xmm0, %xmm0; jz $next; movss %xmm12, %xmm0; $next:
  movl $0xb95e8083, %r10d
  vmovd %r10d, %xmm3
  movdqa %xmm5, %xmm12
  vfmadd213ss %xmm0, %xmm3, %xmm12
  vfmadd213ss %xmm12, %xmm13, %xmm8
  vsubss %xmm8, %xmm4, %xmm0
  vsubss %xmm0, %xmm11, %xmm0
  movl $0x3f318000, %r10d
  vmovd %r10d, %xmm3
  vfmadd213ss %xmm0, %xmm3, %xmm5
  movl $0x7fc00000, %r10d
  vmovd %r10d, %xmm0
  vucomiss (%rip), %xmm14
  movss %xmm5, %xmm5; jnb $next; movss %xmm0, %xmm5; $next:
  movl $0xff800000, %r10d
  vmovd %r10d, %xmm0
  vucomiss (%rip), %xmm14
  movss %xmm0, %xmm0; jnp $next; movss %xmm5, %xmm0; $next:
  movss %xmm0, %xmm0; jz $next; movss %xmm5, %xmm0; $next:
  vucomiss (%rip), %xmm14
  movss %xmm15, %xmm15; jnp $next; movss %xmm0, %xmm15; $next:
  movss %xmm15, %xmm15; jz $next; movss %xmm0, %xmm15; $next:
  movdqu <offset:1>+0x30(%rsp), %xmm3
  vaddss %xmm15, %xmm3, %xmm0
  movdqu <offset:1>+0x70(%rsp), %xmm2
  vmulss %xmm0, %xmm2, %xmm0
  movdqu <offset:1>+0x80(%rsp), %xmm3
  vmaxss %xmm3, %xmm7, %xmm3
  vaddss %xmm15, %xmm3, %xmm3
  vmulss %xmm3, %xmm9, %xmm3
  vaddss %xmm3, %xmm0, %xmm0
  movdqu <offset:1>+0x2a0(%rsp), %xmm3
  vmulss %xmm0, %xmm3, %xmm3
  vmulss %xmm10, %xmm1, %xmm1
  vmulss %xmm1, %xmm3, %xmm1
  vmulss %xmm9, %xmm1, %xmm3
  vmulss %xmm2, %xmm1, %xmm1
  vsubss %xmm1, %xmm3, %xmm1
  movdqu <offset:1>+0x60(%rsp), %xmm8
  vmulss %xmm8, %xmm6, %xmm2
  vmulss %xmm2, %xmm1, %xmm1
  movdqu <offset:1>+0x40(%rsp), %xmm4
  vaddss %xmm1, %xmm4, %xmm1
  vmovss %xmm1, (%rdi, %rsi, 4)
  movdqu <offset:1>+0x50(%rsp), %xmm13
  vmulss %xmm0, %xmm13, %xmm0
  uninit  %xmm1
  vxorpd %xmm1, %xmm1, %xmm1
  vcvtss2sd %xmm0, %xmm1, %xmm0
  movdqu <offset:1>+0x20(%rsp), %xmm4
  vaddsd %xmm0, %xmm4, %xmm4
  movq %r9, %rsi
  movdqu %xmm4, <offset:1>+0x20(%rsp)
  jmp     label4
block6:
  movdqu <offset:1>+(%rsp), %xmm0
  movdqu <offset:1>+0x10(%rsp), %xmm1
  movdqu <offset:1>+0x20(%rsp), %xmm4
  vaddpd %xmm1, %xmm0, %xmm0
  vpshufd $0xee, %xmm0, %xmm1
  vaddsd %xmm1, %xmm0, %xmm0
  vaddsd %xmm0, %xmm4, %xmm0
  vmovsd %xmm0, (%rcx)
  movq 0x2b0(%rsp), %rbx
  addq $0x2c0, %rsp
  movq %rbp, %rsp
  popq %rbp
  retq
