; g_clip: function 54 (the clipboard). Writing a slot (54.2) adds one to
; the slot count (54.0); reading the last slot (54.1, after 68.11) answers
; a pointer to a copy of exactly the bytes written; deleting the last slot
; (54.3) takes the count back. The data follows the clipboard convention:
; dword total size, dword type (0 text), dword encoding (1 cp866), text.
; Reading a slot that does not exist answers 1; 54.4 answers 1 (the lock
; was not set: sys_clipboard in KolibriOS core/clipboard.inc); a write
; from kernel memory answers -1; an unknown subfunction leaves EAX (54).
; Null and kernel pointers and absurd sizes do not stop the program and do
; not add slots.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_clip', 0

macro clip subfunction, c, d
{
    mov eax, 54
    mov ebx, subfunction
if ~ c eq
    mov ecx, c
end if
if ~ d eq
    mov edx, d
end if
    int 0x40
}

start:
    mov eax, 68
    mov ebx, 11
    int 0x40

    clip 0
    mov [count], eax
    cmp eax, 0
    check ge, 'g_clip/count', '54.0 answered a negative slot count (eax)'

    clip 2, slot_data_size, slot_data
    test eax, eax
    check z, 'g_clip/write', '54.2 did not answer 0 (eax)'
    clip 0
    mov ecx, [count]
    inc ecx
    cmp eax, ecx
    check e, 'g_clip/count_after_write', '54.0 after a write is not one more (eax)'

    mov ecx, [count]            ; the new slot is the last: number = old count
    clip 1, ecx
    mov [copy], eax
    cmp eax, 1
    check a, 'g_clip/read', '54.1 of the slot written did not answer a pointer (eax)'
    cmp [copy], 1
    jbe .no_copy
    mov esi, [copy]
    mov edi, slot_data
    mov ecx, slot_data_size
    repe cmpsb
    setne al
    movzx eax, al
    test eax, eax
    check z, 'g_clip/read_same', 'the slot read back differs from the bytes written'
    mov eax, 68
    mov ebx, 13
    mov ecx, [copy]
    int 0x40
    cmp eax, 1
    check e, 'g_clip/copy_is_heap', 'the copy 54.1 answered cannot be freed with 68.13 (eax)'
.no_copy:

    ; A second slot, then delete it: the first is still there.
    clip 2, other_data_size, other_data
    clip 3
    test eax, eax
    check z, 'g_clip/delete', '54.3 did not answer 0 (eax)'
    clip 0
    mov ecx, [count]
    inc ecx
    cmp eax, ecx
    check e, 'g_clip/count_after_delete', '54.0 after writing and deleting one is not count + 1 (eax)'
    mov ecx, [count]
    clip 1, ecx
    mov [copy], eax
    cmp eax, 1
    jbe @f
    mov esi, eax
    mov eax, [esi + 12]
@@:
    cmp eax, 'clip'
    check e, 'g_clip/first_still_there', 'after deleting the last slot the one before is not ours (eax)'
    clip 3
    clip 0
    cmp eax, [count]
    check e, 'g_clip/count_restored', 'after deleting our slots the count is not the first one (eax)'

    ; Missing slot.
    clip 0
    clip 1, eax
    cmp eax, 1
    check e, 'g_clip/read_missing', '54.1 of slot number = count did not answer 1 (eax)'
    clip 1, 0x7FFFFFFF
    cmp eax, 1
    check e, 'g_clip/read_far', '54.1 of slot 0x7FFFFFFF did not answer 1 (eax)'
    clip 4
    cmp eax, 1
    check e, 'g_clip/unlock', '54.4 with the clipboard not locked did not answer 1 (eax)'

    ; Out of range: no slots appear. (KolibriOS's sys_clipboard, core/
    ; clipboard.inc, page-faults in the kernel on one of these and the
    ; process is killed; Colibri refuses them on purpose.)
    clip 2, 100, 0
    clip 2, 100, 0xC0000000
    cmp eax, -1
    check e, 'g_clip/write_kernel', '54.2 from kernel memory did not answer -1 (eax)'
    clip 2, 0x7FFFFFFF, slot_data
    clip 2, 0xFFFFFFFF, slot_data
    clip 2, 4096, memory_end - 16
    survived 'g_clip/bad_write'
    clip 2, 0, slot_data
    clip 0
    cmp eax, [count]
    jbe @f
    clip 3                      ; a slot of size 0 may be accepted: take it away
    clip 0
@@:
    cmp eax, [count]
    check e, 'g_clip/bad_write_no_slot', 'bad writes added slots (eax = count)'
    clip 1, -1
    clip 99
    cmp eax, 54
    check e, 'g_clip/unknown_subfunction', '54.99 did not leave EAX at 54 (eax)'
    clip -1
    survived 'g_clip/bad_subfunction'
    call finish

align 4
slot_data:
    dd slot_data_size, 0, 1
    db 'clipboard test text', 0
slot_data_size = $ - slot_data
other_data:
    dd other_data_size, 0, 1
    db 'other', 0
other_data_size = $ - other_data

image_end:
align 4
count dd ?
copy dd ?
align 16
    rb 4096
stack_top:
memory_end:
