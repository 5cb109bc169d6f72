; g_pal: function 65 (draw image with palette). Each format draws an
; 8 x 2 image whose expected colours the program knows: 1, 2, 4 and 8 bits
; per pixel through a palette (most significant bits first, rows starting
; on a byte), 9 (grey bytes), 15 (0RRRRRGGGGGBBBBB), 16 (RRRRRGGGGGGBBBBB,
; within 7 per channel), 24 (BGR) and 32 (BGRx); EBP adds padding after
; each row; a 1-bit image 5 pixels wide starts each row on a new byte.
; Invalid depths and pointers do not stop the program or draw outside.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_pal', 0

WX = 100
WY = 80
WW = 200
WH = 200
BACK = 0x00314159

; draw65 image, width, height, x, y, bpp, palette, padding
macro draw65 pointer, width, height, x, y, bpp, palette, padding
{
    mov eax, 65
    mov ebx, pointer
    mov ecx, (width) shl 16 + (height)
    mov edx, (x) shl 16 + (y)
    mov esi, bpp
    mov edi, palette
    mov ebp, padding
    call kcall
}

; expect_image 'name', x, y, width, height, expected, tolerance:
; compares the window rectangle with `expected` (dwords 0x00RRGGBB, row
; by row); each channel may differ by `tolerance`.
macro expect_image name, x, y, width, height, expected, tolerance
{
    mov dword [cmp_args], WX + x
    mov dword [cmp_args + 4], WY + y
    mov dword [cmp_args + 8], width
    mov dword [cmp_args + 12], height
    mov dword [cmp_args + 16], expected
    mov dword [cmp_args + 20], tolerance
    call compare_expected
    test eax, eax
    check z, <'g_pal/', name>, 'the image does not read back as expected (eax = wrong pixels)'
}

start:
    call screen_init
    ring_save_of WX, WY, WW, WH
    window WX, WY, WW - 1, WH - 1, 0x01000000, 0, 0
    bar 0, 0, WW, WH, BACK

    draw65 image1, 8, 2, 10, 10, 1, palette, 0
    expect_image 'bpp1', 10, 10, 8, 2, expect1, 0
    draw65 image2, 8, 2, 10, 20, 2, palette, 0
    expect_image 'bpp2', 10, 20, 8, 2, expect2, 0
    draw65 image4, 8, 2, 10, 30, 4, palette, 0
    expect_image 'bpp4', 10, 30, 8, 2, expect4, 0
    draw65 image8, 8, 2, 10, 40, 8, palette, 0
    expect_image 'bpp8', 10, 40, 8, 2, expect8, 0
    draw65 image9, 8, 2, 10, 50, 9, 0, 0
    expect_image 'bpp9_grey', 10, 50, 8, 2, expect9, 0
    draw65 image15, 8, 2, 10, 60, 15, 0, 0
    expect_image 'bpp15', 10, 60, 8, 2, expect15, 0
    draw65 image16, 8, 2, 10, 70, 16, 0, 0
    expect_image 'bpp16', 10, 70, 8, 2, expect16, 0
    draw65 image24, 8, 2, 10, 80, 24, 0, 0
    expect_image 'bpp24', 10, 80, 8, 2, expect24, 0
    draw65 image32, 8, 2, 10, 90, 32, 0, 0
    expect_image 'bpp32', 10, 90, 8, 2, expect32, 0
    ; EBP = 5: five bytes of padding after each 24-bit row.
    draw65 image24pad, 3, 2, 10, 100, 24, 0, 5
    expect_image 'row_padding', 10, 100, 3, 2, expect24pad, 0
    ; 1 bit, 5 pixels wide: each row is one byte.
    draw65 image1narrow, 5, 2, 10, 110, 1, palette, 0
    expect_image 'bpp1_narrow', 10, 110, 5, 2, expect1narrow, 0
    ; 24 bits with EBP = 0 is function 7.
    draw65 image24, 8, 2, 30, 80, 24, 0, 0
    mov eax, 7
    mov ebx, image24
    mov ecx, (8 shl 16) + 2
    mov edx, (50 shl 16) + 80
    call kcall
    same_areas WX + 30, WY + 80, 8, 2, WX + 50, WY + 80
    test eax, eax
    check z, 'g_pal/same_as_function_7', '65 with 24 bits and EBP = 0 differs from function 7 (eax = pixels)'

    ; Out of range: depths that do not exist, null and kernel pointers,
    ; a palette that is not there, far-off positions.
    draw65 image8, 8, 2, 100, 10, 7, palette, 0
    draw65 image8, 8, 2, 100, 10, 0, palette, 0
    draw65 image8, 8, 2, 100, 10, 33, palette, 0
    draw65 image8, 8, 2, 100, 10, 0xFFFFFFFF, palette, 0
    survived 'g_pal/bad_depth'
    draw65 0, 8, 2, 100, 20, 24, 0, 0
    draw65 0xC0000000, 8, 2, 100, 20, 8, palette, 0
    draw65 image8, 8, 2, 100, 20, 8, 0, 0
    draw65 image8, 8, 2, 100, 20, 8, 0xC0000000, 0
    draw65 image8, 0x7FFF, 0x7FFF, 0, 0, 32, 0, 0
    draw65 image24, 8, 2, 100, 20, 24, 0, 0x7FFFFFFF
    draw65 image24, 8, 2, 100, 20, 24, 0, 0xFFFFFFF0
    survived 'g_pal/bad_pointer'
    draw65 image24, 8, 2, 0x7FFF, 0x7FFF, 24, 0, 0
    survived 'g_pal/far_off'
    ring_diff_of WX, WY, WW, WH
    test eax, eax
    check z, 'g_pal/clipped', 'an image drew outside the window (eax = changed pixels)'

    check_clobbers 'g_pal/registers_preserved'
    call finish

; compare_expected: cmp_args = screen x, y, width, height, expected table,
; tolerance -> EAX = pixels off by more than the tolerance in a channel.
compare_expected:
    push ebx ecx edx esi edi ebp
    xor ebp, ebp
    mov esi, [cmp_args + 16]
    mov ecx, [cmp_args + 4]
    mov edi, [cmp_args + 12]
.row:
    mov ebx, [cmp_args]
    mov edx, [cmp_args + 8]
.column:
    call get_pixel
    push ecx edx
    mov edx, [esi]
    mov ecx, 3
.channel:
    push eax edx
    movzx eax, al
    movzx edx, dl
    sub eax, edx
    jns @f
    neg eax
@@:
    cmp eax, [cmp_args + 20]
    pop edx eax
    jbe @f
    inc ebp
    jmp .next_pixel
@@:
    shr eax, 8
    shr edx, 8
    loop .channel
    test eax, eax           ; the top byte must be 0 (and expected has 0)
    jz .next_pixel
    inc ebp
.next_pixel:
    pop edx ecx
    add esi, 4
    inc ebx
    dec edx
    jnz .column
    inc ecx
    dec edi
    jnz .row
    mov eax, ebp
    pop ebp edi esi edx ecx ebx
    ret

align 4
; Palette: 256 entries, entry i = 0x00RRGGBB with red = i, green =
; 255 - i, blue = 0x40: all different, none the background.
palette:
repeat 256
    dd ((% - 1) shl 16) + ((256 - %) shl 8) + 0x40
end repeat

macro pal_expect [index]
{
forward
    dd ((index) shl 16) + ((255 - (index)) shl 8) + 0x40
}

; 1 bit: row 0 = 10110000, row 1 = 01001111.
image1 db 10110000b, 01001111b
expect1:
    pal_expect 1, 0, 1, 1, 0, 0, 0, 0
    pal_expect 0, 1, 0, 0, 1, 1, 1, 1
; 2 bits: row 0 = 00 01 10 11 | 11 10 01 00, row 1 = 01 01 10 10 | 00 11 00 11.
image2 db 00011011b, 11100100b, 01011010b, 00110011b
expect2:
    pal_expect 0, 1, 2, 3, 3, 2, 1, 0
    pal_expect 1, 1, 2, 2, 0, 3, 0, 3
; 4 bits: high nibble first.
image4 db 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF
expect4:
    pal_expect 0, 1, 2, 3, 4, 5, 6, 7
    pal_expect 8, 9, 10, 11, 12, 13, 14, 15
; 8 bits: indices.
image8 db 0, 17, 34, 51, 68, 85, 102, 255, 200, 150, 100, 50, 25, 5, 1, 128
expect8:
    pal_expect 0, 17, 34, 51, 68, 85, 102, 255
    pal_expect 200, 150, 100, 50, 25, 5, 1, 128
; 9: grey levels.
image9 db 0x00, 0x10, 0x20, 0x40, 0x80, 0xC0, 0xE0, 0xFF, 0x01, 0x7F, 0x33, 0x99, 0xAA, 0x55, 0x0F, 0xF0
expect9:
irps v, 0x00 0x10 0x20 0x40 0x80 0xC0 0xE0 0xFF 0x01 0x7F 0x33 0x99 0xAA 0x55 0x0F 0xF0
{
    dd v * 0x010101
}
; 15 bits 0RRRRRGGGGGBBBBB: red, green, blue, white, black, and mixes.
; sysfuncs.txt does not say how a channel widens; the kernel
; (putimage_get15bpp, kernel.asm) shifts it up with zero low bits, so a
; 5-bit v reads as exactly v * 8 (31 is 0xF8) and a 6-bit one as v * 4.
macro c15 [r, g, b]
{
forward
    dw (r) shl 10 + (g) shl 5 + (b)
}
macro e5 [r, g, b]
{
forward
    dd ((r) shl 3) shl 16 + ((g) shl 3) shl 8 + ((b) shl 3)
}
image15:
    c15 31,0,0, 0,31,0, 0,0,31, 31,31,31, 0,0,0, 16,8,4, 1,2,3, 30,29,28
    c15 10,20,30, 31,31,0, 0,31,31, 31,0,31, 5,5,5, 25,25,25, 12,0,24, 7,14,21
expect15:
    e5 31,0,0, 0,31,0, 0,0,31, 31,31,31, 0,0,0, 16,8,4, 1,2,3, 30,29,28
    e5 10,20,30, 31,31,0, 0,31,31, 31,0,31, 5,5,5, 25,25,25, 12,0,24, 7,14,21
; 16 bits RRRRRGGGGGGBBBBB.
macro c16 [r, g, b]
{
forward
    dw (r) shl 11 + (g) shl 5 + (b)
}
macro e6 [r, g, b]
{
forward
    dd ((r) shl 3) shl 16 + ((g) shl 2) shl 8 + ((b) shl 3)
}
image16:
    c16 31,0,0, 0,63,0, 0,0,31, 31,63,31, 0,0,0, 16,32,8, 1,2,3, 30,60,28
    c16 10,40,30, 31,63,0, 0,63,31, 31,0,31, 5,10,5, 25,50,25, 12,0,24, 7,14,21
expect16:
    e6 31,0,0, 0,63,0, 0,0,31, 31,63,31, 0,0,0, 16,32,8, 1,2,3, 30,60,28
    e6 10,40,30, 31,63,0, 0,63,31, 31,0,31, 5,10,5, 25,50,25, 12,0,24, 7,14,21
; 24 bits BGR, 32 bits BGRx.
macro bgr [c]
{
forward
    db (c) and 0xFF, ((c) shr 8) and 0xFF, ((c) shr 16) and 0xFF
}
macro bgrx [c]
{
forward
    db (c) and 0xFF, ((c) shr 8) and 0xFF, ((c) shr 16) and 0xFF, 0xA5
}
COLOURS equ 0xFF0000, 0x00FF00, 0x0000FF, 0x123456, 0x654321, 0xFFFFFF, 0x000001, 0x808080, \
            0x010203, 0xA0B0C0, 0x0F0F0F, 0xF0F0F0, 0x336699, 0x996633, 0x00FFFF, 0xFF00FF
image24:
match list, COLOURS { bgr list }
image32:
match list, COLOURS { bgrx list }
expect24:
expect32:
    dd COLOURS
image24pad:
    bgr 0x112233, 0x445566, 0x778899
    db 1, 2, 3, 4, 5
    bgr 0xAABBCC, 0xDDEEFF, 0x102030
    db 6, 7, 8, 9, 10
expect24pad dd 0x112233, 0x445566, 0x778899, 0xAABBCC, 0xDDEEFF, 0x102030
; 1 bit, 5 wide: row 0 = 10101xxx, row 1 = 01110xxx (xxx ignored).
image1narrow db 10101111b, 01110101b
expect1narrow:
    pal_expect 1, 0, 1, 0, 1
    pal_expect 0, 1, 1, 1, 0

image_end:
align 4
cmp_args rd 6
RING_BUFFER_DWORDS = 16 * (WW + 16) + 16 * WH
ring_buffer rd RING_BUFFER_DWORDS
align 16
    rb 4096
stack_top:
memory_end:
