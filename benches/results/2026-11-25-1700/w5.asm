; pass 0: flat loop over [N]; 1 sum(s)
; pass 1: rows loop over [N, C] (2 class-axis phase loop(s) per row); 1 sum(s); writes d/d logits
; pass 0
  pushq %rbp
  unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
  movq %rsp, %rbp
  unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
block0:
  movq 0x18(%rdi), %rax
  vmovsd 8(%rax), %xmm0
  vmovsd 0x10(%rax), %xmm0
  vmovsd (%rax), %xmm0
  movq (%rdi), %rax
  movq 8(%rdi), %rax
  movq 0x10(%rdi), %rdi
  uninit  %xmm0
  vxorpd %xmm0, %xmm0, %xmm0
  vmovups (%rip), %xmm2
  vmovups (%rip), %xmm3
  uninit  %xmm1
  vxorps %xmm1, %xmm1, %xmm4
  movdqa %xmm0, %xmm1
  jmp     label1
block1:
  leaq 8(%rsi), %rdi
  cmpq %rdx, %rdi
  jnbe    label3; j label2
block2:
  vmovups (%rax, %rsi, 4), %xmm6
  leaq 4(%rsi), %rsi
  vmovups (%rax, %rsi, 4), %xmm5
  vcmpneqps %xmm2, %xmm6, %xmm6
  vpblendvb %xmm6, %xmm3, %xmm4, %xmm6
  vcvtps2pd %xmm6, %xmm7
  vaddpd %xmm7, %xmm0, %xmm0
  vpshufd $0xee, %xmm6, %xmm6
  vcvtps2pd %xmm6, %xmm6
  vaddpd %xmm6, %xmm0, %xmm0
  vcmpneqps %xmm2, %xmm5, %xmm5
  vpblendvb %xmm5, %xmm3, %xmm4, %xmm5
  vcvtps2pd %xmm5, %xmm6
  vaddpd %xmm6, %xmm1, %xmm1
  vpshufd $0xee, %xmm5, %xmm5
  vcvtps2pd %xmm5, %xmm5
  vaddpd %xmm5, %xmm1, %xmm1
  movq %rdi, %rsi
  jmp     label1
block3:
  uninit  %xmm2
  vxorpd %xmm2, %xmm2, %xmm2
  jmp     label4
block4:
  leaq 1(%rsi), %rdi
  cmpq %rdx, %rdi
  jnbe    label6; j label5
block5:
  vmovss (%rax, %rsi, 4), %xmm5
  movl $0x3f800000, %esi
  vmovd %esi, %xmm3
  uninit  %xmm4
  vxorps %xmm4, %xmm4, %xmm4
  vucomiss (%rip), %xmm5
  movss %xmm4, %xmm4; jnp $next; movss %xmm3, %xmm4; $next:
  movss %xmm4, %xmm4; jz $next; movss %xmm3, %xmm4; $next:
  uninit  %xmm3
  vxorpd %xmm3, %xmm3, %xmm3
  vcvtss2sd %xmm4, %xmm3, %xmm5
  vaddsd %xmm5, %xmm2, %xmm2
  movq %rdi, %rsi
  jmp     label4
block6:
  vaddpd %xmm1, %xmm0, %xmm4
  vpshufd $0xee, %xmm4, %xmm5
  vaddsd %xmm5, %xmm4, %xmm4
  vaddsd %xmm4, %xmm2, %xmm4
  vmovsd %xmm4, (%rcx)
  movq %rbp, %rsp
  popq %rbp
  retq
; pass 1
  pushq %rbp
  unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
  movq %rsp, %rbp
  unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 48 }
  subq $0x110, %rsp
  movq %rbx, 0xe0(%rsp)
  unwind SaveReg { clobber_offset: 0, reg: p3i }
  movq %r12, 0xe8(%rsp)
  unwind SaveReg { clobber_offset: 8, reg: p12i }
  movq %r13, 0xf0(%rsp)
  unwind SaveReg { clobber_offset: 16, reg: p13i }
  movq %r14, 0xf8(%rsp)
  unwind SaveReg { clobber_offset: 24, reg: p14i }
  movq %r15, 0x100(%rsp)
  unwind SaveReg { clobber_offset: 32, reg: p15i }
block0:
  movq 0x18(%rdi), %r9
  vmovsd 0x20(%r9), %xmm0
  vmovsd 8(%r9), %xmm0
  vmovsd (%r9), %xmm0
  vmovsd 0x40(%r9), %xmm0
  movq (%rdi), %r9
  movq 8(%rdi), %r10
  movq 0x10(%rdi), %r11
  movq 0x20(%rdi), %rax
  movq 8(%rax), %rax
  uninit  %xmm1
  vxorpd %xmm1, %xmm1, %xmm3
  movdqu %xmm3, <offset:1>+(%rsp)
  vmovups (%rip), %xmm1
  movdqu %xmm1, <offset:1>+0xd0(%rsp)
  uninit  %xmm1
  vxorps %xmm1, %xmm1, %xmm6
  movdqu %xmm6, <offset:1>+0xc0(%rsp)
  uninit  %xmm7
  vxorps %xmm7, %xmm7, %xmm1
  vcvtsd2ss %xmm0, %xmm1, %xmm4
  vbroadcastss %xmm4, %xmm2
  movdqu %xmm2, <offset:1>+0xa0(%rsp)
  movdqu %xmm4, <offset:1>+0xb0(%rsp)
  jmp     label1
block1:
  cmpq %rdx, %rsi
  jnb     label30; j label2
block2:
  movq %rsi, %rdi
  imulq %rax, %rdi
  leaq (%rdi, %rax), %r8
  movq %rdi, %rbx
  movdqu <offset:1>+0xd0(%rsp), %xmm0
  movdqu <offset:1>+0xd0(%rsp), %xmm1
  jmp     label3
block3:
  leaq 8(%rbx), %r13
  cmpq %r8, %r13
  jnbe    label5; j label4
block4:
  vmovups (%r9, %rbx, 4), %xmm3
  leaq 4(%rbx), %r15
  vmovups (%r9, %r15, 4), %xmm2
  vmaxps %xmm3, %xmm1, %xmm4
  vmaxps %xmm1, %xmm3, %xmm1
  vxorps %xmm1, %xmm4, %xmm1
  vorps %xmm1, %xmm4, %xmm3
  vsubps %xmm1, %xmm3, %xmm1
  vcmpunordps %xmm3, %xmm3, %xmm3
  vpsrld $0xa, %xmm3, %xmm3
  vandnps %xmm1, %xmm3, %xmm1
  vmaxps %xmm2, %xmm0, %xmm3
  vmaxps %xmm0, %xmm2, %xmm0
  vxorps %xmm0, %xmm3, %xmm0
  vorps %xmm0, %xmm3, %xmm2
  vsubps %xmm0, %xmm2, %xmm0
  vcmpunordps %xmm2, %xmm2, %xmm2
  vpsrld $0xa, %xmm2, %xmm2
  vandnps %xmm0, %xmm2, %xmm0
  movq %r13, %rbx
  jmp     label3
block5:
  jmp     label6
block6:
  leaq 4(%rbx), %r12
  cmpq %r8, %r12
  jnbe    label8; j label7
block7:
  vmovups (%r9, %rbx, 4), %xmm3
  vmaxps %xmm3, %xmm1, %xmm2
  vmaxps %xmm1, %xmm3, %xmm1
  vxorps %xmm1, %xmm2, %xmm1
  vorps %xmm1, %xmm2, %xmm2
  vsubps %xmm1, %xmm2, %xmm1
  vcmpunordps %xmm2, %xmm2, %xmm2
  vpsrld $0xa, %xmm2, %xmm2
  vandnps %xmm1, %xmm2, %xmm1
  movq %r12, %rbx
  jmp     label6
block8:
  movl $0xff800000, %r12d
  vmovd %r12d, %xmm4
  movdqu %xmm4, <offset:1>+0x80(%rsp)
  jmp     label9
block9:
  leaq 1(%rbx), %r12
  cmpq %r8, %r12
  jnbe    label11; j label10
block10:
  vmovss (%r9, %rbx, 4), %xmm2
  movdqu <offset:1>+0x80(%rsp), %xmm6
  xmm max seq f32 %xmm6, %xmm2, %xmm2
  movq %r12, %rbx
  movdqu %xmm2, <offset:1>+0x80(%rsp)
  jmp     label9
block11:
  movdqu <offset:1>+0x80(%rsp), %xmm6
  vmovups (%rip), %xmm10
  movdqu %xmm10, <offset:1>+0x90(%rsp)
  vmaxps %xmm0, %xmm1, %xmm2
  vmaxps %xmm1, %xmm0, %xmm0
  vxorps %xmm0, %xmm2, %xmm0
  vorps %xmm0, %xmm2, %xmm1
  vsubps %xmm0, %xmm1, %xmm0
  vcmpunordps %xmm1, %xmm1, %xmm1
  vpsrld $0xa, %xmm1, %xmm1
  vandnps %xmm0, %xmm1, %xmm0
  vpshufd $0x1, %xmm0, %xmm1
  xmm max seq f32 %xmm0, %xmm1, %xmm1
  vpshufd $0x2, %xmm0, %xmm2
  xmm max seq f32 %xmm1, %xmm2, %xmm2
  vpshufd $0x3, %xmm0, %xmm0
  xmm max seq f32 %xmm2, %xmm0, %xmm0
  xmm max seq f32 %xmm0, %xmm6, %xmm6
  vbroadcastss %xmm6, %xmm11
  movdqu %xmm11, <offset:1>+0x70(%rsp)
  movdqu %xmm6, <offset:1>+0x80(%rsp)
  vmovups (%rip), %xmm12
  movdqu %xmm12, <offset:1>+0x60(%rsp)
  vmovups (%rip), %xmm14
  vmovups (%rip), %xmm13
  vmovups (%rip), %xmm15
  vmovups (%rip), %xmm1
  movdqa %xmm1, %xmm10
  vmovups (%rip), %xmm0
  movdqa %xmm0, %xmm11
  vmovups (%rip), %xmm3
  movdqa %xmm3, %xmm12
  vmovups (%rip), %xmm5
  movdqu %xmm5, <offset:1>+0x50(%rsp)
  vmovups (%rip), %xmm4
  movdqu %xmm4, <offset:1>+0x40(%rsp)
  vmovups (%rip), %xmm4
  vmovups (%rip), %xmm9
  vmovups (%rip), %xmm7
  movdqu %xmm7, <offset:1>+0x30(%rsp)
  vmovdqu (%rip), %xmm2
  movq %rdi, %rbx
  movdqu <offset:1>+0xc0(%rsp), %xmm0
  movdqu %xmm0, <offset:1>+0x10(%rsp)
  movdqu %xmm0, <offset:1>+0x20(%rsp)
  jmp     label12
block12:
  leaq 8(%rbx), %r12
  cmpq %r8, %r12
  jnbe    label14; j label13
block13:
  vmovups (%r9, %rbx, 4), %xmm0
  movdqu <offset:1>+0x70(%rsp), %xmm3
  vsubps %xmm3, %xmm0, %xmm0
  movdqu <offset:1>+0x60(%rsp), %xmm5
  vmaxps %xmm0, %xmm5, %xmm0
  movdqu <offset:1>+0x90(%rsp), %xmm1
  vminps %xmm0, %xmm1, %xmm0
  movdqa %xmm0, %xmm6
  vfmadd213ps %xmm13, %xmm14, %xmm6
  vsubps %xmm13, %xmm6, %xmm8
  movdqa %xmm10, %xmm1
  movdqa %xmm8, %xmm3
  vfmadd213ps %xmm0, %xmm1, %xmm3
  vfmadd213ps %xmm3, %xmm15, %xmm8
  vmulps %xmm8, %xmm8, %xmm10
  movdqa %xmm11, %xmm0
  movdqa %xmm12, %xmm11
  movdqa %xmm0, %xmm3
  vfmadd213ps %xmm11, %xmm8, %xmm3
  movdqu <offset:1>+0x50(%rsp), %xmm12
  vfmadd213ps %xmm12, %xmm8, %xmm3
  movdqu <offset:1>+0x40(%rsp), %xmm7
  vfmadd213ps %xmm7, %xmm8, %xmm3
  vfmadd213ps %xmm4, %xmm8, %xmm3
  vfmadd213ps %xmm9, %xmm8, %xmm3
  vfmadd213ps %xmm8, %xmm3, %xmm10
  movdqu <offset:1>+0x30(%rsp), %xmm8
  vaddps %xmm8, %xmm10, %xmm3
  vpaddd %xmm2, %xmm6, %xmm5
  vpsrld $0x1, %xmm5, %xmm6
  vpslld $0x17, %xmm6, %xmm8
  vmulps %xmm8, %xmm3, %xmm3
  vpsubd %xmm6, %xmm5, %xmm5
  vpslld $0x17, %xmm5, %xmm5
  vmulps %xmm5, %xmm3, %xmm6
  vmovups %xmm6, (%r11, %rbx, 4)
  leaq 4(%rbx), %rbx
  vmovups (%r9, %rbx, 4), %xmm3
  movdqu <offset:1>+0x70(%rsp), %xmm5
  vsubps %xmm5, %xmm3, %xmm3
  movdqu <offset:1>+0x60(%rsp), %xmm5
  vmaxps %xmm3, %xmm5, %xmm3
  movdqu <offset:1>+0x90(%rsp), %xmm5
  vminps %xmm3, %xmm5, %xmm3
  movdqa %xmm3, %xmm8
  vfmadd213ps %xmm13, %xmm14, %xmm8
  vsubps %xmm13, %xmm8, %xmm10
  movdqa %xmm10, %xmm5
  vfmadd213ps %xmm3, %xmm1, %xmm5
  vfmadd213ps %xmm5, %xmm15, %xmm10
  vmulps %xmm10, %xmm10, %xmm3
  movdqa %xmm0, %xmm5
  vfmadd213ps %xmm11, %xmm10, %xmm5
  vfmadd213ps %xmm12, %xmm10, %xmm5
  vfmadd213ps %xmm7, %xmm10, %xmm5
  vfmadd213ps %xmm4, %xmm10, %xmm5
  vfmadd213ps %xmm9, %xmm10, %xmm5
  vfmadd213ps %xmm10, %xmm5, %xmm3
  movdqu <offset:1>+0x30(%rsp), %xmm5
  vaddps %xmm5, %xmm3, %xmm3
  vpaddd %xmm2, %xmm8, %xmm5
  vpsrld $0x1, %xmm5, %xmm8
  vpslld $0x17, %xmm8, %xmm10
  vmulps %xmm10, %xmm3, %xmm3
  vpsubd %xmm8, %xmm5, %xmm5
  vpslld $0x17, %xmm5, %xmm5
  vmulps %xmm5, %xmm3, %xmm3
  vmovups %xmm3, (%r11, %rbx, 4)
  movdqu <offset:1>+0x20(%rsp), %xmm8
  vaddps %xmm6, %xmm8, %xmm8
  movdqu <offset:1>+0x10(%rsp), %xmm6
  vaddps %xmm3, %xmm6, %xmm6
  movdqu %xmm6, <offset:1>+0x10(%rsp)
  movq %r12, %rbx
  movdqu %xmm8, <offset:1>+0x20(%rsp)
  movdqa %xmm11, %xmm12
  movdqa %xmm0, %xmm11
  movdqa %xmm1, %xmm10
  jmp     label12
block14:
  movdqu <offset:1>+0x20(%rsp), %xmm8
  movdqu <offset:1>+0x40(%rsp), %xmm7
  movdqa %xmm10, %xmm1
  movdqa %xmm11, %xmm0
  movdqa %xmm12, %xmm11
  movdqu <offset:1>+0x50(%rsp), %xmm12
  jmp     label15
block15:
  leaq 4(%rbx), %r12
  cmpq %r8, %r12
  jnbe    label17; j label16
block16:
  vmovups (%r9, %rbx, 4), %xmm3
  movdqu <offset:1>+0x70(%rsp), %xmm5
  vsubps %xmm5, %xmm3, %xmm3
  movdqu <offset:1>+0x60(%rsp), %xmm5
  vmaxps %xmm3, %xmm5, %xmm3
  movdqu <offset:1>+0x90(%rsp), %xmm5
  vminps %xmm3, %xmm5, %xmm3
  movdqa %xmm3, %xmm6
  vfmadd213ps %xmm13, %xmm14, %xmm6
  vsubps %xmm13, %xmm6, %xmm10
  movdqa %xmm10, %xmm5
  vfmadd213ps %xmm3, %xmm1, %xmm5
  vfmadd213ps %xmm5, %xmm15, %xmm10
  vmulps %xmm10, %xmm10, %xmm3
  movdqa %xmm0, %xmm5
  vfmadd213ps %xmm11, %xmm10, %xmm5
  vfmadd213ps %xmm12, %xmm10, %xmm5
  vfmadd213ps %xmm7, %xmm10, %xmm5
  vfmadd213ps %xmm4, %xmm10, %xmm5
  vfmadd213ps %xmm9, %xmm10, %xmm5
  vfmadd213ps %xmm10, %xmm5, %xmm3
  movdqu <offset:1>+0x30(%rsp), %xmm5
  vaddps %xmm5, %xmm3, %xmm3
  vpaddd %xmm2, %xmm6, %xmm5
  vpsrld $0x1, %xmm5, %xmm6
  vpslld $0x17, %xmm6, %xmm10
  vmulps %xmm10, %xmm3, %xmm3
  vpsubd %xmm6, %xmm5, %xmm5
  vpslld $0x17, %xmm5, %xmm5
  vmulps %xmm5, %xmm3, %xmm3
  vmovups %xmm3, (%r11, %rbx, 4)
  vaddps %xmm3, %xmm8, %xmm8
  movq %r12, %rbx
  jmp     label15
block17:
  uninit  %xmm0
  vxorps %xmm0, %xmm0, %xmm2
  jmp     label18
block18:
  leaq 1(%rbx), %r12
  cmpq %r8, %r12
  jnbe    label20; j label19
block19:
  vmovss (%r9, %rbx, 4), %xmm0
  movdqu <offset:1>+0x80(%rsp), %xmm1
  vsubss %xmm1, %xmm0, %xmm0
  movl $0xc2dc0000, %r13d
  vmovd %r13d, %xmm3
  vmaxss %xmm0, %xmm3, %xmm0
  movl $0x42c80000, %r13d
  vmovd %r13d, %xmm3
  vminss %xmm0, %xmm3, %xmm4
  movl $0x3fb8aa3b, %r13d
  vmovd %r13d, %xmm3
  movdqa %xmm4, %xmm0
  vfmadd213ss (%rip), %xmm3, %xmm0
  vsubss (%rip), %xmm0, %xmm3
  movl $0xbf318000, %r13d
  vmovd %r13d, %xmm6
  movdqa %xmm3, %xmm5
  vfmadd213ss %xmm4, %xmm6, %xmm5
  movl $0x395e8083, %r13d
  vmovd %r13d, %xmm4
  vfmadd213ss %xmm5, %xmm4, %xmm3
  vmulss %xmm3, %xmm3, %xmm4
  movl $0x3950bf6d, %r13d
  vmovd %r13d, %xmm5
  vfmadd213ss (%rip), %xmm3, %xmm5
  vfmadd213ss (%rip), %xmm3, %xmm5
  vfmadd213ss (%rip), %xmm3, %xmm5
  vfmadd213ss (%rip), %xmm3, %xmm5
  vfmadd213ss (%rip), %xmm3, %xmm5
  vfmadd213ss %xmm3, %xmm5, %xmm4
  vaddss (%rip), %xmm4, %xmm3
  vmovd %xmm0, %r13d
  leal -0x4b3fff02(%r13), %r13d
  movq %r13, %r14
  shrl $1, %r14d
  movq %r14, %r15
  shll $0x17, %r15d
  vmovd %r15d, %xmm0
  vmulss %xmm0, %xmm3, %xmm0
  subl %r14d, %r13d
  shll $0x17, %r13d
  vmovd %r13d, %xmm3
  vmulss %xmm3, %xmm0, %xmm0
  vmovss %xmm0, (%r11, %rbx, 4)
  vaddss %xmm0, %xmm2, %xmm2
  movq %r12, %rbx
  jmp     label18
block20:
  movdqu <offset:1>+0x80(%rsp), %xmm1
  vmovss (%r10, %rsi, 4), %xmm3
  movl $0x3f800000, %ebx
  vmovd %ebx, %xmm0
  uninit  %xmm4
  vxorps %xmm4, %xmm4, %xmm10
  vucomiss (%rip), %xmm3
  movdqa %xmm10, %xmm11
  movss %xmm11, %xmm11; jnp $next; movss %xmm0, %xmm11; $next:
  movss %xmm11, %xmm11; jz $next; movss %xmm0, %xmm11; $next:
  vbroadcastss %xmm11, %xmm0
  movdqu <offset:1>+0xc0(%rsp), %xmm4
  vcmpneqps %xmm4, %xmm0, %xmm0
  movdqu <offset:1>+0x10(%rsp), %xmm6
  vaddps %xmm6, %xmm8, %xmm5
  vpshufd $0x1, %xmm5, %xmm6
  vaddss %xmm6, %xmm5, %xmm6
  vpshufd $0x2, %xmm5, %xmm7
  vaddss %xmm7, %xmm6, %xmm6
  vpshufd $0x3, %xmm5, %xmm5
  vaddss %xmm5, %xmm6, %xmm5
  vaddss %xmm2, %xmm5, %xmm8
  vbroadcastss %xmm8, %xmm2
  vmovups (%rip), %xmm5
  vucomiss (%rip), %xmm11
  movss %xmm10, %xmm10; jnp $next; movss %xmm3, %xmm10; $next:
  movss %xmm10, %xmm10; jz $next; movss %xmm3, %xmm10; $next:
  vbroadcastss %xmm10, %xmm9
  movq %rdi, %rbx
  jmp     label21
block21:
  leaq 8(%rbx), %r12
  cmpq %r8, %r12
  jnbe    label23; j label22
block22:
  vmovups (%r11, %rbx, 4), %xmm3
  vdivps %xmm2, %xmm3, %xmm6
  movdqu <offset:1>+0xa0(%rsp), %xmm3
  vmulps %xmm6, %xmm3, %xmm6
  vpblendvb %xmm0, %xmm6, %xmm4, %xmm6
  movq %rbx, %r13
  subq %rdi, %r13
  uninit  %xmm7
  vxorps %xmm7, %xmm7, %xmm7
  vcvtsi2ssq %r13, %xmm7, %xmm7
  vbroadcastss %xmm7, %xmm7
  vaddps %xmm5, %xmm7, %xmm7
  vcmpeqps %xmm9, %xmm7, %xmm7
  movdqu <offset:1>+0x30(%rsp), %xmm12
  vpblendvb %xmm7, %xmm12, %xmm4, %xmm7
  vmulps %xmm7, %xmm3, %xmm7
  vpblendvb %xmm0, %xmm7, %xmm4, %xmm7
  vsubps %xmm7, %xmm6, %xmm6
  vmovups %xmm6, (%r11, %rbx, 4)
  leaq 4(%rbx), %rbx
  vmovups (%r11, %rbx, 4), %xmm6
  vdivps %xmm2, %xmm6, %xmm6
  vmulps %xmm6, %xmm3, %xmm6
  vpblendvb %xmm0, %xmm6, %xmm4, %xmm6
  movq %rbx, %r13
  subq %rdi, %r13
  uninit  %xmm7
  vxorps %xmm7, %xmm7, %xmm7
  vcvtsi2ssq %r13, %xmm7, %xmm7
  vbroadcastss %xmm7, %xmm7
  vaddps %xmm5, %xmm7, %xmm7
  vcmpeqps %xmm9, %xmm7, %xmm7
  vpblendvb %xmm7, %xmm12, %xmm4, %xmm7
  vmulps %xmm7, %xmm3, %xmm7
  vpblendvb %xmm0, %xmm7, %xmm4, %xmm7
  vsubps %xmm7, %xmm6, %xmm6
  vmovups %xmm6, (%r11, %rbx, 4)
  movq %r12, %rbx
  jmp     label21
block23:
  movdqu <offset:1>+0xa0(%rsp), %xmm3
  jmp     label24
block24:
  leaq 4(%rbx), %r12
  cmpq %r8, %r12
  jnbe    label26; j label25
block25:
  vmovups (%r11, %rbx, 4), %xmm6
  vdivps %xmm2, %xmm6, %xmm6
  vmulps %xmm6, %xmm3, %xmm6
  vpblendvb %xmm0, %xmm6, %xmm4, %xmm6
  movq %rbx, %r13
  subq %rdi, %r13
  uninit  %xmm7
  vxorps %xmm7, %xmm7, %xmm7
  vcvtsi2ssq %r13, %xmm7, %xmm7
  vbroadcastss %xmm7, %xmm7
  vaddps %xmm5, %xmm7, %xmm7
  vcmpeqps %xmm9, %xmm7, %xmm7
  movdqu <offset:1>+0x30(%rsp), %xmm12
  vpblendvb %xmm7, %xmm12, %xmm4, %xmm7
  vmulps %xmm7, %xmm3, %xmm7
  vpblendvb %xmm0, %xmm7, %xmm4, %xmm7
  vsubps %xmm7, %xmm6, %xmm6
  vmovups %xmm6, (%r11, %rbx, 4)
  movq %r12, %rbx
  jmp     label24
block26:
  jmp     label27
block27:
  leaq 1(%rbx), %r12
  cmpq %r8, %r12
  jnbe    label29; j label28
block28:
  vmovss (%r11, %rbx, 4), %xmm0
  vdivss %xmm8, %xmm0, %xmm2
  movdqu <offset:1>+0xb0(%rsp), %xmm0
  vmulss %xmm2, %xmm0, %xmm6
  uninit  %xmm2
  vxorps %xmm2, %xmm2, %xmm2
  vucomiss (%rip), %xmm11
  movdqa %xmm2, %xmm5
  movss %xmm5, %xmm5; jnp $next; movss %xmm6, %xmm5; $next:
  movss %xmm5, %xmm5; jz $next; movss %xmm6, %xmm5; $next:
  movq %rbx, %r13
  subq %rdi, %r13
  uninit  %xmm6
  vxorps %xmm6, %xmm6, %xmm6
  vcvtsi2ssq %r13, %xmm6, %xmm7
  movl $0x3f800000, %r13d
  vmovd %r13d, %xmm6
  vucomiss %xmm10, %xmm7
  movss %xmm6, %xmm6; jnp $next; movss %xmm2, %xmm6; $next:
  movss %xmm6, %xmm6; jz $next; movss %xmm2, %xmm6; $next:
  vmulss %xmm6, %xmm0, %xmm6
  vucomiss (%rip), %xmm11
  movss %xmm2, %xmm2; jnp $next; movss %xmm6, %xmm2; $next:
  movss %xmm2, %xmm2; jz $next; movss %xmm6, %xmm2; $next:
  vsubss %xmm2, %xmm5, %xmm2
  vmovss %xmm2, (%r11, %rbx, 4)
  movq %r12, %rbx
  jmp     label27
block29:
  movdqu <offset:1>+0xb0(%rsp), %xmm0
  cvt_float32_to_sint64_sat_seq %xmm10, %r8, %rbx, %xmm2
  uninit  %rbx
  xorq %rbx, %rbx
  cmpq %r8, %rbx
  cmovgeq %rbx, %r8
  leaq -1(%rax), %rbx
  cmpq %r8, %rbx
  cmovlq %rbx, %r8
  leaq (%rdi, %r8), %rdi
  vmovss (%r9, %rdi, 4), %xmm2
  leaq 1(%rsi), %rsi
  vsubss %xmm1, %xmm2, %xmm2
  movl $0x7f800000, %edi
  vmovd %edi, %xmm5
  uninit  %xmm1
  vxorps %xmm1, %xmm1, %xmm1
  movl $0x800000, %edi
  vmovd %edi, %xmm6
  vmulss (%rip), %xmm8, %xmm7
  vucomiss %xmm8, %xmm6
  movdqa %xmm8, %xmm9
  movss %xmm9, %xmm9; jbe $next; movss %xmm7, %xmm9; $next:
  vmovd %xmm9, %edi
  leal 0x4afb0d(%rdi), %edi
  movq %rdi, %r8
  shrl $0x17, %r8d
  orl $0x4b000000, %r8d
  vmovd %r8d, %xmm7
  vsubss (%rip), %xmm7, %xmm7
  movl $0x41c00000, %r8d
  vmovd %r8d, %xmm9
  vucomiss %xmm8, %xmm6
  movdqa %xmm1, %xmm6
  movss %xmm6, %xmm6; jbe $next; movss %xmm9, %xmm6; $next:
  vsubss %xmm6, %xmm7, %xmm6
  andl $0x7fffff, %edi
  leal 0x3f3504f3(%rdi), %edi
  vmovd %edi, %xmm7
  vsubss (%rip), %xmm7, %xmm7
  vmulss (%rip), %xmm7, %xmm9
  vmulss %xmm7, %xmm9, %xmm9
  vaddss (%rip), %xmm7, %xmm10
  vdivss %xmm10, %xmm7, %xmm10
  vmulss %xmm10, %xmm10, %xmm12
  movl $0x3e9778b0, %edi
  vmovd %edi, %xmm13
  vfmadd213ss (%rip), %xmm12, %xmm13
  vfmadd213ss (%rip), %xmm12, %xmm13
  vmulss %xmm13, %xmm12, %xmm12
  vaddss %xmm12, %xmm9, %xmm12
  vmulss (%rip), %xmm6, %xmm13
  vfmadd213ss %xmm13, %xmm12, %xmm10
  vsubss %xmm10, %xmm9, %xmm9
  vsubss %xmm9, %xmm7, %xmm7
  movl $0x3f318000, %edi
  vmovd %edi, %xmm9
  vfmadd213ss %xmm7, %xmm9, %xmm6
  movl $0x7fc00000, %edi
  vmovd %edi, %xmm7
  vucomiss (%rip), %xmm8
  movss %xmm6, %xmm6; jnb $next; movss %xmm7, %xmm6; $next:
  movl $0xff800000, %edi
  vmovd %edi, %xmm7
  vucomiss (%rip), %xmm8
  movss %xmm7, %xmm7; jnp $next; movss %xmm6, %xmm7; $next:
  movss %xmm7, %xmm7; jz $next; movss %xmm6, %xmm7; $next:
  vucomiss (%rip), %xmm8
  movss %xmm5, %xmm5; jnp $next; movss %xmm7, %xmm5; $next:
  movss %xmm5, %xmm5; jz $next; movss %xmm7, %xmm5; $next:
  vsubss %xmm5, %xmm2, %xmm5
  movl $0x80000000, %edi
  vmovd %edi, %xmm6
  vxorps %xmm6, %xmm5, %xmm5
  vucomiss (%rip), %xmm11
  movss %xmm1, %xmm1; jnp $next; movss %xmm5, %xmm1; $next:
  movss %xmm1, %xmm1; jz $next; movss %xmm5, %xmm1; $next:
  uninit  %xmm2
  vxorpd %xmm2, %xmm2, %xmm5
  vcvtss2sd %xmm1, %xmm5, %xmm6
  movdqu <offset:1>+(%rsp), %xmm1
  vaddsd %xmm6, %xmm1, %xmm1
  movdqu %xmm1, <offset:1>+(%rsp)
  movdqu %xmm3, <offset:1>+0xa0(%rsp)
  movdqu %xmm4, <offset:1>+0xc0(%rsp)
  jmp     label1
block30:
  movdqu <offset:1>+(%rsp), %xmm1
  vmovsd %xmm1, (%rcx)
  movq 0xe0(%rsp), %rbx
  movq 0xe8(%rsp), %r12
  movq 0xf0(%rsp), %r13
  movq 0xf8(%rsp), %r14
  movq 0x100(%rsp), %r15
  addq $0x110, %rsp
  movq %rbp, %rsp
  popq %rbp
  retq
