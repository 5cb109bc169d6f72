; g_rect: function 13 (draw a rectangle in the window). A rectangle of
; size W x H covers exactly W x H pixels at the window position + (x, y);
; the gradient form (EDX bit 31) is not one colour; drawing is clipped to
; the window; rectangles far off the screen, with negative or zero sizes
; draw nothing outside the window and do not stop the program.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_rect', 0

WX = 120                ; the window (style 1: nothing drawn by the system)
WY = 90
WW = 200                ; pixels (function 0 takes WW - 1)
WH = 150
BACK = 0x00203040
RED = 0x00FF8040

start:
    call screen_init
    ring_save_of WX, WY, WW, WH
    window WX, WY, WW - 1, WH - 1, 0x01000000, 0, 0
    bar 0, 0, WW, WH, BACK
    count_in WX, WY, WW, WH, BACK
    cmp eax, WW * WH
    check e, 'g_rect/window_filled', 'a 200x150 rectangle at (0,0) did not cover the window (eax = pixels)'

    ; 30 x 15 at (10, 20): exactly those pixels, none around them.
    bar 10, 20, 30, 15, RED
    count_in WX + 10, WY + 20, 30, 15, RED
    cmp eax, 30 * 15
    check e, 'g_rect/exact_inside', 'not every pixel of a 30x15 rectangle has its colour (eax = pixels)'
    count_in WX + 9, WY + 19, 32, 17, RED
    cmp eax, 30 * 15
    check e, 'g_rect/exact_outside', 'a 30x15 rectangle coloured pixels around it (eax = pixels of the colour in 32x17)'
    expect_pixel WX + 10, WY + 20, RED, 'g_rect/top_left', 'the top-left pixel is not the colour'
    expect_pixel WX + 39, WY + 34, RED, 'g_rect/bottom_right', 'the bottom-right pixel (x+29, y+14) is not the colour'
    expect_pixel WX + 40, WY + 34, BACK, 'g_rect/right_edge', 'the pixel right of the rectangle changed'
    expect_pixel WX + 39, WY + 35, BACK, 'g_rect/bottom_edge', 'the pixel below the rectangle changed'

    ; The colour is 0x00RRGGBB: the top byte of EDX other than bit 31 does
    ; not matter for the colour.
    bar 50, 20, 4, 4, 0x000000FF
    expect_pixel WX + 51, WY + 21, 0x000000FF, 'g_rect/blue', 'a blue rectangle does not read back as 0x0000FF'

    ; A gradient (EDX = 0x80RRGGBB): the rows are not all one colour.
    bar 10, 60, 40, 40, 0x8000C0FF
    pixel_at WX + 20, WY + 60
    mov [first_row], eax
    pixel_at WX + 20, WY + 99
    cmp eax, [first_row]
    check ne, 'g_rect/gradient', 'the first and last rows of a gradient rectangle have the same colour'
    count_in WX + 10, WY + 60, 40, 40, BACK
    test eax, eax
    check z, 'g_rect/gradient_covers', 'a gradient rectangle left background pixels inside it (eax = pixels)'
    ; The kernel's gradient (vesa20_drawbar, video/vesa20.inc) takes one
    ; from the blue byte per row and leaves red and green alone.
    expect_pixel WX + 20, WY + 60, 0x0000C0FF, 'g_rect/gradient_top', 'the first row of a gradient is not the colour given'
    expect_pixel WX + 20, WY + 99, 0x0000C0FF - 39, 'g_rect/gradient_blue', 'row 39 of a gradient is not the colour with blue - 39'
    bar 60, 60, 20, 20, 0x80102005
    expect_pixel WX + 60, WY + 79, 0x00102000, 'g_rect/gradient_stops_at_0', 'a gradient whose blue reaches 0 did not stay at 0 there'

    ; Clipped to the window: a rectangle over the bottom-right corner
    ; draws its part inside and nothing outside.
    bar WW - 20, WH - 10, 50, 50, RED
    count_in WX + WW - 20, WY + WH - 10, 20, 10, RED
    cmp eax, 20 * 10
    check e, 'g_rect/clipped_inside', 'the part of the rectangle inside the window is not drawn (eax = pixels)'
    ring_diff_of WX, WY, WW, WH
    test eax, eax
    check z, 'g_rect/clipped_outside', 'a rectangle drew outside the window (eax = changed pixels around it)'

    ; Zero width or height: nothing.
    bar 0, 0, WW, WH, BACK
    bar 60, 60, 0, 30, RED
    bar 60, 60, 30, 0, RED
    count_in WX, WY, WW, WH, BACK
    cmp eax, WW * WH
    check e, 'g_rect/zero_size', 'a rectangle of width or height 0 drew something (eax = background pixels left)'

    ; Out of range: far right, far down, negative sizes, everything -1.
    ; None of them may draw outside the window or stop the program.
    bar 0x7000, 10, 20, 20, RED
    bar 10, 0x7000, 20, 20, RED
    survived 'g_rect/far_off_screen'
    count_in WX, WY, WW, WH, BACK
    cmp eax, WW * WH
    check e, 'g_rect/far_off_draws_nothing', 'a rectangle at x or y 0x7000 drew in the window (eax = background pixels left)'
    mov eax, 13
    mov ebx, (10 shl 16) + 0xFFFF
    mov ecx, (10 shl 16) + 0xFFFF
    mov edx, RED
    call kcall
    survived 'g_rect/negative_size'
    mov eax, 13
    mov ebx, (0xFFF0 shl 16) + 40
    mov ecx, (0xFFF0 shl 16) + 40
    mov edx, RED
    call kcall
    survived 'g_rect/negative_position'
    mov eax, 13
    mov ebx, -1
    mov ecx, -1
    mov edx, -1
    call kcall
    survived 'g_rect/all_ones'
    ring_diff_of WX, WY, WW, WH
    test eax, eax
    check z, 'g_rect/out_of_range_clipped', 'an out-of-range rectangle drew outside the window (eax = changed pixels)'

    check_clobbers 'g_rect/registers_preserved'
    call finish

image_end:
align 4
first_row dd ?
RING_BUFFER_DWORDS = 16 * (WW + 16) + 16 * WH
ring_buffer rd RING_BUFFER_DWORDS
align 16
    rb 4096
stack_top:
memory_end:
