; k_kx: header version 2 ("KX", tests/vm/test_kolibri_dll.py). The dword
; at +8 is 2, so the kernel loads /sys/lib/dll.obj (the test one,
; lib/dll.asm) and starts this program at the startup thunk stored just
; before dll.obj's export table; the thunk links the import table at +0x2C
; and calls the entry at +12. Arriving here with the imports linked shows
; all of it happened.
use32
org 0
    db 'MENUET01'
    dd 2, start, image_end, memory_end, stack_top, params, 0
    db 'KX', 0, 0
    dd 0x40             ; flags: bit 6, an import table follows
    dd imports

include 'ktest.inc'
test_name db 'k_kx', 0

start:
    mov eax, [math_add2]
    cmp eax, name_add2
    check ne, 'k_kx/linked', 'the import table was not linked'
    cmp [math_add2], name_add2
    je .end
    push 22
    push 20
    call [math_add2]
    cmp eax, 42
    check e, 'k_kx/add2', 'add2(20, 22) is not 42'
    call [math_get]
    cmp eax, 12345
    check e, 'k_kx/data', 'get_counter() is not 12345'
    ; dll.obj is in this process like any DLL: 68.19 returns its table.
    mov eax, 68
    mov ebx, 19
    mov ecx, path_dll
    int 0x40
    test eax, eax
    check nz, 'k_kx/dll_obj_loaded', '68.19 of /sys/lib/dll.obj returned 0'
.end:
    call finish

align 4
imports:
    dd math_table, math_name
    dd 0
math_table:
math_add2 dd name_add2
math_get dd name_get
    dd 0
math_name db 't_math.obj', 0
name_add2 db 'add2', 0
name_get db 'get_counter', 0
path_dll db '/sys/lib/dll.obj', 0

align 4
params rb 256
image_end:
    rb 4096
stack_top:
memory_end:
