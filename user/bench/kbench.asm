; kbench: the cost of a cheap KolibriOS function through int 0x40. Times
; BATCHES batches of CALLS calls of function 26.9 (tick count) with rdtsc
; and prints the median batch as TSC cycles per call on the debug board:
;     bench: syscall_kolibri_cycles=1234.5
; tools/bench.py turns the cycles into nanoseconds with the TSC frequency
; the native benchmark (bench) prints.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include '../tests/kolibri/ktest.inc'
test_name db 'kbench', 0

BATCHES = 31
CALLS = 1000

start:
    call time_batch             ; warm-up, not counted
    xor edi, edi
.batch:
    call time_batch
    mov [samples + edi * 4], eax
    inc edi
    cmp edi, BATCHES
    jb .batch

    ; Insertion sort of the samples; the median is the middle one.
    mov esi, 1
.outer:
    cmp esi, BATCHES
    jae .sorted
    mov eax, [samples + esi * 4]
    mov edi, esi
.inner:
    test edi, edi
    jz .place
    mov edx, [samples + edi * 4 - 4]
    cmp edx, eax
    jbe .place
    mov [samples + edi * 4], edx
    dec edi
    jmp .inner
.place:
    mov [samples + edi * 4], eax
    inc esi
    jmp .outer
.sorted:

    ; Tenths of a cycle per call, printed as whole.tenth.
    mov eax, [samples + (BATCHES / 2) * 4]
    xor edx, edx
    mov ebx, CALLS / 10
    div ebx
    xor edx, edx
    mov ebx, 10
    div ebx
    print 'bench: syscall_kolibri_cycles='
    call debug_decimal
    print '.'
    mov eax, edx
    call debug_decimal
    print 10
    mov eax, -1
    int 0x40

; time_batch: EAX = TSC cycles taken by CALLS calls of 26.9 (the low 32
; bits: a batch lasts far less than 2^32 cycles).
time_batch:
    push ebx esi edi
    rdtsc
    mov esi, eax
    mov edi, CALLS
.call:
    mov eax, 26
    mov ebx, 9
    int 0x40
    dec edi
    jnz .call
    rdtsc
    sub eax, esi
    pop edi esi ebx
    ret

image_end:
align 4
samples rd BATCHES
align 16
    rb 4096
stack_top:
memory_end:
