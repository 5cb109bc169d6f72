; g_owner: function 34 (who owns a screen pixel). The pixels of the
; program's window, corners included, belong to its slot (function 9 and
; 18.21 give it); the pixels just outside, the desktop and the panel do
; not; coordinates off the screen answer 0.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_owner', 0

WX = 100
WY = 100
XSIZE = 199
YSIZE = 149

; owner x, y -> EAX
macro owner x, y
{
    mov eax, 34
    mov ebx, x
    mov ecx, y
    call kcall
}

macro owned x, y, name
{
    owner x, y
    cmp eax, [slot]
    check e, name, 'the pixel does not belong to our slot (eax = owner)'
}

macro not_owned x, y, name
{
    owner x, y
    cmp eax, [slot]
    check ne, name, 'the pixel belongs to our slot (eax = owner)'
}

start:
    call screen_init
    window WX, WY, XSIZE, YSIZE, 0x0380C0C0, 0, 0
    call own_slot
    mov [slot], eax
    cmp eax, 2
    check ge, 'g_owner/slot', 'no slot of our own (function 9, 18.21) (eax)'

    owned WX + 100, WY + 70, 'g_owner/inside'
    owned WX, WY, 'g_owner/top_left'
    owned WX + XSIZE, WY + YSIZE, 'g_owner/bottom_right'
    not_owned WX - 1, WY + 10, 'g_owner/left_of'
    not_owned WX + XSIZE + 1, WY + 10, 'g_owner/right_of'
    not_owned WX + 10, WY + YSIZE + 1, 'g_owner/below'
    not_owned WX + 10, WY - 1, 'g_owner/above'
    ; The desktop far from the window.
    mov ebx, [screen_width]
    sub ebx, 20
    owner ebx, 20
    mov [desktop_owner], eax
    cmp eax, [slot]
    check ne, 'g_owner/desktop', 'a desktop pixel belongs to our slot (eax)'
    info 'g_owner: desktop owner '
    mov eax, [desktop_owner]
    call info_number_line
    ; The panel (bottom row).
    mov ecx, [screen_height]
    dec ecx
    owner 300, ecx
    cmp eax, [slot]
    check ne, 'g_owner/panel', 'a pixel of the bottom row (the panel) belongs to our slot (eax)'

    ; Off the screen: 0.
    owner [screen_width], 0
    test eax, eax
    check z, 'g_owner/x_off_screen', 'x = screen width did not answer 0 (eax)'
    owner 0, [screen_height]
    test eax, eax
    check z, 'g_owner/y_off_screen', 'y = screen height did not answer 0 (eax)'
    owner -1, -1
    test eax, eax
    check z, 'g_owner/negative', 'x = y = -1 did not answer 0 (eax)'
    owner 0x7FFFFFFF, 0x7FFFFFFF
    test eax, eax
    check z, 'g_owner/far_off', 'x = y = 0x7FFFFFFF did not answer 0 (eax)'

    check_clobbers 'g_owner/registers_preserved'
    call finish

image_end:
align 4
slot dd ?
desktop_owner dd ?
align 16
    rb 4096
stack_top:
memory_end:
