; g_skinf: skins from files (function 48.8, read_skin_file in
; gui/skincode.inc). 48.8 with /sys/t_skin (t_skin.asm) answers 0 and
; every window gets the redraw event; 48.4, 48.7 and 48.3 then answer the
; skin's height, margins and colour table; a style-3 window is drawn from
; the skin's bitmaps as drawwindow_IV draws it: the left bitmap at the
; left, the base tiled in the middle, the oper bitmap against the right
; edge, the outer/frame/inner colours below the header; with another
; window active, the inactive bitmaps and colours. A missing file
; answers 1; a file that is not a skin, or a hostile one (t_skinx),
; answers 2 and the skin stays; a KPCK-packed skin (t_skinp) loads.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_skinf', 0

macro set_skin path
{
    mov eax, 48
    mov ebx, 8
    mov ecx, path
    int 0x40
}

; Screen coordinates of the window (100, 100), 200 x 100 pixels.
WX = 100
WY = 100

redraw_window:
    window WX, WY, 199, 99, 0x03FFFFFF, 0, 0
    ret

start:
    call screen_init
    call redraw_window
    call drain_events

    set_skin skin_file
    test eax, eax
    check z, 'g_skinf/load', '48.8 of /sys/t_skin did not answer 0 (eax)'
    wait_event 100
    cmp eax, 1
    check e, 'g_skinf/redraw', 'no redraw event after 48.8 loaded a skin (eax = event)'
    call redraw_window
    call drain_events

    mov eax, 48
    mov ebx, 4
    int 0x40
    cmp eax, 20
    check e, 'g_skinf/height', '48.4 does not answer the skin height 20 (eax)'
    mov eax, 48
    mov ebx, 7
    int 0x40
    mov [margins_y], ebx
    cmp eax, (7 shl 16) + 50
    check e, 'g_skinf/margins_x', '48.7 EAX is not left 7 << 16 | right 50 (eax)'
    mov eax, [margins_y]
    cmp eax, (4 shl 16) + 3
    check e, 'g_skinf/margins_y', '48.7 EBX is not top 4 << 16 | bottom 3 (eax = ebx)'
    mov eax, 48
    mov ebx, 3
    mov ecx, table
    mov edx, 40
    int 0x40
    mov eax, [table]
    cmp eax, 0x00A1A2A3
    check e, 'g_skinf/colours_0', '48.3 entry 0 is not the skin table''s (eax)'
    mov eax, [table + 16]
    cmp eax, 0x00E1E2E3
    check e, 'g_skinf/colours_4', '48.3 entry 4 (grab_text) is not the skin table''s (eax)'

    call check_active

    ; Another window active: ours is drawn with the inactive bitmaps.
    mov ecx, other_thread
    mov edx, other_stack_top
    mov eax, 51
    mov ebx, 1
    int 0x40
    mov esi, 500
.wait_other:
    cmp [other_drawn], 0
    jne .other_up
    delay 1
    dec esi
    jnz .wait_other
.other_up:
    delay 30
    expect_pixel WX + 2, WY + 10, 0x800000, 'g_skinf/inactive_left', 'inactive: the left bitmap is not at the left (eax = pixel)'
    expect_pixel WX + 100, WY + 10, 0x000080, 'g_skinf/inactive_base', 'inactive: the base bitmap is not in the middle (eax = pixel)'
    expect_pixel WX + 185, WY + 10, 0x008000, 'g_skinf/inactive_oper', 'inactive: the oper bitmap is not at the right (eax = pixel)'
    expect_pixel WX, WY + 40, 0x222222, 'g_skinf/inactive_outer', 'inactive: the outer line is not the skin''s (eax = pixel)'
    expect_pixel WX + 2, WY + 40, 0x333333, 'g_skinf/inactive_frame', 'inactive: the frame is not the skin''s (eax = pixel)'
    mov [other_stop], 1
    delay 30
    call drain_events
    call redraw_window

    ; Errors: the skin in use stays.
    set_skin missing_file
    cmp eax, 1
    check e, 'g_skinf/missing', '48.8 of a missing file did not answer 1 (eax)'
    set_skin program_file
    cmp eax, 2
    check e, 'g_skinf/not_skin', '48.8 of a program (not a skin) did not answer 2 (eax)'
    set_skin hostile_file
    cmp eax, 2
    check e, 'g_skinf/hostile', '48.8 of a skin with offsets outside it did not answer 2 (eax)'
    mov eax, 48
    mov ebx, 4
    int 0x40
    cmp eax, 20
    check e, 'g_skinf/kept', 'after refused skins 48.4 no longer answers 20 (eax)'
    set_skin 0xC0000000
    survived 'g_skinf/bad_pointer'

    ; A KPCK-packed skin loads as the plain one does.
    set_skin packed_file
    test eax, eax
    check z, 'g_skinf/packed', '48.8 of the KPCK-packed /sys/t_skinp did not answer 0 (eax)'
    call drain_events
    call redraw_window
    call check_active
    call finish

; The active window, drawn from the skin: header bitmaps, then the frame
; lines below the header (outer x = 0, frame 1-3, inner 4) and the work
; area from x = 5.
check_active:
    expect_pixel WX + 2, WY + 10, 0xFF0000, 'g_skinf/left', 'the left bitmap (red) is not at the left of the header (eax = pixel)'
    expect_pixel WX + 5, WY + 19, 0xFF0000, 'g_skinf/left_edge', 'the left bitmap does not reach x 5, y 19 (eax = pixel)'
    expect_pixel WX + 6, WY + 10, 0x0000FF, 'g_skinf/base_start', 'the base bitmap (blue) does not start after the left one (eax = pixel)'
    expect_pixel WX + 100, WY + 10, 0x0000FF, 'g_skinf/base', 'the base bitmap (blue) is not in the middle of the header (eax = pixel)'
    expect_pixel WX + 169, WY + 10, 0x0000FF, 'g_skinf/base_end', 'the base bitmap does not reach the oper one (eax = pixel)'
    expect_pixel WX + 170, WY + 10, 0x00FF00, 'g_skinf/oper_start', 'the oper bitmap (green) does not start 30 pixels from the right (eax = pixel)'
    expect_pixel WX + 199, WY + 0, 0x00FF00, 'g_skinf/oper', 'the oper bitmap (green) is not at the right of the header (eax = pixel)'
    expect_pixel WX, WY + 40, 0x405060, 'g_skinf/outer', 'the outer line is not the skin''s (eax = pixel)'
    expect_pixel WX + 2, WY + 40, 0x708090, 'g_skinf/frame', 'the frame is not the skin''s (eax = pixel)'
    expect_pixel WX + 4, WY + 40, 0x102030, 'g_skinf/inner', 'the inner line is not the skin''s (eax = pixel)'
    expect_pixel WX + 5, WY + 40, 0xFFFFFF, 'g_skinf/work', 'the work area does not start at x 5 (eax = pixel)'
    expect_pixel WX + 100, WY + 99, 0x405060, 'g_skinf/bottom', 'the bottom line is not the outer colour (eax = pixel)'
    expect_pixel WX + 100, WY + 20, 0xFFFFFF, 'g_skinf/work_top', 'the work area does not start at y 20 (48.4) (eax = pixel)'
    ret

other_thread:
    window 400, 100, 199, 99, 0x03FFFFFF, 0, 0
    mov [other_drawn], 1
.wait:
    cmp [other_stop], 0
    jne .out
    delay 2
    jmp .wait
.out:
    mov eax, -1
    int 0x40

skin_file db '/sys/t_skin', 0
packed_file db '/sys/t_skinp', 0
hostile_file db '/sys/t_skinx', 0
missing_file db '/sys/noskin.skn', 0
program_file db '/sys/g_skinf', 0

image_end:
align 4
margins_y dd ?
other_drawn dd ?
other_stop dd ?
table rd 16
align 16
    rb 4096
other_stack_top:
    rb 4096
stack_top:
memory_end:
