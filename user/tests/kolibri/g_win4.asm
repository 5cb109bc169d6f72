; g_win4: function 0, style 4 (skinned, fixed size) with the
; client-relative flag (EDX bit 29): the same skin geometry as style 3
; (working area from (5, skin height) to (xsize - 5, ysize - 5)), and the
; drawing functions take coordinates relative to the working area:
; function 1's (0,0) and function 13's rectangle at (0,0) land on the
; working area's corner.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_win4', 0

WX = 120
WY = 90
XSIZE = 239
YSIZE = 179
WORK = 0x00F0E0D0
INK = 0x00FF0000
MID = 120

start:
    call screen_init
    mov eax, 48
    mov ebx, 4
    int 0x40
    mov [skin], eax
    ring_save_of WX, WY, XSIZE + 1, YSIZE + 1
    window WX, WY, XSIZE, YSIZE, 0x24000000 or WORK, 0, 0
    mov ebp, [skin]

    ; Geometry as style 3.
    mov ebx, WX + 5
    lea ecx, [WY + ebp]
    call get_pixel
    cmp eax, WORK
    check e, 'g_win4/work_top_left', 'pixel (5, skin height) is not the working colour'
    expect_pixel WX + XSIZE - 5, WY + YSIZE - 5, WORK, 'g_win4/work_bottom_right', 'pixel (xsize - 5, ysize - 5) is not the working colour'
    pixel_at WX + 4, WY + MID
    cmp eax, WORK
    check ne, 'g_win4/frame_left', 'x = 4 has the working colour'
    pixel_at WX + XSIZE - 4, WY + MID
    cmp eax, WORK
    check ne, 'g_win4/frame_right', 'x = xsize - 4 has the working colour'
    pixel_at WX + MID, WY + YSIZE - 4
    cmp eax, WORK
    check ne, 'g_win4/frame_bottom', 'y = ysize - 4 has the working colour'

    ; Client-relative: (0,0) is the working area's corner.
    mov eax, 1
    xor ebx, ebx
    xor ecx, ecx
    mov edx, INK
    call kcall
    mov ebx, WX + 5
    lea ecx, [WY + ebp]
    call get_pixel
    cmp eax, INK
    check e, 'g_win4/relative_pixel', 'with EDX bit 29, pixel (0,0) is not at the working area (5, skin height)'
    bar 10, 20, 30, 10, INK
    mov ebx, WX + 5 + 10
    lea ecx, [WY + ebp + 20]
    mov edx, 30
    mov esi, 10
    mov edi, INK
    call count_color
    cmp eax, 300
    check e, 'g_win4/relative_rect', 'a rectangle at (10,20) is not at the working area + (10,20) (eax = pixels)'
    mov eax, 38
    mov ebx, (0 shl 16) + 9
    mov ecx, (40 shl 16) + 40
    mov edx, INK
    call kcall
    mov ebx, WX + 5
    lea ecx, [WY + ebp + 40]
    mov edx, 10
    mov esi, 1
    mov edi, INK
    call count_color
    cmp eax, 10
    check e, 'g_win4/relative_line', 'a line from (0,40) to (9,40) is not at the working area + (0,40) (eax = pixels)'

    ring_diff_of WX, WY, XSIZE + 1, YSIZE + 1
    test eax, eax
    check z, 'g_win4/size', 'the window is not xsize + 1 by ysize + 1 pixels (eax = changed pixels around it)'

    check_clobbers 'g_win4/registers_preserved'
    call finish

image_end:
align 4
skin dd ?
RING_BUFFER_DWORDS = 16 * (XSIZE + 1 + 16) + 16 * (YSIZE + 1)
ring_buffer rd RING_BUFFER_DWORDS
align 16
    rb 4096
stack_top:
memory_end:
