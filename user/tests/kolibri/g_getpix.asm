; g_getpix: functions 35 (read a screen pixel) and 36 (read a screen
; area). The program paints four quadrants of known colours and a
; diagonal; 35 at y * width + x answers each colour as 0x00RRGGBB; 36 reads
; a 20 x 10 area across the quadrants as BGR bytes that agree with 35 pixel
; for pixel, and writes no byte past 3 * 20 * 10. Areas partly or wholly
; off the screen and null or kernel buffers do not stop the program.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_getpix', 0

WX = 100
WY = 100
Q = 40                  ; quadrant size

macro read36 buffer, width, height, x, y
{
    mov eax, 36
    mov ebx, buffer
    mov ecx, (width) shl 16 + (height)
    mov edx, (x) shl 16 + (y)
    call kcall
}

start:
    call screen_init
    window WX, WY, 2 * Q - 1, 2 * Q - 1, 0x01000000, 0, 0
    bar 0, 0, Q, Q, 0x00FF0000
    bar Q, 0, Q, Q, 0x0000FF00
    bar 0, Q, Q, Q, 0x000000FF
    bar Q, Q, Q, Q, 0x00FFFFFF
    mov esi, 0
.diagonal:
    mov eax, 1
    mov ebx, esi
    mov ecx, esi
    mov edx, 0x00000000
    call kcall
    inc esi
    cmp esi, 2 * Q
    jb .diagonal

    expect_pixel WX + 5, WY + 10, 0x00FF0000, 'g_getpix/red', 'function 35 did not read the red quadrant'
    expect_pixel WX + Q + 5, WY + 10, 0x0000FF00, 'g_getpix/green', 'function 35 did not read the green quadrant'
    expect_pixel WX + 5, WY + Q + 10, 0x000000FF, 'g_getpix/blue', 'function 35 did not read the blue quadrant'
    expect_pixel WX + Q + 5, WY + Q + 10, 0x00FFFFFF, 'g_getpix/white', 'function 35 did not read the white quadrant'
    expect_pixel WX + 7, WY + 7, 0x00000000, 'g_getpix/black', 'function 35 did not read a black pixel of the diagonal'
    ; The offset is y * width + x, with width the screen width.
    mov ebx, [screen_width]
    imul ebx, WY + Q + 3
    add ebx, WX + Q - 1
    mov eax, 35
    int 0x40
    cmp eax, 0x000000FF
    check e, 'g_getpix/offset_formula', 'function 35 at (y * width + x) of a blue pixel did not answer blue (eax)'

    ; 36: 20 x 10 from (Q - 10, Q - 5), across all four quadrants.
    mov edi, area
    mov ecx, 1024
    mov al, 0xA5
    rep stosb
    read36 area, 20, 10, WX + Q - 10, WY + Q - 5
    xor ebp, ebp                ; mismatches
    xor esi, esi                ; pixel index
.compare:
    mov eax, esi
    xor edx, edx
    mov ecx, 20
    div ecx                     ; eax = row, edx = column
    lea ebx, [WX + Q - 10 + edx]
    lea ecx, [WY + Q - 5 + eax]
    call get_pixel
    lea edx, [esi + esi * 2]
    movzx ecx, byte [area + edx + 2]
    shl ecx, 16
    mov ch, [area + edx + 1]
    mov cl, [area + edx]
    cmp eax, ecx
    je @f
    inc ebp
@@:
    inc esi
    cmp esi, 200
    jb .compare
    mov eax, ebp
    test eax, eax
    check z, 'g_getpix/area', 'function 36 does not agree with function 35 (eax = pixels)'
    cmp byte [area + 600], 0xA5
    check e, 'g_getpix/area_size', 'function 36 wrote past 3 * width * height bytes'
    ; (Q - 10, Q - 5) is red: bytes B = 0, G = 0, R = 0xFF.
    mov eax, dword [area]
    and eax, 0x00FFFFFF
    cmp eax, 0x00FF0000
    check e, 'g_getpix/bgr_order', 'function 36 does not store blue, green, red (eax = first three bytes)'

    ; Out of range.
    read36 area, 20, 10, 0x7000, 0x7000
    mov edx, [screen_width]
    sub edx, 5
    shl edx, 16
    add edx, 10
    mov eax, 36
    mov ebx, area
    mov ecx, (20 shl 16) + 10
    call kcall
    survived 'g_getpix/off_screen'
    read36 0, 20, 10, WX, WY
    read36 0xC0000000, 20, 10, WX, WY
    ; A buffer that runs past the program's memory (plain int 0x40: the
    ; stack top is just below and must not hold a return address).
    mov eax, 36
    mov ebx, memory_end - 16
    mov ecx, (20 shl 16) + 10
    mov edx, (WX shl 16) + WY
    int 0x40
    survived 'g_getpix/bad_buffer'

    check_clobbers 'g_getpix/registers_preserved'
    call finish

image_end:
align 4
area rb 1024
align 16
    rb 4096
stack_top:
tail rb 16
memory_end:
