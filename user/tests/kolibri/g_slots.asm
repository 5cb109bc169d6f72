; g_slots: the slot table seen through function 9, slot by slot from 1 to
; the highest (function 9's EAX). Every used slot has an identifier that
; no other slot has and that 18.21 maps back to that slot; slot 1 is
; IDLE; our own thread is in the list under our name (names are NUL-padded,
; as fs_execute in KolibriOS core/taskman.inc leaves them); a system
; thread ("OS") cannot be ended with 18.18, which answers 0 all the same
; (sysfn_terminate2 in kernel.asm: the identifier exists). A program named g_busy, when one
; runs (the VM test starts it first), is ended by its slot with 18.2: its
; slot is free afterwards and its identifier has no slot. An INFO line per
; used slot shows the table.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_slots', 0

macro info9 buffer, slot
{
    mov eax, 9
    mov ebx, buffer
    mov ecx, slot
    int 0x40
}

; name_is text: ZF set when the 11-byte name at tinfo+10 starts with `text`
; followed by a NUL (the padding).
macro name_is text
{
    local ..text, ..skip
    jmp ..skip
..text db text, 0
..skip:
    push ecx esi edi
    mov esi, tinfo + 10
    mov edi, ..text
    mov ecx, ..skip - ..text
    repe cmpsb
    pop edi esi ecx
}

start:
    info9 tinfo, -1
    mov [highest], eax
    mov eax, dword [tinfo + 30]
    mov [own_id], eax
    mov [slot], 1

.next:
    info9 tinfo, [slot]
    movzx eax, word [tinfo + 50]
    cmp eax, 9
    je .free
    inc [used_slots]
    mov eax, dword [tinfo + 30]
    mov [id], eax

    ; The table as INFO lines.
    mov esi, tinfo + 10
    mov edi, name_text
    mov ecx, 11
    rep movsb
    print 'INFO g_slots: slot '
    mov eax, [slot]
    call debug_decimal
    print ' id '
    mov eax, [id]
    call debug_decimal
    print ' state '
    movzx eax, word [tinfo + 50]
    call debug_decimal
    print ' name '
    mov esi, name_text
    call debug_print
    print 10

    ; Unique identifiers.
    mov eax, [id]
    test eax, eax
    jnz @f
    inc [zero_ids]
@@:
    mov ecx, [id_count]
    mov edi, ids
    jecxz .store
    repne scasd
    jne .store
    inc [duplicates]
.store:
    mov ecx, [id_count]
    mov [ids + ecx * 4], eax
    inc [id_count]

    ; 18.21 maps the identifier back.
    mov eax, 18
    mov ebx, 21
    mov ecx, [id]
    int 0x40
    cmp eax, [slot]
    je @f
    inc [bad_maps]
    mov [bad_map_slot], eax
@@:

    ; Ourselves, the system and the victim.
    mov eax, [id]
    cmp eax, [own_id]
    jne @f
    name_is 'g_slots'
    jne @f
    inc [own_found]
@@:
    cmp [slot], 1
    jne @f
    name_is 'IDLE'
    jne @f
    inc [idle_found]
@@:
    name_is 'OS'
    jne @f
    mov eax, [id]
    mov [system_id], eax
@@:
    name_is 'g_busy'
    jne @f
    mov eax, [slot]
    mov [victim_slot], eax
    mov eax, [id]
    mov [victim_id], eax
@@:
.free:
    inc [slot]
    mov eax, [slot]
    cmp eax, [highest]
    jbe .next

    mov eax, [used_slots]
    cmp eax, 2
    check ae, 'g_slots/used', 'fewer than 2 used slots (IDLE and us) (eax)'
    mov eax, [zero_ids]
    test eax, eax
    check z, 'g_slots/no_zero_id', 'a used slot has identifier 0 (eax = how many)'
    mov eax, [duplicates]
    test eax, eax
    check z, 'g_slots/unique_ids', 'two slots have the same identifier (eax = how many)'
    mov eax, [bad_map_slot]
    cmp [bad_maps], 0
    check e, 'g_slots/slot_of_id', '18.21 of a slot identifier answered another slot (eax = the last wrong answer)'
    mov eax, [own_found]
    cmp eax, 1
    check e, 'g_slots/own', 'our identifier is not in the table under the name g_slots (eax = times found)'
    mov eax, [idle_found]
    cmp eax, 1
    check e, 'g_slots/idle', 'slot 1 is not IDLE (eax)'

    ; A system thread cannot be ended.
    mov ecx, [system_id]
    test ecx, ecx
    jz @f
    mov eax, 18
    mov ebx, 18
    int 0x40
    test eax, eax
    check z, 'g_slots/system_answer', '18.18 of a system thread (OS) did not answer 0 (eax)'
    mov eax, 18
    mov ebx, 21
    mov ecx, [system_id]
    int 0x40
    test eax, eax
    check nz, 'g_slots/system_kept', 'a system thread (OS) has no slot after 18.18 of it (eax)'
@@:

    ; The victim, by slot.
    cmp [victim_slot], 0
    jne @f
    print 'INFO g_slots: no g_busy runs, nothing to end', 10
    jmp .done
@@:
    mov eax, 18
    mov ebx, 2
    mov ecx, [victim_slot]
    int 0x40
    delay 30
    info9 tinfo, [victim_slot]
    movzx eax, word [tinfo + 50]
    cmp eax, 9
    je @f
    mov eax, dword [tinfo + 30]
    cmp eax, [victim_id]
    jne @f
    xor eax, eax
    inc eax                     ; still the victim
    jmp .checked
@@:
    xor eax, eax
.checked:
    test eax, eax
    check z, 'g_slots/victim_slot_free', 'the slot of g_busy still holds it after 18.2 (eax)'
    mov eax, 18
    mov ebx, 21
    mov ecx, [victim_id]
    int 0x40
    test eax, eax
    check z, 'g_slots/victim_gone', 'the identifier of the ended g_busy still has a slot (eax)'
.done:
    call finish

image_end:
align 4
highest dd ?
own_id dd ?
slot dd ?
id dd ?
used_slots dd ?
zero_ids dd ?
duplicates dd ?
bad_maps dd ?
bad_map_slot dd ?
own_found dd ?
idle_found dd ?
system_id dd ?
victim_slot dd ?
victim_id dd ?
id_count dd ?
ids rd 256
name_text rb 12
tinfo rb 1024
align 16
    rb 4096
stack_top:
memory_end:
