; g_win2: function 0, style 2 (type II, variable size), by the
; reference's picture: an outer 1-pixel frame in EDI "shaded" (every
; component halved), a 3-pixel frame in EDI, an inner 1-pixel frame
; shaded again, the header from (4,4) in ESI and the working area from
; (5,20) to (xsize-5, ysize-5) in the colour of EDX. Nothing outside.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_win2', 0

WX = 100
WY = 80
XSIZE = 219
YSIZE = 159
WORK = 0x00D0E0F0
HEADER = 0x00306090
FRAME = 0x00804020
SHADED = 0x00402010     ; FRAME with every component halved
MID = 100               ; a row and a column away from corners and header

start:
    call screen_init
    ring_save_of WX, WY, XSIZE + 1, YSIZE + 1
    window WX, WY, XSIZE, YSIZE, 0x02000000 or WORK, HEADER, FRAME

    ; Left edge, row MID: shaded, 3 x frame, shaded, then work.
    expect_pixel WX, WY + MID, SHADED, 'g_win2/outer_left', 'x = 0 is not the shaded frame colour'
    expect_pixel WX + 1, WY + MID, FRAME, 'g_win2/frame_left_1', 'x = 1 is not the frame colour'
    expect_pixel WX + 2, WY + MID, FRAME, 'g_win2/frame_left_2', 'x = 2 is not the frame colour'
    expect_pixel WX + 3, WY + MID, FRAME, 'g_win2/frame_left_3', 'x = 3 is not the frame colour'
    expect_pixel WX + 4, WY + MID, SHADED, 'g_win2/inner_left', 'x = 4 is not the shaded frame colour'
    expect_pixel WX + 5, WY + MID, WORK, 'g_win2/work_left', 'x = 5 is not the working colour'
    ; Right edge: mirror image.
    expect_pixel WX + XSIZE, WY + MID, SHADED, 'g_win2/outer_right', 'x = xsize is not the shaded frame colour'
    expect_pixel WX + XSIZE - 2, WY + MID, FRAME, 'g_win2/frame_right', 'x = xsize - 2 is not the frame colour'
    expect_pixel WX + XSIZE - 4, WY + MID, SHADED, 'g_win2/inner_right', 'x = xsize - 4 is not the shaded frame colour'
    expect_pixel WX + XSIZE - 5, WY + MID, WORK, 'g_win2/work_right', 'x = xsize - 5 is not the working colour'
    ; Top and bottom.
    expect_pixel WX + MID, WY, SHADED, 'g_win2/outer_top', 'y = 0 is not the shaded frame colour'
    expect_pixel WX + MID, WY + 2, FRAME, 'g_win2/frame_top', 'y = 2 is not the frame colour'
    expect_pixel WX + MID, WY + YSIZE, SHADED, 'g_win2/outer_bottom', 'y = ysize is not the shaded frame colour'
    expect_pixel WX + MID, WY + YSIZE - 2, FRAME, 'g_win2/frame_bottom', 'y = ysize - 2 is not the frame colour'
    expect_pixel WX + MID, WY + YSIZE - 4, SHADED, 'g_win2/inner_bottom', 'y = ysize - 4 is not the shaded frame colour'
    expect_pixel WX + MID, WY + YSIZE - 5, WORK, 'g_win2/work_bottom', 'y = ysize - 5 is not the working colour'
    ; Header and work.
    expect_pixel WX + MID, WY + 10, HEADER, 'g_win2/header', 'the header (from (4,4)) is not the colour of ESI'
    count_in WX + 5, WY + 30, XSIZE - 9, YSIZE - 34, WORK
    cmp eax, (XSIZE - 9) * (YSIZE - 34)
    check e, 'g_win2/work_filled', 'the working area is not all the colour of EDX (eax = pixels)'
    ring_diff_of WX, WY, XSIZE + 1, YSIZE + 1
    test eax, eax
    check z, 'g_win2/size', 'the window is not xsize + 1 by ysize + 1 pixels (eax = changed pixels around it)'

    check_clobbers 'g_win2/registers_preserved'
    call finish

image_end:
align 4
RING_BUFFER_DWORDS = 16 * (XSIZE + 1 + 16) + 16 * (YSIZE + 1)
ring_buffer rd RING_BUFFER_DWORDS
align 16
    rb 4096
stack_top:
memory_end:
