; g_kill: ending threads through function 18. A worker thread counts in a
; loop; 18.21 finds its slot from its identifier; 18.18 by identifier
; answers 0 and the worker stops counting and its identifier no longer
; has a slot; 18.2 by slot does the same to a second worker (one with a
; window, which goes away). 18.18 of an identifier nobody has answers
; -1; of IDLE (1) it answers 0 and ends nothing (sysfn_terminate2 in
; KolibriOS kernel.asm answers 0 for every identifier pid_to_slot finds,
; and sysfn_terminate refuses slots below 2); 18.2 of slot 1 (IDLE) and of
; slots that do not exist does nothing harmful.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_kill', 0

WX = 150
WY = 120
INK = 0x0000C0C0

macro sys18 subfunction, c
{
    mov eax, 18
    mov ebx, subfunction
    mov ecx, c
    int 0x40
}

; stopped counter, 'name', 'reason': the counter does not move over 0.3 s.
macro stopped counter, name, reason
{
    mov eax, [counter]
    mov [before], eax
    delay 30
    mov eax, [counter]
    sub eax, [before]
    check z, name, reason
}

start:
    call screen_init
    save_in WX, WY, 100, 100, desktop

    mov eax, 51
    mov ebx, 1
    mov ecx, worker_a
    mov edx, stack_a
    int 0x40
    mov [tid_a], eax
    cmp eax, -1
    check ne, 'g_kill/start_a', 'function 51.1 could not start a worker'
    delay 20
    mov eax, [count_a]
    test eax, eax
    check nz, 'g_kill/a_runs', 'the worker did not run'
    sys18 21, [tid_a]
    mov [slot_a], eax
    cmp eax, 2
    check ge, 'g_kill/slot_a', '18.21 of the worker identifier did not answer a slot >= 2 (eax)'

    sys18 18, [tid_a]
    test eax, eax
    check z, 'g_kill/by_id', '18.18 of the worker identifier did not answer 0 (eax)'
    delay 10
    stopped count_a, 'g_kill/by_id_stopped', 'the worker killed by 18.18 still counts (eax = steps in 0.3 s)'
    sys18 21, [tid_a]
    test eax, eax
    check z, 'g_kill/by_id_gone', 'the identifier of the killed worker still has a slot (eax)'
    sys18 18, [tid_a]
    cmp eax, -1
    check e, 'g_kill/by_id_twice', '18.18 of a worker already killed did not answer -1 (eax)'

    ; Worker B has a window; 18.2 by its slot.
    mov eax, 51
    mov ebx, 1
    mov ecx, worker_b
    mov edx, stack_b
    int 0x40
    mov [tid_b], eax
    delay 30
    expect_pixel WX + 10, WY + 10, INK, 'g_kill/b_window', 'the second worker did not draw its window'
    sys18 21, [tid_b]
    mov [slot_b], eax
    cmp eax, 2
    check ge, 'g_kill/slot_b', '18.21 of the second worker did not answer a slot (eax)'
    sys18 2, [slot_b]
    delay 10
    stopped count_b, 'g_kill/by_slot_stopped', 'the worker killed by 18.2 still counts (eax = steps in 0.3 s)'
    sys18 21, [tid_b]
    test eax, eax
    check z, 'g_kill/by_slot_gone', 'the identifier of the worker killed by slot still has a slot (eax)'
    diff_in WX, WY, 100, 100, desktop
    test eax, eax
    check z, 'g_kill/window_gone', 'the killed worker window is still on the screen (eax = pixels)'

    ; Refusals and nonsense.
    sys18 18, 0x7FFFFFF0
    cmp eax, -1
    check e, 'g_kill/unknown_id', '18.18 of an identifier nobody has did not answer -1 (eax)'
    sys18 18, 1
    test eax, eax
    check z, 'g_kill/idle_id', '18.18 of IDLE (1) did not answer 0, as KolibriOS does for an existing identifier (eax)'
    sys18 18, 0
    sys18 18, -1
    survived 'g_kill/bad_id'
    sys18 2, 1
    sys18 2, 0
    sys18 2, 255
    sys18 2, 0x7FFFFFFF
    sys18 2, -1
    survived 'g_kill/bad_slot'
    ; Workers that were not killed end by themselves, so the program ends.
    mov [quit], 1
    delay 20
    call finish

worker_a:
    cmp [quit], 0
    jne worker_end
    inc [count_a]
    mov eax, 5
    mov ebx, 1
    int 0x40
    jmp worker_a

worker_b:
    window WX, WY, 99, 99, 0x01000000, 0, 0
    bar 0, 0, 100, 100, INK
.loop:
    cmp [quit], 0
    jne worker_end
    inc [count_b]
    mov eax, 5
    mov ebx, 1
    int 0x40
    jmp .loop

worker_end:
    mov eax, -1
    int 0x40

image_end:
align 4
tid_a dd ?
tid_b dd ?
slot_a dd ?
slot_b dd ?
count_a dd ?
count_b dd ?
before dd ?
quit dd ?
desktop rd 100 * 100
align 16
    rb 4096
stack_a:
    rb 4096
stack_b:
    rb 4096
stack_top:
memory_end:
