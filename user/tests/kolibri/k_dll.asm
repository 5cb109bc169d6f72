; k_dll: functions 68.18/68.19, KolibriOS DLLs (tests/vm/test_kolibri_dll.py).
; Loads the test DLLs of lib/ (t_math.obj, t_user.obj) from /sys/lib and
; checks: the export table at the preferred base, calls through it (DIR32
; and REL32 relocations, zero-filled bss, constants), that the kernel did
; not call lib_init, DLL data written and read back, the same table for the
; same DLL loaded again (68.19, 68.18 in UTF-8 and UTF-16, a path relative
; to the current folder, /rd/1/...), 0 for a missing DLL, a bad pointer
; and for each malformed object (bad_*.obj, tools/mkbaddll.py), 68.13 not
; freeing a DLL, a DLL that loads another one through the loader handed to
; its lib_init, and a second process (this program started again by 70.7
; with "child") that sees the DLL's data as the file has it, not as this
; process changed it. Prints the cycles 68.19 took.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, params, 0

include 'ktest.inc'
include 'lib/dllload.inc'
test_name db 'k_dll', 0

macro load_dll path
{
    mov eax, 68
    mov ebx, 19
    mov ecx, path
    int 0x40
}

; export name -> EAX = the value in t_math's table ([math]), 0 if missing
macro export table, name
{
    local ..name, ..skip
    jmp ..skip
..name db name, 0
..skip:
    mov esi, [table]
    mov edi, ..name
    call find_export
}

; find_export: ESI = export table, EDI = name -> EAX = value or 0.
find_export:
    push ebx ecx edx
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
    pop edx ecx ebx
    ret
.next:
    add esi, 8
    jmp .entry
.missing:
    xor eax, eax
    pop edx ecx ebx
    ret

start:
    cmp byte [params], 'c'
    je child

    ; The first load, timed.
    rdtsc
    mov [tsc_start], eax
    load_dll path_math
    mov [math], eax
    rdtsc
    sub eax, [tsc_start]
    mov [cycles_first], eax
    mov eax, [math]
    test eax, eax
    check nz, 'k_dll/load', '68.19 of /sys/lib/t_math.obj returned 0'
    mov eax, [math]
    test eax, eax
    jz .end
    cmp eax, 0x70000000
    check ae, 'k_dll/preferred_base_low', 'the export table is below 0x70000000'
    cmp eax, 0x80000000
    check b, 'k_dll/preferred_base_high', 'the export table is above 0x80000000'

    export math, 'add2'
    test eax, eax
    check nz, 'k_dll/export_add2', 'no add2 export'
    push 3
    push 2
    call eax
    cmp eax, 5
    check e, 'k_dll/add2', 'add2(2, 3) is not 5'

    export math, 'twice_plus_one'
    push 20
    call eax
    cmp eax, 41
    check e, 'k_dll/rel32_call', 'twice_plus_one(20) is not 41 (REL32 between sections)'

    export math, 'get_counter'
    mov [get_counter], eax
    call eax
    cmp eax, 12345
    check e, 'k_dll/data', 'get_counter() is not 12345'

    export math, 'bss_sum'
    call eax
    cmp eax, 2048
    check e, 'k_dll/bss_zero', 'the bss section is not zero'

    export math, 'table_sum'
    call eax
    cmp eax, 123
    check e, 'k_dll/dir32_data', 'the pointers in the data section are not relocated'

    export math, 'version'
    cmp eax, 0x00010002
    check e, 'k_dll/constant_export', 'the version constant was changed'

    export math, 'init_calls'
    mov [math_init_calls], eax
    mov eax, [eax]
    test eax, eax
    check z, 'k_dll/no_lib_init', 'the kernel called lib_init'

    ; Written data is seen by the next call.
    export math, 'set_counter'
    mov [set_counter], eax
    push 777
    call eax
    call [get_counter]
    cmp eax, 777
    check e, 'k_dll/data_written', 'get_counter() after set_counter(777) is not 777'

    ; The same DLL again: the same table.
    rdtsc
    mov [tsc_start], eax
    load_dll path_math
    mov ebx, eax
    rdtsc
    sub eax, [tsc_start]
    mov [cycles_again], eax
    cmp ebx, [math]
    check e, 'k_dll/same_table', 'a second 68.19 returned another table'

    mov eax, 68
    mov ebx, 18
    mov ecx, path_math
    mov edx, 3
    int 0x40
    cmp eax, [math]
    check e, 'k_dll/same_table_utf8', '68.18 with UTF-8 returned another table'
    mov eax, 68
    mov ebx, 18
    mov ecx, path_math_utf16
    mov edx, 2
    int 0x40
    cmp eax, [math]
    check e, 'k_dll/same_table_utf16', '68.18 with UTF-16 returned another table'
    load_dll path_math_rd
    cmp eax, [math]
    check e, 'k_dll/same_table_rd', '/rd/1/lib/t_math.obj gave another table'

    ; Relative to the current folder (function 30), not to /sys/lib.
    mov eax, 30
    mov ebx, 1
    mov ecx, folder_lib
    int 0x40
    load_dll name_math
    cmp eax, [math]
    check e, 'k_dll/relative', 't_math.obj relative to /sys/lib gave another table'
    mov eax, 30
    mov ebx, 1
    mov ecx, folder_sys
    int 0x40
    load_dll name_math
    test eax, eax
    check z, 'k_dll/relative_not_sys_lib', 't_math.obj relative to /sys was found'

    ; A KPCK-packed copy of t_math (tools/kpack.py, call trick 1) is
    ; unpacked on load, as load_file does, and links like the plain one.
    load_dll path_math_packed
    mov [math_packed], eax
    test eax, eax
    check nz, 'k_dll/packed_load', '68.19 of the KPCK-packed t_mathp.obj returned 0'
    cmp dword [math_packed], 0
    je .packed_done
    export math_packed, 'add2'
    test eax, eax
    jz .packed_done
    push 40
    push 2
    call eax
    cmp eax, 42
    check e, 'k_dll/packed_add2', 'add2(2, 40) of the packed DLL is not 42'
.packed_done:

    load_dll path_missing
    test eax, eax
    check z, 'k_dll/missing', 'a missing DLL did not give 0'
    load_dll 0xC0000000
    test eax, eax
    check z, 'k_dll/bad_pointer', 'a kernel pointer did not give 0'

    ; Each malformed object gives 0 and the program goes on.
    mov esi, bad_names
    xor edi, edi
.bad:
    cmp byte [esi], 0
    je .bad_done
    mov edx, esi
    push esi
    load_dll edx
    pop esi
    test eax, eax
    jz .bad_refused
    inc edi
    print 'malformed DLL accepted: '
    call debug_print
    print 10
.bad_refused:
    lodsb
    test al, al
    jnz .bad_refused
    jmp .bad
.bad_done:
    mov eax, edi
    test eax, eax
    check z, 'k_dll/malformed_refused', 'a malformed DLL was loaded'

    ; 68.13 cannot free a DLL's block.
    mov eax, 68
    mov ebx, 13
    mov ecx, [math]
    and ecx, not 0xFFF
    int 0x40
    call [get_counter]
    cmp eax, 777
    check e, 'k_dll/not_freed', 'the DLL changed after 68.13 of its block'

    ; A DLL that loads another one through the loader given to lib_init.
    push imports
    call dll_load
    test eax, eax
    check z, 'k_dll/loader', 'dll_load of t_user.obj failed'
    test eax, eax
    jnz .no_user
    push 5
    call [user_compute]
    cmp eax, 116
    check e, 'k_dll/nested_import', 'user_compute(5) is not 116'
    call [user_block]
    test eax, eax
    check nz, 'k_dll/lib_init_alloc', 't_user got no block from the mem.Alloc given to lib_init'
    mov eax, [user_init_calls]
    mov eax, [eax]
    cmp eax, 1
    check e, 'k_dll/lib_init_once', 't_user lib_init did not run once'
    mov eax, [user_load_result]
    mov eax, [eax]
    test eax, eax
    check z, 'k_dll/nested_load', 't_user could not load t_math'
    mov eax, [math_init_calls]
    mov eax, [eax]
    cmp eax, 1
    check e, 'k_dll/nested_lib_init', 't_math lib_init did not run through t_user'
.no_user:

    ; Another process: its t_math has the file's data, and what it writes
    ; stays there.
    mov eax, 70
    mov ebx, start_child
    int 0x40
    cmp eax, 0
    check g, 'k_dll/start_child', '70.7 did not start the child'
    mov eax, 5
    mov ebx, 150
    int 0x40
    call [get_counter]
    cmp eax, 777
    check e, 'k_dll/private_data', 'the child changed this process''s DLL data'

    print 'k_dll timing: 68.19 first load '
    mov eax, [cycles_first]
    call debug_decimal
    print ' cycles, same process again '
    mov eax, [cycles_again]
    call debug_decimal
    print ' cycles', 10
.end:
    call finish

; The child: reports its own checks and ends.
child:
    rdtsc
    mov [tsc_start], eax
    load_dll path_math
    mov [math], eax
    rdtsc
    sub eax, [tsc_start]
    mov [cycles_first], eax
    mov eax, [math]
    test eax, eax
    check nz, 'k_dll/child_load', 'the child could not load t_math.obj'
    mov eax, [math]
    test eax, eax
    jz .end
    export math, 'get_counter'
    mov [get_counter], eax
    call eax
    cmp eax, 12345
    check e, 'k_dll/child_counter', 'the child sees another process''s DLL data'
    export math, 'init_calls'
    mov eax, [eax]
    test eax, eax
    check z, 'k_dll/child_init_calls', 'the child sees another process''s lib_init count'
    export math, 'set_counter'
    push 555
    call eax
    call [get_counter]
    cmp eax, 555
    check e, 'k_dll/child_written', 'the child could not change its DLL data'
    print 'k_dll timing: 68.19 of a loaded image in a new process '
    mov eax, [cycles_first]
    call debug_decimal
    print ' cycles', 10
.end:
    mov eax, -1
    int 0x40

align 4
start_child:
    dd 7, 0, child_param, 0, 0
    db '/sys/k_dll', 0
child_param db 'child', 0

path_math db '/sys/lib/t_math.obj', 0
path_math_packed db '/sys/lib/t_mathp.obj', 0
math_packed dd 0
path_math_rd db '/rd/1/lib/t_math.obj', 0
align 2
path_math_utf16 du '/sys/lib/t_math.obj', 0
name_math db 't_math.obj', 0
folder_lib db '/sys/lib', 0
folder_sys db '/sys', 0
path_missing db '/sys/lib/nothere.obj', 0
bad_names:
    include 'lib/bad_names.inc'
    db 0

align 4
imports:
    dd user_table, user_name
    dd 0
user_table:
user_compute dd name_compute
user_block dd name_block
user_init_calls dd name_init_calls
user_load_result dd name_load_result
    dd 0
user_name db 't_user.obj', 0
name_compute db 'user_compute', 0
name_block db 'user_block', 0
name_init_calls db 'init_calls', 0
name_load_result db 'load_result', 0

dll_load_data

align 4
math dd 0
get_counter dd 0
set_counter dd 0
math_init_calls dd 0
tsc_start dd 0
cycles_first dd 0
cycles_again dd 0
params rb 256

image_end:
    rb 8192
stack_top:
memory_end:
