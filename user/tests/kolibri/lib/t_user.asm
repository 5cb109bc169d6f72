; t_user.obj: a test DLL that needs another DLL (tests/vm/test_kolibri_dll.py).
; As http.obj or libimg.obj do, it does not ask the kernel to link its
; imports (the kernel never does): its lib_init loads t_math.obj through the
; program's loader, whose address comes in EDX, with an import table of its
; own, and keeps a block from the program's mem.Alloc (EAX).
format MS COFF

public EXPORTS

section '.text' code readable executable align 16

; lib_init: EAX = mem.Alloc, EBX = mem.Free, ECX = mem.ReAlloc, EDX = dll.Load.
lib_init:
    inc [init_calls]
    push edx
    push 100
    call eax
    mov [block], eax
    pop edx
    push imports
    call edx
    mov [load_result], eax
    ret

; stdcall user_compute(x) = t_math.add2(x, 100) + t_math.twice_plus_one(x)
user_compute:
    push ebx
    mov ebx, [esp + 8]
    push 100
    push ebx
    call [math_add2]
    push eax
    push ebx
    call [math_twice]
    pop ecx
    add eax, ecx
    pop ebx
    ret 4

; EAX = the block lib_init got from mem.Alloc (0 if none), after writing
; and reading it back.
user_block:
    mov eax, [block]
    test eax, eax
    jz .done
    mov dword [eax + 96], 0x5A5A5A5A
    cmp dword [eax + 96], 0x5A5A5A5A
    je .done
    xor eax, eax
.done:
    ret

section '.data' data readable writable align 16

init_calls dd 0
block dd 0
load_result dd -1

; The import table for the program's loader.
imports:
    dd math_table, math_name
    dd 0
math_table:
math_add2 dd name_add2
math_twice dd name_twice
    dd 0
math_name db 't_math.obj', 0
name_add2 db 'add2', 0
name_twice db 'twice_plus_one', 0

align 4
EXPORTS:
    dd name_lib_init, lib_init
    dd name_compute, user_compute
    dd name_block, user_block
    dd name_init_calls, init_calls
    dd name_load_result, load_result
    dd 0

name_lib_init db 'lib_init', 0
name_compute db 'user_compute', 0
name_block db 'user_block', 0
name_init_calls db 'init_calls', 0
name_load_result db 'load_result', 0
