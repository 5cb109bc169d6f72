; k_fault: a KolibriOS program that writes to kernel memory is terminated
; with a message naming it, the address and the kind of fault; the system
; keeps running. Prints "k_fault: still alive" only if the write did not
; kill it (which is a failure).
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_fault', 0

start:
    print 'k_fault: writing to 0xC0001000', 10
    mov dword [0xC0001000], 0xDEADBEEF
    print 'FAIL k_fault: still alive after writing to kernel memory', 10
    mov eax, -1
    int 0x40

image_end:
align 16
    rb 1024
stack_top:
memory_end:
