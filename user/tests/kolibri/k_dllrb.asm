; k_dllrb: a DLL that cannot go to its preferred base (tests/vm/test_kolibri_dll.py).
; Two 1 GiB heap blocks (68.12; reserved, never touched) cover
; 0x20000000-0xA0000000 and with it every preferred base (0x70000000-
; 0x80000000), so 68.19 must map t_math.obj elsewhere and add the
; difference at each DIR32 site, as KolibriOS' rebase_coff does. Then the
; calls and data must work as at the preferred base, and writes to the
; rebased pages stay in this process.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, params, 0

include 'ktest.inc'
test_name db 'k_dllrb', 0

; export name -> EAX = the value in the table at [math], 0 if missing
macro export name
{
    local ..name, ..skip
    jmp ..skip
..name db name, 0
..skip:
    mov esi, [math]
    mov edi, ..name
    call find_export
}

find_export:
    push ecx edx
.entry:
    mov ecx, [esi]
    test ecx, ecx
    jz .missing
    mov edx, edi
.compare:
    mov al, [ecx]
    cmp al, [edx]
    jne .next
    inc ecx
    inc edx
    test al, al
    jnz .compare
    mov eax, [esi + 4]
    pop edx ecx
    ret
.next:
    add esi, 8
    jmp .entry
.missing:
    xor eax, eax
    pop edx ecx
    ret

start:
    mov eax, 68
    mov ebx, 11
    int 0x40
    mov eax, 68
    mov ebx, 12
    mov ecx, 0x40000000
    int 0x40
    mov [block1], eax
    mov eax, 68
    mov ebx, 12
    mov ecx, 0x40000000
    int 0x40
    mov [block2], eax
    mov eax, [block1]
    cmp eax, 0x70000000
    check be, 'k_dllrb/block1', 'the first 1 GiB block is not below 0x70000000'
    mov eax, [block2]
    test eax, eax
    check nz, 'k_dllrb/block2', 'no second 1 GiB block'

    mov eax, 68
    mov ebx, 19
    mov ecx, path_math
    int 0x40
    mov [math], eax
    test eax, eax
    check nz, 'k_dllrb/load', '68.19 returned 0'
    cmp [math], 0
    je .end
    ; Not inside a heap block (so not at any preferred base).
    mov eax, [math]
    mov ecx, eax
    sub ecx, [block1]
    cmp ecx, 0x40000000
    jb .inside
    mov ecx, eax
    sub ecx, [block2]
    cmp ecx, 0x40000000
    jb .inside
    xor ecx, ecx
    jmp .placed
.inside:
    mov ecx, 1
.placed:
    mov eax, ecx
    test eax, eax
    check z, 'k_dllrb/elsewhere', 'the DLL was mapped over a heap block'
    mov eax, [math]
    cmp eax, 0x70000000
    jb .rebased
    cmp eax, 0x80000000
    jae .rebased
    mov eax, 0
    jmp .rebase_checked
.rebased:
    mov eax, 1
.rebase_checked:
    test eax, eax
    check nz, 'k_dllrb/not_preferred', 'the DLL is at a preferred base'

    export 'add2'
    push 40
    push 2
    call eax
    cmp eax, 42
    check e, 'k_dllrb/add2', 'add2(2, 40) is not 42'
    export 'twice_plus_one'
    push 7
    call eax
    cmp eax, 15
    check e, 'k_dllrb/rel32', 'twice_plus_one(7) is not 15'
    export 'get_counter'
    mov [get_counter], eax
    call eax
    cmp eax, 12345
    check e, 'k_dllrb/dir32_code', 'get_counter() is not 12345 after rebasing'
    export 'table_sum'
    call eax
    cmp eax, 123
    check e, 'k_dllrb/dir32_data', 'the data pointers were not rebased'
    export 'bss_sum'
    call eax
    cmp eax, 2048
    check e, 'k_dllrb/bss', 'the bss is not zero'
    export 'set_counter'
    push 99
    call eax
    call [get_counter]
    cmp eax, 99
    check e, 'k_dllrb/written', 'get_counter() after set_counter(99) is not 99'
    ; The same DLL again: the same (rebased) table.
    mov eax, 68
    mov ebx, 19
    mov ecx, path_math
    int 0x40
    cmp eax, [math]
    check e, 'k_dllrb/same_table', 'a second 68.19 returned another table'

    mov eax, 68
    mov ebx, 13
    mov ecx, [block1]
    int 0x40
    mov eax, 68
    mov ebx, 13
    mov ecx, [block2]
    int 0x40
.end:
    call finish

path_math db '/sys/lib/t_math.obj', 0

align 4
math dd 0
get_counter dd 0
block1 dd 0
block2 dd 0
params rb 256

image_end:
    rb 4096
stack_top:
memory_end:
