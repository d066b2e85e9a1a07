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
  vmovups (%rax, %rsi, 4), %xmm5
  leaq 0x100(%rsi), %r8
  leaq -1(%rdx), %r9
  cmpq %r8, %r9
  cmovbq %r9, %r8
  vmovss (%rax, %r8, 4), %xmm6
  leaq 4(%rsi), %rsi
  vmovups (%rax, %rsi, 4), %xmm6
  vcmpneqps %xmm2, %xmm5, %xmm5
  vpblendvb %xmm5, %xmm3, %xmm4, %xmm5
  vcmpneqps %xmm2, %xmm6, %xmm6
  vpblendvb %xmm6, %xmm3, %xmm4, %xmm6
  vaddps %xmm6, %xmm5, %xmm5
  vcvtps2pd %xmm5, %xmm6
  vaddpd %xmm6, %xmm0, %xmm0
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
  vmovd %esi, %xmm4
  uninit  %xmm3
  vxorps %xmm3, %xmm3, %xmm3
  vucomiss (%rip), %xmm5
  movss %xmm3, %xmm3; jnp $next; movss %xmm4, %xmm3; $next:
  movss %xmm3, %xmm3; jz $next; movss %xmm4, %xmm3; $next:
  uninit  %xmm4
  vxorpd %xmm4, %xmm4, %xmm4
  vcvtss2sd %xmm3, %xmm4, %xmm6
  vaddsd %xmm6, %xmm2, %xmm2
  movq %rdi, %rsi
  jmp     label4
block6:
  vaddpd %xmm1, %xmm0, %xmm5
  vpshufd $0xee, %xmm5, %xmm6
  vaddsd %xmm6, %xmm5, %xmm5
  vaddsd %xmm5, %xmm2, %xmm5
  vmovsd %xmm5, (%rcx)
  movq %rbp, %rsp
  popq %rbp
  retq
; pass 1
  pushq %rbp
  unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
  movq %rsp, %rbp
  unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 48 }
  subq $0x100, %rsp
  movq %rbx, 0xd0(%rsp)
  unwind SaveReg { clobber_offset: 0, reg: p3i }
  movq %r12, 0xd8(%rsp)
  unwind SaveReg { clobber_offset: 8, reg: p12i }
  movq %r13, 0xe0(%rsp)
  unwind SaveReg { clobber_offset: 16, reg: p13i }
  movq %r14, 0xe8(%rsp)
  unwind SaveReg { clobber_offset: 24, reg: p14i }
  movq %r15, 0xf0(%rsp)
  unwind SaveReg { clobber_offset: 32, reg: p15i }
block0:
  movq 0x18(%rdi), %rax
  vmovsd 0x20(%rax), %xmm0
  vmovsd 8(%rax), %xmm0
  vmovsd (%rax), %xmm0
  vmovsd 0x40(%rax), %xmm0
  movq (%rdi), %rax
  movq 8(%rdi), %r13
  movq 0x10(%rdi), %r8
  movq 0x20(%rdi), %rdi
  movq 8(%rdi), %r9
  uninit  %xmm1
  vxorpd %xmm1, %xmm1, %xmm4
  movdqu %xmm4, <offset:1>+(%rsp)
  vmovups (%rip), %xmm3
  movdqu %xmm3, <offset:1>+0xc0(%rsp)
  uninit  %xmm1
  vxorps %xmm1, %xmm1, %xmm6
  vcmpunordps %xmm6, %xmm6, %xmm1
  movdqu %xmm1, <offset:1>+0xa0(%rsp)
  movdqu %xmm6, <offset:1>+0xb0(%rsp)
  uninit  %xmm1
  vxorps %xmm1, %xmm1, %xmm1
  vcvtsd2ss %xmm0, %xmm1, %xmm5
  vbroadcastss %xmm5, %xmm2
  movdqu %xmm2, <offset:1>+0x80(%rsp)
  movdqu %xmm5, <offset:1>+0x90(%rsp)
  jmp     label1
block1:
  cmpq %rdx, %rsi
  jnb     label30; j label2
block2:
  movq %rsi, %r10
  imulq %r9, %r10
  leaq (%r10, %r9), %r11
  movq %r10, %rbx
  movdqu <offset:1>+0xc0(%rsp), %xmm0
  movdqu <offset:1>+0xc0(%rsp), %xmm1
  movdqu <offset:1>+0xa0(%rsp), %xmm2
  movdqu <offset:1>+0xa0(%rsp), %xmm3
  jmp     label3
block3:
  leaq 8(%rbx), %r12
  cmpq %r11, %r12
  jnbe    label5; j label4
block4:
  vmovups (%rax, %rbx, 4), %xmm5
  leaq 4(%rbx), %rdi
  vmovups (%rax, %rdi, 4), %xmm4
  vmaxps %xmm5, %xmm0, %xmm0
  vcmpunordps %xmm5, %xmm5, %xmm5
  vpor %xmm5, %xmm2, %xmm2
  vmaxps %xmm4, %xmm1, %xmm1
  vcmpunordps %xmm4, %xmm4, %xmm4
  vpor %xmm4, %xmm3, %xmm3
  movq %r12, %rbx
  jmp     label3
block5:
  jmp     label6
block6:
  leaq 4(%rbx), %rdi
  cmpq %r11, %rdi
  jnbe    label8; j label7
block7:
  vmovups (%rax, %rbx, 4), %xmm4
  vmaxps %xmm4, %xmm0, %xmm0
  vcmpunordps %xmm4, %xmm4, %xmm4
  vpor %xmm4, %xmm2, %xmm2
  movq %rdi, %rbx
  jmp     label6
block8:
  movl $0xff800000, %edi
  vmovd %edi, %xmm4
  jmp     label9
block9:
  leaq 1(%rbx), %r12
  cmpq %r11, %r12
  jnbe    label11; j label10
block10:
  vmovss (%rax, %rbx, 4), %xmm5
  vucomiss %xmm4, %xmm5
  seta %dil
  vucomiss %xmm5, %xmm5
  setp %bl
  orl %ebx, %edi
  testb %dil, %dil
  movss %xmm4, %xmm4; jz $next; movss %xmm5, %xmm4; $next:
  movq %r12, %rbx
  jmp     label9
block11:
  vpor %xmm3, %xmm2, %xmm2
  movl $0x7fc00000, %edi
  vmovd %edi, %xmm3
  vmaxps %xmm1, %xmm0, %xmm5
  vmaxps %xmm0, %xmm1, %xmm0
  vxorps %xmm0, %xmm5, %xmm0
  vorps %xmm0, %xmm5, %xmm1
  vsubps %xmm0, %xmm1, %xmm0
  vcmpunordps %xmm1, %xmm1, %xmm1
  vpsrld $0xa, %xmm1, %xmm1
  vandnps %xmm0, %xmm1, %xmm0
  vpshufd $0x1, %xmm0, %xmm1
  xmm max seq f32 %xmm0, %xmm1, %xmm1
  vpshufd $0x2, %xmm0, %xmm5
  xmm max seq f32 %xmm1, %xmm5, %xmm5
  vpshufd $0x3, %xmm0, %xmm0
  xmm max seq f32 %xmm5, %xmm0, %xmm0
  xmm max seq f32 %xmm0, %xmm4, %xmm4
  vptest %xmm2, %xmm2
  movss %xmm4, %xmm4; jz $next; movss %xmm3, %xmm4; $next:
  vbroadcastss %xmm4, %xmm10
  movdqu %xmm10, <offset:1>+0x60(%rsp)
  movdqu %xmm4, <offset:1>+0x70(%rsp)
  vmovups (%rip), %xmm11
  movdqu %xmm11, <offset:1>+0x50(%rsp)
  vmovups (%rip), %xmm13
  movdqu %xmm13, <offset:1>+0x40(%rsp)
  vmovups (%rip), %xmm12
  vmovups (%rip), %xmm14
  vmovups (%rip), %xmm15
  vmovups (%rip), %xmm1
  movdqa %xmm1, %xmm10
  vmovups (%rip), %xmm3
  movdqa %xmm3, %xmm11
  vmovups (%rip), %xmm0
  movdqa %xmm0, %xmm13
  vmovups (%rip), %xmm4
  movdqu %xmm4, <offset:1>+0x30(%rsp)
  vmovups (%rip), %xmm4
  vmovups (%rip), %xmm5
  vmovups (%rip), %xmm2
  vmovdqu (%rip), %xmm8
  movq %r10, %rbx
  movdqu <offset:1>+0xb0(%rsp), %xmm0
  movdqu %xmm0, <offset:1>+0x10(%rsp)
  movdqu %xmm0, <offset:1>+0x20(%rsp)
  jmp     label12
block12:
  leaq 8(%rbx), %r12
  cmpq %r11, %r12
  jnbe    label14; j label13
block13:
  vmovups (%rax, %rbx, 4), %xmm0
  movdqu <offset:1>+0x60(%rsp), %xmm3
  vsubps %xmm3, %xmm0, %xmm0
  movdqu <offset:1>+0x50(%rsp), %xmm1
  vmaxps %xmm0, %xmm1, %xmm0
  movdqu <offset:1>+0x40(%rsp), %xmm1
  movdqa %xmm0, %xmm6
  vfmadd213ps %xmm12, %xmm1, %xmm6
  vsubps %xmm12, %xmm6, %xmm7
  movdqa %xmm7, %xmm1
  vfmadd213ps %xmm0, %xmm15, %xmm1
  vfmadd213ps %xmm1, %xmm14, %xmm7
  vmulps %xmm7, %xmm7, %xmm9
  movdqa %xmm10, %xmm1
  movdqa %xmm11, %xmm10
  movdqa %xmm1, %xmm3
  vfmadd213ps %xmm10, %xmm7, %xmm3
  movdqa %xmm13, %xmm11
  vfmadd213ps %xmm11, %xmm7, %xmm3
  movdqu <offset:1>+0x30(%rsp), %xmm13
  vfmadd213ps %xmm13, %xmm7, %xmm3
  vfmadd213ps %xmm4, %xmm7, %xmm3
  vfmadd213ps %xmm5, %xmm7, %xmm3
  vfmadd213ps %xmm7, %xmm3, %xmm9
  vaddps %xmm2, %xmm9, %xmm0
  vpaddd %xmm8, %xmm6, %xmm3
  vpsrld $0x1, %xmm3, %xmm6
  vpslld $0x17, %xmm6, %xmm7
  vmulps %xmm7, %xmm0, %xmm0
  vpsubd %xmm6, %xmm3, %xmm3
  vpslld $0x17, %xmm3, %xmm3
  vmulps %xmm3, %xmm0, %xmm6
  vmovups %xmm6, (%r8, %rbx, 4)
  leaq 4(%rbx), %rbx
  vmovups (%rax, %rbx, 4), %xmm0
  movdqu <offset:1>+0x60(%rsp), %xmm3
  vsubps %xmm3, %xmm0, %xmm0
  movdqu <offset:1>+0x50(%rsp), %xmm3
  vmaxps %xmm0, %xmm3, %xmm0
  movdqu <offset:1>+0x40(%rsp), %xmm3
  movdqa %xmm0, %xmm7
  vfmadd213ps %xmm12, %xmm3, %xmm7
  vsubps %xmm12, %xmm7, %xmm9
  movdqa %xmm9, %xmm3
  vfmadd213ps %xmm0, %xmm15, %xmm3
  vfmadd213ps %xmm3, %xmm14, %xmm9
  vmulps %xmm9, %xmm9, %xmm3
  movdqa %xmm1, %xmm0
  vfmadd213ps %xmm10, %xmm9, %xmm0
  vfmadd213ps %xmm11, %xmm9, %xmm0
  vfmadd213ps %xmm13, %xmm9, %xmm0
  vfmadd213ps %xmm4, %xmm9, %xmm0
  vfmadd213ps %xmm5, %xmm9, %xmm0
  vfmadd213ps %xmm9, %xmm0, %xmm3
  vaddps %xmm2, %xmm3, %xmm0
  vpaddd %xmm8, %xmm7, %xmm3
  vpsrld $0x1, %xmm3, %xmm7
  vpslld $0x17, %xmm7, %xmm9
  vmulps %xmm9, %xmm0, %xmm0
  vpsubd %xmm7, %xmm3, %xmm3
  vpslld $0x17, %xmm3, %xmm3
  vmulps %xmm3, %xmm0, %xmm0
  vmovups %xmm0, (%r8, %rbx, 4)
  movdqu <offset:1>+0x20(%rsp), %xmm7
  vaddps %xmm6, %xmm7, %xmm7
  movdqu <offset:1>+0x10(%rsp), %xmm9
  vaddps %xmm0, %xmm9, %xmm9
  movdqu %xmm9, <offset:1>+0x10(%rsp)
  movq %r12, %rbx
  movdqu %xmm7, <offset:1>+0x20(%rsp)
  movdqa %xmm11, %xmm13
  movdqa %xmm10, %xmm11
  movdqa %xmm1, %xmm10
  jmp     label12
block14:
  movdqu <offset:1>+0x20(%rsp), %xmm7
  movdqa %xmm10, %xmm1
  movdqa %xmm11, %xmm10
  movdqa %xmm13, %xmm11
  movdqu <offset:1>+0x30(%rsp), %xmm13
  jmp     label15
block15:
  leaq 4(%rbx), %r12
  cmpq %r11, %r12
  jnbe    label17; j label16
block16:
  vmovups (%rax, %rbx, 4), %xmm0
  movdqu <offset:1>+0x60(%rsp), %xmm3
  vsubps %xmm3, %xmm0, %xmm0
  movdqu <offset:1>+0x50(%rsp), %xmm3
  vmaxps %xmm0, %xmm3, %xmm0
  movdqu <offset:1>+0x40(%rsp), %xmm3
  movdqa %xmm0, %xmm6
  vfmadd213ps %xmm12, %xmm3, %xmm6
  vsubps %xmm12, %xmm6, %xmm9
  movdqa %xmm9, %xmm3
  vfmadd213ps %xmm0, %xmm15, %xmm3
  vfmadd213ps %xmm3, %xmm14, %xmm9
  vmulps %xmm9, %xmm9, %xmm3
  movdqa %xmm1, %xmm0
  vfmadd213ps %xmm10, %xmm9, %xmm0
  vfmadd213ps %xmm11, %xmm9, %xmm0
  vfmadd213ps %xmm13, %xmm9, %xmm0
  vfmadd213ps %xmm4, %xmm9, %xmm0
  vfmadd213ps %xmm5, %xmm9, %xmm0
  vfmadd213ps %xmm9, %xmm0, %xmm3
  vaddps %xmm2, %xmm3, %xmm0
  vpaddd %xmm8, %xmm6, %xmm3
  vpsrld $0x1, %xmm3, %xmm6
  vpslld $0x17, %xmm6, %xmm9
  vmulps %xmm9, %xmm0, %xmm0
  vpsubd %xmm6, %xmm3, %xmm3
  vpslld $0x17, %xmm3, %xmm3
  vmulps %xmm3, %xmm0, %xmm0
  vmovups %xmm0, (%r8, %rbx, 4)
  vaddps %xmm0, %xmm7, %xmm7
  movq %r12, %rbx
  jmp     label15
block17:
  uninit  %xmm0
  vxorps %xmm0, %xmm0, %xmm0
  jmp     label18
block18:
  leaq 1(%rbx), %r12
  cmpq %r11, %r12
  jnbe    label20; j label19
block19:
  vmovss (%rax, %rbx, 4), %xmm1
  movdqu <offset:1>+0x70(%rsp), %xmm3
  vsubss %xmm3, %xmm1, %xmm1
  movl $0xc2dc0000, %edi
  vmovd %edi, %xmm2
  vmaxss %xmm1, %xmm2, %xmm4
  movl $0x3fb8aa3b, %edi
  vmovd %edi, %xmm2
  movdqa %xmm4, %xmm1
  vfmadd213ss (%rip), %xmm2, %xmm1
  vsubss (%rip), %xmm1, %xmm2
  movl $0xbf318000, %edi
  vmovd %edi, %xmm6
  movdqa %xmm2, %xmm5
  vfmadd213ss %xmm4, %xmm6, %xmm5
  movl $0x395e8083, %edi
  vmovd %edi, %xmm4
  vfmadd213ss %xmm5, %xmm4, %xmm2
  vmulss %xmm2, %xmm2, %xmm4
  movl $0x3950bf6d, %edi
  vmovd %edi, %xmm5
  vfmadd213ss (%rip), %xmm2, %xmm5
  vfmadd213ss (%rip), %xmm2, %xmm5
  vfmadd213ss (%rip), %xmm2, %xmm5
  vfmadd213ss (%rip), %xmm2, %xmm5
  vfmadd213ss (%rip), %xmm2, %xmm5
  vfmadd213ss %xmm2, %xmm5, %xmm4
  vaddss (%rip), %xmm4, %xmm2
  vmovd %xmm1, %edi
  leal -0x4b3fff02(%rdi), %edi
  movq %rdi, %r14
  shrl $1, %r14d
  movq %r14, %r15
  shll $0x17, %r15d
  vmovd %r15d, %xmm1
  vmulss %xmm1, %xmm2, %xmm1
  subl %r14d, %edi
  shll $0x17, %edi
  vmovd %edi, %xmm2
  vmulss %xmm2, %xmm1, %xmm1
  vmovss %xmm1, (%r8, %rbx, 4)
  vaddss %xmm1, %xmm0, %xmm0
  movq %r12, %rbx
  jmp     label18
block20:
  movdqu <offset:1>+0x70(%rsp), %xmm3
  vmovss (%r13, %rsi, 4), %xmm5
  movl $0x3f800000, %edi
  vmovd %edi, %xmm1
  uninit  %xmm2
  vxorps %xmm2, %xmm2, %xmm9
  vucomiss (%rip), %xmm5
  movss %xmm9, %xmm9; jnp $next; movss %xmm1, %xmm9; $next:
  movss %xmm9, %xmm9; jz $next; movss %xmm1, %xmm9; $next:
  vbroadcastss %xmm9, %xmm1
  movdqu <offset:1>+0xb0(%rsp), %xmm2
  vcmpneqps %xmm2, %xmm1, %xmm4
  movdqu <offset:1>+0x10(%rsp), %xmm1
  vaddps %xmm1, %xmm7, %xmm1
  vpshufd $0x1, %xmm1, %xmm6
  vaddss %xmm6, %xmm1, %xmm6
  vpshufd $0x2, %xmm1, %xmm7
  vaddss %xmm7, %xmm6, %xmm6
  vpshufd $0x3, %xmm1, %xmm1
  vaddss %xmm1, %xmm6, %xmm1
  vaddss %xmm0, %xmm1, %xmm7
  vbroadcastss %xmm7, %xmm0
  movq %r10, %rbx
  jmp     label21
block21:
  leaq 8(%rbx), %r12
  cmpq %r11, %r12
  jnbe    label23; j label22
block22:
  vmovups (%r8, %rbx, 4), %xmm1
  vdivps %xmm0, %xmm1, %xmm6
  movdqu <offset:1>+0x80(%rsp), %xmm1
  vmulps %xmm6, %xmm1, %xmm6
  vpblendvb %xmm4, %xmm6, %xmm2, %xmm6
  vmovups %xmm6, (%r8, %rbx, 4)
  leaq 4(%rbx), %rdi
  vmovups (%r8, %rdi, 4), %xmm6
  vdivps %xmm0, %xmm6, %xmm6
  vmulps %xmm6, %xmm1, %xmm6
  vpblendvb %xmm4, %xmm6, %xmm2, %xmm6
  vmovups %xmm6, (%r8, %rdi, 4)
  movq %r12, %rbx
  jmp     label21
block23:
  movdqu <offset:1>+0x80(%rsp), %xmm1
  jmp     label24
block24:
  leaq 4(%rbx), %r12
  cmpq %r11, %r12
  jnbe    label26; j label25
block25:
  vmovups (%r8, %rbx, 4), %xmm6
  vdivps %xmm0, %xmm6, %xmm6
  vmulps %xmm6, %xmm1, %xmm6
  vpblendvb %xmm4, %xmm6, %xmm2, %xmm6
  vmovups %xmm6, (%r8, %rbx, 4)
  movq %r12, %rbx
  jmp     label24
block26:
  jmp     label27
block27:
  leaq 1(%rbx), %r12
  cmpq %r11, %r12
  jnbe    label29; j label28
block28:
  vmovss (%r8, %rbx, 4), %xmm6
  vdivss %xmm7, %xmm6, %xmm6
  movdqu <offset:1>+0x90(%rsp), %xmm0
  vmulss %xmm6, %xmm0, %xmm6
  uninit  %xmm4
  vxorps %xmm4, %xmm4, %xmm4
  vucomiss (%rip), %xmm9
  movss %xmm4, %xmm4; jnp $next; movss %xmm6, %xmm4; $next:
  movss %xmm4, %xmm4; jz $next; movss %xmm6, %xmm4; $next:
  vmovss %xmm4, (%r8, %rbx, 4)
  movq %r12, %rbx
  jmp     label27
block29:
  movdqu <offset:1>+0x90(%rsp), %xmm0
  uninit  %xmm4
  vxorps %xmm4, %xmm4, %xmm4
  vucomiss (%rip), %xmm9
  movdqa %xmm4, %xmm6
  movss %xmm6, %xmm6; jnp $next; movss %xmm5, %xmm6; $next:
  movss %xmm6, %xmm6; jz $next; movss %xmm5, %xmm6; $next:
  cvt_float32_to_sint64_sat_seq %xmm6, %rdi, %r11, %xmm5
  uninit  %r11
  xorq %r11, %r11
  cmpq %rdi, %r11
  cmovgeq %r11, %rdi
  leaq -1(%r9), %r11
  cmpq %rdi, %r11
  cmovlq %r11, %rdi
  leaq (%r10, %rdi), %r10
  vmovss (%r8, %r10, 4), %xmm5
  vucomiss (%rip), %xmm9
  movdqa %xmm4, %xmm6
  movss %xmm6, %xmm6; jnp $next; movss %xmm0, %xmm6; $next:
  movss %xmm6, %xmm6; jz $next; movss %xmm0, %xmm6; $next:
  vsubss %xmm6, %xmm5, %xmm5
  vmovss %xmm5, (%r8, %r10, 4)
  vmovss (%rax, %r10, 4), %xmm5
  leaq 1(%rsi), %rsi
  vsubss %xmm3, %xmm5, %xmm3
  movl $0x7f800000, %r10d
  vmovd %r10d, %xmm5
  movl $0x800000, %r10d
  vmovd %r10d, %xmm6
  vmulss (%rip), %xmm7, %xmm11
  vucomiss %xmm7, %xmm6
  movdqa %xmm7, %xmm12
  movss %xmm12, %xmm12; jbe $next; movss %xmm11, %xmm12; $next:
  vmovd %xmm12, %edi
  leal 0x4afb0d(%rdi), %r10d
  movq %r10, %r11
  shrl $0x17, %r11d
  orl $0x4b000000, %r11d
  vmovd %r11d, %xmm12
  vsubss (%rip), %xmm12, %xmm12
  movl $0x41c00000, %r11d
  vmovd %r11d, %xmm13
  vucomiss %xmm7, %xmm6
  movdqa %xmm4, %xmm6
  movss %xmm6, %xmm6; jbe $next; movss %xmm13, %xmm6; $next:
  vsubss %xmm6, %xmm12, %xmm6
  andl $0x7fffff, %r10d
  leal 0x3f3504f3(%r10), %edi
  vmovd %edi, %xmm13
  vsubss (%rip), %xmm13, %xmm13
  vmulss (%rip), %xmm13, %xmm14
  vmulss %xmm13, %xmm14, %xmm14
  vaddss (%rip), %xmm13, %xmm15
  vdivss %xmm15, %xmm13, %xmm8
  vmulss %xmm8, %xmm8, %xmm15
  movl $0x3e9778b0, %edi
  vmovd %edi, %xmm11
  vfmadd213ss (%rip), %xmm15, %xmm11
  vfmadd213ss (%rip), %xmm15, %xmm11
  vmulss %xmm11, %xmm15, %xmm15
  vaddss %xmm15, %xmm14, %xmm15
  vmulss (%rip), %xmm6, %xmm10
  vfmadd213ss %xmm10, %xmm15, %xmm8
  vsubss %xmm8, %xmm14, %xmm14
  vsubss %xmm14, %xmm13, %xmm13
  movl $0x3f318000, %edi
  vmovd %edi, %xmm14
  vfmadd213ss %xmm13, %xmm14, %xmm6
  movl $0x7fc00000, %edi
  vmovd %edi, %xmm14
  vucomiss (%rip), %xmm7
  movss %xmm6, %xmm6; jnb $next; movss %xmm14, %xmm6; $next:
  movl $0xff800000, %edi
  vmovd %edi, %xmm13
  vucomiss (%rip), %xmm7
  movss %xmm13, %xmm13; jnp $next; movss %xmm6, %xmm13; $next:
  movss %xmm13, %xmm13; jz $next; movss %xmm6, %xmm13; $next:
  vucomiss (%rip), %xmm7
  movss %xmm5, %xmm5; jnp $next; movss %xmm13, %xmm5; $next:
  movss %xmm5, %xmm5; jz $next; movss %xmm13, %xmm5; $next:
  vsubss %xmm5, %xmm3, %xmm3
  movl $0x80000000, %edi
  vmovd %edi, %xmm5
  vxorps %xmm5, %xmm3, %xmm3
  vucomiss (%rip), %xmm9
  movss %xmm4, %xmm4; jnp $next; movss %xmm3, %xmm4; $next:
  movss %xmm4, %xmm4; jz $next; movss %xmm3, %xmm4; $next:
  uninit  %xmm3
  vxorpd %xmm3, %xmm3, %xmm3
  vcvtss2sd %xmm4, %xmm3, %xmm3
  movdqu <offset:1>+(%rsp), %xmm4
  vaddsd %xmm3, %xmm4, %xmm4
  movdqu %xmm4, <offset:1>+(%rsp)
  movdqu %xmm1, <offset:1>+0x80(%rsp)
  movdqu %xmm2, <offset:1>+0xb0(%rsp)
  jmp     label1
block30:
  movdqu <offset:1>+(%rsp), %xmm4
  vmovsd %xmm4, (%rcx)
  movq 0xd0(%rsp), %rbx
  movq 0xd8(%rsp), %r12
  movq 0xe0(%rsp), %r13
  movq 0xe8(%rsp), %r14
  movq 0xf0(%rsp), %r15
  addq $0x100, %rsp
  movq %rbp, %rsp
  popq %rbp
  retq
