; pass 0: flat loop over [N]; 1 sum(s); writes d/d pred
; pass 0
  pushq %rbp
  unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
  movq %rsp, %rbp
  unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 16 }
  subq $0x1c0, %rsp
  movq %rbx, 0x1b0(%rsp)
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
  vcvtsd2ss %xmm0, %xmm1, %xmm0
  vbroadcastss %xmm0, %xmm9
  movdqu %xmm9, <offset:1>+0x190(%rsp)
  movdqu %xmm0, <offset:1>+0x1a0(%rsp)
  vmovups (%rip), %xmm4
  uninit  %xmm0
  vxorps %xmm0, %xmm0, %xmm1
  movdqu %xmm1, <offset:1>+0x180(%rsp)
  vmovups (%rip), %xmm7
  movdqu %xmm7, <offset:1>+0x170(%rsp)
  vmovups (%rip), %xmm8
  movdqu %xmm8, <offset:1>+0x160(%rsp)
  vmovups (%rip), %xmm10
  movdqu %xmm10, <offset:1>+0x150(%rsp)
  vmovups (%rip), %xmm8
  movdqu %xmm8, <offset:1>+0x140(%rsp)
  vmovups (%rip), %xmm11
  movdqu %xmm11, <offset:1>+0x130(%rsp)
  vmovups (%rip), %xmm12
  movdqu %xmm12, <offset:1>+0x120(%rsp)
  vmovups (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0x110(%rsp)
  vmovups (%rip), %xmm14
  movdqu %xmm14, <offset:1>+0x100(%rsp)
  vmovups (%rip), %xmm15
  movdqu %xmm15, <offset:1>+0xf0(%rsp)
  vmovups (%rip), %xmm2
  movdqu %xmm2, <offset:1>+0xe0(%rsp)
  vmovups (%rip), %xmm0
  movdqu %xmm0, <offset:1>+0xd0(%rsp)
  vmovups (%rip), %xmm0
  movdqu %xmm0, <offset:1>+0xc0(%rsp)
  vmovdqu (%rip), %xmm6
  movdqu %xmm6, <offset:1>+0xb0(%rsp)
  vmovups (%rip), %xmm7
  movdqu %xmm7, <offset:1>+0xa0(%rsp)
  vmovups (%rip), %xmm10
  movdqu %xmm10, <offset:1>+0x90(%rsp)
  vmovups (%rip), %xmm5
  movdqu %xmm5, <offset:1>+0x80(%rsp)
  vmovups (%rip), %xmm11
  movdqu %xmm11, <offset:1>+0x70(%rsp)
  vmovups (%rip), %xmm12
  movdqu %xmm12, <offset:1>+0x60(%rsp)
  vmovups (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0x50(%rsp)
  vmovups (%rip), %xmm3
  movdqu %xmm3, <offset:1>+0x40(%rsp)
  movdqu <offset:1>+(%rsp), %xmm0
  movdqu %xmm0, <offset:1>+0x10(%rsp)
  jmp     label1
block1:
  leaq 8(%rsi), %r9
  cmpq %rdx, %r9
  jnbe    label3; j label2
block2:
  vmovups (%rax, %rsi, 4), %xmm15
  vmovups (%r8, %rsi, 4), %xmm2
  movdqu <offset:1>+0x180(%rsp), %xmm1
  vcmpleps %xmm15, %xmm1, %xmm0
  movdqu <offset:1>+0x170(%rsp), %xmm14
  vorps %xmm15, %xmm14, %xmm1
  movdqu <offset:1>+0x160(%rsp), %xmm14
  vmaxps %xmm1, %xmm14, %xmm1
  movdqu <offset:1>+0x150(%rsp), %xmm14
  movdqu <offset:1>+0x140(%rsp), %xmm8
  movdqa %xmm1, %xmm3
  vfmadd213ps %xmm8, %xmm14, %xmm3
  vsubps %xmm8, %xmm3, %xmm6
  movdqu <offset:1>+0x120(%rsp), %xmm14
  movdqa %xmm6, %xmm5
  vfmadd213ps %xmm1, %xmm14, %xmm5
  movdqu <offset:1>+0x130(%rsp), %xmm14
  vfmadd213ps %xmm5, %xmm14, %xmm6
  vmulps %xmm6, %xmm6, %xmm1
  movdqu <offset:1>+0x110(%rsp), %xmm7
  movdqu <offset:1>+0x100(%rsp), %xmm14
  movdqa %xmm7, %xmm5
  vfmadd213ps %xmm14, %xmm6, %xmm5
  movdqu <offset:1>+0xf0(%rsp), %xmm7
  vfmadd213ps %xmm7, %xmm6, %xmm5
  movdqu <offset:1>+0xe0(%rsp), %xmm7
  vfmadd213ps %xmm7, %xmm6, %xmm5
  movdqu <offset:1>+0xd0(%rsp), %xmm7
  vfmadd213ps %xmm7, %xmm6, %xmm5
  movdqu <offset:1>+0xc0(%rsp), %xmm7
  vfmadd213ps %xmm7, %xmm6, %xmm5
  vfmadd213ps %xmm6, %xmm5, %xmm1
  vaddps %xmm4, %xmm1, %xmm1
  movdqu <offset:1>+0xb0(%rsp), %xmm6
  vpaddd %xmm6, %xmm3, %xmm3
  vpsrld $0x1, %xmm3, %xmm5
  vpslld $0x17, %xmm5, %xmm6
  vmulps %xmm6, %xmm1, %xmm1
  vpsubd %xmm5, %xmm3, %xmm3
  vpslld $0x17, %xmm3, %xmm3
  vmulps %xmm3, %xmm1, %xmm3
  vpblendvb %xmm0, %xmm4, %xmm3, %xmm0
  vaddps %xmm3, %xmm4, %xmm1
  vdivps %xmm1, %xmm4, %xmm1
  vmulps %xmm1, %xmm0, %xmm0
  vmulps %xmm2, %xmm0, %xmm1
  vsubps %xmm0, %xmm4, %xmm6
  vsubps %xmm2, %xmm4, %xmm11
  vmulps %xmm11, %xmm6, %xmm5
  vaddps %xmm5, %xmm1, %xmm1
  vsubps %xmm1, %xmm4, %xmm7
  vmulps %xmm7, %xmm7, %xmm9
  movdqu <offset:1>+0x190(%rsp), %xmm12
  vmulps %xmm9, %xmm12, %xmm1
  movdqu %xmm9, <offset:1>+0x30(%rsp)
  vsubps %xmm2, %xmm0, %xmm5
  vmulps %xmm5, %xmm1, %xmm12
  movdqu <offset:1>+0x180(%rsp), %xmm1
  vmaxps %xmm15, %xmm1, %xmm5
  vmulps %xmm15, %xmm2, %xmm1
  vsubps %xmm1, %xmm5, %xmm8
  movdqu <offset:1>+0xa0(%rsp), %xmm1
  vcmpleps %xmm3, %xmm1, %xmm5
  movdqu <offset:1>+0x180(%rsp), %xmm1
  vpblendvb %xmm5, %xmm4, %xmm1, %xmm9
  vsubps %xmm4, %xmm3, %xmm1
  movdqu <offset:1>+0xc0(%rsp), %xmm10
  vmulps %xmm10, %xmm1, %xmm1
  vpblendvb %xmm5, %xmm1, %xmm3, %xmm3
  movdqu <offset:1>+0xc0(%rsp), %xmm1
  vmulps %xmm1, %xmm3, %xmm1
  vmulps %xmm3, %xmm1, %xmm13
  movdqu <offset:1>+0x80(%rsp), %xmm5
  vaddps %xmm5, %xmm3, %xmm1
  vdivps %xmm1, %xmm3, %xmm14
  vmulps %xmm14, %xmm14, %xmm5
  movdqu <offset:1>+0x60(%rsp), %xmm1
  movdqu <offset:1>+0x70(%rsp), %xmm15
  movdqa %xmm15, %xmm10
  vfmadd213ps %xmm1, %xmm5, %xmm10
  movdqu <offset:1>+0x50(%rsp), %xmm1
  vfmadd213ps %xmm1, %xmm5, %xmm10
  vmulps %xmm10, %xmm5, %xmm1
  vaddps %xmm1, %xmm13, %xmm5
  movdqu <offset:1>+0x40(%rsp), %xmm1
  vmulps %xmm1, %xmm9, %xmm10
  vfmadd213ps %xmm10, %xmm5, %xmm14
  vsubps %xmm14, %xmm13, %xmm1
  vsubps %xmm1, %xmm3, %xmm3
  movdqu <offset:1>+0x90(%rsp), %xmm1
  vfmadd213ps %xmm3, %xmm1, %xmm9
  vaddps %xmm9, %xmm8, %xmm9
  movdqu <offset:1>+0x190(%rsp), %xmm5
  vmulps %xmm9, %xmm5, %xmm3
  movdqu <offset:1>+0x80(%rsp), %xmm5
  movdqu %xmm9, <offset:1>+0x20(%rsp)
  vmulps %xmm7, %xmm5, %xmm1
  vmulps %xmm1, %xmm3, %xmm3
  vmulps %xmm11, %xmm3, %xmm5
  vmulps %xmm2, %xmm3, %xmm1
  vsubps %xmm1, %xmm5, %xmm2
  vmulps %xmm6, %xmm0, %xmm0
  vmulps %xmm0, %xmm2, %xmm0
  vaddps %xmm0, %xmm12, %xmm0
  vmovups %xmm0, (%rdi, %rsi, 4)
  leaq 4(%rsi), %rsi
  vmovups (%rax, %rsi, 4), %xmm6
  vmovups (%r8, %rsi, 4), %xmm2
  movdqu <offset:1>+0x180(%rsp), %xmm12
  vcmpleps %xmm6, %xmm12, %xmm0
  movdqu <offset:1>+0x170(%rsp), %xmm1
  vorps %xmm6, %xmm1, %xmm1
  movdqu <offset:1>+0x160(%rsp), %xmm3
  vmaxps %xmm1, %xmm3, %xmm5
  movdqu <offset:1>+0x150(%rsp), %xmm1
  movdqu <offset:1>+0x140(%rsp), %xmm8
  movdqa %xmm5, %xmm3
  vfmadd213ps %xmm8, %xmm1, %xmm3
  vsubps %xmm8, %xmm3, %xmm7
  movdqu <offset:1>+0x120(%rsp), %xmm1
  movdqa %xmm7, %xmm8
  vfmadd213ps %xmm5, %xmm1, %xmm8
  movdqu <offset:1>+0x130(%rsp), %xmm1
  vfmadd213ps %xmm8, %xmm1, %xmm7
  vmulps %xmm7, %xmm7, %xmm5
  movdqu <offset:1>+0x100(%rsp), %xmm1
  movdqu <offset:1>+0x110(%rsp), %xmm8
  vfmadd213ps %xmm1, %xmm7, %xmm8
  movdqu <offset:1>+0xf0(%rsp), %xmm1
  vfmadd213ps %xmm1, %xmm7, %xmm8
  movdqu <offset:1>+0xe0(%rsp), %xmm1
  vfmadd213ps %xmm1, %xmm7, %xmm8
  movdqu <offset:1>+0xd0(%rsp), %xmm1
  vfmadd213ps %xmm1, %xmm7, %xmm8
  movdqu <offset:1>+0xc0(%rsp), %xmm12
  vfmadd213ps %xmm12, %xmm7, %xmm8
  vfmadd213ps %xmm7, %xmm8, %xmm5
  vaddps %xmm4, %xmm5, %xmm5
  movdqu <offset:1>+0xb0(%rsp), %xmm1
  vpaddd %xmm1, %xmm3, %xmm3
  vpsrld $0x1, %xmm3, %xmm7
  vpslld $0x17, %xmm7, %xmm1
  vmulps %xmm1, %xmm5, %xmm5
  vpsubd %xmm7, %xmm3, %xmm1
  vpslld $0x17, %xmm1, %xmm1
  vmulps %xmm1, %xmm5, %xmm8
  vpblendvb %xmm0, %xmm4, %xmm8, %xmm0
  vaddps %xmm8, %xmm4, %xmm1
  vdivps %xmm1, %xmm4, %xmm1
  vmulps %xmm1, %xmm0, %xmm0
  vmulps %xmm2, %xmm0, %xmm3
  vsubps %xmm0, %xmm4, %xmm11
  vsubps %xmm2, %xmm4, %xmm13
  vmulps %xmm13, %xmm11, %xmm1
  vaddps %xmm1, %xmm3, %xmm1
  vsubps %xmm1, %xmm4, %xmm3
  vmulps %xmm3, %xmm3, %xmm12
  movdqu <offset:1>+0x190(%rsp), %xmm1
  vmulps %xmm12, %xmm1, %xmm5
  vsubps %xmm2, %xmm0, %xmm1
  vmulps %xmm1, %xmm5, %xmm7
  movdqu <offset:1>+0x180(%rsp), %xmm1
  vmaxps %xmm6, %xmm1, %xmm5
  vmulps %xmm6, %xmm2, %xmm1
  vsubps %xmm1, %xmm5, %xmm10
  movdqu <offset:1>+0xa0(%rsp), %xmm1
  vcmpleps %xmm8, %xmm1, %xmm5
  movdqu <offset:1>+0x180(%rsp), %xmm1
  vpblendvb %xmm5, %xmm4, %xmm1, %xmm14
  vsubps %xmm4, %xmm8, %xmm1
  movdqu <offset:1>+0xc0(%rsp), %xmm6
  vmulps %xmm6, %xmm1, %xmm1
  vpblendvb %xmm5, %xmm1, %xmm8, %xmm6
  movdqu <offset:1>+0xc0(%rsp), %xmm1
  vmulps %xmm1, %xmm6, %xmm1
  vmulps %xmm6, %xmm1, %xmm8
  movdqu <offset:1>+0x80(%rsp), %xmm5
  vaddps %xmm5, %xmm6, %xmm1
  vdivps %xmm1, %xmm6, %xmm5
  vmulps %xmm5, %xmm5, %xmm9
  movdqu <offset:1>+0x70(%rsp), %xmm1
  movdqu <offset:1>+0x60(%rsp), %xmm15
  vfmadd213ps %xmm15, %xmm9, %xmm1
  movdqu <offset:1>+0x50(%rsp), %xmm15
  vfmadd213ps %xmm15, %xmm9, %xmm1
  vmulps %xmm1, %xmm9, %xmm1
  vaddps %xmm1, %xmm8, %xmm9
  movdqu <offset:1>+0x40(%rsp), %xmm1
  vmulps %xmm1, %xmm14, %xmm1
  vfmadd213ps %xmm1, %xmm9, %xmm5
  vsubps %xmm5, %xmm8, %xmm1
  vsubps %xmm1, %xmm6, %xmm1
  movdqu <offset:1>+0x90(%rsp), %xmm6
  vfmadd213ps %xmm1, %xmm6, %xmm14
  vaddps %xmm14, %xmm10, %xmm14
  movdqu <offset:1>+0x190(%rsp), %xmm10
  vmulps %xmm14, %xmm10, %xmm1
  movdqu <offset:1>+0x80(%rsp), %xmm5
  vmulps %xmm3, %xmm5, %xmm3
  vmulps %xmm3, %xmm1, %xmm1
  vmulps %xmm13, %xmm1, %xmm3
  vmulps %xmm2, %xmm1, %xmm1
  vsubps %xmm1, %xmm3, %xmm1
  vmulps %xmm11, %xmm0, %xmm0
  vmulps %xmm0, %xmm1, %xmm0
  vaddps %xmm0, %xmm7, %xmm0
  vmovups %xmm0, (%rdi, %rsi, 4)
  movdqu <offset:1>+0x30(%rsp), %xmm0
  movdqu <offset:1>+0x20(%rsp), %xmm9
  vmulps %xmm9, %xmm0, %xmm0
  vmulps %xmm14, %xmm12, %xmm1
  vaddps %xmm1, %xmm0, %xmm0
  vcvtps2pd %xmm0, %xmm2
  movdqu <offset:1>+(%rsp), %xmm1
  vaddpd %xmm2, %xmm1, %xmm1
  movdqu %xmm1, <offset:1>+(%rsp)
  vpshufd $0xee, %xmm0, %xmm0
  vcvtps2pd %xmm0, %xmm1
  movdqu <offset:1>+0x10(%rsp), %xmm0
  vaddpd %xmm1, %xmm0, %xmm0
  movdqu %xmm0, <offset:1>+0x10(%rsp)
  movq %r9, %rsi
  jmp     label1
block3:
  uninit  %xmm0
  vxorpd %xmm0, %xmm0, %xmm10
  movdqu %xmm10, <offset:1>+0x20(%rsp)
  jmp     label4
block4:
  leaq 1(%rsi), %r9
  cmpq %rdx, %r9
  jnbe    label6; j label5
block5:
  vmovss (%rax, %rsi, 4), %xmm3
  vmovss (%r8, %rsi, 4), %xmm1
  uninit  %xmm0
  vxorps %xmm0, %xmm0, %xmm2
  movl $0x80000000, %r10d
  vmovd %r10d, %xmm0
  vorps %xmm3, %xmm0, %xmm4
  movl $0xc2dc0000, %r10d
  vmovd %r10d, %xmm0
  vmaxss %xmm4, %xmm0, %xmm6
  movl $0x3fb8aa3b, %r10d
  vmovd %r10d, %xmm0
  movdqa %xmm6, %xmm4
  vfmadd213ss (%rip), %xmm0, %xmm4
  vsubss (%rip), %xmm4, %xmm5
  movl $0xbf318000, %r10d
  vmovd %r10d, %xmm0
  movdqa %xmm5, %xmm7
  vfmadd213ss %xmm6, %xmm0, %xmm7
  movl $0x395e8083, %r10d
  vmovd %r10d, %xmm0
  vfmadd213ss %xmm7, %xmm0, %xmm5
  vmulss %xmm5, %xmm5, %xmm6
  movl $0x3950bf6d, %r10d
  vmovd %r10d, %xmm7
  vfmadd213ss (%rip), %xmm5, %xmm7
  vfmadd213ss (%rip), %xmm5, %xmm7
  vfmadd213ss (%rip), %xmm5, %xmm7
  vfmadd213ss (%rip), %xmm5, %xmm7
  vfmadd213ss (%rip), %xmm5, %xmm7
  vfmadd213ss %xmm5, %xmm7, %xmm6
  movl $0x3f800000, %r10d
  vmovd %r10d, %xmm12
  vaddss (%rip), %xmm6, %xmm5
  vmovd %xmm4, %r10d
  leal -0x4b3fff02(%r10), %r10d
  movq %r10, %r11
  shrl $1, %r11d
  movq %r11, %rbx
  shll $0x17, %ebx
  vmovd %ebx, %xmm0
  vmulss %xmm0, %xmm5, %xmm4
  subl %r11d, %r10d
  shll $0x17, %r10d
  vmovd %r10d, %xmm0
  vmulss %xmm0, %xmm4, %xmm9
  vucomiss (%rip), %xmm3
  movdqa %xmm9, %xmm4
  movss %xmm4, %xmm4; jb $next; movss %xmm12, %xmm4; $next:
  vaddss %xmm9, %xmm12, %xmm0
  vdivss %xmm0, %xmm12, %xmm0
  vmulss %xmm0, %xmm4, %xmm5
  vmulss %xmm1, %xmm5, %xmm4
  vsubss %xmm5, %xmm12, %xmm6
  vsubss %xmm1, %xmm12, %xmm8
  vmulss %xmm8, %xmm6, %xmm0
  vaddss %xmm0, %xmm4, %xmm0
  vsubss %xmm0, %xmm12, %xmm11
  vmulss %xmm11, %xmm11, %xmm7
  movdqu <offset:1>+0x1a0(%rsp), %xmm4
  vmulss %xmm7, %xmm4, %xmm0
  vsubss %xmm1, %xmm5, %xmm10
  vmulss %xmm10, %xmm0, %xmm10
  vmaxss %xmm3, %xmm2, %xmm0
  vmulss %xmm3, %xmm1, %xmm3
  vsubss %xmm3, %xmm0, %xmm3
  vucomiss (%rip), %xmm9
  movss %xmm2, %xmm2; jb $next; movss %xmm12, %xmm2; $next:
  vsubss (%rip), %xmm9, %xmm0
  vmulss (%rip), %xmm0, %xmm12
  vucomiss (%rip), %xmm9
  movss %xmm9, %xmm9; jb $next; movss %xmm12, %xmm9; $next:
  vmulss (%rip), %xmm9, %xmm0
  vmulss %xmm9, %xmm0, %xmm14
  movl $0x40000000, %r10d
  vmovd %r10d, %xmm12
  vaddss (%rip), %xmm9, %xmm0
  vdivss %xmm0, %xmm9, %xmm13
  vmulss %xmm13, %xmm13, %xmm15
  movl $0x3e9778b0, %r10d
  vmovd %r10d, %xmm0
  vfmadd213ss (%rip), %xmm15, %xmm0
  vfmadd213ss (%rip), %xmm15, %xmm0
  vmulss %xmm0, %xmm15, %xmm0
  vaddss %xmm0, %xmm14, %xmm0
  vmulss (%rip), %xmm2, %xmm15
  vfmadd213ss %xmm15, %xmm0, %xmm13
  vsubss %xmm13, %xmm14, %xmm0
  vsubss %xmm0, %xmm9, %xmm9
  movl $0x3f318000, %r10d
  vmovd %r10d, %xmm0
  vfmadd213ss %xmm9, %xmm0, %xmm2
  vaddss %xmm2, %xmm3, %xmm2
  vmulss %xmm2, %xmm4, %xmm0
  vmulss %xmm11, %xmm12, %xmm3
  vmulss %xmm3, %xmm0, %xmm0
  vmulss %xmm8, %xmm0, %xmm3
  vmulss %xmm1, %xmm0, %xmm0
  vsubss %xmm0, %xmm3, %xmm0
  vmulss %xmm6, %xmm5, %xmm1
  vmulss %xmm1, %xmm0, %xmm0
  vaddss %xmm0, %xmm10, %xmm0
  vmovss %xmm0, (%rdi, %rsi, 4)
  vmulss %xmm2, %xmm7, %xmm0
  uninit  %xmm1
  vxorpd %xmm1, %xmm1, %xmm1
  vcvtss2sd %xmm0, %xmm1, %xmm1
  movdqu <offset:1>+0x20(%rsp), %xmm10
  vaddsd %xmm1, %xmm10, %xmm10
  movq %r9, %rsi
  movdqu %xmm10, <offset:1>+0x20(%rsp)
  movdqu %xmm4, <offset:1>+0x1a0(%rsp)
  jmp     label4
block6:
  movdqu <offset:1>+0x10(%rsp), %xmm0
  movdqu <offset:1>+(%rsp), %xmm2
  movdqu <offset:1>+0x20(%rsp), %xmm10
  vaddpd %xmm0, %xmm2, %xmm0
  vpshufd $0xee, %xmm0, %xmm1
  vaddsd %xmm1, %xmm0, %xmm0
  vaddsd %xmm0, %xmm10, %xmm0
  vmovsd %xmm0, (%rcx)
  movq 0x1b0(%rsp), %rbx
  addq $0x1c0, %rsp
  movq %rbp, %rsp
  popq %rbp
  retq
