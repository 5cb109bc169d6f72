; g_image: function 7 (draw image in the window). A 4 x 3 image of BGR
; bytes reads back pixel for pixel at the window position + (x, y); it is
; clipped to the window; null, kernel and short images, zero and huge
; sizes and far-off positions do not stop the program or draw outside.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_image', 0

WX = 150
WY = 110
WW = 160
WH = 120
BACK = 0x00808080

; image pointer, width, height, x, y
macro image pointer, width, height, x, y
{
    mov eax, 7
    mov ebx, pointer
    mov ecx, ((width) and 0xFFFF) shl 16 + ((height) and 0xFFFF)
    mov edx, ((x) and 0xFFFF) shl 16 + ((y) and 0xFFFF)
    call kcall
}

start:
    call screen_init
    ring_save_of WX, WY, WW, WH
    window WX, WY, WW - 1, WH - 1, 0x01000000, 0, 0
    bar 0, 0, WW, WH, BACK

    image picture, 4, 3, 10, 20
    ; Compare every pixel with the BGR bytes.
    xor edi, edi                ; mismatches
    xor esi, esi                ; pixel index
.compare:
    mov eax, esi
    xor edx, edx
    mov ecx, 4
    div ecx                     ; eax = row, edx = column
    lea ebx, [WX + 10 + edx]
    lea ecx, [WY + 20 + eax]
    call get_pixel
    lea edx, [esi + esi * 2]
    movzx ecx, byte [picture + edx + 2]  ; red
    shl ecx, 16
    mov ch, [picture + edx + 1]          ; green
    mov cl, [picture + edx]              ; blue
    cmp eax, ecx
    je @f
    inc edi
@@:
    inc esi
    cmp esi, 12
    jb .compare
    mov eax, edi
    test eax, eax
    check z, 'g_image/pixels', 'pixels of a 4x3 image do not read back as its BGR bytes (eax = mismatches)'
    count_in WX + 9, WY + 19, 6, 5, BACK
    cmp eax, 6 * 5 - 12
    check e, 'g_image/exact_size', 'a 4x3 image changed pixels around it (eax = background pixels left in 6x5)'

    ; Clipped: the image over the right edge shows its first two columns.
    image picture, 4, 3, WW - 2, 50
    pixel_at WX + WW - 1, WY + 50
    cmp eax, [expected_second]
    check e, 'g_image/clipped_inside', 'the visible part of a clipped image is wrong'
    ring_diff_of WX, WY, WW, WH
    test eax, eax
    check z, 'g_image/clipped_outside', 'an image drew outside the window (eax = changed pixels)'

    ; Size 0: nothing.
    bar 0, 0, WW, WH, BACK
    image picture, 0, 3, 10, 10
    image picture, 4, 0, 10, 10
    count_in WX, WY, WW, WH, BACK
    cmp eax, WW * WH
    check e, 'g_image/zero_size', 'an image of width or height 0 drew something (eax = background pixels)'

    ; A position is 16 bits, unsigned (vesa20_putimage, video/vesa20.inc):
    ; x = -2 is 65534, far to the right, and nothing is drawn, not even
    ; the columns that a signed x would put inside the window.
    image picture, 4, 3, -2, 10
    image picture, 4, 3, 10, -2
    ; A width or height of 0x8000 or more draws nothing (sys_putimage).
    image picture, 0x8001, 1, 10, 30
    count_in WX, WY, WW, WH, BACK
    cmp eax, WW * WH
    check e, 'g_image/negative_and_huge', 'an image at x or y = -2, or 0x8001 wide, drew something (eax = background pixels)'

    ; Out of range.
    image 0, 10, 10, 10, 10
    image 0xC0000000, 10, 10, 10, 10
    image 0xFFFFFFF0, 4, 4, 10, 10
    survived 'g_image/bad_pointer'
    image picture, 0x7FFF, 0x7FFF, 0, 0
    image memory_end - 6, 16, 16, 0, 0
    survived 'g_image/short_image'
    image picture, 4, 3, 0x7FFF, 0x7FFF
    image picture, 4, 3, 0xFFFE, 0xFFFE
    image picture, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF
    survived 'g_image/far_off'
    ring_diff_of WX, WY, WW, WH
    test eax, eax
    check z, 'g_image/out_of_range_clipped', 'an out-of-range image drew outside the window (eax = changed pixels)'

    check_clobbers 'g_image/registers_preserved'
    call finish

; 4 x 3, BGR bytes, every pixel different.
picture:
    db 0x00, 0x00, 0xFF,  0x00, 0xFF, 0x00,  0xFF, 0x00, 0x00,  0x10, 0x20, 0x30
    db 0x40, 0x50, 0x60,  0x70, 0x80, 0x90,  0xA0, 0xB0, 0xC0,  0xD0, 0xE0, 0xF0
    db 0x01, 0x02, 0x03,  0xFE, 0xFD, 0xFC,  0x55, 0xAA, 0x55,  0xFF, 0xFF, 0xFF
expected_second dd 0x0000FF00   ; pixel (1, 0) as 0x00RRGGBB

image_end:
align 4
RING_BUFFER_DWORDS = 16 * (WW + 16) + 16 * WH
ring_buffer rd RING_BUFFER_DWORDS
align 16
    rb 4096
stack_top:
memory_end:
