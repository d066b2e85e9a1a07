; pass 0: flat loop over [N]; 3 sum(s)
; pass 1: flat loop over [N]; 1 sum(s); writes d/d pred
; pass 2: flat loop over [K]; 1 sum(s); writes d/d params
; pass 0
  pushq %rbp
  unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
  movq %rsp, %rbp
  unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
  subq $0x100, %rsp
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
  movdqu %xmm8, <offset:1>+0xf0(%rsp)
  vmovups (%rip), %xmm7
  vmovups (%rip), %xmm9
  movdqu %xmm9, <offset:1>+0xe0(%rsp)
  vmovups (%rip), %xmm10
  movdqu %xmm10, <offset:1>+0xd0(%rsp)
  vmovups (%rip), %xmm11
  movdqu %xmm11, <offset:1>+0xc0(%rsp)
  vmovups (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0xb0(%rsp)
  vmovups (%rip), %xmm12
  vmovups (%rip), %xmm14
  movdqu %xmm14, <offset:1>+0xa0(%rsp)
  vmovups (%rip), %xmm15
  movdqu %xmm15, <offset:1>+0x90(%rsp)
  vmovups (%rip), %xmm1
  movdqu %xmm1, <offset:1>+0x80(%rsp)
  vmovups (%rip), %xmm2
  movdqu %xmm2, <offset:1>+0x70(%rsp)
  vmovups (%rip), %xmm4
  movdqu %xmm4, <offset:1>+0x60(%rsp)
  vmovups (%rip), %xmm4
  vmovups (%rip), %xmm0
  vmovups (%rip), %xmm3
  vmovdqu (%rip), %xmm5
  movdqu <offset:1>+(%rsp), %xmm1
  movdqu %xmm1, <offset:1>+0x10(%rsp)
  movdqu %xmm1, <offset:1>+0x20(%rsp)
  movdqu %xmm1, <offset:1>+0x30(%rsp)
  movdqu %xmm1, <offset:1>+0x40(%rsp)
  movdqu %xmm1, <offset:1>+0x50(%rsp)
  jmp     label1
block1:
  leaq 8(%rsi), %rdi
  cmpq %rdx, %rdi
  jnbe    label3; j label2
block2:
  vmovups (%rax, %rsi, 4), %xmm11
  vmovups (%r8, %rsi, 4), %xmm9
  leaq 4(%rsi), %rsi
  vmovups (%rax, %rsi, 4), %xmm8
  vmovups (%r8, %rsi, 4), %xmm6
  movdqu <offset:1>+0xf0(%rsp), %xmm1
  vcmpleps %xmm11, %xmm1, %xmm10
  movdqu <offset:1>+0xd0(%rsp), %xmm1
  vorps %xmm11, %xmm1, %xmm2
  movdqu <offset:1>+0xc0(%rsp), %xmm11
  vmaxps %xmm2, %xmm11, %xmm2
  movdqu <offset:1>+0xe0(%rsp), %xmm1
  vminps %xmm2, %xmm1, %xmm14
  movdqu <offset:1>+0xb0(%rsp), %xmm13
  movdqa %xmm14, %xmm11
  vfmadd213ps %xmm12, %xmm13, %xmm11
  vsubps %xmm12, %xmm11, %xmm13
  movdqu <offset:1>+0x90(%rsp), %xmm1
  movdqa %xmm13, %xmm15
  vfmadd213ps %xmm14, %xmm1, %xmm15
  movdqu <offset:1>+0xa0(%rsp), %xmm14
  vfmadd213ps %xmm15, %xmm14, %xmm13
  vmulps %xmm13, %xmm13, %xmm14
  movdqu <offset:1>+0x80(%rsp), %xmm1
  movdqu <offset:1>+0x70(%rsp), %xmm2
  movdqa %xmm1, %xmm15
  vfmadd213ps %xmm2, %xmm13, %xmm15
  movdqu <offset:1>+0x60(%rsp), %xmm2
  vfmadd213ps %xmm2, %xmm13, %xmm15
  vfmadd213ps %xmm4, %xmm13, %xmm15
  vfmadd213ps %xmm0, %xmm13, %xmm15
  vfmadd213ps %xmm3, %xmm13, %xmm15
  vfmadd213ps %xmm13, %xmm15, %xmm14
  vaddps %xmm7, %xmm14, %xmm13
  vpaddd %xmm5, %xmm11, %xmm11
  vpsrld $0x1, %xmm11, %xmm14
  vpslld $0x17, %xmm14, %xmm1
  vmulps %xmm1, %xmm13, %xmm13
  vpsubd %xmm14, %xmm11, %xmm1
  vpslld $0x17, %xmm1, %xmm1
  vmulps %xmm1, %xmm13, %xmm11
  vpblendvb %xmm10, %xmm7, %xmm11, %xmm10
  vaddps %xmm11, %xmm7, %xmm1
  vdivps %xmm1, %xmm7, %xmm1
  vmulps %xmm1, %xmm10, %xmm10
  vmulps %xmm9, %xmm10, %xmm11
  vcvtps2pd %xmm11, %xmm13
  movdqu <offset:1>+(%rsp), %xmm1
  vaddpd %xmm13, %xmm1, %xmm13
  vpshufd $0xee, %xmm11, %xmm1
  vcvtps2pd %xmm1, %xmm1
  vaddpd %xmm1, %xmm13, %xmm1
  movdqu %xmm1, <offset:1>+(%rsp)
  vcvtps2pd %xmm10, %xmm1
  movdqu <offset:1>+0x10(%rsp), %xmm11
  vaddpd %xmm1, %xmm11, %xmm11
  vpshufd $0xee, %xmm10, %xmm1
  vcvtps2pd %xmm1, %xmm1
  vaddpd %xmm1, %xmm11, %xmm1
  movdqu %xmm1, <offset:1>+0x10(%rsp)
  vcvtps2pd %xmm9, %xmm1
  movdqu <offset:1>+0x20(%rsp), %xmm10
  vaddpd %xmm1, %xmm10, %xmm10
  vpshufd $0xee, %xmm9, %xmm1
  vcvtps2pd %xmm1, %xmm1
  vaddpd %xmm1, %xmm10, %xmm1
  movdqu <offset:1>+0xf0(%rsp), %xmm11
  movdqu %xmm1, <offset:1>+0x20(%rsp)
  vcmpleps %xmm8, %xmm11, %xmm9
  movdqu <offset:1>+0xd0(%rsp), %xmm11
  vorps %xmm8, %xmm11, %xmm1
  movdqu <offset:1>+0xc0(%rsp), %xmm11
  vmaxps %xmm1, %xmm11, %xmm1
  movdqu <offset:1>+0xe0(%rsp), %xmm11
  vminps %xmm1, %xmm11, %xmm11
  movdqu <offset:1>+0xb0(%rsp), %xmm14
  movdqa %xmm11, %xmm8
  vfmadd213ps %xmm12, %xmm14, %xmm8
  vsubps %xmm12, %xmm8, %xmm10
  movdqu <offset:1>+0x90(%rsp), %xmm13
  movdqa %xmm10, %xmm14
  vfmadd213ps %xmm11, %xmm13, %xmm14
  movdqu <offset:1>+0xa0(%rsp), %xmm13
  vfmadd213ps %xmm14, %xmm13, %xmm10
  vmulps %xmm10, %xmm10, %xmm11
  movdqu <offset:1>+0x70(%rsp), %xmm1
  movdqu <offset:1>+0x80(%rsp), %xmm15
  movdqa %xmm15, %xmm14
  vfmadd213ps %xmm1, %xmm10, %xmm14
  vfmadd213ps %xmm2, %xmm10, %xmm14
  vfmadd213ps %xmm4, %xmm10, %xmm14
  vfmadd213ps %xmm0, %xmm10, %xmm14
  vfmadd213ps %xmm3, %xmm10, %xmm14
  vfmadd213ps %xmm10, %xmm14, %xmm11
  vaddps %xmm7, %xmm11, %xmm10
  vpaddd %xmm5, %xmm8, %xmm8
  vpsrld $0x1, %xmm8, %xmm11
  vpslld $0x17, %xmm11, %xmm14
  vmulps %xmm14, %xmm10, %xmm10
  vpsubd %xmm11, %xmm8, %xmm8
  vpslld $0x17, %xmm8, %xmm8
  vmulps %xmm8, %xmm10, %xmm10
  vpblendvb %xmm9, %xmm7, %xmm10, %xmm8
  vaddps %xmm10, %xmm7, %xmm9
  vdivps %xmm9, %xmm7, %xmm9
  vmulps %xmm9, %xmm8, %xmm10
  vmulps %xmm6, %xmm10, %xmm9
  vcvtps2pd %xmm9, %xmm11
  movdqu <offset:1>+0x30(%rsp), %xmm8
  vaddpd %xmm11, %xmm8, %xmm8
  vpshufd $0xee, %xmm9, %xmm9
  vcvtps2pd %xmm9, %xmm9
  vaddpd %xmm9, %xmm8, %xmm8
  vcvtps2pd %xmm10, %xmm11
  movdqu <offset:1>+0x40(%rsp), %xmm9
  vaddpd %xmm11, %xmm9, %xmm9
  vpshufd $0xee, %xmm10, %xmm10
  vcvtps2pd %xmm10, %xmm10
  vaddpd %xmm10, %xmm9, %xmm9
  vcvtps2pd %xmm6, %xmm11
  movdqu <offset:1>+0x50(%rsp), %xmm10
  vaddpd %xmm11, %xmm10, %xmm10
  vpshufd $0xee, %xmm6, %xmm6
  vcvtps2pd %xmm6, %xmm6
  vaddpd %xmm6, %xmm10, %xmm10
  movq %rdi, %rsi
  movdqu %xmm8, <offset:1>+0x30(%rsp)
  movdqu %xmm9, <offset:1>+0x40(%rsp)
  movdqu %xmm10, <offset:1>+0x50(%rsp)
  jmp     label1
block3:
  movdqu <offset:1>+0x30(%rsp), %xmm8
  movdqu <offset:1>+0x40(%rsp), %xmm9
  movdqu <offset:1>+0x50(%rsp), %xmm10
  uninit  %xmm0
  vxorpd %xmm0, %xmm0, %xmm2
  movdqa %xmm2, %xmm0
  movdqa %xmm2, %xmm1
  jmp     label4
block4:
  leaq 1(%rsi), %rdi
  cmpq %rdx, %rdi
  jnbe    label6; j label5
block5:
  vmovss (%rax, %rsi, 4), %xmm4
  vmovss (%r8, %rsi, 4), %xmm3
  movl $0x80000000, %esi
  vmovd %esi, %xmm5
  vorps %xmm4, %xmm5, %xmm5
  movl $0xc2dc0000, %esi
  vmovd %esi, %xmm6
  vmaxss %xmm5, %xmm6, %xmm5
  movl $0x42c80000, %esi
  vmovd %esi, %xmm6
  vminss %xmm5, %xmm6, %xmm7
  movl $0x3fb8aa3b, %esi
  vmovd %esi, %xmm6
  movdqa %xmm7, %xmm5
  vfmadd213ss (%rip), %xmm6, %xmm5
  vsubss (%rip), %xmm5, %xmm6
  movl $0xbf318000, %esi
  vmovd %esi, %xmm12
  movdqa %xmm6, %xmm11
  vfmadd213ss %xmm7, %xmm12, %xmm11
  movl $0x395e8083, %esi
  vmovd %esi, %xmm7
  vfmadd213ss %xmm11, %xmm7, %xmm6
  vmulss %xmm6, %xmm6, %xmm7
  movl $0x3950bf6d, %esi
  vmovd %esi, %xmm11
  vfmadd213ss (%rip), %xmm6, %xmm11
  vfmadd213ss (%rip), %xmm6, %xmm11
  vfmadd213ss (%rip), %xmm6, %xmm11
  vfmadd213ss (%rip), %xmm6, %xmm11
  vfmadd213ss (%rip), %xmm6, %xmm11
  vfmadd213ss %xmm6, %xmm11, %xmm7
  movl $0x3f800000, %esi
  vmovd %esi, %xmm6
  vaddss (%rip), %xmm7, %xmm7
  vmovd %xmm5, %esi
  leal -0x4b3fff02(%rsi), %esi
  movq %rsi, %r9
  shrl $1, %r9d
  movq %r9, %r10
  shll $0x17, %r10d
  vmovd %r10d, %xmm5
  vmulss %xmm5, %xmm7, %xmm5
  subl %r9d, %esi
  shll $0x17, %esi
  vmovd %esi, %xmm7
  vmulss %xmm7, %xmm5, %xmm5
  vucomiss (%rip), %xmm4
  movdqa %xmm5, %xmm4
  movss %xmm4, %xmm4; jb $next; movss %xmm6, %xmm4; $next:
  vaddss %xmm5, %xmm6, %xmm5
  vdivss %xmm5, %xmm6, %xmm5
  vmulss %xmm5, %xmm4, %xmm4
  vmulss %xmm3, %xmm4, %xmm5
  uninit  %xmm6
  vxorpd %xmm6, %xmm6, %xmm6
  vcvtss2sd %xmm5, %xmm6, %xmm5
  vaddsd %xmm5, %xmm2, %xmm2
  uninit  %xmm5
  vxorpd %xmm5, %xmm5, %xmm5
  vcvtss2sd %xmm4, %xmm5, %xmm4
  vaddsd %xmm4, %xmm1, %xmm1
  uninit  %xmm4
  vxorpd %xmm4, %xmm4, %xmm4
  vcvtss2sd %xmm3, %xmm4, %xmm3
  vaddsd %xmm3, %xmm0, %xmm0
  movq %rdi, %rsi
  jmp     label4
block6:
  movdqu <offset:1>+(%rsp), %xmm3
  vaddpd %xmm8, %xmm3, %xmm3
  vpshufd $0xee, %xmm3, %xmm4
  vaddsd %xmm4, %xmm3, %xmm3
  vaddsd %xmm3, %xmm2, %xmm2
  vmovsd %xmm2, (%rcx)
  movdqu <offset:1>+0x10(%rsp), %xmm6
  vaddpd %xmm9, %xmm6, %xmm2
  vpshufd $0xee, %xmm2, %xmm3
  vaddsd %xmm3, %xmm2, %xmm2
  vaddsd %xmm2, %xmm1, %xmm1
  vmovsd %xmm1, 8(%rcx)
  movdqu <offset:1>+0x20(%rsp), %xmm5
  vaddpd %xmm10, %xmm5, %xmm1
  vpshufd $0xee, %xmm1, %xmm2
  vaddsd %xmm2, %xmm1, %xmm1
  vaddsd %xmm1, %xmm0, %xmm0
  vmovsd %xmm0, 0x10(%rcx)
  addq $0x100, %rsp
  movq %rbp, %rsp
  popq %rbp
  retq
; pass 1
  pushq %rbp
  unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
  movq %rsp, %rbp
  unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 16 }
  subq $0x2f0, %rsp
  movq %rbx, 0x2e0(%rsp)
  unwind SaveReg { clobber_offset: 0, reg: p3i }
block0:
  movq 0x28(%rdi), %rax
  vmovsd 0xc8(%rax), %xmm0
  vmovsd 0x10(%rax), %xmm0
  vmovsd 8(%rax), %xmm0
  vmovsd 0x130(%rax), %xmm2
  vmovsd 0x128(%rax), %xmm0
  vmovsd 0x118(%rax), %xmm1
  movq (%rdi), %rax
  movq 8(%rdi), %r8
  movq 0x10(%rdi), %r9
  movq 0x18(%rdi), %r10
  movq 0x20(%rdi), %rdi
  uninit  %xmm3
  vxorpd %xmm3, %xmm3, %xmm8
  movdqu %xmm8, <offset:1>+(%rsp)
  uninit  %xmm3
  vxorps %xmm3, %xmm3, %xmm3
  vcvtsd2ss %xmm2, %xmm3, %xmm2
  vbroadcastss %xmm2, %xmm9
  movdqu %xmm9, <offset:1>+0x2c0(%rsp)
  movdqu %xmm2, <offset:1>+0x2d0(%rsp)
  vmovups (%rip), %xmm6
  uninit  %xmm2
  vxorps %xmm2, %xmm2, %xmm2
  movdqu %xmm2, <offset:1>+0x2b0(%rsp)
  vmovups (%rip), %xmm10
  movdqu %xmm10, <offset:1>+0x2a0(%rsp)
  vmovups (%rip), %xmm12
  movdqu %xmm12, <offset:1>+0x290(%rsp)
  vmovups (%rip), %xmm11
  movdqu %xmm11, <offset:1>+0x280(%rsp)
  vmovups (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0x270(%rsp)
  vmovups (%rip), %xmm2
  movdqu %xmm2, <offset:1>+0x260(%rsp)
  vmovups (%rip), %xmm14
  movdqu %xmm14, <offset:1>+0x250(%rsp)
  vmovups (%rip), %xmm15
  movdqu %xmm15, <offset:1>+0x240(%rsp)
  vmovups (%rip), %xmm2
  movdqu %xmm2, <offset:1>+0x230(%rsp)
  vmovups (%rip), %xmm3
  movdqu %xmm3, <offset:1>+0x220(%rsp)
  vmovups (%rip), %xmm4
  movdqu %xmm4, <offset:1>+0x210(%rsp)
  vmovups (%rip), %xmm8
  movdqu %xmm8, <offset:1>+0x200(%rsp)
  vmovups (%rip), %xmm2
  movdqu %xmm2, <offset:1>+0x1f0(%rsp)
  vmovups (%rip), %xmm11
  movdqu %xmm11, <offset:1>+0x1e0(%rsp)
  vmovdqu (%rip), %xmm10
  movdqu %xmm10, <offset:1>+0x1d0(%rsp)
  uninit  %xmm2
  vxorps %xmm2, %xmm2, %xmm2
  vcvtsd2ss %xmm1, %xmm2, %xmm3
  vbroadcastss %xmm3, %xmm13
  movdqu %xmm13, <offset:1>+0x1b0(%rsp)
  movdqu %xmm3, <offset:1>+0x1c0(%rsp)
  vmovups (%rip), %xmm10
  movdqu %xmm10, <offset:1>+0x1a0(%rsp)
  vmovups (%rip), %xmm14
  movdqu %xmm14, <offset:1>+0x190(%rsp)
  vmovups (%rip), %xmm15
  movdqu %xmm15, <offset:1>+0x180(%rsp)
  vmovdqu (%rip), %xmm1
  movdqu %xmm1, <offset:1>+0x170(%rsp)
  vmovdqu (%rip), %xmm2
  movdqu %xmm2, <offset:1>+0x160(%rsp)
  vmovups (%rip), %xmm3
  movdqu %xmm3, <offset:1>+0x150(%rsp)
  vmovups (%rip), %xmm4
  movdqu %xmm4, <offset:1>+0x140(%rsp)
  vmovdqu (%rip), %xmm8
  movdqu %xmm8, <offset:1>+0x130(%rsp)
  vmovdqu (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0x120(%rsp)
  vmovups (%rip), %xmm7
  movdqu %xmm7, <offset:1>+0x110(%rsp)
  vmovups (%rip), %xmm1
  movdqu %xmm1, <offset:1>+0x100(%rsp)
  vmovups (%rip), %xmm15
  movdqu %xmm15, <offset:1>+0xf0(%rsp)
  vmovups (%rip), %xmm2
  movdqu %xmm2, <offset:1>+0xe0(%rsp)
  vmovups (%rip), %xmm14
  movdqu %xmm14, <offset:1>+0xd0(%rsp)
  uninit  %xmm1
  vxorps %xmm1, %xmm1, %xmm1
  vcvtsd2ss %xmm0, %xmm1, %xmm0
  vbroadcastss %xmm0, %xmm5
  movdqu %xmm5, <offset:1>+0xb0(%rsp)
  movdqu %xmm0, <offset:1>+0xc0(%rsp)
  movdqu <offset:1>+(%rsp), %xmm0
  movdqu %xmm0, <offset:1>+0x10(%rsp)
  jmp     label1
block1:
  leaq 8(%rsi), %r9
  cmpq %rdx, %r9
  jnbe    label3; j label2
block2:
  vmovups (%rax, %rsi, 4), %xmm7
  movdqu %xmm7, <offset:1>+0x70(%rsp)
  vmovups (%r8, %rsi, 4), %xmm12
  movdqu <offset:1>+0x2b0(%rsp), %xmm1
  vcmpleps %xmm7, %xmm1, %xmm0
  movdqu <offset:1>+0x290(%rsp), %xmm1
  vorps %xmm7, %xmm1, %xmm2
  movdqu <offset:1>+0x280(%rsp), %xmm3
  vmaxps %xmm2, %xmm3, %xmm1
  movdqu <offset:1>+0x2a0(%rsp), %xmm7
  vminps %xmm1, %xmm7, %xmm3
  movdqu <offset:1>+0x260(%rsp), %xmm2
  movdqu <offset:1>+0x270(%rsp), %xmm4
  movdqa %xmm3, %xmm1
  vfmadd213ps %xmm2, %xmm4, %xmm1
  vsubps %xmm2, %xmm1, %xmm2
  movdqu <offset:1>+0x240(%rsp), %xmm5
  movdqa %xmm2, %xmm4
  vfmadd213ps %xmm3, %xmm5, %xmm4
  movdqu <offset:1>+0x250(%rsp), %xmm3
  vfmadd213ps %xmm4, %xmm3, %xmm2
  vmulps %xmm2, %xmm2, %xmm3
  movdqu <offset:1>+0x220(%rsp), %xmm5
  movdqu <offset:1>+0x230(%rsp), %xmm7
  movdqa %xmm7, %xmm4
  vfmadd213ps %xmm5, %xmm2, %xmm4
  movdqu <offset:1>+0x210(%rsp), %xmm5
  vfmadd213ps %xmm5, %xmm2, %xmm4
  movdqu <offset:1>+0x200(%rsp), %xmm5
  vfmadd213ps %xmm5, %xmm2, %xmm4
  movdqu <offset:1>+0x1f0(%rsp), %xmm5
  vfmadd213ps %xmm5, %xmm2, %xmm4
  movdqu <offset:1>+0x1e0(%rsp), %xmm5
  vfmadd213ps %xmm5, %xmm2, %xmm4
  vfmadd213ps %xmm2, %xmm4, %xmm3
  vaddps %xmm6, %xmm3, %xmm2
  movdqu <offset:1>+0x1d0(%rsp), %xmm3
  vpaddd %xmm3, %xmm1, %xmm1
  vpsrld $0x1, %xmm1, %xmm3
  vpslld $0x17, %xmm3, %xmm4
  vmulps %xmm4, %xmm2, %xmm2
  vpsubd %xmm3, %xmm1, %xmm1
  vpslld $0x17, %xmm1, %xmm1
  vmulps %xmm1, %xmm2, %xmm1
  vpblendvb %xmm0, %xmm6, %xmm1, %xmm2
  vaddps %xmm1, %xmm6, %xmm0
  vdivps %xmm0, %xmm6, %xmm0
  vmulps %xmm0, %xmm2, %xmm2
  vmulps %xmm12, %xmm2, %xmm3
  vsubps %xmm2, %xmm6, %xmm11
  vsubps %xmm12, %xmm6, %xmm8
  vmulps %xmm8, %xmm11, %xmm4
  movdqu %xmm11, <offset:1>+0x50(%rsp)
  vaddps %xmm4, %xmm3, %xmm3
  vsubps %xmm3, %xmm6, %xmm13
  vmulps %xmm13, %xmm13, %xmm3
  movdqu <offset:1>+0x2c0(%rsp), %xmm10
  vmulps %xmm3, %xmm10, %xmm4
  movdqu %xmm3, <offset:1>+0xa0(%rsp)
  vmulps %xmm8, %xmm4, %xmm3
  vmulps %xmm2, %xmm3, %xmm3
  vmulps %xmm12, %xmm4, %xmm5
  movdqu %xmm12, <offset:1>+0x60(%rsp)
  movdqu <offset:1>+0x290(%rsp), %xmm12
  movdqu <offset:1>+0x70(%rsp), %xmm7
  vxorps %xmm12, %xmm7, %xmm4
  movdqu <offset:1>+0x2b0(%rsp), %xmm7
  vcmpleps %xmm4, %xmm7, %xmm7
  vpblendvb %xmm7, %xmm6, %xmm1, %xmm7
  vmulps %xmm0, %xmm7, %xmm0
  vmulps %xmm0, %xmm5, %xmm0
  vsubps %xmm0, %xmm3, %xmm0
  movdqu %xmm0, <offset:1>+0x40(%rsp)
  movdqu <offset:1>+0x2b0(%rsp), %xmm0
  vmaxps %xmm4, %xmm0, %xmm4
  movdqu %xmm4, <offset:1>+0x30(%rsp)
  vaddps %xmm6, %xmm1, %xmm10
  movdqu <offset:1>+0x1a0(%rsp), %xmm9
  vcmpeqps %xmm9, %xmm10, %xmm0
  movdqu <offset:1>+0x2b0(%rsp), %xmm3
  movdqu %xmm0, <offset:1>+0x20(%rsp)
  vcmpeqps %xmm3, %xmm10, %xmm14
  movdqu <offset:1>+0x2b0(%rsp), %xmm4
  movdqu %xmm14, <offset:1>+0x90(%rsp)
  vcmpnleps %xmm10, %xmm4, %xmm3
  movdqu <offset:1>+0x170(%rsp), %xmm4
  vpaddd %xmm4, %xmm10, %xmm0
  vpsrld $0x17, %xmm0, %xmm5
  movdqu <offset:1>+0x160(%rsp), %xmm4
  vpor %xmm4, %xmm5, %xmm5
  movdqu <offset:1>+0x150(%rsp), %xmm4
  vsubps %xmm4, %xmm5, %xmm15
  movdqu <offset:1>+0x2b0(%rsp), %xmm4
  vcmpeqps %xmm4, %xmm15, %xmm5
  movdqu <offset:1>+0x130(%rsp), %xmm4
  vpand %xmm4, %xmm0, %xmm7
  movdqu <offset:1>+0x120(%rsp), %xmm0
  vpaddd %xmm0, %xmm7, %xmm4
  vsubps %xmm6, %xmm4, %xmm0
  vpblendvb %xmm5, %xmm1, %xmm0, %xmm0
  movdqu <offset:1>+0x1e0(%rsp), %xmm4
  vmulps %xmm4, %xmm0, %xmm4
  vmulps %xmm0, %xmm4, %xmm11
  movdqu <offset:1>+0x110(%rsp), %xmm4
  vaddps %xmm4, %xmm0, %xmm7
  vdivps %xmm7, %xmm0, %xmm4
  vmulps %xmm4, %xmm4, %xmm7
  movdqu <offset:1>+0xf0(%rsp), %xmm9
  movdqu <offset:1>+0x100(%rsp), %xmm14
  movdqa %xmm14, %xmm12
  vfmadd213ps %xmm9, %xmm7, %xmm12
  movdqu <offset:1>+0xe0(%rsp), %xmm9
  vfmadd213ps %xmm9, %xmm7, %xmm12
  vmulps %xmm12, %xmm7, %xmm7
  vaddps %xmm7, %xmm11, %xmm7
  vsubps %xmm1, %xmm10, %xmm12
  vsubps %xmm12, %xmm10, %xmm9
  vsubps %xmm9, %xmm1, %xmm1
  vsubps %xmm12, %xmm6, %xmm9
  vaddps %xmm9, %xmm1, %xmm1
  vdivps %xmm10, %xmm1, %xmm1
  movdqu <offset:1>+0x2b0(%rsp), %xmm9
  vpblendvb %xmm5, %xmm9, %xmm1, %xmm1
  movdqu <offset:1>+0xd0(%rsp), %xmm9
  movdqa %xmm15, %xmm5
  vfmadd213ps %xmm1, %xmm9, %xmm5
  vfmadd213ps %xmm5, %xmm7, %xmm4
  vsubps %xmm4, %xmm11, %xmm1
  vsubps %xmm1, %xmm0, %xmm0
  movdqu <offset:1>+0x140(%rsp), %xmm1
  vfmadd213ps %xmm0, %xmm1, %xmm15
  movdqu <offset:1>+0x180(%rsp), %xmm0
  vpblendvb %xmm3, %xmm0, %xmm15, %xmm1
  movdqu <offset:1>+0x90(%rsp), %xmm14
  movdqu <offset:1>+0x190(%rsp), %xmm0
  vpblendvb %xmm14, %xmm0, %xmm1, %xmm1
  movdqu <offset:1>+0x20(%rsp), %xmm9
  movdqu <offset:1>+0x1a0(%rsp), %xmm0
  vpblendvb %xmm9, %xmm0, %xmm1, %xmm0
  movdqu <offset:1>+0x30(%rsp), %xmm4
  vaddps %xmm0, %xmm4, %xmm1
  movdqu <offset:1>+0x60(%rsp), %xmm12
  vmulps %xmm1, %xmm12, %xmm1
  movdqu <offset:1>+0x2b0(%rsp), %xmm3
  movdqu <offset:1>+0x70(%rsp), %xmm7
  vmaxps %xmm7, %xmm3, %xmm3
  vaddps %xmm0, %xmm3, %xmm0
  vmulps %xmm0, %xmm8, %xmm0
  vaddps %xmm0, %xmm1, %xmm9
  movdqu <offset:1>+0x2c0(%rsp), %xmm10
  vmulps %xmm9, %xmm10, %xmm0
  movdqu <offset:1>+0x110(%rsp), %xmm3
  movdqu %xmm9, <offset:1>+0x90(%rsp)
  vmulps %xmm13, %xmm3, %xmm1
  vmulps %xmm1, %xmm0, %xmm0
  vmulps %xmm8, %xmm0, %xmm1
  movdqu <offset:1>+0x1b0(%rsp), %xmm15
  vaddps %xmm1, %xmm15, %xmm1
  movdqu <offset:1>+0xb0(%rsp), %xmm5
  vsubps %xmm0, %xmm5, %xmm0
  vmulps %xmm12, %xmm0, %xmm0
  vaddps %xmm0, %xmm1, %xmm0
  movdqu <offset:1>+0x50(%rsp), %xmm11
  vmulps %xmm11, %xmm2, %xmm1
  vmulps %xmm1, %xmm0, %xmm0
  movdqu <offset:1>+0x40(%rsp), %xmm3
  vaddps %xmm0, %xmm3, %xmm0
  vmovups %xmm0, (%r10, %rsi, 4)
  leaq 4(%rsi), %rsi
  vmovups (%rax, %rsi, 4), %xmm7
  movdqu %xmm7, <offset:1>+0x70(%rsp)
  vmovups (%r8, %rsi, 4), %xmm10
  movdqu <offset:1>+0x2b0(%rsp), %xmm0
  vcmpleps %xmm7, %xmm0, %xmm0
  movdqu <offset:1>+0x290(%rsp), %xmm12
  vorps %xmm7, %xmm12, %xmm1
  movdqu <offset:1>+0x280(%rsp), %xmm14
  vmaxps %xmm1, %xmm14, %xmm1
  movdqu <offset:1>+0x2a0(%rsp), %xmm14
  vminps %xmm1, %xmm14, %xmm3
  movdqu <offset:1>+0x260(%rsp), %xmm2
  movdqu <offset:1>+0x270(%rsp), %xmm4
  movdqa %xmm3, %xmm1
  vfmadd213ps %xmm2, %xmm4, %xmm1
  vsubps %xmm2, %xmm1, %xmm2
  movdqu <offset:1>+0x240(%rsp), %xmm5
  movdqa %xmm2, %xmm4
  vfmadd213ps %xmm3, %xmm5, %xmm4
  movdqu <offset:1>+0x250(%rsp), %xmm3
  vfmadd213ps %xmm4, %xmm3, %xmm2
  vmulps %xmm2, %xmm2, %xmm3
  movdqu <offset:1>+0x220(%rsp), %xmm5
  movdqu <offset:1>+0x230(%rsp), %xmm14
  movdqa %xmm14, %xmm4
  vfmadd213ps %xmm5, %xmm2, %xmm4
  movdqu <offset:1>+0x210(%rsp), %xmm5
  vfmadd213ps %xmm5, %xmm2, %xmm4
  movdqu <offset:1>+0x200(%rsp), %xmm5
  vfmadd213ps %xmm5, %xmm2, %xmm4
  movdqu <offset:1>+0x1f0(%rsp), %xmm7
  vfmadd213ps %xmm7, %xmm2, %xmm4
  movdqu <offset:1>+0x1e0(%rsp), %xmm7
  vfmadd213ps %xmm7, %xmm2, %xmm4
  vfmadd213ps %xmm2, %xmm4, %xmm3
  vaddps %xmm6, %xmm3, %xmm2
  movdqu <offset:1>+0x1d0(%rsp), %xmm14
  vpaddd %xmm14, %xmm1, %xmm1
  vpsrld $0x1, %xmm1, %xmm3
  vpslld $0x17, %xmm3, %xmm4
  vmulps %xmm4, %xmm2, %xmm2
  vpsubd %xmm3, %xmm1, %xmm1
  vpslld $0x17, %xmm1, %xmm1
  vmulps %xmm1, %xmm2, %xmm11
  vpblendvb %xmm0, %xmm6, %xmm11, %xmm0
  vaddps %xmm11, %xmm6, %xmm1
  vdivps %xmm1, %xmm6, %xmm1
  vmulps %xmm1, %xmm0, %xmm0
  vmulps %xmm10, %xmm0, %xmm2
  vsubps %xmm0, %xmm6, %xmm3
  vsubps %xmm10, %xmm6, %xmm15
  vmulps %xmm15, %xmm3, %xmm4
  movdqu %xmm3, <offset:1>+0x50(%rsp)
  vaddps %xmm4, %xmm2, %xmm2
  vsubps %xmm2, %xmm6, %xmm5
  vmulps %xmm5, %xmm5, %xmm8
  movdqu <offset:1>+0x2c0(%rsp), %xmm2
  vmulps %xmm8, %xmm2, %xmm3
  movdqu %xmm8, <offset:1>+0x40(%rsp)
  vmulps %xmm15, %xmm3, %xmm2
  vmulps %xmm0, %xmm2, %xmm2
  vmulps %xmm10, %xmm3, %xmm4
  movdqu <offset:1>+0x70(%rsp), %xmm7
  movdqu %xmm10, <offset:1>+0x60(%rsp)
  vxorps %xmm12, %xmm7, %xmm3
  movdqu <offset:1>+0x2b0(%rsp), %xmm7
  vcmpleps %xmm3, %xmm7, %xmm7
  vpblendvb %xmm7, %xmm6, %xmm11, %xmm7
  vmulps %xmm1, %xmm7, %xmm1
  vmulps %xmm1, %xmm4, %xmm1
  vsubps %xmm1, %xmm2, %xmm2
  movdqu <offset:1>+0x2b0(%rsp), %xmm1
  movdqu %xmm2, <offset:1>+0x30(%rsp)
  vmaxps %xmm3, %xmm1, %xmm13
  movdqu %xmm13, <offset:1>+0x20(%rsp)
  vaddps %xmm6, %xmm11, %xmm9
  movdqu <offset:1>+0x1a0(%rsp), %xmm1
  vcmpeqps %xmm1, %xmm9, %xmm3
  movdqu <offset:1>+0x2b0(%rsp), %xmm1
  movdqu %xmm3, <offset:1>+0x80(%rsp)
  vcmpeqps %xmm1, %xmm9, %xmm14
  vcmpnleps %xmm9, %xmm1, %xmm4
  movdqu <offset:1>+0x170(%rsp), %xmm1
  vpaddd %xmm1, %xmm9, %xmm1
  vpsrld $0x17, %xmm1, %xmm2
  movdqu <offset:1>+0x160(%rsp), %xmm3
  vpor %xmm3, %xmm2, %xmm2
  movdqu <offset:1>+0x150(%rsp), %xmm3
  vsubps %xmm3, %xmm2, %xmm12
  movdqu <offset:1>+0x2b0(%rsp), %xmm2
  vcmpeqps %xmm2, %xmm12, %xmm2
  movdqu <offset:1>+0x130(%rsp), %xmm3
  vpand %xmm3, %xmm1, %xmm1
  movdqu <offset:1>+0x120(%rsp), %xmm3
  vpaddd %xmm3, %xmm1, %xmm1
  vsubps %xmm6, %xmm1, %xmm1
  vpblendvb %xmm2, %xmm11, %xmm1, %xmm8
  movdqu <offset:1>+0x1e0(%rsp), %xmm1
  vmulps %xmm1, %xmm8, %xmm1
  vmulps %xmm8, %xmm1, %xmm1
  movdqu <offset:1>+0x110(%rsp), %xmm3
  vaddps %xmm3, %xmm8, %xmm3
  vdivps %xmm3, %xmm8, %xmm13
  vmulps %xmm13, %xmm13, %xmm7
  movdqu <offset:1>+0xf0(%rsp), %xmm3
  movdqu <offset:1>+0x100(%rsp), %xmm10
  vfmadd213ps %xmm3, %xmm7, %xmm10
  movdqu <offset:1>+0xe0(%rsp), %xmm3
  vfmadd213ps %xmm3, %xmm7, %xmm10
  vmulps %xmm10, %xmm7, %xmm3
  vaddps %xmm3, %xmm1, %xmm7
  vsubps %xmm11, %xmm9, %xmm10
  vsubps %xmm10, %xmm9, %xmm3
  vsubps %xmm3, %xmm11, %xmm11
  vsubps %xmm10, %xmm6, %xmm3
  vaddps %xmm3, %xmm11, %xmm3
  vdivps %xmm9, %xmm3, %xmm3
  movdqu <offset:1>+0x2b0(%rsp), %xmm9
  vpblendvb %xmm2, %xmm9, %xmm3, %xmm2
  movdqu <offset:1>+0xd0(%rsp), %xmm10
  movdqa %xmm12, %xmm9
  vfmadd213ps %xmm2, %xmm10, %xmm9
  vfmadd213ps %xmm9, %xmm7, %xmm13
  vsubps %xmm13, %xmm1, %xmm1
  vsubps %xmm1, %xmm8, %xmm1
  movdqu <offset:1>+0x140(%rsp), %xmm2
  vfmadd213ps %xmm1, %xmm2, %xmm12
  movdqu <offset:1>+0x180(%rsp), %xmm9
  vpblendvb %xmm4, %xmm9, %xmm12, %xmm1
  movdqu <offset:1>+0x190(%rsp), %xmm11
  vpblendvb %xmm14, %xmm11, %xmm1, %xmm1
  movdqu <offset:1>+0x80(%rsp), %xmm3
  movdqu <offset:1>+0x1a0(%rsp), %xmm4
  vpblendvb %xmm3, %xmm4, %xmm1, %xmm1
  movdqu <offset:1>+0x20(%rsp), %xmm13
  vaddps %xmm1, %xmm13, %xmm2
  movdqu <offset:1>+0x60(%rsp), %xmm10
  vmulps %xmm2, %xmm10, %xmm2
  movdqu <offset:1>+0x2b0(%rsp), %xmm3
  movdqu <offset:1>+0x70(%rsp), %xmm7
  vmaxps %xmm7, %xmm3, %xmm3
  vaddps %xmm1, %xmm3, %xmm1
  vmulps %xmm1, %xmm15, %xmm1
  vaddps %xmm1, %xmm2, %xmm1
  movdqu <offset:1>+0x2c0(%rsp), %xmm7
  vmulps %xmm1, %xmm7, %xmm2
  movdqu <offset:1>+0x110(%rsp), %xmm3
  vmulps %xmm5, %xmm3, %xmm3
  vmulps %xmm3, %xmm2, %xmm2
  vmulps %xmm15, %xmm2, %xmm3
  movdqu <offset:1>+0x1b0(%rsp), %xmm15
  vaddps %xmm3, %xmm15, %xmm3
  movdqu <offset:1>+0xb0(%rsp), %xmm5
  vsubps %xmm2, %xmm5, %xmm2
  vmulps %xmm10, %xmm2, %xmm2
  vaddps %xmm2, %xmm3, %xmm2
  movdqu <offset:1>+0x50(%rsp), %xmm3
  vmulps %xmm3, %xmm0, %xmm0
  vmulps %xmm0, %xmm2, %xmm0
  movdqu <offset:1>+0x30(%rsp), %xmm2
  vaddps %xmm0, %xmm2, %xmm0
  vmovups %xmm0, (%r10, %rsi, 4)
  movdqu <offset:1>+0x90(%rsp), %xmm0
  movdqu <offset:1>+0xa0(%rsp), %xmm3
  vmulps %xmm0, %xmm3, %xmm0
  vcvtps2pd %xmm0, %xmm3
  movdqu <offset:1>+(%rsp), %xmm2
  vaddpd %xmm3, %xmm2, %xmm2
  vpshufd $0xee, %xmm0, %xmm0
  vcvtps2pd %xmm0, %xmm0
  vaddpd %xmm0, %xmm2, %xmm2
  movdqu <offset:1>+0x40(%rsp), %xmm8
  movdqu %xmm2, <offset:1>+(%rsp)
  vmulps %xmm1, %xmm8, %xmm0
  vcvtps2pd %xmm0, %xmm2
  movdqu <offset:1>+0x10(%rsp), %xmm1
  vaddpd %xmm2, %xmm1, %xmm1
  vpshufd $0xee, %xmm0, %xmm0
  vcvtps2pd %xmm0, %xmm0
  vaddpd %xmm0, %xmm1, %xmm1
  movdqu %xmm1, <offset:1>+0x10(%rsp)
  movq %r9, %rsi
  jmp     label1
block3:
  uninit  %xmm0
  vxorpd %xmm0, %xmm0, %xmm5
  movdqu %xmm5, <offset:1>+0x20(%rsp)
  jmp     label4
block4:
  leaq 1(%rsi), %r9
  cmpq %rdx, %r9
  jnbe    label6; j label5
block5:
  vmovss (%rax, %rsi, 4), %xmm1
  movdqu %xmm1, <offset:1>+0x80(%rsp)
  vmovss (%r8, %rsi, 4), %xmm11
  uninit  %xmm0
  vxorps %xmm0, %xmm0, %xmm8
  movdqa %xmm8, %xmm15
  movl $0x80000000, %edi
  vmovd %edi, %xmm12
  movdqu <offset:1>+0x80(%rsp), %xmm2
  vorps %xmm2, %xmm12, %xmm0
  movl $0xc2dc0000, %edi
  vmovd %edi, %xmm2
  vmaxss %xmm0, %xmm2, %xmm0
  movl $0x42c80000, %edi
  vmovd %edi, %xmm2
  vminss %xmm0, %xmm2, %xmm4
  movl $0x3fb8aa3b, %edi
  vmovd %edi, %xmm2
  movdqa %xmm4, %xmm0
  vfmadd213ss (%rip), %xmm2, %xmm0
  vsubss (%rip), %xmm0, %xmm3
  movl $0xbf318000, %edi
  vmovd %edi, %xmm2
  movdqa %xmm3, %xmm5
  vfmadd213ss %xmm4, %xmm2, %xmm5
  movl $0x395e8083, %edi
  vmovd %edi, %xmm2
  vfmadd213ss %xmm5, %xmm2, %xmm3
  vmulss %xmm3, %xmm3, %xmm4
  movl $0x3950bf6d, %edi
  vmovd %edi, %xmm5
  vfmadd213ss (%rip), %xmm3, %xmm5
  vfmadd213ss (%rip), %xmm3, %xmm5
  vfmadd213ss (%rip), %xmm3, %xmm5
  vfmadd213ss (%rip), %xmm3, %xmm5
  vfmadd213ss (%rip), %xmm3, %xmm5
  vfmadd213ss %xmm3, %xmm5, %xmm4
  movl $0x3f800000, %edi
  vmovd %edi, %xmm13
  vaddss (%rip), %xmm4, %xmm3
  vmovd %xmm0, %edi
  leal -0x4b3fff02(%rdi), %edi
  movq %rdi, %r11
  shrl $1, %r11d
  movq %r11, %rbx
  shll $0x17, %ebx
  vmovd %ebx, %xmm0
  vmulss %xmm0, %xmm3, %xmm0
  subl %r11d, %edi
  shll $0x17, %edi
  vmovd %edi, %xmm2
  vmulss %xmm2, %xmm0, %xmm4
  movdqu <offset:1>+0x80(%rsp), %xmm1
  vucomiss (%rip), %xmm1
  movdqa %xmm4, %xmm3
  movss %xmm3, %xmm3; jb $next; movss %xmm13, %xmm3; $next:
  vaddss %xmm4, %xmm13, %xmm0
  vdivss %xmm0, %xmm13, %xmm0
  vmulss %xmm0, %xmm3, %xmm7
  vmulss %xmm11, %xmm7, %xmm3
  vsubss %xmm7, %xmm13, %xmm9
  vsubss %xmm11, %xmm13, %xmm10
  movdqu %xmm11, <offset:1>+0x70(%rsp)
  vmulss %xmm10, %xmm9, %xmm2
  movdqu %xmm9, <offset:1>+0x60(%rsp)
  vaddss %xmm2, %xmm3, %xmm2
  vsubss %xmm2, %xmm13, %xmm11
  vmulss %xmm11, %xmm11, %xmm14
  movdqu <offset:1>+0x2d0(%rsp), %xmm1
  vmulss %xmm14, %xmm1, %xmm5
  movdqu %xmm14, <offset:1>+0x50(%rsp)
  vmulss %xmm10, %xmm5, %xmm2
  vmulss %xmm7, %xmm2, %xmm3
  movdqu <offset:1>+0x70(%rsp), %xmm8
  vmulss %xmm8, %xmm5, %xmm6
  movdqu <offset:1>+0x80(%rsp), %xmm1
  vxorps %xmm12, %xmm1, %xmm5
  vucomiss (%rip), %xmm5
  movdqa %xmm4, %xmm2
  movss %xmm2, %xmm2; jb $next; movss %xmm13, %xmm2; $next:
  vmulss %xmm0, %xmm2, %xmm2
  vmulss %xmm2, %xmm6, %xmm2
  vsubss %xmm2, %xmm3, %xmm2
  movdqa %xmm15, %xmm8
  movdqu %xmm2, <offset:1>+0x40(%rsp)
  vmaxss %xmm5, %xmm8, %xmm2
  movdqu %xmm2, <offset:1>+0x30(%rsp)
  vaddss (%rip), %xmm4, %xmm3
  movl $0x7f800000, %edi
  vmovd %edi, %xmm15
  vmovd %xmm3, %edi
  leal 0x4afb0d(%rdi), %edi
  movq %rdi, %r11
  shrl $0x17, %r11d
  orl $0x4b000000, %r11d
  vmovd %r11d, %xmm2
  vsubss (%rip), %xmm2, %xmm6
  andl $0x7fffff, %edi
  leal 0x3f3504f3(%rdi), %edi
  vmovd %edi, %xmm2
  vsubss (%rip), %xmm2, %xmm5
  vucomiss (%rip), %xmm6
  movdqa %xmm4, %xmm12
  movss %xmm12, %xmm12; jnp $next; movss %xmm5, %xmm12; $next:
  movss %xmm12, %xmm12; jz $next; movss %xmm5, %xmm12; $next:
  vmulss (%rip), %xmm12, %xmm2
  vmulss %xmm12, %xmm2, %xmm5
  movl $0x40000000, %edi
  vmovd %edi, %xmm0
  vaddss (%rip), %xmm12, %xmm2
  vdivss %xmm2, %xmm12, %xmm9
  vmulss %xmm9, %xmm9, %xmm14
  movl $0x3e9778b0, %edi
  vmovd %edi, %xmm2
  vfmadd213ss (%rip), %xmm14, %xmm2
  vfmadd213ss (%rip), %xmm14, %xmm2
  vmulss %xmm2, %xmm14, %xmm2
  vaddss %xmm2, %xmm5, %xmm14
  vsubss %xmm4, %xmm3, %xmm2
  vsubss %xmm2, %xmm3, %xmm1
  vsubss %xmm1, %xmm4, %xmm4
  vsubss %xmm2, %xmm13, %xmm2
  vaddss %xmm2, %xmm4, %xmm2
  vdivss %xmm3, %xmm2, %xmm13
  vucomiss (%rip), %xmm6
  movdqa %xmm8, %xmm4
  movss %xmm4, %xmm4; jnp $next; movss %xmm13, %xmm4; $next:
  movss %xmm4, %xmm4; jz $next; movss %xmm13, %xmm4; $next:
  movl $0xb95e8083, %edi
  vmovd %edi, %xmm2
  movdqa %xmm6, %xmm13
  vfmadd213ss %xmm4, %xmm2, %xmm13
  vfmadd213ss %xmm13, %xmm14, %xmm9
  vsubss %xmm9, %xmm5, %xmm4
  vsubss %xmm4, %xmm12, %xmm4
  movl $0x3f318000, %edi
  vmovd %edi, %xmm5
  vfmadd213ss %xmm4, %xmm5, %xmm6
  movl $0x7fc00000, %edi
  vmovd %edi, %xmm4
  vucomiss (%rip), %xmm3
  movss %xmm6, %xmm6; jnb $next; movss %xmm4, %xmm6; $next:
  movl $0xff800000, %edi
  vmovd %edi, %xmm4
  vucomiss (%rip), %xmm3
  movss %xmm4, %xmm4; jnp $next; movss %xmm6, %xmm4; $next:
  movss %xmm4, %xmm4; jz $next; movss %xmm6, %xmm4; $next:
  vucomiss (%rip), %xmm3
  movss %xmm15, %xmm15; jnp $next; movss %xmm4, %xmm15; $next:
  movss %xmm15, %xmm15; jz $next; movss %xmm4, %xmm15; $next:
  movdqu <offset:1>+0x30(%rsp), %xmm2
  vaddss %xmm15, %xmm2, %xmm6
  movdqu <offset:1>+0x70(%rsp), %xmm5
  vmulss %xmm6, %xmm5, %xmm6
  movdqu <offset:1>+0x80(%rsp), %xmm1
  vmaxss %xmm1, %xmm8, %xmm1
  vaddss %xmm15, %xmm1, %xmm1
  vmulss %xmm1, %xmm10, %xmm1
  vaddss %xmm1, %xmm6, %xmm6
  movdqu <offset:1>+0x2d0(%rsp), %xmm1
  vmulss %xmm6, %xmm1, %xmm2
  vmulss %xmm11, %xmm0, %xmm0
  vmulss %xmm0, %xmm2, %xmm2
  vmulss %xmm10, %xmm2, %xmm0
  movdqu <offset:1>+0x1c0(%rsp), %xmm3
  vaddss %xmm0, %xmm3, %xmm4
  movdqu <offset:1>+0xc0(%rsp), %xmm0
  vsubss %xmm2, %xmm0, %xmm1
  vmulss %xmm5, %xmm1, %xmm1
  vaddss %xmm1, %xmm4, %xmm1
  movdqu <offset:1>+0x60(%rsp), %xmm9
  vmulss %xmm9, %xmm7, %xmm7
  vmulss %xmm7, %xmm1, %xmm7
  movdqu <offset:1>+0x40(%rsp), %xmm5
  vaddss %xmm7, %xmm5, %xmm7
  vmovss %xmm7, (%r10, %rsi, 4)
  movdqu <offset:1>+0x50(%rsp), %xmm14
  vmulss %xmm6, %xmm14, %xmm7
  uninit  %xmm5
  vxorpd %xmm5, %xmm5, %xmm1
  vcvtss2sd %xmm7, %xmm1, %xmm1
  movdqu <offset:1>+0x20(%rsp), %xmm5
  vaddsd %xmm1, %xmm5, %xmm5
  movq %r9, %rsi
  movdqu %xmm5, <offset:1>+0x20(%rsp)
  jmp     label4
block6:
  movdqu <offset:1>+0x10(%rsp), %xmm0
  movdqu <offset:1>+(%rsp), %xmm1
  movdqu <offset:1>+0x20(%rsp), %xmm5
  vaddpd %xmm0, %xmm1, %xmm0
  vpshufd $0xee, %xmm0, %xmm1
  vaddsd %xmm1, %xmm0, %xmm0
  vaddsd %xmm0, %xmm5, %xmm0
  vmovsd %xmm0, (%rcx)
  movq 0x2e0(%rsp), %rbx
  addq $0x2f0, %rsp
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
  vmovups (%rax, %rsi, 4), %xmm4
  vmulps %xmm4, %xmm2, %xmm3
  vmovups %xmm3, (%rdi, %rsi, 4)
  leaq 4(%rsi), %rsi
  vmovups (%rax, %rsi, 4), %xmm3
  vmulps %xmm3, %xmm2, %xmm5
  vmovups %xmm5, (%rdi, %rsi, 4)
  vmulps %xmm4, %xmm4, %xmm4
  vcvtps2pd %xmm4, %xmm5
  vaddpd %xmm5, %xmm0, %xmm0
  vpshufd $0xee, %xmm4, %xmm4
  vcvtps2pd %xmm4, %xmm4
  vaddpd %xmm4, %xmm0, %xmm0
  vmulps %xmm3, %xmm3, %xmm3
  vcvtps2pd %xmm3, %xmm4
  vaddpd %xmm4, %xmm1, %xmm1
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
  vcvtss2sd %xmm3, %xmm4, %xmm3
  vaddsd %xmm3, %xmm2, %xmm2
  movq %r8, %rsi
  jmp     label4
block6:
  vaddpd %xmm1, %xmm0, %xmm3
  vpshufd $0xee, %xmm3, %xmm4
  vaddsd %xmm4, %xmm3, %xmm3
  vaddsd %xmm3, %xmm2, %xmm2
  vmovsd %xmm2, (%rcx)
  movq %rbp, %rsp
  popq %rbp
  retq
