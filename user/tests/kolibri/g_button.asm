; g_button: function 8 (define/delete a button) and 17 (get the pressed
; button). A drawn button changes the pixels of its rectangle and its
; middle is about its colour; with EDX bit 30 nothing is drawn; nothing is
; drawn outside the button; function 17 with no press answers 1; deleting
; (EDX bit 31) buttons that exist or not, many buttons, and out-of-range
; sizes and positions do not stop the program or draw outside the window.
; (Presses come from the mouse: tests/vm/test_kolibri_gui.py, g_input.)
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_button', 0

WX = 100
WY = 90
WW = 300
WH = 200
BACK = 0x00FFFFFF
GREEN = 0x0040A040

; button x, y, width, height, id (with flags), colour
macro button x, y, width, height, id, colour
{
    mov eax, 8
    mov ebx, ((x) and 0xFFFF) shl 16 + ((width) and 0xFFFF)
    mov ecx, ((y) and 0xFFFF) shl 16 + ((height) and 0xFFFF)
    mov edx, id
    mov esi, colour
    call kcall
}

macro delete_button id
{
    mov eax, 8
    mov edx, 0x80000000 or (id)
    call kcall
}

start:
    call screen_init
    ring_save_of WX, WY, WW, WH
    window WX, WY, WW - 1, WH - 1, 0x01000000, 0, 0
    bar 0, 0, WW, WH, BACK

    ; A drawn button: its pixels change, its middle is about its colour
    ; (buttons may be shaded), and nothing beyond 2 pixels around it.
    button 20, 20, 60, 30, 5, GREEN
    count_in WX + 20, WY + 20, 60, 30, BACK
    cmp eax, 60 * 30 / 10
    check b, 'g_button/drawn', 'a button left most of its rectangle untouched (eax = background pixels)'
    pixel_at WX + 50, WY + 35
    mov [middle], eax
    xor edx, edx                ; channels off by more than 0x30
    mov ecx, 3
    mov ebx, GREEN
.channel:
    movzx esi, al
    movzx edi, bl
    sub esi, edi
    jns @f
    neg esi
@@:
    cmp esi, 0x30
    jbe @f
    inc edx
@@:
    shr eax, 8
    shr ebx, 8
    loop .channel
    mov eax, [middle]
    test edx, edx
    check z, 'g_button/colour', 'the middle of the button is not about its colour (eax = pixel)'
    count_in WX, WY, 18, WH, BACK
    cmp eax, 18 * WH
    check e, 'g_button/not_left', 'a button drew more than 2 pixels left of itself (eax)'
    count_in WX + 83, WY, 20, WH, BACK
    cmp eax, 20 * WH
    check e, 'g_button/not_right', 'a button drew more than 2 pixels right of itself (eax)'
    count_in WX, WY + 53, WW, 20, BACK
    cmp eax, 20 * WW
    check e, 'g_button/not_below', 'a button drew more than 2 pixels below itself (eax)'

    ; EDX bit 30: defined but not drawn.
    button 120, 20, 60, 30, 0x40000006, GREEN
    count_in WX + 110, WY + 10, 80, 50, BACK
    cmp eax, 80 * 50
    check e, 'g_button/invisible', 'a button with EDX bit 30 was drawn (eax = background pixels of 4000)'

    ; Nothing was pressed.
    mov eax, 17
    int 0x40
    cmp eax, 1
    check e, 'g_button/none_pressed', 'function 17 without a press did not answer 1'

    ; Delete existing and missing buttons, and the same id twice.
    button 200, 20, 30, 30, 7, GREEN
    button 200, 60, 30, 30, 7, GREEN
    delete_button 7
    delete_button 7
    delete_button 0x123456
    delete_button 5
    survived 'g_button/delete'

    ; Many buttons (KolibriOS allows 4095 in all).
    mov esi, 300
.many:
    mov eax, 8
    mov ebx, (10 shl 16) + 10
    mov ecx, (150 shl 16) + 10
    lea edx, [esi + 0x1000]
    or edx, 0x40000000
    push esi
    mov esi, GREEN
    call kcall
    pop esi
    dec esi
    jnz .many
    survived 'g_button/many'

    ; Out of range: zero and 0x8000+ sizes, far-off and 16-bit negative
    ; positions, all ones (a deletion of id 0xFFFFFF).
    button 20, 100, 0, 20, 8, GREEN
    button 20, 100, 20, 0, 9, GREEN
    button 20, 100, 0x8000, 20, 10, GREEN
    button 20, 100, 0xFFFF, 0xFFFF, 11, GREEN
    survived 'g_button/bad_size'
    button 0x7FFF, 0x7FFF, 50, 50, 12, GREEN
    button 0xFFF0, 0xFFF0, 50, 50, 13, GREEN
    button 250, 150, 200, 200, 14, GREEN
    survived 'g_button/far_off'
    mov eax, 8
    mov ebx, -1
    mov ecx, -1
    mov edx, -1
    mov esi, -1
    call kcall
    survived 'g_button/all_ones'
    ring_diff_of WX, WY, WW, WH
    test eax, eax
    check z, 'g_button/clipped', 'a button drew outside the window (eax = changed pixels)'

    ; 12.1 forgets the buttons; the window can be drawn again.
    window WX, WY, WW - 1, WH - 1, 0x01000000, 0, 0
    mov eax, 17
    int 0x40
    cmp eax, 1
    check e, 'g_button/none_after_redraw', 'function 17 answered a button after a redraw without a press'

    check_clobbers 'g_button/registers_preserved'
    call finish

image_end:
align 4
middle dd ?
RING_BUFFER_DWORDS = 16 * (WW + 16) + 16 * WH
ring_buffer rd RING_BUFFER_DWORDS
align 16
    rb 4096
stack_top:
memory_end:
