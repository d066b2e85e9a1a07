; pass 0: flat loop over [N]; 3 sum(s); leaves e^-|x| in d/d pred
; pass 1: flat loop over [N]; 1 sum(s); writes d/d pred; reads e^-|x| back from d/d pred
; pass 2: flat loop over [K]; 1 sum(s); writes d/d params
; pass 0
  pushq %rbp
  unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
  movq %rsp, %rbp
  unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 16 }
  subq $0xf0, %rsp
  movq %r12, 0xe0(%rsp)
  unwind SaveReg { clobber_offset: 0, reg: p12i }
block0:
  movq 0x28(%rdi), %rax
  movq (%rdi), %rax
  movq 8(%rdi), %r8
  movq 0x10(%rdi), %r9
  movq 0x18(%rdi), %r11
  movq 0x20(%rdi), %rdi
  uninit  %xmm0
  vxorpd %xmm0, %xmm0, %xmm6
  movdqu %xmm6, <offset:1>+(%rsp)
  vmovups (%rip), %xmm7
  movdqu %xmm7, <offset:1>+0xd0(%rsp)
  vmovups (%rip), %xmm8
  movdqu %xmm8, <offset:1>+0xc0(%rsp)
  vmovups (%rip), %xmm10
  movdqu %xmm10, <offset:1>+0xb0(%rsp)
  vmovups (%rip), %xmm9
  vmovups (%rip), %xmm11
  movdqu %xmm11, <offset:1>+0xa0(%rsp)
  vmovups (%rip), %xmm12
  movdqu %xmm12, <offset:1>+0x90(%rsp)
  vmovups (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0x80(%rsp)
  vmovups (%rip), %xmm14
  movdqu %xmm14, <offset:1>+0x70(%rsp)
  vmovups (%rip), %xmm15
  movdqu %xmm15, <offset:1>+0x60(%rsp)
  vmovups (%rip), %xmm15
  vmovups (%rip), %xmm1
  vmovups (%rip), %xmm2
  vmovups (%rip), %xmm3
  vmovdqu (%rip), %xmm4
  uninit  %xmm0
  vxorps %xmm0, %xmm0, %xmm5
  movdqu <offset:1>+(%rsp), %xmm0
  movdqu %xmm0, <offset:1>+0x10(%rsp)
  movdqu %xmm0, <offset:1>+0x20(%rsp)
  movdqu %xmm0, <offset:1>+0x30(%rsp)
  movdqu %xmm0, <offset:1>+0x40(%rsp)
  movdqu %xmm0, <offset:1>+0x50(%rsp)
  jmp     label1
block1:
  leaq 8(%rsi), %r9
  cmpq %rdx, %r9
  jnbe    label3; j label2
block2:
  vmovups (%rax, %rsi, 4), %xmm6
  movdqu <offset:1>+0xd0(%rsp), %xmm10
  vorps %xmm6, %xmm10, %xmm7
  movdqu <offset:1>+0xc0(%rsp), %xmm11
  vmaxps %xmm7, %xmm11, %xmm8
  movdqu <offset:1>+0xb0(%rsp), %xmm12
  movdqa %xmm8, %xmm7
  vfmadd213ps %xmm9, %xmm12, %xmm7
  vsubps %xmm9, %xmm7, %xmm0
  movdqu <offset:1>+0x90(%rsp), %xmm12
  movdqa %xmm0, %xmm10
  vfmadd213ps %xmm8, %xmm12, %xmm10
  movdqu <offset:1>+0xa0(%rsp), %xmm12
  vfmadd213ps %xmm10, %xmm12, %xmm0
  vmulps %xmm0, %xmm0, %xmm8
  movdqu <offset:1>+0x80(%rsp), %xmm13
  movdqu <offset:1>+0x70(%rsp), %xmm14
  movdqa %xmm13, %xmm10
  vfmadd213ps %xmm14, %xmm0, %xmm10
  movdqu <offset:1>+0x60(%rsp), %xmm11
  vfmadd213ps %xmm11, %xmm0, %xmm10
  vfmadd213ps %xmm15, %xmm0, %xmm10
  vfmadd213ps %xmm1, %xmm0, %xmm10
  vfmadd213ps %xmm2, %xmm0, %xmm10
  vfmadd213ps %xmm0, %xmm10, %xmm8
  vaddps %xmm3, %xmm8, %xmm0
  vpaddd %xmm4, %xmm7, %xmm7
  vpsrld $0x1, %xmm7, %xmm8
  vpslld $0x17, %xmm8, %xmm10
  vmulps %xmm10, %xmm0, %xmm0
  vpsubd %xmm8, %xmm7, %xmm7
  vpslld $0x17, %xmm7, %xmm7
  vmulps %xmm7, %xmm0, %xmm0
  vmovups %xmm0, (%r11, %rsi, 4)
  vmovups (%r8, %rsi, 4), %xmm7
  leaq 4(%rsi), %rsi
  vmovups (%rax, %rsi, 4), %xmm8
  movdqu <offset:1>+0xd0(%rsp), %xmm12
  vorps %xmm8, %xmm12, %xmm10
  movdqu <offset:1>+0xc0(%rsp), %xmm12
  vmaxps %xmm10, %xmm12, %xmm12
  movdqu <offset:1>+0xb0(%rsp), %xmm11
  movdqa %xmm12, %xmm10
  vfmadd213ps %xmm9, %xmm11, %xmm10
  vsubps %xmm9, %xmm10, %xmm11
  movdqu <offset:1>+0x90(%rsp), %xmm14
  movdqa %xmm11, %xmm13
  vfmadd213ps %xmm12, %xmm14, %xmm13
  movdqu <offset:1>+0xa0(%rsp), %xmm12
  vfmadd213ps %xmm13, %xmm12, %xmm11
  vmulps %xmm11, %xmm11, %xmm12
  movdqu <offset:1>+0x80(%rsp), %xmm13
  movdqu <offset:1>+0x70(%rsp), %xmm14
  vfmadd213ps %xmm14, %xmm11, %xmm13
  movdqu <offset:1>+0x60(%rsp), %xmm14
  vfmadd213ps %xmm14, %xmm11, %xmm13
  vfmadd213ps %xmm15, %xmm11, %xmm13
  vfmadd213ps %xmm1, %xmm11, %xmm13
  vfmadd213ps %xmm2, %xmm11, %xmm13
  vfmadd213ps %xmm11, %xmm13, %xmm12
  vaddps %xmm3, %xmm12, %xmm11
  vpaddd %xmm4, %xmm10, %xmm10
  vpsrld $0x1, %xmm10, %xmm12
  vpslld $0x17, %xmm12, %xmm13
  vmulps %xmm13, %xmm11, %xmm11
  vpsubd %xmm12, %xmm10, %xmm10
  vpslld $0x17, %xmm10, %xmm10
  vmulps %xmm10, %xmm11, %xmm10
  vmovups %xmm10, (%r11, %rsi, 4)
  vmovups (%r8, %rsi, 4), %xmm11
  vcmpleps %xmm6, %xmm5, %xmm6
  vpblendvb %xmm6, %xmm3, %xmm0, %xmm6
  vaddps %xmm0, %xmm3, %xmm0
  vdivps %xmm0, %xmm3, %xmm0
  vmulps %xmm0, %xmm6, %xmm0
  vmulps %xmm7, %xmm0, %xmm6
  vcmpleps %xmm8, %xmm5, %xmm8
  vpblendvb %xmm8, %xmm3, %xmm10, %xmm8
  vaddps %xmm10, %xmm3, %xmm10
  vdivps %xmm10, %xmm3, %xmm10
  vmulps %xmm10, %xmm8, %xmm10
  vmulps %xmm11, %xmm10, %xmm8
  vaddps %xmm8, %xmm6, %xmm8
  vcvtps2pd %xmm8, %xmm12
  movdqu <offset:1>+(%rsp), %xmm6
  vaddpd %xmm12, %xmm6, %xmm6
  vpshufd $0xee, %xmm8, %xmm8
  vcvtps2pd %xmm8, %xmm12
  movdqu <offset:1>+0x10(%rsp), %xmm8
  vaddpd %xmm12, %xmm8, %xmm8
  vaddps %xmm10, %xmm0, %xmm10
  vcvtps2pd %xmm10, %xmm12
  movdqu <offset:1>+0x20(%rsp), %xmm0
  vaddpd %xmm12, %xmm0, %xmm0
  vpshufd $0xee, %xmm10, %xmm10
  vcvtps2pd %xmm10, %xmm12
  movdqu <offset:1>+0x30(%rsp), %xmm10
  vaddpd %xmm12, %xmm10, %xmm10
  vaddps %xmm11, %xmm7, %xmm11
  vcvtps2pd %xmm11, %xmm12
  movdqu <offset:1>+0x40(%rsp), %xmm7
  vaddpd %xmm12, %xmm7, %xmm7
  vpshufd $0xee, %xmm11, %xmm11
  vcvtps2pd %xmm11, %xmm12
  movdqu <offset:1>+0x50(%rsp), %xmm11
  vaddpd %xmm12, %xmm11, %xmm11
  movq %r9, %rsi
  movdqu %xmm6, <offset:1>+(%rsp)
  movdqu %xmm8, <offset:1>+0x10(%rsp)
  movdqu %xmm0, <offset:1>+0x20(%rsp)
  movdqu %xmm10, <offset:1>+0x30(%rsp)
  movdqu %xmm7, <offset:1>+0x40(%rsp)
  movdqu %xmm11, <offset:1>+0x50(%rsp)
  jmp     label1
block3:
  movdqu <offset:1>+0x20(%rsp), %xmm0
  movdqu <offset:1>+(%rsp), %xmm6
  movdqu <offset:1>+0x40(%rsp), %xmm7
  movdqu <offset:1>+0x10(%rsp), %xmm8
  movdqu <offset:1>+0x30(%rsp), %xmm10
  movdqu <offset:1>+0x50(%rsp), %xmm11
  uninit  %xmm5
  vxorpd %xmm5, %xmm5, %xmm3
  movdqa %xmm3, %xmm1
  movdqa %xmm3, %xmm2
  jmp     label4
block4:
  leaq 1(%rsi), %r9
  cmpq %rdx, %r9
  jnbe    label6; j label5
block5:
  vmovss (%rax, %rsi, 4), %xmm4
  movl $0x80000000, %r10d
  vmovd %r10d, %xmm5
  vorps %xmm4, %xmm5, %xmm5
  movl $0xc2dc0000, %r10d
  vmovd %r10d, %xmm12
  vmaxss %xmm5, %xmm12, %xmm12
  movl $0x3fb8aa3b, %r10d
  vmovd %r10d, %xmm13
  movdqa %xmm12, %xmm5
  vfmadd213ss (%rip), %xmm13, %xmm5
  vsubss (%rip), %xmm5, %xmm9
  movl $0xbf318000, %r10d
  vmovd %r10d, %xmm14
  movdqa %xmm9, %xmm13
  vfmadd213ss %xmm12, %xmm14, %xmm13
  movl $0x395e8083, %r10d
  vmovd %r10d, %xmm12
  vfmadd213ss %xmm13, %xmm12, %xmm9
  vmulss %xmm9, %xmm9, %xmm13
  movl $0x3950bf6d, %r10d
  vmovd %r10d, %xmm12
  vfmadd213ss (%rip), %xmm9, %xmm12
  vfmadd213ss (%rip), %xmm9, %xmm12
  vfmadd213ss (%rip), %xmm9, %xmm12
  vfmadd213ss (%rip), %xmm9, %xmm12
  vfmadd213ss (%rip), %xmm9, %xmm12
  vfmadd213ss %xmm9, %xmm12, %xmm13
  movl $0x3f800000, %r10d
  vmovd %r10d, %xmm12
  vaddss (%rip), %xmm13, %xmm9
  vmovd %xmm5, %r10d
  leal -0x4b3fff02(%r10), %r10d
  movq %r10, %rdi
  shrl $1, %edi
  movq %rdi, %r12
  shll $0x17, %r12d
  vmovd %r12d, %xmm5
  vmulss %xmm5, %xmm9, %xmm5
  subl %edi, %r10d
  shll $0x17, %r10d
  vmovd %r10d, %xmm9
  vmulss %xmm9, %xmm5, %xmm9
  vmovss %xmm9, (%r11, %rsi, 4)
  vmovss (%r8, %rsi, 4), %xmm5
  vucomiss (%rip), %xmm4
  movdqa %xmm9, %xmm4
  movss %xmm4, %xmm4; jb $next; movss %xmm12, %xmm4; $next:
  vaddss %xmm9, %xmm12, %xmm13
  vdivss %xmm13, %xmm12, %xmm12
  vmulss %xmm12, %xmm4, %xmm4
  vmulss %xmm5, %xmm4, %xmm12
  uninit  %xmm9
  vxorpd %xmm9, %xmm9, %xmm13
  vcvtss2sd %xmm12, %xmm13, %xmm13
  vaddsd %xmm13, %xmm3, %xmm3
  uninit  %xmm9
  vxorpd %xmm9, %xmm9, %xmm12
  vcvtss2sd %xmm4, %xmm12, %xmm4
  vaddsd %xmm4, %xmm2, %xmm2
  uninit  %xmm4
  vxorpd %xmm4, %xmm4, %xmm4
  vcvtss2sd %xmm5, %xmm4, %xmm4
  vaddsd %xmm4, %xmm1, %xmm1
  movq %r9, %rsi
  jmp     label4
block6:
  vaddpd %xmm8, %xmm6, %xmm4
  vpshufd $0xee, %xmm4, %xmm5
  vaddsd %xmm5, %xmm4, %xmm4
  vaddsd %xmm4, %xmm3, %xmm3
  vmovsd %xmm3, (%rcx)
  vaddpd %xmm10, %xmm0, %xmm0
  vpshufd $0xee, %xmm0, %xmm3
  vaddsd %xmm3, %xmm0, %xmm0
  vaddsd %xmm0, %xmm2, %xmm0
  vmovsd %xmm0, 8(%rcx)
  vaddpd %xmm11, %xmm7, %xmm0
  vpshufd $0xee, %xmm0, %xmm2
  vaddsd %xmm2, %xmm0, %xmm0
  vaddsd %xmm0, %xmm1, %xmm0
  vmovsd %xmm0, 0x10(%rcx)
  movq 0xe0(%rsp), %r12
  addq $0xf0, %rsp
  movq %rbp, %rsp
  popq %rbp
  retq
; pass 1
  pushq %rbp
  unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
  movq %rsp, %rbp
  unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
  subq $0x130, %rsp
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
  vxorpd %xmm3, %xmm3, %xmm10
  movdqu %xmm10, <offset:1>+(%rsp)
  uninit  %xmm3
  vxorps %xmm3, %xmm3, %xmm3
  vcvtsd2ss %xmm2, %xmm3, %xmm2
  movdqa %xmm2, %xmm5
  vbroadcastss %xmm5, %xmm11
  movdqu %xmm11, <offset:1>+0x110(%rsp)
  movdqu %xmm5, <offset:1>+0x120(%rsp)
  vmovups (%rip), %xmm6
  uninit  %xmm2
  vxorps %xmm2, %xmm2, %xmm2
  movdqu %xmm2, <offset:1>+0x100(%rsp)
  uninit  %xmm2
  vxorps %xmm2, %xmm2, %xmm2
  vcvtsd2ss %xmm1, %xmm2, %xmm3
  vbroadcastss %xmm3, %xmm9
  movdqu %xmm9, <offset:1>+0xe0(%rsp)
  movdqu %xmm3, <offset:1>+0xf0(%rsp)
  vmovups (%rip), %xmm10
  movdqu %xmm10, <offset:1>+0xd0(%rsp)
  vmovups (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0xc0(%rsp)
  vmovups (%rip), %xmm12
  movdqu %xmm12, <offset:1>+0xb0(%rsp)
  vmovups (%rip), %xmm7
  movdqu %xmm7, <offset:1>+0xa0(%rsp)
  vmovups (%rip), %xmm14
  movdqu %xmm14, <offset:1>+0x90(%rsp)
  vmovups (%rip), %xmm15
  movdqu %xmm15, <offset:1>+0x80(%rsp)
  vmovups (%rip), %xmm2
  movdqu %xmm2, <offset:1>+0x70(%rsp)
  vmovups (%rip), %xmm3
  movdqu %xmm3, <offset:1>+0x60(%rsp)
  uninit  %xmm1
  vxorps %xmm1, %xmm1, %xmm1
  vcvtsd2ss %xmm0, %xmm1, %xmm1
  vbroadcastss %xmm1, %xmm5
  movdqu %xmm5, <offset:1>+0x40(%rsp)
  movdqu %xmm1, <offset:1>+0x50(%rsp)
  movdqu <offset:1>+(%rsp), %xmm0
  movdqu %xmm0, <offset:1>+0x10(%rsp)
  jmp     label1
block1:
  leaq 8(%rsi), %r9
  cmpq %rdx, %r9
  jnbe    label3; j label2
block2:
  vmovups (%r10, %rsi, 4), %xmm1
  vmovups (%rax, %rsi, 4), %xmm5
  vmovups (%r8, %rsi, 4), %xmm0
  movdqu <offset:1>+0x100(%rsp), %xmm15
  vcmpleps %xmm5, %xmm15, %xmm2
  vpblendvb %xmm2, %xmm6, %xmm1, %xmm2
  vaddps %xmm1, %xmm6, %xmm3
  vdivps %xmm3, %xmm6, %xmm3
  vmulps %xmm3, %xmm2, %xmm8
  vmulps %xmm0, %xmm8, %xmm3
  vsubps %xmm8, %xmm6, %xmm10
  vsubps %xmm0, %xmm6, %xmm2
  vmulps %xmm2, %xmm10, %xmm4
  vaddps %xmm4, %xmm3, %xmm3
  vsubps %xmm3, %xmm6, %xmm3
  vmulps %xmm3, %xmm3, %xmm11
  movdqu <offset:1>+0x110(%rsp), %xmm15
  vmulps %xmm11, %xmm15, %xmm4
  movdqu %xmm11, <offset:1>+0x30(%rsp)
  vsubps %xmm0, %xmm8, %xmm7
  vmulps %xmm7, %xmm4, %xmm15
  movdqu <offset:1>+0x100(%rsp), %xmm4
  vmaxps %xmm5, %xmm4, %xmm4
  vmulps %xmm5, %xmm0, %xmm5
  vsubps %xmm5, %xmm4, %xmm9
  movdqu <offset:1>+0xd0(%rsp), %xmm5
  vcmpleps %xmm1, %xmm5, %xmm4
  movdqu <offset:1>+0x100(%rsp), %xmm5
  vpblendvb %xmm4, %xmm6, %xmm5, %xmm5
  vsubps %xmm6, %xmm1, %xmm7
  movdqu <offset:1>+0xb0(%rsp), %xmm11
  vmulps %xmm11, %xmm7, %xmm7
  vpblendvb %xmm4, %xmm7, %xmm1, %xmm1
  vmulps %xmm11, %xmm1, %xmm4
  vmulps %xmm1, %xmm4, %xmm11
  movdqu <offset:1>+0xa0(%rsp), %xmm7
  vaddps %xmm7, %xmm1, %xmm4
  vdivps %xmm4, %xmm1, %xmm13
  vmulps %xmm13, %xmm13, %xmm4
  movdqu <offset:1>+0x80(%rsp), %xmm7
  movdqu <offset:1>+0x90(%rsp), %xmm14
  movdqa %xmm14, %xmm12
  vfmadd213ps %xmm7, %xmm4, %xmm12
  movdqu <offset:1>+0x70(%rsp), %xmm7
  vfmadd213ps %xmm7, %xmm4, %xmm12
  vmulps %xmm12, %xmm4, %xmm4
  vaddps %xmm4, %xmm11, %xmm4
  movdqu <offset:1>+0x60(%rsp), %xmm7
  vmulps %xmm7, %xmm5, %xmm12
  vfmadd213ps %xmm12, %xmm4, %xmm13
  vsubps %xmm13, %xmm11, %xmm4
  vsubps %xmm4, %xmm1, %xmm1
  movdqu <offset:1>+0xc0(%rsp), %xmm4
  vfmadd213ps %xmm1, %xmm4, %xmm5
  vaddps %xmm5, %xmm9, %xmm7
  movdqu <offset:1>+0x110(%rsp), %xmm1
  vmulps %xmm7, %xmm1, %xmm1
  movdqu <offset:1>+0xa0(%rsp), %xmm4
  movdqu %xmm7, <offset:1>+0x20(%rsp)
  vmulps %xmm3, %xmm4, %xmm3
  vmulps %xmm3, %xmm1, %xmm3
  vmulps %xmm2, %xmm3, %xmm1
  movdqu <offset:1>+0xe0(%rsp), %xmm14
  vaddps %xmm1, %xmm14, %xmm2
  movdqu <offset:1>+0x40(%rsp), %xmm9
  vsubps %xmm3, %xmm9, %xmm1
  vmulps %xmm0, %xmm1, %xmm0
  vaddps %xmm0, %xmm2, %xmm0
  vmulps %xmm10, %xmm8, %xmm1
  vmulps %xmm1, %xmm0, %xmm0
  vaddps %xmm0, %xmm15, %xmm0
  vmovups %xmm0, (%r10, %rsi, 4)
  leaq 4(%rsi), %rsi
  vmovups (%r10, %rsi, 4), %xmm13
  vmovups (%rax, %rsi, 4), %xmm5
  vmovups (%r8, %rsi, 4), %xmm0
  movdqu <offset:1>+0x100(%rsp), %xmm15
  vcmpleps %xmm5, %xmm15, %xmm1
  vpblendvb %xmm1, %xmm6, %xmm13, %xmm2
  vaddps %xmm13, %xmm6, %xmm1
  vdivps %xmm1, %xmm6, %xmm1
  vmulps %xmm1, %xmm2, %xmm8
  vmulps %xmm0, %xmm8, %xmm2
  vsubps %xmm8, %xmm6, %xmm15
  vsubps %xmm0, %xmm6, %xmm10
  vmulps %xmm10, %xmm15, %xmm1
  vaddps %xmm1, %xmm2, %xmm1
  vsubps %xmm1, %xmm6, %xmm9
  vmulps %xmm9, %xmm9, %xmm2
  movdqu <offset:1>+0x110(%rsp), %xmm1
  vmulps %xmm2, %xmm1, %xmm1
  vsubps %xmm0, %xmm8, %xmm3
  vmulps %xmm3, %xmm1, %xmm3
  movdqu <offset:1>+0x100(%rsp), %xmm1
  vmaxps %xmm5, %xmm1, %xmm1
  vmulps %xmm5, %xmm0, %xmm4
  vsubps %xmm4, %xmm1, %xmm5
  movdqu <offset:1>+0xd0(%rsp), %xmm4
  vcmpleps %xmm13, %xmm4, %xmm12
  movdqu <offset:1>+0x100(%rsp), %xmm1
  vpblendvb %xmm12, %xmm6, %xmm1, %xmm11
  vsubps %xmm6, %xmm13, %xmm1
  movdqu <offset:1>+0xb0(%rsp), %xmm4
  vmulps %xmm4, %xmm1, %xmm1
  vpblendvb %xmm12, %xmm1, %xmm13, %xmm14
  movdqu <offset:1>+0xb0(%rsp), %xmm1
  vmulps %xmm1, %xmm14, %xmm1
  vmulps %xmm14, %xmm1, %xmm13
  movdqu <offset:1>+0xa0(%rsp), %xmm1
  vaddps %xmm1, %xmm14, %xmm1
  vdivps %xmm1, %xmm14, %xmm12
  vmulps %xmm12, %xmm12, %xmm1
  movdqu <offset:1>+0x80(%rsp), %xmm4
  movdqu <offset:1>+0x90(%rsp), %xmm7
  vfmadd213ps %xmm4, %xmm1, %xmm7
  movdqu <offset:1>+0x70(%rsp), %xmm4
  vfmadd213ps %xmm4, %xmm1, %xmm7
  vmulps %xmm7, %xmm1, %xmm1
  vaddps %xmm1, %xmm13, %xmm1
  movdqu <offset:1>+0x60(%rsp), %xmm4
  vmulps %xmm4, %xmm11, %xmm7
  vfmadd213ps %xmm7, %xmm1, %xmm12
  vsubps %xmm12, %xmm13, %xmm1
  vsubps %xmm1, %xmm14, %xmm1
  movdqu <offset:1>+0xc0(%rsp), %xmm14
  vfmadd213ps %xmm1, %xmm14, %xmm11
  vaddps %xmm11, %xmm5, %xmm11
  movdqu <offset:1>+0x110(%rsp), %xmm5
  vmulps %xmm11, %xmm5, %xmm1
  movdqu <offset:1>+0xa0(%rsp), %xmm4
  vmulps %xmm9, %xmm4, %xmm4
  vmulps %xmm4, %xmm1, %xmm1
  vmulps %xmm10, %xmm1, %xmm4
  movdqu <offset:1>+0xe0(%rsp), %xmm9
  vaddps %xmm4, %xmm9, %xmm12
  movdqu <offset:1>+0x40(%rsp), %xmm10
  vsubps %xmm1, %xmm10, %xmm1
  vmulps %xmm0, %xmm1, %xmm0
  vaddps %xmm0, %xmm12, %xmm0
  vmulps %xmm15, %xmm8, %xmm1
  vmulps %xmm1, %xmm0, %xmm0
  vaddps %xmm0, %xmm3, %xmm0
  vmovups %xmm0, (%r10, %rsi, 4)
  movdqu <offset:1>+0x30(%rsp), %xmm0
  movdqu <offset:1>+0x20(%rsp), %xmm7
  vmulps %xmm7, %xmm0, %xmm0
  vmulps %xmm11, %xmm2, %xmm1
  vaddps %xmm1, %xmm0, %xmm0
  vcvtps2pd %xmm0, %xmm1
  movdqu <offset:1>+(%rsp), %xmm2
  vaddpd %xmm1, %xmm2, %xmm2
  movdqu %xmm2, <offset:1>+(%rsp)
  vpshufd $0xee, %xmm0, %xmm0
  vcvtps2pd %xmm0, %xmm0
  movdqu <offset:1>+0x10(%rsp), %xmm2
  vaddpd %xmm0, %xmm2, %xmm2
  movdqu %xmm2, <offset:1>+0x10(%rsp)
  movq %r9, %rsi
  jmp     label1
block3:
  uninit  %xmm0
  vxorpd %xmm0, %xmm0, %xmm2
  jmp     label4
block4:
  leaq 1(%rsi), %r9
  cmpq %rdx, %r9
  jnbe    label6; j label5
block5:
  vmovss (%r10, %rsi, 4), %xmm7
  vmovss (%rax, %rsi, 4), %xmm13
  vmovss (%r8, %rsi, 4), %xmm1
  uninit  %xmm0
  vxorps %xmm0, %xmm0, %xmm9
  movl $0x3f800000, %edi
  vmovd %edi, %xmm14
  vucomiss (%rip), %xmm13
  movdqa %xmm7, %xmm0
  movss %xmm0, %xmm0; jb $next; movss %xmm14, %xmm0; $next:
  vaddss %xmm7, %xmm14, %xmm3
  vdivss %xmm3, %xmm14, %xmm3
  vmulss %xmm3, %xmm0, %xmm5
  vmulss %xmm1, %xmm5, %xmm0
  vsubss %xmm5, %xmm14, %xmm6
  vsubss %xmm1, %xmm14, %xmm10
  vmulss %xmm10, %xmm6, %xmm3
  vaddss %xmm3, %xmm0, %xmm0
  vsubss %xmm0, %xmm14, %xmm12
  vmulss %xmm12, %xmm12, %xmm8
  movdqu <offset:1>+0x120(%rsp), %xmm0
  vmulss %xmm8, %xmm0, %xmm0
  vsubss %xmm1, %xmm5, %xmm3
  vmulss %xmm3, %xmm0, %xmm11
  vmaxss %xmm13, %xmm9, %xmm0
  vmulss %xmm13, %xmm1, %xmm3
  vsubss %xmm3, %xmm0, %xmm13
  vucomiss (%rip), %xmm7
  movss %xmm9, %xmm9; jb $next; movss %xmm14, %xmm9; $next:
  vsubss (%rip), %xmm7, %xmm0
  vmulss (%rip), %xmm0, %xmm0
  vucomiss (%rip), %xmm7
  movss %xmm7, %xmm7; jb $next; movss %xmm0, %xmm7; $next:
  vmulss (%rip), %xmm7, %xmm0
  vmulss %xmm7, %xmm0, %xmm14
  movl $0x40000000, %edi
  vmovd %edi, %xmm4
  vaddss (%rip), %xmm7, %xmm0
  vdivss %xmm0, %xmm7, %xmm0
  vmulss %xmm0, %xmm0, %xmm15
  movl $0x3e9778b0, %edi
  vmovd %edi, %xmm3
  vfmadd213ss (%rip), %xmm15, %xmm3
  vfmadd213ss (%rip), %xmm15, %xmm3
  vmulss %xmm3, %xmm15, %xmm3
  vaddss %xmm3, %xmm14, %xmm3
  vmulss (%rip), %xmm9, %xmm15
  vfmadd213ss %xmm15, %xmm3, %xmm0
  vsubss %xmm0, %xmm14, %xmm0
  vsubss %xmm0, %xmm7, %xmm0
  movl $0x3f318000, %edi
  vmovd %edi, %xmm3
  vfmadd213ss %xmm0, %xmm3, %xmm9
  vaddss %xmm9, %xmm13, %xmm9
  movdqu <offset:1>+0x120(%rsp), %xmm7
  vmulss %xmm9, %xmm7, %xmm0
  vmulss %xmm12, %xmm4, %xmm3
  vmulss %xmm3, %xmm0, %xmm0
  vmulss %xmm10, %xmm0, %xmm3
  movdqu <offset:1>+0xf0(%rsp), %xmm4
  vaddss %xmm3, %xmm4, %xmm3
  movdqu <offset:1>+0x50(%rsp), %xmm7
  vsubss %xmm0, %xmm7, %xmm0
  vmulss %xmm1, %xmm0, %xmm0
  vaddss %xmm0, %xmm3, %xmm0
  vmulss %xmm6, %xmm5, %xmm1
  vmulss %xmm1, %xmm0, %xmm0
  vaddss %xmm0, %xmm11, %xmm0
  vmovss %xmm0, (%r10, %rsi, 4)
  vmulss %xmm9, %xmm8, %xmm0
  uninit  %xmm1
  vxorpd %xmm1, %xmm1, %xmm1
  vcvtss2sd %xmm0, %xmm1, %xmm0
  vaddsd %xmm0, %xmm2, %xmm2
  movq %r9, %rsi
  jmp     label4
block6:
  movdqu <offset:1>+0x10(%rsp), %xmm0
  movdqu <offset:1>+(%rsp), %xmm1
  vaddpd %xmm0, %xmm1, %xmm0
  vpshufd $0xee, %xmm0, %xmm1
  vaddsd %xmm1, %xmm0, %xmm0
  vaddsd %xmm0, %xmm2, %xmm0
  vmovsd %xmm0, (%rcx)
  addq $0x130, %rsp
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
