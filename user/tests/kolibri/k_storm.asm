; k_storm: a program that makes 10000 calls of functions that do not
; exist (KolibriOS answers them with EAX = -1, undefined_syscall in
; kernel.asm) must not flood the kernel log: tests/vm/test_programs.py
; counts the log lines it causes and checks that the shell still answers.
; Calls, in this order: 3000 of 68 with subfunctions 200 + i mod 500,
; 3000 of function 250, 4000 of function 100 + i mod 100 (100 numbers;
; KolibriOS reads only AL, and 81-254 are all undefined there).
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_storm', 0

start:
    xor ebp, ebp                ; calls that did not answer -1
    xor edi, edi
.subfunctions:
    mov eax, edi
    xor edx, edx
    mov ecx, 500
    div ecx
    lea ebx, [edx + 200]
    mov eax, 68
    int 0x40
    cmp eax, -1
    je @f
    inc ebp
@@:
    inc edi
    cmp edi, 3000
    jb .subfunctions

    xor edi, edi
.one_function:
    mov eax, 250
    int 0x40
    cmp eax, -1
    je @f
    inc ebp
@@:
    inc edi
    cmp edi, 3000
    jb .one_function

    xor edi, edi
.many_functions:
    mov eax, edi
    xor edx, edx
    mov ecx, 100
    div ecx
    lea eax, [edx + 100]
    int 0x40
    cmp eax, -1
    je @f
    inc ebp
@@:
    inc edi
    cmp edi, 4000
    jb .many_functions

    mov eax, ebp
    test eax, eax
    check z, 'k_storm/minus_one', 'unknown functions did not all answer -1 (eax = how many did not)'
    call finish

image_end:
align 16
    rb 4096
stack_top:
memory_end:
