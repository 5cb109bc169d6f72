; g_pixel: function 1 (put pixel in the window). The pixel lands at the
; window position + (x, y) in the colour 0x00RRGGBB; EDX = 0x01xxxxxx
; inverts the pixel (twice gives it back); pixels outside the window, far
; off the screen or at negative coordinates are not drawn and do not stop
; the program.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_pixel', 0

WX = 140
WY = 100
WW = 100
WH = 80
BACK = 0x00406080
COLOUR = 0x00C03010

; put x, y, colour
macro put x, y, colour
{
    mov eax, 1
    mov ebx, x
    mov ecx, y
    mov edx, colour
    call kcall
}

start:
    call screen_init
    ring_save_of WX, WY, WW, WH
    window WX, WY, WW - 1, WH - 1, 0x01000000, 0, 0
    bar 0, 0, WW, WH, BACK

    put 5, 6, COLOUR
    expect_pixel WX + 5, WY + 6, COLOUR, 'g_pixel/placed', 'pixel (5,6) is not at the window position + (5,6)'
    count_in WX + 4, WY + 5, 3, 3, COLOUR
    cmp eax, 1
    check e, 'g_pixel/single', 'putting one pixel coloured more than one (eax = pixels in 3x3)'

    put 0, 0, 0x00123456
    expect_pixel WX, WY, 0x00123456, 'g_pixel/origin', 'pixel (0,0) is not the window top-left corner'
    put WW - 1, WH - 1, 0x00FEDCBA
    expect_pixel WX + WW - 1, WY + WH - 1, 0x00FEDCBA, 'g_pixel/last', 'the bottom-right pixel of the window is not drawn'

    ; Inversion: EDX = 0x01xxxxxx, the low 24 bits ignored.
    put 5, 6, 0x01ABCDEF
    expect_pixel WX + 5, WY + 6, COLOUR xor 0x00FFFFFF, 'g_pixel/invert', 'an inverted pixel is not colour xor 0xFFFFFF'
    put 5, 6, 0x01000000
    expect_pixel WX + 5, WY + 6, COLOUR, 'g_pixel/invert_twice', 'inverting twice does not give the colour back'
    put 7, 6, 0x01000000
    expect_pixel WX + 7, WY + 6, BACK xor 0x00FFFFFF, 'g_pixel/invert_background', 'inverting a background pixel'

    ; Many pixels: a diagonal of 40.
    xor esi, esi
.diagonal:
    lea ebx, [esi + 20]
    lea ecx, [esi + 20]
    mov eax, 1
    mov edx, 0x0000FF00
    call kcall
    inc esi
    cmp esi, 40
    jb .diagonal
    count_in WX + 20, WY + 20, 40, 40, 0x0000FF00
    cmp eax, 40
    check e, 'g_pixel/diagonal', 'a diagonal of 40 pixels does not read back as 40 pixels (eax)'

    ; Out of the window: just outside right and below, far away, negative.
    put WW, 10, COLOUR
    put WW + 3, 10, COLOUR
    put 10, WH, COLOUR
    put 10, WH + 2, COLOUR
    put -1, 10, COLOUR
    put 10, -1, COLOUR
    put -5, -5, COLOUR
    put 0x7FFF, 0x7FFF, COLOUR
    put 0x80000000, 0x80000000, COLOUR
    put 0xFFFFFFFF, 0xFFFFFFFF, 0x01000000
    survived 'g_pixel/out_of_range'
    ring_diff_of WX, WY, WW, WH
    test eax, eax
    check z, 'g_pixel/clipped', 'pixels outside the window were drawn (eax = changed pixels around it)'
    expect_pixel WX + 5, WY + 6, COLOUR, 'g_pixel/unchanged', 'an out-of-range pixel changed a pixel inside the window'

    check_clobbers 'g_pixel/registers_preserved'
    call finish

image_end:
align 4
RING_BUFFER_DWORDS = 16 * (WW + 16) + 16 * WH
ring_buffer rd RING_BUFFER_DWORDS
align 16
    rb 4096
stack_top:
memory_end:
