; g_win3: function 0, style 3 (skinned window) with a caption (EDX bit 28,
; EDI = the caption), by the reference's picture: the header (0,0) to
; (xsize, skin height - 1) drawn from the skin, the frames 5 pixels wide
; on the left, right and bottom, the working area (5, skin height) to
; (xsize - 5, ysize - 5) in the colour of EDX. The skin height is function
; 48.4's. Nothing is drawn outside the window.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_win3', 0

WX = 100
WY = 80
XSIZE = 219
YSIZE = 159
WORK = 0x00C8D8C0
MID = 100

start:
    call screen_init
    mov eax, 48
    mov ebx, 4
    int 0x40
    mov [skin], eax
    cmp eax, 8
    check ae, 'g_win3/skin_height_min', '48.4 answered a skin height under 8 (eax)'
    cmp eax, 60
    check be, 'g_win3/skin_height_max', '48.4 answered a skin height over 60 (eax)'

    ring_save_of WX, WY, XSIZE + 1, YSIZE + 1
    window WX, WY, XSIZE, YSIZE, 0x13000000 or WORK, 0, caption
    mov ebp, [skin]

    mov ebx, WX + 5
    lea ecx, [WY + ebp]
    call get_pixel
    cmp eax, WORK
    check e, 'g_win3/work_top_left', 'pixel (5, skin height) is not the working colour'
    expect_pixel WX + XSIZE - 5, WY + YSIZE - 5, WORK, 'g_win3/work_bottom_right', 'pixel (xsize - 5, ysize - 5) is not the working colour'
    pixel_at WX + 4, WY + MID
    cmp eax, WORK
    check ne, 'g_win3/frame_left', 'x = 4 has the working colour: the left frame is not 5 pixels wide'
    pixel_at WX + XSIZE - 4, WY + MID
    cmp eax, WORK
    check ne, 'g_win3/frame_right', 'x = xsize - 4 has the working colour: the right frame is not 5 pixels wide'
    pixel_at WX + MID, WY + YSIZE - 4
    cmp eax, WORK
    check ne, 'g_win3/frame_bottom', 'y = ysize - 4 has the working colour: the bottom frame is not 5 pixels wide'
    mov ebx, WX + MID
    lea ecx, [WY + ebp - 1]
    call get_pixel
    cmp eax, WORK
    check ne, 'g_win3/header_bottom', 'y = skin height - 1 has the working colour: the header is too short'

    ; The working area is all WORK; the header has none of it.
    mov edx, XSIZE - 9
    mov esi, YSIZE - 4
    sub esi, ebp
    mov ecx, WY
    add ecx, ebp
    mov ebx, WX + 5
    mov edi, WORK
    call count_color
    mov ecx, YSIZE - 4
    sub ecx, ebp
    imul ecx, XSIZE - 9
    cmp eax, ecx
    check e, 'g_win3/work_filled', 'the working area is not all the colour of EDX (eax = pixels)'
    mov ebx, WX
    mov ecx, WY
    mov edx, XSIZE + 1
    mov esi, ebp
    mov edi, WORK
    call count_color
    test eax, eax
    check z, 'g_win3/header_not_work', 'the header has pixels of the working colour (eax)'
    ; The header is drawn (not the desktop): its pixels are not what was
    ; there before (the ring saved the row above it).
    pixel_at WX + MID, WY - 1
    mov esi, eax
    pixel_at WX + MID, WY + 1
    cmp eax, esi
    check ne, 'g_win3/header_drawn', 'the header row 1 looks like the desktop above the window'

    ring_diff_of WX, WY, XSIZE + 1, YSIZE + 1
    test eax, eax
    check z, 'g_win3/size', 'the window is not xsize + 1 by ysize + 1 pixels (eax = changed pixels around it)'

    check_clobbers 'g_win3/registers_preserved'
    call finish

caption db 'g_win3 caption', 0

image_end:
align 4
skin dd ?
RING_BUFFER_DWORDS = 16 * (XSIZE + 1 + 16) + 16 * (YSIZE + 1)
ring_buffer rd RING_BUFFER_DWORDS
align 16
    rb 4096
stack_top:
memory_end:
