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
// Also the first "return" of every new thread: its kernel stack is built to
// look like an interrupted context (see Thread.cpp).
.global interrupt_return
interrupt_return:
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

// System-call gates: int 0x40 (KolibriOS personality), int 0x80 (native).
STUB_NO_ERROR 64
STUB_NO_ERROR 128

// Table of stub addresses for the IDT setup code, indexed by vector.
.section .rodata
.align 4
.global interrupt_stub_table
interrupt_stub_table:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
    .long interrupt_stub_\v
.endr
.global interrupt_stub_kolibri
interrupt_stub_kolibri:
    .long interrupt_stub_64
.global interrupt_stub_native
interrupt_stub_native:
    .long interrupt_stub_128

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

// void switch_context(u32* save_esp, u32 new_esp)
// Saves the callee-saved registers on the current kernel stack, stores the
// stack pointer in *save_esp, switches to new_esp and restores the registers
// saved there. A new thread's stack is prepared so that this "returns" into
// its start routine.
.global switch_context
switch_context:
    movl 4(%esp), %eax
    movl 8(%esp), %edx
    pushl %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl %esp, (%eax)
    movl %edx, %esp
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret

// int copy_user_bytes(void* destination, const void* source, u32 count)
// Copies between kernel and user memory. Returns 0, or 1 when a page fault
// in the copy could not be resolved: the page-fault handler sees an EIP
// inside [user_copy_start, user_copy_end) and resumes at user_copy_fault.
// Range checks happen in C++ (UserMemory.cpp) before this is called.
.global copy_user_bytes
.global user_copy_start
.global user_copy_end
.global user_copy_fault
copy_user_bytes:
    pushl %esi
    pushl %edi
    movl 12(%esp), %edi
    movl 16(%esp), %esi
    movl 20(%esp), %ecx
user_copy_start:
    rep movsb
user_copy_end:
    xorl %eax, %eax
    popl %edi
    popl %esi
    ret
user_copy_fault:
    movl $1, %eax
    popl %edi
    popl %esi
    ret

// First code of a new kernel thread (see Thread.cpp): switch_context
// "returns" here with the entry point in EBX and its argument in ESI.
.global kernel_thread_trampoline
kernel_thread_trampoline:
    sti
    pushl %esi
    call *%ebx
    addl $4, %esp
    pushl %eax
    call kernel_thread_exit
1:
    hlt
    jmp 1b
