; k_shm: function 68.22/68.23 (sysfuncs.txt), named memory areas. Checks
; the documented results (pointer and size or error code in EDX: 5 not
; found, 10 exists or access denied, 33 bad parameters), zeroed memory, the
; same area opened twice, and a second process (this program started again
; by 70.7 with the parameter "child") that sees the parent's bytes, is
; refused write access to an area created read-only for others, and reports
; back through a second, writable area. After both close, the name is gone.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, params, 0

include 'ktest.inc'
test_name db 'k_shm', 0

SHM_OPEN        = 0x00
SHM_OPEN_ALWAYS = 0x04
SHM_CREATE      = 0x08
SHM_WRITE       = 0x01

macro shm_open name, size, flags
{
    mov eax, 68
    mov ebx, 22
    mov ecx, name
    mov edx, size
    mov esi, flags
    int 0x40
}

macro shm_close name
{
    mov eax, 68
    mov ebx, 23
    mov ecx, name
    int 0x40
}

start:
    mov eax, 68
    mov ebx, 11
    int 0x40
    cmp byte [params], 'c'
    je child

    shm_open name_none, 0, SHM_OPEN
    test eax, eax
    check z, 'k_shm/missing_pointer', 'opening a missing area returned a pointer'
    cmp edx, 5
    check e, 'k_shm/missing_error', 'opening a missing area did not give error 5'

    ; shmem_open (KolibriOS core/heap.inc) takes the action from bits 2-3
    ; and the access from bits 0-1: flags 2 are SHM_OPEN with access 2, so
    ; a missing name gives error 5; action 3 (flags 0x0C) is error 33.
    shm_open name_area, 4096, 2
    test eax, eax
    check z, 'k_shm/access_2_pointer', 'open with flags 2 returned a pointer'
    cmp edx, 5
    check e, 'k_shm/access_2_not_found', 'open with flags 2 of a missing area did not give error 5'
    shm_open name_area, 4096, 0x0C
    test eax, eax
    check z, 'k_shm/bad_flags_pointer', 'open action 3 returned a pointer'
    cmp edx, 33
    check e, 'k_shm/bad_flags_error', 'open action 3 did not give error 33'

    ; Created read-only for the others; the creator may write.
    shm_open name_area, 10000, SHM_CREATE
    mov [area], eax
    test eax, eax
    check nz, 'k_shm/create', 'SHM_CREATE returned no pointer'
    test edx, edx
    check z, 'k_shm/create_edx', 'SHM_CREATE did not return EDX = 0'
    ; Colibri hands out zeroed pages on purpose (no other program's old
    ; bytes); KolibriOS's shmem_open takes them from kernel_alloc, which
    ; does not clear them, so a program there cannot count on zeros.
    mov ebx, [area]
    mov eax, [ebx + 9996]
    test eax, eax
    check z, 'k_shm/zeroed', 'a new area is not zeroed'
    mov dword [ebx], 0x12345678
    mov dword [ebx + 8192], 0x9abcdef0

    ; SHM_CREATE of an existing name: shmem_open sets E_ACCESS but leaves
    ; through .exit, which puts the size argument in EDX.
    shm_open name_area, 10000, SHM_CREATE
    test eax, eax
    check z, 'k_shm/create_twice_pointer', 'creating an existing area returned a pointer'
    cmp edx, 10000
    check e, 'k_shm/create_twice_edx', 'creating an existing area did not answer EDX = the size asked for'

    ; Write access is compared with the area's access (read-only for the
    ; others) for the creator too: error 10. Read access maps it again.
    shm_open name_area, 0, SHM_OPEN + SHM_WRITE
    test eax, eax
    check z, 'k_shm/open_again_write_pointer', 'opening our read-only area for writing returned a pointer'
    cmp edx, 10
    check e, 'k_shm/open_again_write_refused', 'opening our read-only area for writing did not give error 10'
    shm_open name_area, 0, SHM_OPEN
    mov ebx, eax
    test eax, eax
    check nz, 'k_shm/open_again', 'opening our own area again gave no pointer'
    cmp edx, 10000
    check ae, 'k_shm/open_size', 'EDX is not the area size'
    cmp dword [ebx], 0x12345678
    check e, 'k_shm/open_again_data', 'the area opened again does not hold our bytes'

    shm_open name_reply, 4096, SHM_OPEN_ALWAYS + SHM_WRITE
    mov [reply], eax
    test eax, eax
    check nz, 'k_shm/open_always', 'SHM_OPEN_ALWAYS returned no pointer'
    test edx, edx
    check z, 'k_shm/open_always_new', 'SHM_OPEN_ALWAYS of a new area did not return EDX = 0'
    ; The child's answer word starts at 0 (KolibriOS does not zero it).
    mov ebx, [reply]
    test ebx, ebx
    jz @f
    mov dword [ebx], 0
@@:

    ; The second process.
    mov eax, 70
    mov ebx, start_child
    int 0x40
    cmp eax, 0
    check g, 'k_shm/start_child', '70.7 did not start the child'
    mov esi, 500
.wait_reply:
    mov ebx, [reply]
    mov eax, [ebx]
    test eax, eax
    jnz .replied
    mov eax, 5
    mov ebx, 1
    int 0x40
    dec esi
    jnz .wait_reply
.replied:
    mov ebx, [reply]
    mov eax, [ebx]
    test eax, 0x80000000
    check nz, 'k_shm/child_replied', 'the child did not answer through the second area'
    test eax, 1
    check nz, 'k_shm/child_write_refused', 'the child could open the read-only area for writing'
    test eax, 2
    check nz, 'k_shm/child_opened', 'the child could not open the area for reading'
    test eax, 4
    check nz, 'k_shm/child_sees_data', 'the child did not see the bytes the parent wrote'

    ; Close ours; once the child has ended too, the name is gone. It was
    ; opened twice: KolibriOS made two mappings (one close each); here the
    ; second open gave the first mapping again and the second close of a
    ; name no longer open changes nothing.
    shm_close name_area
    shm_close name_area
    mov esi, 300
.wait_gone:
    shm_open name_area, 0, SHM_OPEN
    test eax, eax
    jz .gone
    shm_close name_area
    mov eax, 5
    mov ebx, 1
    int 0x40
    dec esi
    jnz .wait_gone
    shm_open name_area, 0, SHM_OPEN
.gone:
    cmp edx, 5
    check e, 'k_shm/gone_after_close', 'the area outlived its last close'
    shm_close name_reply
    shm_close name_none        ; closing what is not open changes nothing

    call finish

; The child: report bits 0x80000000 (ran), 1 (write access refused with
; error 10), 2 (read access granted), 4 (the parent's bytes are there).
child:
    xor edi, edi
    shm_open name_area, 0, SHM_OPEN + SHM_WRITE
    test eax, eax
    jnz .no_refusal
    cmp edx, 10
    jne .no_refusal
    or edi, 1
.no_refusal:
    shm_open name_area, 0, SHM_OPEN
    test eax, eax
    jz .report
    or edi, 2
    cmp dword [eax], 0x12345678
    jne .report
    cmp dword [eax + 8192], 0x9abcdef0
    jne .report
    or edi, 4
.report:
    shm_open name_reply, 0, SHM_OPEN + SHM_WRITE
    test eax, eax
    jz .end
    or edi, 0x80000000
    mov [eax], edi
.end:
    mov eax, -1
    int 0x40

align 4
start_child:
    dd 7, 0, child_param, 0, 0
    db '/sys/k_shm', 0
child_param db 'child', 0
name_none db 'k_shm_none', 0
name_area db 'k_shm_area', 0
name_reply db 'k_shm_reply', 0

align 4
area dd 0
reply dd 0
params rb 256

image_end:
    rb 4096
stack_top:
memory_end:
