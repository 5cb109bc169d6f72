; g_win0: function 0, style 0 (type I, fixed size), by the reference's
; picture of it: a 1-pixel frame in the colour EDI around the whole
; window (0,0)-(xsize,ysize), the header from (1,1) in the colour ESI
; (no gradient), the working area below it in the colour of EDX. The
; window is xsize + 1 by ysize + 1 pixels and draws nothing outside.
; A second call of function 0 redraws it in new colours at the same place.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_win0', 0

WX = 100
WY = 80
XSIZE = 199             ; as function 0 takes them
YSIZE = 149
WORK = 0x00C0C8D0
HEADER = 0x00204080
FRAME = 0x00800000

start:
    call screen_init
    ring_save_of WX, WY, XSIZE + 1, YSIZE + 1
    window WX, WY, XSIZE, YSIZE, WORK, HEADER, FRAME

    expect_pixel WX, WY, FRAME, 'g_win0/frame_top_left', 'the top-left corner is not the frame colour'
    expect_pixel WX + XSIZE, WY + YSIZE, FRAME, 'g_win0/frame_bottom_right', 'pixel (xsize, ysize) is not the frame colour'
    expect_pixel WX, WY + 100, FRAME, 'g_win0/frame_left', 'the left edge is not the frame colour'
    expect_pixel WX + XSIZE, WY + 100, FRAME, 'g_win0/frame_right', 'the right edge (x = xsize) is not the frame colour'
    expect_pixel WX + 100, WY + YSIZE, FRAME, 'g_win0/frame_bottom', 'the bottom edge (y = ysize) is not the frame colour'
    expect_pixel WX + 100, WY, FRAME, 'g_win0/frame_top', 'the top edge is not the frame colour'
    expect_pixel WX + 1, WY + 1, HEADER, 'g_win0/header_corner', 'pixel (1,1), the header corner, is not the header colour'
    expect_pixel WX + 100, WY + 10, HEADER, 'g_win0/header', 'the header is not the colour of ESI'
    expect_pixel WX + XSIZE - 1, WY + 10, HEADER, 'g_win0/header_right', 'the header does not reach x = xsize - 1'
    expect_pixel WX + 100, WY + 100, WORK, 'g_win0/work', 'the working area is not the colour of EDX'
    expect_pixel WX + 1, WY + YSIZE - 1, WORK, 'g_win0/work_bottom_left', 'pixel (1, ysize - 1) is not the working colour'
    expect_pixel WX + XSIZE - 1, WY + YSIZE - 1, WORK, 'g_win0/work_bottom_right', 'pixel (xsize - 1, ysize - 1) is not the working colour'
    count_in WX + 1, WY + 30, XSIZE - 1, YSIZE - 30, WORK
    cmp eax, (XSIZE - 1) * (YSIZE - 30)
    check e, 'g_win0/work_filled', 'the working area below the header is not all the colour of EDX (eax = pixels)'
    ring_diff_of WX, WY, XSIZE + 1, YSIZE + 1
    test eax, eax
    check z, 'g_win0/size', 'the window is not xsize + 1 by ysize + 1 pixels (eax = changed pixels around it)'

    ; Defined again with other colours and another position: the place
    ; stays (only the first call sets it), the colours change.
    window WX + 300, WY + 200, XSIZE + 50, YSIZE + 50, 0x00305030, 0x00A0A000, 0x000000FF
    expect_pixel WX, WY, 0x000000FF, 'g_win0/redefined_frame', 'a second function 0 did not redraw the frame in place'
    expect_pixel WX + 100, WY + 100, 0x00305030, 'g_win0/redefined_work', 'a second function 0 did not refill the working area'
    ring_diff_of WX, WY, XSIZE + 1, YSIZE + 1
    test eax, eax
    check z, 'g_win0/place_kept', 'a second function 0 moved or resized the window (eax = changed pixels)'

    check_clobbers 'g_win0/registers_preserved'
    call finish

image_end:
align 4
RING_BUFFER_DWORDS = 16 * (XSIZE + 1 + 16) + 16 * (YSIZE + 1)
ring_buffer rd RING_BUFFER_DWORDS
align 16
    rb 4096
stack_top:
memory_end:
