; k_fpux87: x87 divide by zero, masked then unmasked (FLDCW with ZM clear);
; see k_fpuexc.inc.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_fpux87', 0
include 'k_fpuexc.inc'

start:
    fld dword [one]
    fdiv dword [zero]           ; masked: +infinity, ZE flagged, no fault
    fstp dword [result]
    fwait
    mov eax, [result]
    cmp eax, infinity_single
    check e, 'k_fpux87/masked', '1/0 with ZM set is not +infinity (eax)'
    fnclex
    fnstcw word [control]
    and word [control], not 4   ; clear ZM (bit 2)
    fldcw word [control]
    print 'k_fpux87: dividing by zero with the exception unmasked', 10
    fld dword [one]
    fdiv dword [zero]           ; ZE flagged and unmasked: pending
    fwait                       ; the #MF is raised here
    print 'FAIL k_fpux87: still alive after an unmasked x87 divide by zero', 10
    mov eax, -1
    int 0x40

image_end:
align 16
    rb 1024
stack_top:
memory_end:
