; k_badptr: wild pointers given to the kernel are refused with the
; documented failure value; the program keeps running. The pointers: null,
; the first kernel page, the very top of the address space, unmapped user
; memory, and sizes that cannot be satisfied.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_badptr', 0

; free_answers 'name', pointer, value: 68.13 on a pointer that is no heap
; block answers value. user_free (KolibriOS core/heap.inc) answers 0 only
; for a null pointer and 1 for any other user address that is no used block
; (its .cantfree path). A kernel address page-faults KolibriOS inside
; user_free and the process is killed; Colibri refuses it with 0 on
; purpose, and also the first page, where user_free reads kernel memory
; below page_tabs.
macro free_answers name, pointer, value
{
    mov eax, 68
    mov ebx, 13
    mov ecx, pointer
    int 0x40
    cmp eax, value
    check e, name, '68.13 of a wild pointer gave another answer (eax)'
}

start:
    mov eax, 68
    mov ebx, 11
    int 0x40

    free_answers 'k_badptr/free_null', 0, 0
    free_answers 'k_badptr/free_unmapped', 0x30000000, 1
    free_answers 'k_badptr/free_image_end', image_end + 0x1000, 1
    ; From here on KolibriOS kills the process (kernel page fault).
    free_answers 'k_badptr/free_image', start, 0
    free_answers 'k_badptr/free_kernel', 0xC0000000, 0
    free_answers 'k_badptr/free_top', 0xFFFFF000, 0

    ; 68.20 on a block that does not exist returns 0.
    mov eax, 68
    mov ebx, 20
    mov ecx, 4096
    mov edx, 0xC0001000
    int 0x40
    test eax, eax
    check z, 'k_badptr/realloc_kernel', '68.20 of a kernel pointer did not return 0'

    ; 68.12 of more than the address space returns 0.
    mov eax, 68
    mov ebx, 12
    mov ecx, 0xFFFFFFFF
    int 0x40
    test eax, eax
    check z, 'k_badptr/alloc_4gib', '68.12 of 4 GiB did not return 0'

    ; 51.1 with a null entry, or a stack that crosses into kernel space.
    mov eax, 51
    mov ebx, 1
    mov ecx, 0xFFFFFFFF
    mov edx, stack_top
    int 0x40
    cmp eax, -1
    check e, 'k_badptr/thread_entry_top', '51.1 with entry 0xFFFFFFFF was accepted'
    mov eax, 51
    mov ebx, 1
    mov ecx, start
    mov edx, 0xC0000002
    int 0x40
    cmp eax, -1
    check e, 'k_badptr/thread_stack_straddles', '51.1 with a stack crossing into the kernel was accepted'

    ; 64.1 to zero bytes is refused: the program would lose its own code.
    mov eax, 64
    mov ebx, 1
    xor ecx, ecx
    int 0x40
    cmp eax, 1
    check e, 'k_badptr/resize_zero', '64.1 to 0 bytes did not return 1'

    ; Still alive and the heap still works.
    mov eax, 68
    mov ebx, 12
    mov ecx, 100
    int 0x40
    test eax, eax
    check nz, 'k_badptr/heap_still_works', '68.12 failed after the wild pointers'

    call finish

image_end:
align 16
    rb 4096
stack_top:
memory_end:
