; g_zorder: 18.25 (window z-order level) as sysfn_zmodif (KolibriOS
; kernel.asm) answers it: 0 without a window, for slot 1, for a slot
; above the table or another ECX; get = the level; set = 1, or 0 for a
; level above 1 (ESI's low byte, signed). Also 18.19.6's start value (64,
; mousedrv.inc) and 18.10 minimizing the topmost (active) window.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_zorder', 0

macro z c, d, s
{
    mov eax, 18
    mov ebx, 25
    mov ecx, c
    mov edx, d
    mov esi, s
    int 0x40
}

macro answer name, value
{
    cmp eax, value
    check e, name, 'wrong answer (eax)'
}

start:
    ; No window yet: 0 for get and set.
    z 1, -1, 0
    answer 'g_zorder/get_without_window', 0
    z 2, -1, 0
    answer 'g_zorder/set_without_window', 0

    call screen_init
    window 100, 100, 199, 99, 0x34FFFFFF, 0, caption
    call own_slot
    mov [slot], eax

    z 1, -1, 0
    answer 'g_zorder/get_normal', 0
    z 1, [slot], 0
    answer 'g_zorder/get_by_slot', 0
    z 2, -1, 0
    answer 'g_zorder/set_normal', 1
    z 2, [slot], 0x100          ; only the low byte: 0
    answer 'g_zorder/set_low_byte', 1
    z 2, -1, 2
    answer 'g_zorder/set_above_top', 0
    z 2, -1, 0x7F
    answer 'g_zorder/set_127', 0
    z 3, -1, 0
    answer 'g_zorder/ecx_3', 0
    z 0, -1, 0
    answer 'g_zorder/ecx_0', 0
    z 1, 1, 0
    answer 'g_zorder/slot_1', 0
    z 1, 256, 0
    answer 'g_zorder/slot_256', 0
    z 1, 0x80000000, 0
    answer 'g_zorder/slot_huge', 0
    ; Always on top (what @NOTIFY asks for): KolibriOS answers 1.
    z 2, -1, 1
    answer 'g_zorder/set_always_on_top', 1
    z 1, -1, 0
    answer 'g_zorder/get_after_refused_levels', 0

    ; 18.19.6: the double-click delay starts at 64 hundredths.
    mov eax, 18
    mov ebx, 19
    mov ecx, 6
    int 0x40
    answer 'g_zorder/double_click_default', 64

    ; 18.10 from this thread minimizes the active window (ours).
    mov eax, 18
    mov ebx, 10
    int 0x40
    delay 20
    mov eax, 9
    mov ebx, info_buffer
    mov ecx, -1
    int 0x40
    movzx eax, byte [info_buffer + 70]
    test eax, 2
    check nz, 'g_zorder/minimize_top', '18.10 did not minimize the active window (eax = state)'

    call finish

caption db 'g_zorder', 0
align 4
slot dd 0
info_buffer rb 1024

image_end:
align 16
    rb 8192
stack_top:
memory_end:
