; g_wstack: the window-stack subfunctions of function 18 with two windows,
; the main thread's and a helper thread's (created later, so active):
;  * 18.7 answers the active slot; 18.3 activates a slot; 18.1 deactivates;
;  * 18.22 minimizes (0 by slot, 1 by identifier) and restores (2, 3):
;    answer 0, function 9's window state bit 1 follows, a minimized window
;    is not on the screen and a restored one is, after its redraw;
;  * 18.10 minimizes the (own, active) window; 18.3 restores it;
;  * 18.23 minimizes all windows and answers how many;
;  * bad slots and identifiers answer -1 (18.22) or do nothing harmful.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_wstack', 0

MX = 80                 ; main window
MY = 80
HX = 420                ; helper window
HY = 80
MAIN_INK = 0x00E0C0A0
HELPER_INK = 0x00A0C0E0

macro sys18 subfunction, c, d
{
    mov eax, 18
    mov ebx, subfunction
if ~ c eq
    mov ecx, c
end if
if ~ d eq
    mov edx, d
end if
    int 0x40
}

; state slot -> EAX = window state byte (function 9, offset 70)
macro state slot
{
    mov eax, 9
    mov ebx, info_buffer
    mov ecx, slot
    int 0x40
    movzx eax, byte [info_buffer + 70]
}

main_redraw:
    window MX, MY, 199, 149, 0x03000000 or MAIN_INK, 0, 0
    ret

start:
    call screen_init
    call main_redraw
    call own_slot
    mov [main_slot], eax
    mov eax, dword [thread_info + 30]
    mov [main_id], eax

    mov eax, 51
    mov ebx, 1
    mov ecx, helper
    mov edx, helper_stack
    int 0x40
    mov [helper_id], eax
    mov esi, 200
.wait_helper:
    cmp [helper_drawn], 0
    jne @f
    delay 2
    dec esi
    jnz .wait_helper
@@:
    sys18 21, [helper_id]
    mov [helper_slot], eax
    cmp eax, 2
    check ge, 'g_wstack/helper_slot', 'no slot for the helper thread (eax)'

    sys18 7
    cmp eax, [helper_slot]
    check e, 'g_wstack/newest_active', '18.7: the window created last is not the active one (eax)'
    sys18 3, [main_slot]
    sys18 7
    cmp eax, [main_slot]
    check e, 'g_wstack/activate', '18.7 after 18.3 of the main slot is not the main slot (eax)'
    sys18 1, [main_slot]
    sys18 7
    cmp eax, [main_slot]
    check ne, 'g_wstack/deactivate', '18.7 after 18.1 of the main slot is still the main slot (eax)'

    ; 18.22: minimize and restore the helper by slot.
    sys18 22, 0, [helper_slot]
    test eax, eax
    check z, 'g_wstack/minimize_slot', '18.22.0 did not answer 0 (eax)'
    delay 10
    state [helper_slot]
    test eax, 2
    check nz, 'g_wstack/minimized_state', 'function 9 does not show the minimized helper as minimized (eax = state)'
    pixel_at HX + 100, HY + 100
    cmp eax, HELPER_INK
    check ne, 'g_wstack/minimized_hidden', 'the minimized helper window is still on the screen'
    mov [helper_drawn], 0
    sys18 22, 2, [helper_slot]
    test eax, eax
    check z, 'g_wstack/restore_slot', '18.22.2 did not answer 0 (eax)'
    call wait_helper_redraw
    state [helper_slot]
    test eax, 2
    check z, 'g_wstack/restored_state', 'function 9 still shows the restored helper as minimized (eax = state)'
    expect_pixel HX + 100, HY + 100, HELPER_INK, 'g_wstack/restored_shown', 'the restored helper window is not on the screen'

    ; By identifier.
    sys18 22, 1, [helper_id]
    test eax, eax
    check z, 'g_wstack/minimize_id', '18.22.1 did not answer 0 (eax)'
    delay 10
    state [helper_slot]
    test eax, 2
    check nz, 'g_wstack/minimized_by_id', 'function 9: the helper minimized by identifier is not minimized (eax)'
    mov [helper_drawn], 0
    sys18 22, 3, [helper_id]
    test eax, eax
    check z, 'g_wstack/restore_id', '18.22.3 did not answer 0 (eax)'
    call wait_helper_redraw
    state [helper_slot]
    test eax, 2
    check z, 'g_wstack/restored_by_id', 'function 9: the helper restored by identifier is still minimized (eax)'

    ; 18.10: the main window, made active first.
    sys18 3, [main_slot]
    call drain_events
    call main_redraw
    sys18 10
    delay 10
    state [main_slot]
    test eax, 2
    check nz, 'g_wstack/minimize_own', '18.10 did not minimize the active own window (eax = state)'
    sys18 3, [main_slot]
    delay 10
    state [main_slot]
    test eax, 2
    check z, 'g_wstack/activate_restores', '18.3 did not restore the minimized window (eax = state)'
    call drain_events
    call main_redraw

    ; 18.23: minimize all; at least our two.
    sys18 23
    cmp eax, 2
    check ge, 'g_wstack/minimize_all', '18.23 answered fewer than 2 windows minimized (eax)'
    delay 10
    state [main_slot]
    test eax, 2
    check nz, 'g_wstack/all_minimized', 'after 18.23 the main window is not minimized (eax = state)'
    sys18 23
    test eax, eax
    check z, 'g_wstack/minimize_all_again', '18.23 with everything minimized did not answer 0 (eax)'
    sys18 3, [main_slot]
    mov [helper_drawn], 0
    sys18 22, 2, [helper_slot]
    call wait_helper_redraw

    ; Bad values.
    sys18 22, 0, 0x7FFF
    cmp eax, -1
    check e, 'g_wstack/minimize_bad_slot', '18.22.0 of a slot that does not exist did not answer -1 (eax)'
    sys18 22, 1, 0x7FFFFFF0
    cmp eax, -1
    check e, 'g_wstack/minimize_bad_id', '18.22.1 of an identifier nobody has did not answer -1 (eax)'
    sys18 22, 9, [helper_slot]
    sys18 3, 0
    sys18 3, 0x7FFF
    sys18 3, -1
    sys18 1, 0x7FFF
    sys18 1, -1
    survived 'g_wstack/bad_values'
    mov [helper_quit], 1
    delay 20
    call finish

; wait_helper_redraw: up to 2 s for the helper to redraw.
wait_helper_redraw:
    push esi
    mov esi, 100
.wait:
    cmp [helper_drawn], 0
    jne .done
    delay 2
    dec esi
    jnz .wait
.done:
    pop esi
    ret

; The helper: a window, redrawn on event 1, until helper_quit.
helper:
.redraw:
    mov eax, 12
    mov ebx, 1
    int 0x40
    xor eax, eax
    mov ebx, (HX shl 16) + 199
    mov ecx, (HY shl 16) + 149
    mov edx, 0x03000000 or HELPER_INK
    int 0x40
    mov eax, 12
    mov ebx, 2
    int 0x40
    mov [helper_drawn], 1
.wait:
    cmp [helper_quit], 0
    jne .quit
    mov eax, 23
    mov ebx, 5
    int 0x40
    cmp eax, 1
    je .redraw
    cmp eax, 2
    jne @f
    mov eax, 2
    int 0x40
    jmp .wait
@@:
    cmp eax, 3
    jne .wait
    mov eax, 17
    int 0x40
    jmp .wait
.quit:
    mov eax, -1
    int 0x40

image_end:
align 4
main_slot dd ?
main_id dd ?
helper_id dd ?
helper_slot dd ?
helper_drawn dd ?
helper_quit dd ?
info_buffer rb 1024
align 16
    rb 4096
helper_stack:
    rb 4096
stack_top:
memory_end:
