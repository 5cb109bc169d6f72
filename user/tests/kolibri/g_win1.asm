; g_win1: function 0, style 1 (only the window area, nothing drawn), and
; the reserved styles 5-15, whose calls are ignored. A reserved-style call
; comes first: it draws nothing and does not define the window, so the
; style-1 call after it still sets the position. The style-1 window draws
; nothing; the program's pixel (0,0) is the window's corner and
; (xsize, ysize) its last pixel; (xsize + 1, ...) is outside.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_win1', 0

WX = 100
WY = 80
XSIZE = 199
YSIZE = 149
RX = 400                ; where the reserved-style calls ask for a window
RY = 80
INK = 0x00FF00FF

start:
    call screen_init
    save_in WX, WY, XSIZE + 1, YSIZE + 1, area_before
    save_in RX, RY, 100, 100, reserved_before

    ; Reserved styles: ignored.
    mov ebp, 5
.reserved:
    mov eax, 12
    mov ebx, 1
    int 0x40
    xor eax, eax
    mov ebx, (RX shl 16) + 99
    mov ecx, (RY shl 16) + 99
    mov edx, ebp
    shl edx, 24
    or edx, 0x00FF0000
    mov esi, 0x0000FF00
    mov edi, 0x000000FF
    call kcall
    mov eax, 12
    mov ebx, 2
    int 0x40
    inc ebp
    cmp ebp, 16
    jb .reserved
    diff_in RX, RY, 100, 100, reserved_before
    test eax, eax
    check z, 'g_win1/reserved_styles_ignored', 'a function 0 call with style 5-15 drew something (eax = changed pixels)'

    ; Style 1: nothing drawn.
    window WX, WY, XSIZE, YSIZE, 0x0100FF00, 0x00FF0000, 0x000000FF
    diff_in WX, WY, XSIZE + 1, YSIZE + 1, area_before
    test eax, eax
    check z, 'g_win1/draws_nothing', 'a style-1 window drew something (eax = changed pixels)'

    ; Its corners, drawn by the program.
    ring_save_of WX, WY, XSIZE + 1, YSIZE + 1
    mov eax, 1
    xor ebx, ebx
    xor ecx, ecx
    mov edx, INK
    call kcall
    expect_pixel WX, WY, INK, 'g_win1/origin', 'pixel (0,0) of the style-1 window is not at its position: a reserved-style call set it?'
    mov eax, 1
    mov ebx, XSIZE
    mov ecx, YSIZE
    call kcall
    expect_pixel WX + XSIZE, WY + YSIZE, INK, 'g_win1/last_pixel', 'pixel (xsize, ysize) is not drawn: the window is smaller than xsize + 1'
    mov eax, 1
    mov ebx, XSIZE + 1
    mov ecx, 10
    call kcall
    mov eax, 1
    mov ebx, 10
    mov ecx, YSIZE + 1
    call kcall
    ring_diff_of WX, WY, XSIZE + 1, YSIZE + 1
    test eax, eax
    check z, 'g_win1/size', 'pixels at xsize + 1 or ysize + 1 were drawn (eax = changed pixels)'
    diff_in RX, RY, 100, 100, reserved_before
    test eax, eax
    check z, 'g_win1/reserved_place_empty', 'something appeared where the reserved-style calls asked for a window (eax)'

    ; Function 12 with subfunctions other than 1 and 2, and a 12.2
    ; without 12.1: nothing happens.
    mov eax, 12
    xor ebx, ebx
    int 0x40
    mov eax, 12
    mov ebx, 3
    int 0x40
    mov eax, 12
    mov ebx, -1
    int 0x40
    mov eax, 12
    mov ebx, 2
    int 0x40
    survived 'g_win1/bad_redraw_subfunction'
    expect_pixel WX, WY, INK, 'g_win1/kept_after_bad_12', 'bad function 12 calls changed the window'

    check_clobbers 'g_win1/registers_preserved'
    call finish

image_end:
align 4
area_before rd (XSIZE + 1) * (YSIZE + 1)
reserved_before rd 100 * 100
RING_BUFFER_DWORDS = 16 * (XSIZE + 1 + 16) + 16 * (YSIZE + 1)
ring_buffer rd RING_BUFFER_DWORDS
align 16
    rb 4096
stack_top:
memory_end:
