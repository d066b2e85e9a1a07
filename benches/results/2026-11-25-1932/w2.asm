; pass 0: flat loop over [N]; 1 sum(s); writes d/d pred
; pass 0
  pushq %rbp
  unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
  movq %rsp, %rbp
  unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 16 }
  subq $0x180, %rsp
  movq %rbx, 0x170(%rsp)
  unwind SaveReg { clobber_offset: 0, reg: p3i }
block0:
  movq 0x18(%rdi), %rax
  vmovsd 0x20(%rax), %xmm0
  movq (%rdi), %rax
  movq 8(%rdi), %r8
  movq 0x10(%rdi), %rdi
  uninit  %xmm1
  vxorpd %xmm1, %xmm1, %xmm3
  movdqu %xmm3, <offset:1>+(%rsp)
  uninit  %xmm1
  vxorps %xmm1, %xmm1, %xmm1
  vcvtsd2ss %xmm0, %xmm1, %xmm0
  vbroadcastss %xmm0, %xmm6
  movdqu %xmm6, <offset:1>+0x150(%rsp)
  movdqu %xmm0, <offset:1>+0x160(%rsp)
  uninit  %xmm0
  vxorps %xmm0, %xmm0, %xmm2
  movdqu %xmm2, <offset:1>+0x140(%rsp)
  vmovups (%rip), %xmm5
  vmovups (%rip), %xmm7
  movdqu %xmm7, <offset:1>+0x130(%rsp)
  vmovups (%rip), %xmm8
  movdqu %xmm8, <offset:1>+0x120(%rsp)
  vmovups (%rip), %xmm10
  movdqu %xmm10, <offset:1>+0x110(%rsp)
  vmovups (%rip), %xmm4
  movdqu %xmm4, <offset:1>+0x100(%rsp)
  vmovups (%rip), %xmm11
  movdqu %xmm11, <offset:1>+0xf0(%rsp)
  vmovups (%rip), %xmm12
  movdqu %xmm12, <offset:1>+0xe0(%rsp)
  vmovups (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0xd0(%rsp)
  vmovups (%rip), %xmm14
  movdqu %xmm14, <offset:1>+0xc0(%rsp)
  vmovups (%rip), %xmm15
  movdqu %xmm15, <offset:1>+0xb0(%rsp)
  vmovups (%rip), %xmm1
  movdqu %xmm1, <offset:1>+0xa0(%rsp)
  vmovups (%rip), %xmm0
  movdqu %xmm0, <offset:1>+0x90(%rsp)
  vmovups (%rip), %xmm2
  vmovdqu (%rip), %xmm3
  movdqu %xmm3, <offset:1>+0x80(%rsp)
  vmovups (%rip), %xmm6
  movdqu %xmm6, <offset:1>+0x70(%rsp)
  vmovups (%rip), %xmm7
  movdqu %xmm7, <offset:1>+0x60(%rsp)
  vmovups (%rip), %xmm8
  movdqu %xmm8, <offset:1>+0x50(%rsp)
  vmovups (%rip), %xmm10
  movdqu %xmm10, <offset:1>+0x40(%rsp)
  vmovups (%rip), %xmm11
  movdqu %xmm11, <offset:1>+0x30(%rsp)
  vmovups (%rip), %xmm12
  vmovups (%rip), %xmm9
  movdqu %xmm9, <offset:1>+0x20(%rsp)
  movdqu <offset:1>+(%rsp), %xmm0
  movdqu %xmm0, <offset:1>+0x10(%rsp)
  jmp     label1
block1:
  leaq 8(%rsi), %r9
  cmpq %rdx, %r9
  jnbe    label3; j label2
block2:
  vmovups (%rax, %rsi, 4), %xmm13
  vmovups (%r8, %rsi, 4), %xmm14
  movdqu <offset:1>+0x140(%rsp), %xmm11
  vcmpleps %xmm13, %xmm11, %xmm0
  movdqu <offset:1>+0x130(%rsp), %xmm1
  vorps %xmm13, %xmm1, %xmm3
  movdqu <offset:1>+0x120(%rsp), %xmm1
  vmaxps %xmm3, %xmm1, %xmm6
  movdqu <offset:1>+0x110(%rsp), %xmm3
  movdqu <offset:1>+0x100(%rsp), %xmm4
  movdqa %xmm6, %xmm1
  vfmadd213ps %xmm4, %xmm3, %xmm1
  vsubps %xmm4, %xmm1, %xmm3
  movdqu <offset:1>+0xe0(%rsp), %xmm4
  movdqa %xmm3, %xmm7
  vfmadd213ps %xmm6, %xmm4, %xmm7
  movdqu <offset:1>+0xf0(%rsp), %xmm4
  vfmadd213ps %xmm7, %xmm4, %xmm3
  vmulps %xmm3, %xmm3, %xmm6
  movdqu <offset:1>+0xc0(%rsp), %xmm4
  movdqu <offset:1>+0xd0(%rsp), %xmm8
  movdqa %xmm8, %xmm7
  vfmadd213ps %xmm4, %xmm3, %xmm7
  movdqu <offset:1>+0xb0(%rsp), %xmm15
  vfmadd213ps %xmm15, %xmm3, %xmm7
  movdqu <offset:1>+0xa0(%rsp), %xmm4
  vfmadd213ps %xmm4, %xmm3, %xmm7
  movdqu <offset:1>+0x90(%rsp), %xmm4
  vfmadd213ps %xmm4, %xmm3, %xmm7
  vfmadd213ps %xmm2, %xmm3, %xmm7
  vfmadd213ps %xmm3, %xmm7, %xmm6
  vaddps %xmm5, %xmm6, %xmm3
  movdqu <offset:1>+0x80(%rsp), %xmm4
  vpaddd %xmm4, %xmm1, %xmm1
  vpsrld $0x1, %xmm1, %xmm6
  vpslld $0x17, %xmm6, %xmm4
  vmulps %xmm4, %xmm3, %xmm3
  vpsubd %xmm6, %xmm1, %xmm1
  vpslld $0x17, %xmm1, %xmm1
  vmulps %xmm1, %xmm3, %xmm3
  vpblendvb %xmm0, %xmm5, %xmm3, %xmm0
  vaddps %xmm3, %xmm5, %xmm1
  vdivps %xmm1, %xmm5, %xmm1
  vmulps %xmm1, %xmm0, %xmm0
  vsubps %xmm14, %xmm0, %xmm0
  movdqu <offset:1>+0x150(%rsp), %xmm10
  vmulps %xmm0, %xmm10, %xmm0
  vmovups %xmm0, (%rdi, %rsi, 4)
  leaq 4(%rsi), %rsi
  vmovups (%rax, %rsi, 4), %xmm1
  vmovups (%r8, %rsi, 4), %xmm0
  vcmpleps %xmm1, %xmm11, %xmm6
  movdqu <offset:1>+0x130(%rsp), %xmm4
  vorps %xmm1, %xmm4, %xmm4
  movdqu <offset:1>+0x120(%rsp), %xmm7
  vmaxps %xmm4, %xmm7, %xmm9
  movdqu <offset:1>+0x100(%rsp), %xmm4
  movdqu <offset:1>+0x110(%rsp), %xmm8
  movdqa %xmm9, %xmm7
  vfmadd213ps %xmm4, %xmm8, %xmm7
  vsubps %xmm4, %xmm7, %xmm8
  movdqu <offset:1>+0xe0(%rsp), %xmm4
  movdqa %xmm8, %xmm10
  vfmadd213ps %xmm9, %xmm4, %xmm10
  movdqu <offset:1>+0xf0(%rsp), %xmm4
  vfmadd213ps %xmm10, %xmm4, %xmm8
  vmulps %xmm8, %xmm8, %xmm9
  movdqu <offset:1>+0xc0(%rsp), %xmm4
  movdqu <offset:1>+0xd0(%rsp), %xmm10
  vfmadd213ps %xmm4, %xmm8, %xmm10
  movdqu <offset:1>+0xb0(%rsp), %xmm4
  vfmadd213ps %xmm4, %xmm8, %xmm10
  movdqu <offset:1>+0xa0(%rsp), %xmm4
  vfmadd213ps %xmm4, %xmm8, %xmm10
  movdqu <offset:1>+0x90(%rsp), %xmm4
  vfmadd213ps %xmm4, %xmm8, %xmm10
  vfmadd213ps %xmm2, %xmm8, %xmm10
  vfmadd213ps %xmm8, %xmm10, %xmm9
  vaddps %xmm5, %xmm9, %xmm8
  movdqu <offset:1>+0x80(%rsp), %xmm4
  vpaddd %xmm4, %xmm7, %xmm7
  vpsrld $0x1, %xmm7, %xmm9
  vpslld $0x17, %xmm9, %xmm4
  vmulps %xmm4, %xmm8, %xmm8
  vpsubd %xmm9, %xmm7, %xmm4
  vpslld $0x17, %xmm4, %xmm4
  vmulps %xmm4, %xmm8, %xmm7
  vpblendvb %xmm6, %xmm5, %xmm7, %xmm6
  vaddps %xmm7, %xmm5, %xmm4
  vdivps %xmm4, %xmm5, %xmm4
  vmulps %xmm4, %xmm6, %xmm4
  vsubps %xmm0, %xmm4, %xmm4
  movdqu <offset:1>+0x150(%rsp), %xmm10
  vmulps %xmm4, %xmm10, %xmm4
  vmovups %xmm4, (%rdi, %rsi, 4)
  vmaxps %xmm13, %xmm11, %xmm6
  vmulps %xmm13, %xmm14, %xmm4
  vsubps %xmm4, %xmm6, %xmm13
  movdqu <offset:1>+0x70(%rsp), %xmm4
  vcmpleps %xmm3, %xmm4, %xmm6
  vpblendvb %xmm6, %xmm5, %xmm11, %xmm14
  vsubps %xmm5, %xmm3, %xmm4
  vmulps %xmm2, %xmm4, %xmm4
  vpblendvb %xmm6, %xmm4, %xmm3, %xmm8
  vmulps %xmm2, %xmm8, %xmm3
  vmulps %xmm8, %xmm3, %xmm10
  movdqu <offset:1>+0x50(%rsp), %xmm4
  vaddps %xmm4, %xmm8, %xmm3
  vdivps %xmm3, %xmm8, %xmm6
  vmulps %xmm6, %xmm6, %xmm9
  movdqu <offset:1>+0x30(%rsp), %xmm4
  movdqu <offset:1>+0x40(%rsp), %xmm15
  movdqa %xmm15, %xmm3
  vfmadd213ps %xmm4, %xmm9, %xmm3
  vfmadd213ps %xmm12, %xmm9, %xmm3
  vmulps %xmm3, %xmm9, %xmm3
  vaddps %xmm3, %xmm10, %xmm3
  movdqu <offset:1>+0x20(%rsp), %xmm9
  vmulps %xmm9, %xmm14, %xmm4
  vfmadd213ps %xmm4, %xmm3, %xmm6
  vsubps %xmm6, %xmm10, %xmm3
  vsubps %xmm3, %xmm8, %xmm3
  movdqu <offset:1>+0x60(%rsp), %xmm8
  vfmadd213ps %xmm3, %xmm8, %xmm14
  vaddps %xmm14, %xmm13, %xmm13
  vmaxps %xmm1, %xmm11, %xmm3
  vmulps %xmm1, %xmm0, %xmm0
  vsubps %xmm0, %xmm3, %xmm0
  movdqu <offset:1>+0x70(%rsp), %xmm4
  vcmpleps %xmm7, %xmm4, %xmm10
  vpblendvb %xmm10, %xmm5, %xmm11, %xmm1
  vsubps %xmm5, %xmm7, %xmm3
  vmulps %xmm2, %xmm3, %xmm3
  vpblendvb %xmm10, %xmm3, %xmm7, %xmm7
  vmulps %xmm2, %xmm7, %xmm3
  vmulps %xmm7, %xmm3, %xmm10
  movdqu <offset:1>+0x50(%rsp), %xmm3
  vaddps %xmm3, %xmm7, %xmm3
  vdivps %xmm3, %xmm7, %xmm14
  vmulps %xmm14, %xmm14, %xmm6
  movdqu <offset:1>+0x30(%rsp), %xmm4
  movdqa %xmm15, %xmm3
  vfmadd213ps %xmm4, %xmm6, %xmm3
  vfmadd213ps %xmm12, %xmm6, %xmm3
  vmulps %xmm3, %xmm6, %xmm3
  vaddps %xmm3, %xmm10, %xmm6
  vmulps %xmm9, %xmm1, %xmm3
  vfmadd213ps %xmm3, %xmm6, %xmm14
  vsubps %xmm14, %xmm10, %xmm3
  vsubps %xmm3, %xmm7, %xmm3
  vfmadd213ps %xmm3, %xmm8, %xmm1
  vaddps %xmm1, %xmm0, %xmm0
  vaddps %xmm0, %xmm13, %xmm0
  vcvtps2pd %xmm0, %xmm1
  movdqu <offset:1>+(%rsp), %xmm13
  vaddpd %xmm1, %xmm13, %xmm13
  vpshufd $0xee, %xmm0, %xmm0
  vcvtps2pd %xmm0, %xmm0
  movdqu <offset:1>+0x10(%rsp), %xmm14
  vaddpd %xmm0, %xmm14, %xmm14
  movq %r9, %rsi
  movdqu %xmm13, <offset:1>+(%rsp)
  movdqu %xmm14, <offset:1>+0x10(%rsp)
  jmp     label1
block3:
  movdqu <offset:1>+(%rsp), %xmm13
  movdqu <offset:1>+0x10(%rsp), %xmm14
  uninit  %xmm0
  vxorpd %xmm0, %xmm0, %xmm0
  jmp     label4
block4:
  leaq 1(%rsi), %r9
  cmpq %rdx, %r9
  jnbe    label6; j label5
block5:
  vmovss (%rax, %rsi, 4), %xmm2
  vmovss (%r8, %rsi, 4), %xmm3
  uninit  %xmm1
  vxorps %xmm1, %xmm1, %xmm1
  movl $0x80000000, %r10d
  vmovd %r10d, %xmm4
  vorps %xmm2, %xmm4, %xmm4
  movl $0xc2dc0000, %r10d
  vmovd %r10d, %xmm5
  vmaxss %xmm4, %xmm5, %xmm6
  movl $0x3fb8aa3b, %r10d
  vmovd %r10d, %xmm5
  movdqa %xmm6, %xmm4
  vfmadd213ss (%rip), %xmm5, %xmm4
  vsubss (%rip), %xmm4, %xmm5
  movl $0xbf318000, %r10d
  vmovd %r10d, %xmm8
  movdqa %xmm5, %xmm7
  vfmadd213ss %xmm6, %xmm8, %xmm7
  movl $0x395e8083, %r10d
  vmovd %r10d, %xmm6
  vfmadd213ss %xmm7, %xmm6, %xmm5
  vmulss %xmm5, %xmm5, %xmm7
  movl $0x3950bf6d, %r10d
  vmovd %r10d, %xmm6
  vfmadd213ss (%rip), %xmm5, %xmm6
  vfmadd213ss (%rip), %xmm5, %xmm6
  vfmadd213ss (%rip), %xmm5, %xmm6
  vfmadd213ss (%rip), %xmm5, %xmm6
  vfmadd213ss (%rip), %xmm5, %xmm6
  vfmadd213ss %xmm5, %xmm6, %xmm7
  movl $0x3f800000, %r10d
  vmovd %r10d, %xmm6
  vaddss (%rip), %xmm7, %xmm5
  vmovd %xmm4, %r10d
  leal -0x4b3fff02(%r10), %r10d
  movq %r10, %r11
  shrl $1, %r11d
  movq %r11, %rbx
  shll $0x17, %ebx
  vmovd %ebx, %xmm4
  vmulss %xmm4, %xmm5, %xmm4
  subl %r11d, %r10d
  shll $0x17, %r10d
  vmovd %r10d, %xmm5
  vmulss %xmm5, %xmm4, %xmm5
  vucomiss (%rip), %xmm2
  movdqa %xmm5, %xmm4
  movss %xmm4, %xmm4; jb $next; movss %xmm6, %xmm4; $next:
  vaddss %xmm5, %xmm6, %xmm7
  vdivss %xmm7, %xmm6, %xmm7
  vmulss %xmm7, %xmm4, %xmm4
  vsubss %xmm3, %xmm4, %xmm7
  movdqu <offset:1>+0x160(%rsp), %xmm4
  vmulss %xmm7, %xmm4, %xmm7
  vmovss %xmm7, (%rdi, %rsi, 4)
  vmaxss %xmm2, %xmm1, %xmm7
  vmulss %xmm2, %xmm3, %xmm2
  vsubss %xmm2, %xmm7, %xmm2
  vucomiss (%rip), %xmm5
  movss %xmm1, %xmm1; jb $next; movss %xmm6, %xmm1; $next:
  vsubss (%rip), %xmm5, %xmm3
  vmulss (%rip), %xmm3, %xmm3
  vucomiss (%rip), %xmm5
  movss %xmm5, %xmm5; jb $next; movss %xmm3, %xmm5; $next:
  vmulss (%rip), %xmm5, %xmm3
  vmulss %xmm5, %xmm3, %xmm3
  vaddss (%rip), %xmm5, %xmm6
  vdivss %xmm6, %xmm5, %xmm6
  vmulss %xmm6, %xmm6, %xmm7
  movl $0x3e9778b0, %esi
  vmovd %esi, %xmm8
  vfmadd213ss (%rip), %xmm7, %xmm8
  vfmadd213ss (%rip), %xmm7, %xmm8
  vmulss %xmm8, %xmm7, %xmm7
  vaddss %xmm7, %xmm3, %xmm7
  vmulss (%rip), %xmm1, %xmm8
  vfmadd213ss %xmm8, %xmm7, %xmm6
  vsubss %xmm6, %xmm3, %xmm3
  vsubss %xmm3, %xmm5, %xmm3
  movl $0x3f318000, %esi
  vmovd %esi, %xmm5
  vfmadd213ss %xmm3, %xmm5, %xmm1
  vaddss %xmm1, %xmm2, %xmm3
  uninit  %xmm1
  vxorpd %xmm1, %xmm1, %xmm5
  vcvtss2sd %xmm3, %xmm5, %xmm5
  vaddsd %xmm5, %xmm0, %xmm0
  movq %r9, %rsi
  movdqu %xmm4, <offset:1>+0x160(%rsp)
  jmp     label4
block6:
  vaddpd %xmm14, %xmm13, %xmm4
  vpshufd $0xee, %xmm4, %xmm5
  vaddsd %xmm5, %xmm4, %xmm4
  vaddsd %xmm4, %xmm0, %xmm4
  vmovsd %xmm4, (%rcx)
  movq 0x170(%rsp), %rbx
  addq $0x180, %rsp
  movq %rbp, %rsp
  popq %rbp
  retq
