; t_math.obj: a test DLL for functions 68.18/68.19 (tests/vm/test_kolibri_dll.py).
; An MS COFF object in the KolibriOS convention: a public EXPORTS table of
; {name, value} pairs ended by 0, lib_init first. Three sections with
; different alignments (code 16, data 4096 by default, bss 8), DIR32
; relocations (pointers, absolute loads), REL32 ones (calls into the other
; code section) and a zero-filled section.
format MS COFF

public EXPORTS

section '.text' code readable executable align 16

; lib_init: EAX = mem.Alloc, EBX = mem.Free, ECX = mem.ReAlloc, EDX = dll.Load.
lib_init:
    inc [init_calls]
    mov [saved_alloc], eax
    ret

; stdcall add2(a, b) = a + b
add2:
    mov eax, [esp + 4]
    add eax, [esp + 8]
    ret 8

; stdcall twice_plus_one(x): through a function in the other code section
; (a REL32 call).
twice_plus_one:
    mov eax, [esp + 4]
    call double_it
    inc eax
    ret 4

get_counter:
    mov eax, [counter]
    ret

; stdcall set_counter(value)
set_counter:
    mov eax, [esp + 4]
    mov [counter], eax
    ret 4

; The sum of the bss array (zero unless someone wrote it) plus its size.
bss_sum:
    xor eax, eax
    mov ecx, bss_words
    mov edx, bss_array
.add:
    add eax, [edx]
    add edx, 4
    dec ecx
    jnz .add
    add eax, bss_words
    ret

; The table of pointers: each entry points at a dword of data (DIR32 in data).
table_sum:
    xor eax, eax
    mov edx, pointer_table
.next:
    mov ecx, [edx]
    test ecx, ecx
    jz .done
    add eax, [ecx]
    add edx, 4
    jmp .next
.done:
    ret

section '.text2' code readable executable align 4
double_it:
    add eax, eax
    ret

section '.data' data readable writable

counter dd 12345
init_calls dd 0
saved_alloc dd 0
value_a dd 100
value_b dd 20
value_c dd 3
pointer_table dd value_a, value_b, value_c, 0

align 4
EXPORTS:
    dd name_lib_init, lib_init
    dd name_add2, add2
    dd name_twice, twice_plus_one
    dd name_get, get_counter
    dd name_set, set_counter
    dd name_bss, bss_sum
    dd name_table, table_sum
    dd name_init_calls, init_calls
    dd name_version, 0x00010002
    dd 0

name_lib_init db 'lib_init', 0
name_add2 db 'add2', 0
name_twice db 'twice_plus_one', 0
name_get db 'get_counter', 0
name_set db 'set_counter', 0
name_bss db 'bss_sum', 0
name_table db 'table_sum', 0
name_init_calls db 'init_calls', 0
name_version db 'version', 0

section '.bss' data readable writable align 8
bss_words = 2048
bss_array rd bss_words
