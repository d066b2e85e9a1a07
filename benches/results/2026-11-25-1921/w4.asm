; pass 0: flat loop over [N]; 3 sum(s)
; pass 1: flat loop over [N]; 1 sum(s); writes d/d pred
; pass 2: flat loop over [K]; 1 sum(s); writes d/d params
; pass 0
  pushq %rbp
  unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
  movq %rsp, %rbp
  unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
  subq $0xf0, %rsp
block0:
  movq 0x28(%rdi), %rax
  movq (%rdi), %rax
  movq 8(%rdi), %r8
  movq 0x10(%rdi), %r9
  movq 0x18(%rdi), %r9
  movq 0x20(%rdi), %rdi
  uninit  %xmm0
  vxorpd %xmm0, %xmm0, %xmm6
  movdqu %xmm6, <offset:1>+(%rsp)
  uninit  %xmm0
  vxorps %xmm0, %xmm0, %xmm8
  movdqu %xmm8, <offset:1>+0xe0(%rsp)
  vmovups (%rip), %xmm7
  vmovups (%rip), %xmm9
  movdqu %xmm9, <offset:1>+0xd0(%rsp)
  vmovups (%rip), %xmm10
  movdqu %xmm10, <offset:1>+0xc0(%rsp)
  vmovups (%rip), %xmm12
  movdqu %xmm12, <offset:1>+0xb0(%rsp)
  vmovups (%rip), %xmm11
  vmovups (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0xa0(%rsp)
  vmovups (%rip), %xmm14
  movdqu %xmm14, <offset:1>+0x90(%rsp)
  vmovups (%rip), %xmm15
  movdqu %xmm15, <offset:1>+0x80(%rsp)
  vmovups (%rip), %xmm1
  movdqu %xmm1, <offset:1>+0x70(%rsp)
  vmovups (%rip), %xmm2
  movdqu %xmm2, <offset:1>+0x60(%rsp)
  vmovups (%rip), %xmm2
  vmovups (%rip), %xmm3
  vmovups (%rip), %xmm4
  vmovdqu (%rip), %xmm5
  movdqu <offset:1>+(%rsp), %xmm0
  movdqu %xmm0, <offset:1>+0x10(%rsp)
  movdqu %xmm0, <offset:1>+0x20(%rsp)
  movdqu %xmm0, <offset:1>+0x30(%rsp)
  movdqu %xmm0, <offset:1>+0x40(%rsp)
  movdqu %xmm0, <offset:1>+0x50(%rsp)
  jmp     label1
block1:
  leaq 8(%rsi), %rdi
  cmpq %rdx, %rdi
  jnbe    label3; j label2
block2:
  vmovups (%rax, %rsi, 4), %xmm9
  vmovups (%r8, %rsi, 4), %xmm8
  leaq 4(%rsi), %rsi
  vmovups (%rax, %rsi, 4), %xmm6
  vmovups (%r8, %rsi, 4), %xmm12
  movdqu <offset:1>+0xe0(%rsp), %xmm13
  vcmpleps %xmm9, %xmm13, %xmm0
  movdqu <offset:1>+0xd0(%rsp), %xmm13
  vorps %xmm9, %xmm13, %xmm9
  movdqu <offset:1>+0xc0(%rsp), %xmm1
  vmaxps %xmm9, %xmm1, %xmm13
  movdqu <offset:1>+0xb0(%rsp), %xmm1
  movdqa %xmm13, %xmm9
  vfmadd213ps %xmm11, %xmm1, %xmm9
  vsubps %xmm11, %xmm9, %xmm10
  movdqu <offset:1>+0x90(%rsp), %xmm1
  movdqa %xmm10, %xmm14
  vfmadd213ps %xmm13, %xmm1, %xmm14
  movdqu <offset:1>+0xa0(%rsp), %xmm13
  vfmadd213ps %xmm14, %xmm13, %xmm10
  vmulps %xmm10, %xmm10, %xmm13
  movdqu <offset:1>+0x70(%rsp), %xmm1
  movdqu <offset:1>+0x80(%rsp), %xmm15
  movdqa %xmm15, %xmm14
  vfmadd213ps %xmm1, %xmm10, %xmm14
  movdqu <offset:1>+0x60(%rsp), %xmm1
  vfmadd213ps %xmm1, %xmm10, %xmm14
  vfmadd213ps %xmm2, %xmm10, %xmm14
  vfmadd213ps %xmm3, %xmm10, %xmm14
  vfmadd213ps %xmm4, %xmm10, %xmm14
  vfmadd213ps %xmm10, %xmm14, %xmm13
  vaddps %xmm7, %xmm13, %xmm10
  vpaddd %xmm5, %xmm9, %xmm9
  vpsrld $0x1, %xmm9, %xmm13
  vpslld $0x17, %xmm13, %xmm1
  vmulps %xmm1, %xmm10, %xmm10
  vpsubd %xmm13, %xmm9, %xmm1
  vpslld $0x17, %xmm1, %xmm1
  vmulps %xmm1, %xmm10, %xmm9
  vpblendvb %xmm0, %xmm7, %xmm9, %xmm0
  vaddps %xmm9, %xmm7, %xmm1
  vdivps %xmm1, %xmm7, %xmm1
  vmulps %xmm1, %xmm0, %xmm0
  vmulps %xmm8, %xmm0, %xmm9
  movdqu <offset:1>+0xe0(%rsp), %xmm13
  vcmpleps %xmm6, %xmm13, %xmm10
  movdqu <offset:1>+0xd0(%rsp), %xmm13
  vorps %xmm6, %xmm13, %xmm6
  movdqu <offset:1>+0xc0(%rsp), %xmm13
  vmaxps %xmm6, %xmm13, %xmm14
  movdqu <offset:1>+0xb0(%rsp), %xmm13
  movdqa %xmm14, %xmm6
  vfmadd213ps %xmm11, %xmm13, %xmm6
  vsubps %xmm11, %xmm6, %xmm13
  movdqu <offset:1>+0x90(%rsp), %xmm1
  movdqa %xmm13, %xmm15
  vfmadd213ps %xmm14, %xmm1, %xmm15
  movdqu <offset:1>+0xa0(%rsp), %xmm1
  vfmadd213ps %xmm15, %xmm1, %xmm13
  vmulps %xmm13, %xmm13, %xmm14
  movdqu <offset:1>+0x70(%rsp), %xmm1
  movdqu <offset:1>+0x80(%rsp), %xmm15
  vfmadd213ps %xmm1, %xmm13, %xmm15
  movdqu <offset:1>+0x60(%rsp), %xmm1
  vfmadd213ps %xmm1, %xmm13, %xmm15
  vfmadd213ps %xmm2, %xmm13, %xmm15
  vfmadd213ps %xmm3, %xmm13, %xmm15
  vfmadd213ps %xmm4, %xmm13, %xmm15
  vfmadd213ps %xmm13, %xmm15, %xmm14
  vaddps %xmm7, %xmm14, %xmm13
  vpaddd %xmm5, %xmm6, %xmm6
  vpsrld $0x1, %xmm6, %xmm14
  vpslld $0x17, %xmm14, %xmm15
  vmulps %xmm15, %xmm13, %xmm13
  vpsubd %xmm14, %xmm6, %xmm6
  vpslld $0x17, %xmm6, %xmm6
  vmulps %xmm6, %xmm13, %xmm13
  vpblendvb %xmm10, %xmm7, %xmm13, %xmm6
  vaddps %xmm13, %xmm7, %xmm10
  vdivps %xmm10, %xmm7, %xmm10
  vmulps %xmm10, %xmm6, %xmm10
  vmulps %xmm12, %xmm10, %xmm6
  vaddps %xmm6, %xmm9, %xmm9
  vcvtps2pd %xmm9, %xmm13
  movdqu <offset:1>+(%rsp), %xmm6
  vaddpd %xmm13, %xmm6, %xmm6
  vpshufd $0xee, %xmm9, %xmm9
  vcvtps2pd %xmm9, %xmm13
  movdqu <offset:1>+0x10(%rsp), %xmm9
  vaddpd %xmm13, %xmm9, %xmm9
  vaddps %xmm10, %xmm0, %xmm10
  vcvtps2pd %xmm10, %xmm13
  movdqu <offset:1>+0x20(%rsp), %xmm0
  vaddpd %xmm13, %xmm0, %xmm0
  vpshufd $0xee, %xmm10, %xmm10
  vcvtps2pd %xmm10, %xmm13
  movdqu <offset:1>+0x30(%rsp), %xmm10
  vaddpd %xmm13, %xmm10, %xmm10
  vaddps %xmm12, %xmm8, %xmm12
  vcvtps2pd %xmm12, %xmm13
  movdqu <offset:1>+0x40(%rsp), %xmm8
  vaddpd %xmm13, %xmm8, %xmm8
  vpshufd $0xee, %xmm12, %xmm12
  vcvtps2pd %xmm12, %xmm13
  movdqu <offset:1>+0x50(%rsp), %xmm12
  vaddpd %xmm13, %xmm12, %xmm12
  movq %rdi, %rsi
  movdqu %xmm6, <offset:1>+(%rsp)
  movdqu %xmm9, <offset:1>+0x10(%rsp)
  movdqu %xmm0, <offset:1>+0x20(%rsp)
  movdqu %xmm10, <offset:1>+0x30(%rsp)
  movdqu %xmm8, <offset:1>+0x40(%rsp)
  movdqu %xmm12, <offset:1>+0x50(%rsp)
  jmp     label1
block3:
  movdqu <offset:1>+0x20(%rsp), %xmm0
  movdqu <offset:1>+(%rsp), %xmm6
  movdqu <offset:1>+0x40(%rsp), %xmm8
  movdqu <offset:1>+0x10(%rsp), %xmm9
  movdqu <offset:1>+0x30(%rsp), %xmm10
  movdqu <offset:1>+0x50(%rsp), %xmm12
  uninit  %xmm3
  vxorpd %xmm3, %xmm3, %xmm3
  movdqa %xmm3, %xmm1
  movdqa %xmm3, %xmm2
  jmp     label4
block4:
  leaq 1(%rsi), %rdi
  cmpq %rdx, %rdi
  jnbe    label6; j label5
block5:
  vmovss (%rax, %rsi, 4), %xmm4
  vmovss (%r8, %rsi, 4), %xmm7
  movl $0x80000000, %esi
  vmovd %esi, %xmm5
  vorps %xmm4, %xmm5, %xmm5
  movl $0xc2dc0000, %esi
  vmovd %esi, %xmm11
  vmaxss %xmm5, %xmm11, %xmm13
  movl $0x3fb8aa3b, %esi
  vmovd %esi, %xmm11
  movdqa %xmm13, %xmm5
  vfmadd213ss (%rip), %xmm11, %xmm5
  vsubss (%rip), %xmm5, %xmm11
  movl $0xbf318000, %esi
  vmovd %esi, %xmm15
  movdqa %xmm11, %xmm14
  vfmadd213ss %xmm13, %xmm15, %xmm14
  movl $0x395e8083, %esi
  vmovd %esi, %xmm13
  vfmadd213ss %xmm14, %xmm13, %xmm11
  vmulss %xmm11, %xmm11, %xmm13
  movl $0x3950bf6d, %esi
  vmovd %esi, %xmm14
  vfmadd213ss (%rip), %xmm11, %xmm14
  vfmadd213ss (%rip), %xmm11, %xmm14
  vfmadd213ss (%rip), %xmm11, %xmm14
  vfmadd213ss (%rip), %xmm11, %xmm14
  vfmadd213ss (%rip), %xmm11, %xmm14
  vfmadd213ss %xmm11, %xmm14, %xmm13
  movl $0x3f800000, %esi
  vmovd %esi, %xmm11
  vaddss (%rip), %xmm13, %xmm13
  vmovd %xmm5, %r9d
  leal -0x4b3fff02(%r9), %esi
  movq %rsi, %r9
  shrl $1, %r9d
  movq %r9, %r10
  shll $0x17, %r10d
  vmovd %r10d, %xmm5
  vmulss %xmm5, %xmm13, %xmm5
  subl %r9d, %esi
  shll $0x17, %esi
  vmovd %esi, %xmm13
  vmulss %xmm13, %xmm5, %xmm5
  vucomiss (%rip), %xmm4
  movdqa %xmm5, %xmm4
  movss %xmm4, %xmm4; jb $next; movss %xmm11, %xmm4; $next:
  vaddss %xmm5, %xmm11, %xmm5
  vdivss %xmm5, %xmm11, %xmm5
  vmulss %xmm5, %xmm4, %xmm4
  vmulss %xmm7, %xmm4, %xmm5
  uninit  %xmm11
  vxorpd %xmm11, %xmm11, %xmm11
  vcvtss2sd %xmm5, %xmm11, %xmm5
  vaddsd %xmm5, %xmm3, %xmm3
  uninit  %xmm5
  vxorpd %xmm5, %xmm5, %xmm5
  vcvtss2sd %xmm4, %xmm5, %xmm4
  vaddsd %xmm4, %xmm2, %xmm2
  uninit  %xmm4
  vxorpd %xmm4, %xmm4, %xmm4
  vcvtss2sd %xmm7, %xmm4, %xmm4
  vaddsd %xmm4, %xmm1, %xmm1
  movq %rdi, %rsi
  jmp     label4
block6:
  vaddpd %xmm9, %xmm6, %xmm4
  vpshufd $0xee, %xmm4, %xmm5
  vaddsd %xmm5, %xmm4, %xmm4
  vaddsd %xmm4, %xmm3, %xmm3
  vmovsd %xmm3, (%rcx)
  vaddpd %xmm10, %xmm0, %xmm0
  vpshufd $0xee, %xmm0, %xmm3
  vaddsd %xmm3, %xmm0, %xmm0
  vaddsd %xmm0, %xmm2, %xmm0
  vmovsd %xmm0, 8(%rcx)
  vaddpd %xmm12, %xmm8, %xmm0
  vpshufd $0xee, %xmm0, %xmm2
  vaddsd %xmm2, %xmm0, %xmm0
  vaddsd %xmm0, %xmm1, %xmm0
  vmovsd %xmm0, 0x10(%rcx)
  addq $0xf0, %rsp
  movq %rbp, %rsp
  popq %rbp
  retq
; pass 1
  pushq %rbp
  unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
  movq %rsp, %rbp
  unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 16 }
  subq $0x200, %rsp
  movq %r13, 0x1f0(%rsp)
  unwind SaveReg { clobber_offset: 0, reg: p13i }
block0:
  movq 0x28(%rdi), %r8
  vmovsd 0xc8(%r8), %xmm4
  vmovsd 0x10(%r8), %xmm4
  vmovsd 8(%r8), %xmm4
  vmovsd 0x130(%r8), %xmm5
  vmovsd 0x128(%r8), %xmm7
  vmovsd 0x118(%r8), %xmm4
  movq (%rdi), %r9
  movq 8(%rdi), %rax
  movq 0x10(%rdi), %r8
  movq 0x18(%rdi), %r8
  movq 0x20(%rdi), %rdi
  uninit  %xmm3
  vxorpd %xmm3, %xmm3, %xmm8
  movdqu %xmm8, <offset:1>+(%rsp)
  uninit  %xmm2
  vxorps %xmm2, %xmm2, %xmm6
  vcvtsd2ss %xmm5, %xmm6, %xmm0
  vbroadcastss %xmm0, %xmm11
  movdqu %xmm11, <offset:1>+0x1d0(%rsp)
  movdqu %xmm0, <offset:1>+0x1e0(%rsp)
  vmovups (%rip), %xmm5
  uninit  %xmm3
  vxorps %xmm3, %xmm3, %xmm6
  movdqu %xmm6, <offset:1>+0x1c0(%rsp)
  vmovups (%rip), %xmm9
  movdqu %xmm9, <offset:1>+0x1b0(%rsp)
  vmovups (%rip), %xmm10
  movdqu %xmm10, <offset:1>+0x1a0(%rsp)
  vmovups (%rip), %xmm12
  movdqu %xmm12, <offset:1>+0x190(%rsp)
  vmovups (%rip), %xmm12
  movdqu %xmm12, <offset:1>+0x180(%rsp)
  vmovups (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0x170(%rsp)
  vmovups (%rip), %xmm14
  movdqu %xmm14, <offset:1>+0x160(%rsp)
  vmovups (%rip), %xmm15
  movdqu %xmm15, <offset:1>+0x150(%rsp)
  vmovups (%rip), %xmm6
  movdqu %xmm6, <offset:1>+0x140(%rsp)
  vmovups (%rip), %xmm1
  movdqu %xmm1, <offset:1>+0x130(%rsp)
  vmovups (%rip), %xmm2
  movdqu %xmm2, <offset:1>+0x120(%rsp)
  vmovups (%rip), %xmm0
  movdqu %xmm0, <offset:1>+0x110(%rsp)
  vmovups (%rip), %xmm6
  movdqu %xmm6, <offset:1>+0x100(%rsp)
  vmovdqu (%rip), %xmm8
  movdqu %xmm8, <offset:1>+0xf0(%rsp)
  uninit  %xmm2
  vxorps %xmm2, %xmm2, %xmm6
  vcvtsd2ss %xmm4, %xmm6, %xmm1
  vbroadcastss %xmm1, %xmm9
  movdqu %xmm9, <offset:1>+0xd0(%rsp)
  movdqu %xmm1, <offset:1>+0xe0(%rsp)
  vmovups (%rip), %xmm10
  movdqu %xmm10, <offset:1>+0xc0(%rsp)
  vmovups (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0xb0(%rsp)
  vmovups (%rip), %xmm3
  movdqu %xmm3, <offset:1>+0xa0(%rsp)
  vmovups (%rip), %xmm14
  movdqu %xmm14, <offset:1>+0x90(%rsp)
  vmovups (%rip), %xmm15
  movdqu %xmm15, <offset:1>+0x80(%rsp)
  vmovups (%rip), %xmm4
  movdqu %xmm4, <offset:1>+0x70(%rsp)
  vmovups (%rip), %xmm1
  movdqu %xmm1, <offset:1>+0x60(%rsp)
  uninit  %xmm2
  vxorps %xmm2, %xmm2, %xmm4
  vcvtsd2ss %xmm7, %xmm4, %xmm6
  vbroadcastss %xmm6, %xmm4
  movdqu %xmm4, <offset:1>+0x40(%rsp)
  movdqu %xmm6, <offset:1>+0x50(%rsp)
  movdqu <offset:1>+(%rsp), %xmm0
  movdqu %xmm0, <offset:1>+0x10(%rsp)
  jmp     label1
block1:
  leaq 8(%rsi), %r10
  cmpq %rdx, %r10
  jnbe    label3; j label2
block2:
  vmovups (%r9, %rsi, 4), %xmm7
  vmovups (%rax, %rsi, 4), %xmm8
  movdqu <offset:1>+0x1c0(%rsp), %xmm14
  vcmpleps %xmm7, %xmm14, %xmm0
  movdqu <offset:1>+0x1b0(%rsp), %xmm2
  vorps %xmm7, %xmm2, %xmm1
  movdqu <offset:1>+0x1a0(%rsp), %xmm2
  vmaxps %xmm1, %xmm2, %xmm3
  movdqu <offset:1>+0x180(%rsp), %xmm12
  movdqu <offset:1>+0x190(%rsp), %xmm2
  movdqa %xmm3, %xmm1
  vfmadd213ps %xmm12, %xmm2, %xmm1
  vsubps %xmm12, %xmm1, %xmm2
  movdqu <offset:1>+0x160(%rsp), %xmm6
  movdqa %xmm2, %xmm4
  vfmadd213ps %xmm3, %xmm6, %xmm4
  movdqu <offset:1>+0x170(%rsp), %xmm3
  vfmadd213ps %xmm4, %xmm3, %xmm2
  vmulps %xmm2, %xmm2, %xmm3
  movdqu <offset:1>+0x140(%rsp), %xmm6
  movdqu <offset:1>+0x150(%rsp), %xmm9
  movdqa %xmm9, %xmm4
  vfmadd213ps %xmm6, %xmm2, %xmm4
  movdqu <offset:1>+0x130(%rsp), %xmm6
  vfmadd213ps %xmm6, %xmm2, %xmm4
  movdqu <offset:1>+0x120(%rsp), %xmm6
  vfmadd213ps %xmm6, %xmm2, %xmm4
  movdqu <offset:1>+0x110(%rsp), %xmm6
  vfmadd213ps %xmm6, %xmm2, %xmm4
  movdqu <offset:1>+0x100(%rsp), %xmm14
  vfmadd213ps %xmm14, %xmm2, %xmm4
  vfmadd213ps %xmm2, %xmm4, %xmm3
  vaddps %xmm5, %xmm3, %xmm2
  movdqu <offset:1>+0xf0(%rsp), %xmm3
  vpaddd %xmm3, %xmm1, %xmm1
  vpsrld $0x1, %xmm1, %xmm3
  vpslld $0x17, %xmm3, %xmm4
  vmulps %xmm4, %xmm2, %xmm2
  vpsubd %xmm3, %xmm1, %xmm1
  vpslld $0x17, %xmm1, %xmm1
  vmulps %xmm1, %xmm2, %xmm2
  vpblendvb %xmm0, %xmm5, %xmm2, %xmm0
  vaddps %xmm2, %xmm5, %xmm1
  vdivps %xmm1, %xmm5, %xmm1
  vmulps %xmm1, %xmm0, %xmm1
  vmulps %xmm8, %xmm1, %xmm0
  vsubps %xmm1, %xmm5, %xmm15
  vsubps %xmm8, %xmm5, %xmm9
  vmulps %xmm9, %xmm15, %xmm3
  vaddps %xmm3, %xmm0, %xmm0
  vsubps %xmm0, %xmm5, %xmm4
  vmulps %xmm4, %xmm4, %xmm0
  movdqu <offset:1>+0x1d0(%rsp), %xmm6
  vmulps %xmm0, %xmm6, %xmm3
  movdqu %xmm0, <offset:1>+0x30(%rsp)
  vsubps %xmm8, %xmm1, %xmm0
  vmulps %xmm0, %xmm3, %xmm10
  movdqu <offset:1>+0x1c0(%rsp), %xmm14
  vmaxps %xmm7, %xmm14, %xmm0
  vmulps %xmm7, %xmm8, %xmm7
  vsubps %xmm7, %xmm0, %xmm7
  movdqu <offset:1>+0xc0(%rsp), %xmm3
  vcmpleps %xmm2, %xmm3, %xmm0
  vpblendvb %xmm0, %xmm5, %xmm14, %xmm11
  vsubps %xmm5, %xmm2, %xmm3
  movdqu <offset:1>+0x100(%rsp), %xmm6
  vmulps %xmm6, %xmm3, %xmm3
  vpblendvb %xmm0, %xmm3, %xmm2, %xmm0
  movdqu <offset:1>+0x100(%rsp), %xmm2
  vmulps %xmm2, %xmm0, %xmm2
  vmulps %xmm0, %xmm2, %xmm2
  movdqu <offset:1>+0xa0(%rsp), %xmm6
  vaddps %xmm6, %xmm0, %xmm3
  vdivps %xmm3, %xmm0, %xmm3
  vmulps %xmm3, %xmm3, %xmm12
  movdqu <offset:1>+0x80(%rsp), %xmm6
  movdqu <offset:1>+0x90(%rsp), %xmm14
  movdqa %xmm14, %xmm13
  vfmadd213ps %xmm6, %xmm12, %xmm13
  movdqu <offset:1>+0x70(%rsp), %xmm6
  vfmadd213ps %xmm6, %xmm12, %xmm13
  vmulps %xmm13, %xmm12, %xmm6
  vaddps %xmm6, %xmm2, %xmm12
  movdqu <offset:1>+0x60(%rsp), %xmm6
  vmulps %xmm6, %xmm11, %xmm13
  vfmadd213ps %xmm13, %xmm12, %xmm3
  vsubps %xmm3, %xmm2, %xmm2
  vsubps %xmm2, %xmm0, %xmm0
  movdqu <offset:1>+0xb0(%rsp), %xmm14
  vfmadd213ps %xmm0, %xmm14, %xmm11
  vaddps %xmm11, %xmm7, %xmm6
  movdqu <offset:1>+0x1d0(%rsp), %xmm3
  vmulps %xmm6, %xmm3, %xmm7
  movdqu <offset:1>+0xa0(%rsp), %xmm2
  movdqu %xmm6, <offset:1>+0x20(%rsp)
  vmulps %xmm4, %xmm2, %xmm0
  vmulps %xmm0, %xmm7, %xmm7
  vmulps %xmm9, %xmm7, %xmm0
  movdqu <offset:1>+0xd0(%rsp), %xmm14
  vaddps %xmm0, %xmm14, %xmm0
  movdqu <offset:1>+0x40(%rsp), %xmm4
  vsubps %xmm7, %xmm4, %xmm7
  vmulps %xmm8, %xmm7, %xmm7
  vaddps %xmm7, %xmm0, %xmm7
  vmulps %xmm15, %xmm1, %xmm0
  vmulps %xmm0, %xmm7, %xmm7
  vaddps %xmm7, %xmm10, %xmm7
  vmovups %xmm7, (%r8, %rsi, 4)
  leaq 4(%rsi), %r11
  vmovups (%r9, %r11, 4), %xmm15
  vmovups (%rax, %r11, 4), %xmm8
  movdqu <offset:1>+0x1c0(%rsp), %xmm14
  vcmpleps %xmm15, %xmm14, %xmm1
  movdqu <offset:1>+0x1b0(%rsp), %xmm0
  vorps %xmm15, %xmm0, %xmm0
  movdqu <offset:1>+0x1a0(%rsp), %xmm2
  vmaxps %xmm0, %xmm2, %xmm3
  movdqu <offset:1>+0x190(%rsp), %xmm2
  movdqu <offset:1>+0x180(%rsp), %xmm12
  movdqa %xmm3, %xmm0
  vfmadd213ps %xmm12, %xmm2, %xmm0
  vsubps %xmm12, %xmm0, %xmm7
  movdqu <offset:1>+0x160(%rsp), %xmm4
  movdqa %xmm7, %xmm2
  vfmadd213ps %xmm3, %xmm4, %xmm2
  movdqu <offset:1>+0x170(%rsp), %xmm3
  vfmadd213ps %xmm2, %xmm3, %xmm7
  vmulps %xmm7, %xmm7, %xmm3
  movdqu <offset:1>+0x150(%rsp), %xmm4
  movdqu <offset:1>+0x140(%rsp), %xmm6
  vfmadd213ps %xmm6, %xmm7, %xmm4
  movdqu <offset:1>+0x130(%rsp), %xmm6
  vfmadd213ps %xmm6, %xmm7, %xmm4
  movdqu <offset:1>+0x120(%rsp), %xmm2
  vfmadd213ps %xmm2, %xmm7, %xmm4
  movdqu <offset:1>+0x110(%rsp), %xmm2
  vfmadd213ps %xmm2, %xmm7, %xmm4
  movdqu <offset:1>+0x100(%rsp), %xmm10
  vfmadd213ps %xmm10, %xmm7, %xmm4
  vfmadd213ps %xmm7, %xmm4, %xmm3
  vaddps %xmm5, %xmm3, %xmm3
  movdqu <offset:1>+0xf0(%rsp), %xmm2
  vpaddd %xmm2, %xmm0, %xmm0
  vpsrld $0x1, %xmm0, %xmm4
  vpslld $0x17, %xmm4, %xmm2
  vmulps %xmm2, %xmm3, %xmm3
  vpsubd %xmm4, %xmm0, %xmm0
  vpslld $0x17, %xmm0, %xmm0
  vmulps %xmm0, %xmm3, %xmm4
  vpblendvb %xmm1, %xmm5, %xmm4, %xmm0
  vaddps %xmm4, %xmm5, %xmm1
  vdivps %xmm1, %xmm5, %xmm1
  vmulps %xmm1, %xmm0, %xmm1
  vmulps %xmm8, %xmm1, %xmm0
  vsubps %xmm1, %xmm5, %xmm7
  vsubps %xmm8, %xmm5, %xmm13
  vmulps %xmm13, %xmm7, %xmm2
  vaddps %xmm2, %xmm0, %xmm0
  vsubps %xmm0, %xmm5, %xmm12
  vmulps %xmm12, %xmm12, %xmm10
  movdqu <offset:1>+0x1d0(%rsp), %xmm3
  vmulps %xmm10, %xmm3, %xmm0
  vsubps %xmm8, %xmm1, %xmm2
  vmulps %xmm2, %xmm0, %xmm9
  vmaxps %xmm15, %xmm14, %xmm0
  vmulps %xmm15, %xmm8, %xmm2
  vsubps %xmm2, %xmm0, %xmm11
  movdqu <offset:1>+0xc0(%rsp), %xmm2
  vcmpleps %xmm4, %xmm2, %xmm0
  vpblendvb %xmm0, %xmm5, %xmm14, %xmm3
  vsubps %xmm5, %xmm4, %xmm2
  movdqu <offset:1>+0x100(%rsp), %xmm6
  vmulps %xmm6, %xmm2, %xmm2
  vpblendvb %xmm0, %xmm2, %xmm4, %xmm0
  movdqu <offset:1>+0x100(%rsp), %xmm2
  vmulps %xmm2, %xmm0, %xmm2
  vmulps %xmm0, %xmm2, %xmm15
  movdqu <offset:1>+0xa0(%rsp), %xmm2
  vaddps %xmm2, %xmm0, %xmm2
  vdivps %xmm2, %xmm0, %xmm4
  vmulps %xmm4, %xmm4, %xmm2
  movdqu <offset:1>+0x90(%rsp), %xmm6
  movdqu <offset:1>+0x80(%rsp), %xmm14
  vfmadd213ps %xmm14, %xmm2, %xmm6
  movdqu <offset:1>+0x70(%rsp), %xmm14
  vfmadd213ps %xmm14, %xmm2, %xmm6
  vmulps %xmm6, %xmm2, %xmm2
  vaddps %xmm2, %xmm15, %xmm2
  movdqu <offset:1>+0x60(%rsp), %xmm6
  vmulps %xmm6, %xmm3, %xmm6
  vfmadd213ps %xmm6, %xmm2, %xmm4
  vsubps %xmm4, %xmm15, %xmm2
  vsubps %xmm2, %xmm0, %xmm0
  movdqu <offset:1>+0xb0(%rsp), %xmm15
  vfmadd213ps %xmm0, %xmm15, %xmm3
  vaddps %xmm3, %xmm11, %xmm0
  movdqu <offset:1>+0x1d0(%rsp), %xmm3
  vmulps %xmm0, %xmm3, %xmm2
  movdqu <offset:1>+0xa0(%rsp), %xmm3
  vmulps %xmm12, %xmm3, %xmm3
  vmulps %xmm3, %xmm2, %xmm2
  vmulps %xmm13, %xmm2, %xmm4
  movdqu <offset:1>+0xd0(%rsp), %xmm3
  vaddps %xmm4, %xmm3, %xmm4
  movdqu <offset:1>+0x40(%rsp), %xmm11
  vsubps %xmm2, %xmm11, %xmm2
  vmulps %xmm8, %xmm2, %xmm2
  vaddps %xmm2, %xmm4, %xmm2
  vmulps %xmm7, %xmm1, %xmm1
  vmulps %xmm1, %xmm2, %xmm1
  vaddps %xmm1, %xmm9, %xmm1
  vmovups %xmm1, (%r8, %r11, 4)
  movdqu <offset:1>+0x20(%rsp), %xmm6
  movdqu <offset:1>+0x30(%rsp), %xmm14
  vmulps %xmm6, %xmm14, %xmm1
  vmulps %xmm0, %xmm10, %xmm0
  vaddps %xmm0, %xmm1, %xmm0
  vcvtps2pd %xmm0, %xmm2
  movdqu <offset:1>+(%rsp), %xmm1
  vaddpd %xmm2, %xmm1, %xmm1
  movdqu %xmm1, <offset:1>+(%rsp)
  vpshufd $0xee, %xmm0, %xmm0
  vcvtps2pd %xmm0, %xmm0
  movdqu <offset:1>+0x10(%rsp), %xmm1
  vaddpd %xmm0, %xmm1, %xmm1
  movdqu %xmm1, <offset:1>+0x10(%rsp)
  movq %r10, %rsi
  jmp     label1
block3:
  uninit  %xmm0
  vxorpd %xmm0, %xmm0, %xmm9
  movdqu %xmm9, <offset:1>+0x20(%rsp)
  jmp     label4
block4:
  leaq 1(%rsi), %r11
  cmpq %rdx, %r11
  jnbe    label6; j label5
block5:
  vmovss (%r9, %rsi, 4), %xmm5
  vmovss (%rax, %rsi, 4), %xmm3
  uninit  %xmm0
  vxorps %xmm0, %xmm0, %xmm4
  movl $0x80000000, %edi
  vmovd %edi, %xmm0
  vorps %xmm5, %xmm0, %xmm0
  movl $0xc2dc0000, %edi
  vmovd %edi, %xmm1
  vmaxss %xmm0, %xmm1, %xmm2
  movl $0x3fb8aa3b, %edi
  vmovd %edi, %xmm1
  movdqa %xmm2, %xmm0
  vfmadd213ss (%rip), %xmm1, %xmm0
  vsubss (%rip), %xmm0, %xmm7
  movl $0xbf318000, %edi
  vmovd %edi, %xmm1
  movdqa %xmm7, %xmm6
  vfmadd213ss %xmm2, %xmm1, %xmm6
  movl $0x395e8083, %edi
  vmovd %edi, %xmm1
  vfmadd213ss %xmm6, %xmm1, %xmm7
  vmulss %xmm7, %xmm7, %xmm6
  movl $0x3950bf6d, %edi
  vmovd %edi, %xmm2
  vfmadd213ss (%rip), %xmm7, %xmm2
  vfmadd213ss (%rip), %xmm7, %xmm2
  vfmadd213ss (%rip), %xmm7, %xmm2
  vfmadd213ss (%rip), %xmm7, %xmm2
  vfmadd213ss (%rip), %xmm7, %xmm2
  vfmadd213ss %xmm7, %xmm2, %xmm6
  movl $0x3f800000, %edi
  vmovd %edi, %xmm12
  vaddss (%rip), %xmm6, %xmm2
  vmovd %xmm0, %edi
  leal -0x4b3fff02(%rdi), %edi
  movq %rdi, %r10
  shrl $1, %r10d
  movq %r10, %r13
  shll $0x17, %r13d
  vmovd %r13d, %xmm0
  vmulss %xmm0, %xmm2, %xmm0
  subl %r10d, %edi
  shll $0x17, %edi
  vmovd %edi, %xmm1
  vmulss %xmm1, %xmm0, %xmm10
  vucomiss (%rip), %xmm5
  movdqa %xmm10, %xmm0
  movss %xmm0, %xmm0; jb $next; movss %xmm12, %xmm0; $next:
  vaddss %xmm10, %xmm12, %xmm1
  vdivss %xmm1, %xmm12, %xmm1
  vmulss %xmm1, %xmm0, %xmm7
  vmulss %xmm3, %xmm7, %xmm0
  vsubss %xmm7, %xmm12, %xmm14
  vsubss %xmm3, %xmm12, %xmm8
  vmulss %xmm8, %xmm14, %xmm1
  vaddss %xmm1, %xmm0, %xmm0
  vsubss %xmm0, %xmm12, %xmm11
  vmulss %xmm11, %xmm11, %xmm15
  movdqu <offset:1>+0x1e0(%rsp), %xmm6
  vmulss %xmm15, %xmm6, %xmm0
  vsubss %xmm3, %xmm7, %xmm1
  vmulss %xmm1, %xmm0, %xmm9
  vmaxss %xmm5, %xmm4, %xmm0
  vmulss %xmm5, %xmm3, %xmm1
  vsubss %xmm1, %xmm0, %xmm0
  vucomiss (%rip), %xmm10
  movss %xmm4, %xmm4; jb $next; movss %xmm12, %xmm4; $next:
  vsubss (%rip), %xmm10, %xmm1
  vmulss (%rip), %xmm1, %xmm2
  vucomiss (%rip), %xmm10
  movss %xmm10, %xmm10; jb $next; movss %xmm2, %xmm10; $next:
  vmulss (%rip), %xmm10, %xmm1
  vmulss %xmm10, %xmm1, %xmm12
  movl $0x40000000, %edi
  vmovd %edi, %xmm5
  vaddss (%rip), %xmm10, %xmm1
  vdivss %xmm1, %xmm10, %xmm2
  vmulss %xmm2, %xmm2, %xmm13
  movl $0x3e9778b0, %edi
  vmovd %edi, %xmm1
  vfmadd213ss (%rip), %xmm13, %xmm1
  vfmadd213ss (%rip), %xmm13, %xmm1
  vmulss %xmm1, %xmm13, %xmm1
  vaddss %xmm1, %xmm12, %xmm1
  vmulss (%rip), %xmm4, %xmm13
  vfmadd213ss %xmm13, %xmm1, %xmm2
  vsubss %xmm2, %xmm12, %xmm1
  vsubss %xmm1, %xmm10, %xmm2
  movl $0x3f318000, %edi
  vmovd %edi, %xmm1
  vfmadd213ss %xmm2, %xmm1, %xmm4
  vaddss %xmm4, %xmm0, %xmm10
  vmulss %xmm10, %xmm6, %xmm0
  vmulss %xmm11, %xmm5, %xmm1
  vmulss %xmm1, %xmm0, %xmm1
  vmulss %xmm8, %xmm1, %xmm2
  movdqu <offset:1>+0xe0(%rsp), %xmm0
  vaddss %xmm2, %xmm0, %xmm2
  movdqu <offset:1>+0x50(%rsp), %xmm4
  vsubss %xmm1, %xmm4, %xmm1
  vmulss %xmm3, %xmm1, %xmm1
  vaddss %xmm1, %xmm2, %xmm1
  vmulss %xmm14, %xmm7, %xmm2
  vmulss %xmm2, %xmm1, %xmm1
  vaddss %xmm1, %xmm9, %xmm1
  vmovss %xmm1, (%r8, %rsi, 4)
  vmulss %xmm10, %xmm15, %xmm1
  uninit  %xmm2
  vxorpd %xmm2, %xmm2, %xmm2
  vcvtss2sd %xmm1, %xmm2, %xmm1
  movdqu <offset:1>+0x20(%rsp), %xmm9
  vaddsd %xmm1, %xmm9, %xmm9
  movq %r11, %rsi
  movdqu %xmm9, <offset:1>+0x20(%rsp)
  jmp     label4
block6:
  movdqu <offset:1>+(%rsp), %xmm0
  movdqu <offset:1>+0x10(%rsp), %xmm1
  movdqu <offset:1>+0x20(%rsp), %xmm9
  vaddpd %xmm1, %xmm0, %xmm0
  vpshufd $0xee, %xmm0, %xmm1
  vaddsd %xmm1, %xmm0, %xmm0
  vaddsd %xmm0, %xmm9, %xmm0
  vmovsd %xmm0, (%rcx)
  movq 0x1f0(%rsp), %r13
  addq $0x200, %rsp
  movq %rbp, %rsp
  popq %rbp
  retq
; pass 2
  pushq %rbp
  unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
  movq %rsp, %rbp
  unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
block0:
  movq 0x28(%rdi), %rax
  vmovsd 0xd0(%rax), %xmm0
  vmovsd 8(%rax), %xmm0
  movq (%rdi), %rax
  movq 8(%rdi), %rax
  movq 0x10(%rdi), %rax
  movq 0x18(%rdi), %r8
  movq 0x20(%rdi), %rdi
  uninit  %xmm0
  vxorpd %xmm0, %xmm0, %xmm0
  vmovups (%rip), %xmm2
  movdqa %xmm0, %xmm1
  jmp     label1
block1:
  leaq 8(%rsi), %r8
  cmpq %rdx, %r8
  jnbe    label3; j label2
block2:
  vmovups (%rax, %rsi, 4), %xmm3
  vmulps %xmm3, %xmm2, %xmm4
  vmovups %xmm4, (%rdi, %rsi, 4)
  leaq 0x100(%rsi), %r9
  leaq -1(%rdx), %r10
  cmpq %r9, %r10
  cmovbq %r10, %r9
  vmovss (%rax, %r9, 4), %xmm4
  leaq 4(%rsi), %rsi
  vmovups (%rax, %rsi, 4), %xmm4
  vmulps %xmm4, %xmm2, %xmm5
  vmovups %xmm5, (%rdi, %rsi, 4)
  vmulps %xmm3, %xmm3, %xmm3
  vmulps %xmm4, %xmm4, %xmm4
  vaddps %xmm4, %xmm3, %xmm3
  vcvtps2pd %xmm3, %xmm4
  vaddpd %xmm4, %xmm0, %xmm0
  vpshufd $0xee, %xmm3, %xmm3
  vcvtps2pd %xmm3, %xmm3
  vaddpd %xmm3, %xmm1, %xmm1
  movq %r8, %rsi
  jmp     label1
block3:
  uninit  %xmm2
  vxorpd %xmm2, %xmm2, %xmm2
  jmp     label4
block4:
  leaq 1(%rsi), %r8
  cmpq %rdx, %r8
  jnbe    label6; j label5
block5:
  vmovss (%rax, %rsi, 4), %xmm3
  movl $0x3951b717, %r9d
  vmovd %r9d, %xmm4
  vmulss %xmm3, %xmm4, %xmm4
  vmovss %xmm4, (%rdi, %rsi, 4)
  vmulss %xmm3, %xmm3, %xmm3
  uninit  %xmm4
  vxorpd %xmm4, %xmm4, %xmm4
  vcvtss2sd %xmm3, %xmm4, %xmm4
  vaddsd %xmm4, %xmm2, %xmm2
  movq %r8, %rsi
  jmp     label4
block6:
  vaddpd %xmm1, %xmm0, %xmm3
  vpshufd $0xee, %xmm3, %xmm4
  vaddsd %xmm4, %xmm3, %xmm3
  vaddsd %xmm3, %xmm2, %xmm3
  vmovsd %xmm3, (%rcx)
  movq %rbp, %rsp
  popq %rbp
  retq
