; g_expose: windows over windows. A helper thread's window (created
; later, so on top) covers the bottom-right quarter of the main window.
; The main window's drawing is clipped to its visible part: a rectangle
; over all of it leaves the helper's pixels alone, and function 34 gives
; the covered pixels to the helper. When the helper ends, its window goes
; and the main window gets the redraw event (1); redrawn, it is whole.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_expose', 0

MX = 100
MY = 100
HX = 200                ; the helper covers (200..299, 150..249) of the main
HY = 150
MAIN_INK = 0x00FFC000
MAIN_INK2 = 0x00C000FF
HELPER_INK = 0x0000FFC0

start:
    call screen_init
    window MX, MY, 199, 149, 0x01000000, 0, 0
    bar 0, 0, 200, 150, MAIN_INK
    call own_slot
    mov [main_slot], eax

    mov eax, 51
    mov ebx, 1
    mov ecx, helper
    mov edx, helper_stack
    int 0x40
    mov [helper_id], eax
    mov esi, 200
.wait:
    cmp [helper_drawn], 0
    jne @f
    delay 2
    dec esi
    jnz .wait
@@:
    expect_pixel HX + 50, HY + 50, HELPER_INK, 'g_expose/helper_on_top', 'the helper window is not on top of the main one'
    mov eax, 18
    mov ebx, 21
    mov ecx, [helper_id]
    int 0x40
    mov [helper_slot], eax
    mov eax, 34
    mov ebx, HX + 50
    mov ecx, HY + 50
    int 0x40
    cmp eax, [helper_slot]
    check e, 'g_expose/owner_covered', 'function 34: a covered pixel of the main window does not belong to the helper (eax)'
    mov eax, 34
    mov ebx, MX + 10
    mov ecx, MY + 10
    int 0x40
    cmp eax, [main_slot]
    check e, 'g_expose/owner_visible', 'function 34: a visible pixel of the main window is not the main slot (eax)'

    ; Clipped to the visible part.
    call drain_events
    bar 0, 0, 200, 150, MAIN_INK2
    count_in HX, HY, 100, 100, HELPER_INK
    cmp eax, 100 * 100
    check e, 'g_expose/clipped_to_visible', 'the main window drew over the helper window on top of it (eax = helper pixels left)'
    count_in MX, MY, 100, 150, MAIN_INK2
    cmp eax, 100 * 150
    check e, 'g_expose/visible_drawn', 'the visible left half of the main window was not drawn (eax = pixels)'

    ; The helper goes: redraw event for the main window.
    mov [helper_quit], 1
    wait_event 300
    cmp eax, 1
    check e, 'g_expose/redraw_on_expose', 'the main window got no redraw event when the window over it went away (eax = event)'
    window MX, MY, 199, 149, 0x01000000, 0, 0
    bar 0, 0, 200, 150, MAIN_INK2
    count_in MX, MY, 200, 150, MAIN_INK2
    cmp eax, 200 * 150
    check e, 'g_expose/whole_again', 'after the redraw the main window is not whole (eax = pixels)'
    mov eax, 34
    mov ebx, HX + 50
    mov ecx, HY + 50
    int 0x40
    cmp eax, [main_slot]
    check e, 'g_expose/owner_after', 'function 34: the uncovered pixel is not the main slot (eax)'
    ; The part of the helper outside the main window is desktop again.
    pixel_at HX + 150, HY + 120
    cmp eax, HELPER_INK
    check ne, 'g_expose/helper_gone', 'pixels of the ended helper window are still on the screen'
    call finish

helper:
    mov eax, 12
    mov ebx, 1
    int 0x40
    xor eax, eax
    mov ebx, (HX shl 16) + 199
    mov ecx, (HY shl 16) + 149
    mov edx, 0x01000000
    int 0x40
    mov eax, 13
    mov ebx, 200
    mov ecx, 150
    mov edx, HELPER_INK
    int 0x40
    mov eax, 12
    mov ebx, 2
    int 0x40
    mov [helper_drawn], 1
.wait:
    cmp [helper_quit], 0
    jne .quit
    mov eax, 5
    mov ebx, 2
    int 0x40
    jmp .wait
.quit:
    mov eax, -1
    int 0x40

image_end:
align 4
main_slot dd ?
helper_id dd ?
helper_slot dd ?
helper_drawn dd ?
helper_quit dd ?
align 16
    rb 4096
helper_stack:
    rb 4096
stack_top:
memory_end:
