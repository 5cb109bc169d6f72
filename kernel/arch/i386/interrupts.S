// Interrupt entry stubs. Each vector gets a tiny stub that makes the stack
// look the same for every vector (a dummy error code where the CPU pushes
// none, then the vector number) and jumps to one common path that saves the
// registers as a TrapFrame (see Interrupts.h) and calls interrupt_dispatch.

.macro STUB_NO_ERROR vector
.global interrupt_stub_\vector
interrupt_stub_\vector:
    pushl $0
    pushl $\vector
    jmp interrupt_common
.endm

// Intel SDM vol. 3A, 6.13: these exceptions push an error code.
.macro STUB_ERROR vector
.global interrupt_stub_\vector
interrupt_stub_\vector:
    pushl $\vector
    jmp interrupt_common
.endm

.text
interrupt_common:
    pushal
    pushl %ds
    pushl %es
    pushl %fs
    pushl %gs
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    cld
    pushl %esp
    call interrupt_dispatch
    addl $4, %esp
    popl %gs
    popl %fs
    popl %es
    popl %ds
    popal
    addl $8, %esp
    iret

STUB_NO_ERROR 0
STUB_NO_ERROR 1
STUB_NO_ERROR 2
STUB_NO_ERROR 3
STUB_NO_ERROR 4
STUB_NO_ERROR 5
STUB_NO_ERROR 6
STUB_NO_ERROR 7
STUB_ERROR 8
STUB_NO_ERROR 9
STUB_ERROR 10
STUB_ERROR 11
STUB_ERROR 12
STUB_ERROR 13
STUB_ERROR 14
STUB_NO_ERROR 15
STUB_NO_ERROR 16
STUB_ERROR 17
STUB_NO_ERROR 18
STUB_NO_ERROR 19
STUB_NO_ERROR 20
STUB_ERROR 21
.irp v, 22,23,24,25,26,27,28,29,30,31
STUB_NO_ERROR \v
.endr
// Hardware interrupts after the PIC remap: IRQ 0-15 at vectors 32-47.
.irp v, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
STUB_NO_ERROR \v
.endr

// Table of stub addresses for the IDT setup code, indexed by vector.
.section .rodata
.align 4
.global interrupt_stub_table
interrupt_stub_table:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
    .long interrupt_stub_\v
.endr

// void gdt_load(const GdtPointer*, u16 code_selector, u16 data_selector)
.text
.global gdt_load
gdt_load:
    movl 4(%esp), %eax
    lgdt (%eax)
    movl 12(%esp), %eax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    // Reload CS with a far return to the next instruction.
    movl 8(%esp), %eax
    popl %ecx
    pushl %eax
    pushl %ecx
    lret
