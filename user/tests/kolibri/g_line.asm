; g_line: function 38 (draw line). Both end points are drawn; horizontal,
; vertical, diagonal and general lines have max(|dx|, |dy|) + 1 pixels;
; the order of the end points does not matter; EDX = 0x01xxxxxx inverts;
; lines are clipped to the window and out-of-range coordinates do not
; stop the program.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_line', 0

WX = 100
WY = 90
WW = 200
WH = 140
BACK = 0x00E0E0E0
INK = 0x00200080

; line x0, x1, y0, y1, colour
macro line x0, x1, y0, y1, colour
{
    mov eax, 38
    mov ebx, ((x0) and 0xFFFF) shl 16 + ((x1) and 0xFFFF)
    mov ecx, ((y0) and 0xFFFF) shl 16 + ((y1) and 0xFFFF)
    mov edx, colour
    call kcall
}

macro clear
{
    bar 0, 0, WW, WH, BACK
}

; ink_count 'name', expected, 'reason': the pixels of colour INK in the
; whole window.
macro ink_count name, expected, reason
{
    count_in WX, WY, WW, WH, INK
    cmp eax, expected
    check e, name, reason
}

start:
    call screen_init
    ring_save_of WX, WY, WW, WH
    window WX, WY, WW - 1, WH - 1, 0x01000000, 0, 0
    clear

    ; Horizontal, from (10,20) to (60,20): 51 pixels on row 20.
    line 10, 60, 20, 20, INK
    count_in WX + 10, WY + 20, 51, 1, INK
    cmp eax, 51
    check e, 'g_line/horizontal', 'a line from x 10 to 60 is not 51 pixels on its row (eax)'
    ink_count 'g_line/horizontal_only', 51, 'a horizontal line coloured pixels off its row (eax = pixels)'
    expect_pixel WX + 60, WY + 20, INK, 'g_line/end_point', 'the end point is not drawn'

    ; The same line with the end points swapped covers the same pixels.
    clear
    line 60, 10, 20, 20, INK
    count_in WX + 10, WY + 20, 51, 1, INK
    cmp eax, 51
    check e, 'g_line/reversed', 'a line from x 60 to 10 is not the same 51 pixels (eax)'

    ; Vertical, (70,10)-(70,50): 41 pixels.
    clear
    line 70, 70, 10, 50, INK
    count_in WX + 70, WY + 10, 1, 41, INK
    cmp eax, 41
    check e, 'g_line/vertical', 'a vertical line of 41 pixels (eax)'
    ink_count 'g_line/vertical_only', 41, 'a vertical line coloured other pixels (eax)'

    ; Diagonal (10,30)-(40,60): 31 pixels, on the diagonal.
    clear
    line 10, 40, 30, 60, INK
    ink_count 'g_line/diagonal_count', 31, 'a 45-degree line of 31 pixels (eax)'
    xor esi, esi
    xor edi, edi
.diagonal:
    lea ebx, [WX + 10 + esi]
    lea ecx, [WY + 30 + esi]
    call get_pixel
    cmp eax, INK
    je @f
    inc edi
@@:
    inc esi
    cmp esi, 31
    jb .diagonal
    mov eax, edi
    test eax, eax
    check z, 'g_line/diagonal_pixels', 'pixels of the diagonal (10+i, 30+i) are missing (eax = count)'

    ; General slope (0,0)-(20,10): x-major, 21 pixels, both ends drawn,
    ; one pixel per column.
    clear
    line 0, 20, 0, 10, INK
    ink_count 'g_line/slope_count', 21, 'a line (0,0)-(20,10) is not 21 pixels (eax)'
    expect_pixel WX, WY, INK, 'g_line/slope_start', 'the start point is not drawn'
    expect_pixel WX + 20, WY + 10, INK, 'g_line/slope_end', 'the end point is not drawn'
    xor esi, esi
    xor edi, edi
.columns:
    push esi
    lea ebx, [WX + esi]
    count_in ebx, WY, 1, 11, INK
    pop esi
    cmp eax, 1
    je @f
    inc edi
@@:
    inc esi
    cmp esi, 21
    jb .columns
    mov eax, edi
    test eax, eax
    check z, 'g_line/slope_one_per_column', 'columns of an x-major line without exactly one pixel (eax = count)'

    ; A line of one point.
    clear
    line 30, 30, 70, 70, INK
    ink_count 'g_line/point', 1, 'a line from a point to itself is not one pixel (eax)'

    ; Inversion over a known colour.
    clear
    bar 0, 100, 100, 10, 0x00102030
    line 0, 99, 105, 105, 0x01FFFFFF
    count_in WX, WY + 105, 100, 1, 0x00EFDFCF
    cmp eax, 100
    check e, 'g_line/invert', 'an inverted line over 0x102030 does not read 0xEFDFCF (eax = pixels)'
    line 0, 99, 105, 105, 0x01000000
    count_in WX, WY + 105, 100, 1, 0x00102030
    cmp eax, 100
    check e, 'g_line/invert_twice', 'inverting the line again does not restore it (eax = pixels)'

    ; Clipped: from inside the window to far outside.
    clear
    line 10, 500, 75, 75, INK
    count_in WX + 10, WY + 75, WW - 10, 1, INK
    cmp eax, WW - 10
    check e, 'g_line/clipped_inside', 'the part of a long line inside the window is not drawn (eax)'
    line 100, 100, 10, 400, INK
    line 150, 400, 100, 300, INK
    ring_diff_of WX, WY, WW, WH
    test eax, eax
    check z, 'g_line/clipped_outside', 'a line drew outside the window (eax = changed pixels)'

    ; Out of range: far off, "negative" 16-bit coordinates, all ones.
    line 0x7000, 0x7FFF, 0x7000, 0x7FFF, INK
    line 0xFFFF, 0, 0xFFFF, 0, INK
    line 0x8000, 0x7FFF, 0, 0, INK
    mov eax, 38
    mov ebx, -1
    mov ecx, -1
    mov edx, -1
    call kcall
    survived 'g_line/out_of_range'
    ring_diff_of WX, WY, WW, WH
    test eax, eax
    check z, 'g_line/out_of_range_clipped', 'an out-of-range line drew outside the window (eax = changed pixels)'

    ; Where a point falls exactly between two pixels, the kernel's
    ; fixed-point walk (__sys_draw_line, video/vesa20.inc: steps of
    ; 1/65536 from the end with the smaller y, each point rounded half up)
    ; decides: from (10,100) to (11,40), walked from (11,40), row 70 is at
    ; x 10.5 (a hair above) and takes
    ; x = 11 (a Bresenham walk from (10,100) would take 10).
    clear
    line 10, 11, 100, 40, INK
    ink_count 'g_line/steep_pixels', 61, 'a line 61 rows high is not 61 pixels (eax)'
    expect_pixel WX + 11, WY + 70, INK, 'g_line/half_rounds_up', 'the middle row of (10,100)-(11,40) is not at x = 11'
    expect_pixel WX + 10, WY + 71, INK, 'g_line/after_half', 'row 71 of (10,100)-(11,40) is not at x = 10'

    check_clobbers 'g_line/registers_preserved'
    call finish

image_end:
align 4
RING_BUFFER_DWORDS = 16 * (WW + 16) + 16 * WH
ring_buffer rd RING_BUFFER_DWORDS
align 16
    rb 4096
stack_top:
memory_end:
