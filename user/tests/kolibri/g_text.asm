; g_text: function 4 (draw text string). Font 0 is 6x9 (monospaced, 6
; pixels per character), font 1 is 8x16; ESI counts the characters drawn
; (0: none); ECX bit 31 draws a NUL-terminated string instead; bit 30
; fills the character cells with EDI; bits 24-26 scale the font; bit 27
; draws into a buffer given in EDI (dword width, dword height, then 32-bit
; pixels) instead of the window. Null, kernel and runaway pointers,
; coordinates far off and huge buffers draw nothing outside the window
; and do not stop the program.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_text', 0

WX = 60
WY = 60
WW = 400
WH = 220
BACK = 0x00F0F0F0
INK = 0x00102030
FILL = 0x00A0C0E0

ASCIIZ = 0x80000000
FILLED = 0x40000000
FONT1 = 0x10000000
TO_BUFFER = 0x08000000

; text x, y, flags_and_colour, string, length [, edi]
macro text x, y, flags, string, length, edi_value
{
    mov eax, 4
    mov ebx, (x) shl 16 + (y)
    mov ecx, flags
    mov edx, string
    mov esi, length
if ~ edi_value eq
    mov edi, edi_value
end if
    call kcall
}

macro clear
{
    bar 0, 0, WW, WH, BACK
}

; ink_box: bounding box of INK in the whole window -> bbox_*, EAX = count.
macro ink_box
{
    bbox_in WX, WY, WW, WH, INK
}

; box_check 'name', register/value, condition, limit, 'reason'
macro box_check name, value, condition, limit, reason
{
    mov eax, value
    cmp eax, limit
    check condition, name, reason
}

start:
    call screen_init
    ring_save_of WX, WY, WW, WH
    window WX, WY, WW - 1, WH - 1, 0x01000000, 0, 0
    clear

    ; Font 0: ten H at (10,10) lie in 60 x 9 pixels, and the last one
    ; starts 54 pixels to the right of the first.
    text 10, 10, INK, ten_h, 10
    ink_box
    test eax, eax
    check nz, 'g_text/font0_drawn', 'ten characters of font 0 drew no pixel of the text colour'
    box_check 'g_text/font0_left', [bbox_left], ge, WX + 10, 'text pixels left of x (eax = leftmost)'
    box_check 'g_text/font0_top', [bbox_top], ge, WY + 10, 'text pixels above y (eax = top)'
    box_check 'g_text/font0_right', [bbox_right], l, WX + 10 + 60, 'ten characters are wider than 60 pixels (eax = rightmost)'
    box_check 'g_text/font0_advance', [bbox_right], ge, WX + 10 + 54, 'ten characters end before x + 54: not 6 pixels apart (eax = rightmost)'
    box_check 'g_text/font0_height', [bbox_bottom], l, WY + 10 + 9, 'font 0 is taller than 9 pixels (eax = bottom)'

    ; Font 1 (ECX bits 28-29 = 1): 8 pixels apart, up to 16 high.
    clear
    text 10, 10, INK or FONT1, ten_h, 10
    ink_box
    test eax, eax
    check nz, 'g_text/font1_drawn', 'ten characters of font 1 drew nothing'
    box_check 'g_text/font1_right', [bbox_right], l, WX + 10 + 80, 'ten characters of font 1 are wider than 80 (eax = rightmost)'
    box_check 'g_text/font1_advance', [bbox_right], ge, WX + 10 + 72, 'ten characters of font 1 end before x + 72 (eax = rightmost)'
    box_check 'g_text/font1_bottom', [bbox_bottom], l, WY + 10 + 16, 'font 1 is taller than 16 pixels (eax = bottom)'
    ; A '|' of font 1 is taller than font 0's cell. (Not the full block:
    ; font 1 shows cp866 pseudo-graphics as '_', as ansi2uni_char maps them.)
    clear
    text 10, 10, INK or FONT1, pipe_char, 1
    ink_box
    mov eax, [bbox_bottom]
    sub eax, [bbox_top]
    cmp eax, 9
    check ge, 'g_text/font1_tall', 'a bar of font 1 is not taller than 9 pixels (eax = height - 1)'
    box_check 'g_text/font1_block_width', [bbox_right], l, WX + 10 + 8, 'a bar of font 1 is wider than 8 (eax = rightmost)'
    clear
    text 10, 10, INK, block, 1
    ink_box
    box_check 'g_text/font0_block_width', [bbox_right], l, WX + 10 + 6, 'a block of font 0 is wider than 6 (eax = rightmost)'
    box_check 'g_text/font0_block_height', [bbox_bottom], l, WY + 10 + 9, 'a block of font 0 is taller than 9 (eax = bottom)'
    count_in WX + 10, WY + 10, 6, 9, INK
    cmp eax, 27
    check ge, 'g_text/font0_block_filled', 'a full block of font 0 fills less than half its cell (eax = pixels)'

    ; ESI counts characters: 3 of the ten.
    clear
    text 10, 10, INK, ten_h, 3
    ink_box
    box_check 'g_text/length', [bbox_right], l, WX + 10 + 18, 'ESI = 3 drew more than three characters (eax = rightmost)'
    box_check 'g_text/length_three', [bbox_right], ge, WX + 10 + 12, 'ESI = 3 drew fewer than three characters (eax = rightmost)'

    ; ESI = 0: nothing.
    clear
    text 10, 10, INK, ten_h, 0
    count_in WX, WY, WW, WH, INK
    test eax, eax
    check z, 'g_text/length_zero', 'ESI = 0 drew something (eax = pixels)'

    ; NUL-terminated (bit 31): "HH" ends at the 0, ESI ignored.
    clear
    text 10, 10, INK or ASCIIZ, two_h, 200
    ink_box
    box_check 'g_text/asciiz', [bbox_right], l, WX + 10 + 12, 'a NUL-terminated "HH" drew more than two characters (eax = rightmost)'
    box_check 'g_text/asciiz_two', [bbox_right], ge, WX + 10 + 6, 'a NUL-terminated "HH" drew fewer than two characters (eax = rightmost)'

    ; Background fill (bit 30): the cells of three characters are text or
    ; EDI, nothing else; only the cells.
    clear
    text 10, 10, INK or FILLED, ten_h, 3, FILL
    count_in WX + 10, WY + 10, 18, 9, INK
    mov ebp, eax
    count_in WX + 10, WY + 10, 18, 9, FILL
    add eax, ebp
    cmp eax, 18 * 9
    check e, 'g_text/fill_cells', 'the cells of filled text are not all text or fill colour (eax = such pixels of 162)'
    count_in WX, WY, WW, WH, FILL
    cmp eax, 18 * 9
    check be, 'g_text/fill_only_cells', 'the fill colour spread beyond three 6x9 cells (eax = pixels)'
    test eax, eax
    check nz, 'g_text/fill_some', 'no pixel has the fill colour (eax)'

    ; Scale x2 (bits 24-26 = 1): a block of font 0 is 12 x 18 at most,
    ; and taller than 9.
    clear
    text 10, 10, INK or 0x01000000, block, 1
    ink_box
    box_check 'g_text/scale_width', [bbox_right], l, WX + 10 + 12, 'a doubled block is wider than 12 (eax = rightmost)'
    box_check 'g_text/scale_height', [bbox_bottom], l, WY + 10 + 18, 'a doubled block is taller than 18 (eax = bottom)'
    mov eax, [bbox_bottom]
    sub eax, [bbox_top]
    cmp eax, 9
    check ge, 'g_text/scale_taller', 'a doubled block of font 0 is not taller than 9 (eax = height - 1)'

    ; Into a buffer (bit 27): the buffer gets pixels of the colour with
    ; 0xFF in the top byte (dtext, gui/font.inc, ors it in), the window
    ; does not change.
    clear
    mov dword [user_buffer], 40
    mov dword [user_buffer + 4], 20
    mov edi, user_buffer + 8
    mov ecx, 40 * 20
    mov eax, 0x00777777
    rep stosd
    text 2, 2, INK or TO_BUFFER, two_h, 2, user_buffer
    mov esi, user_buffer + 8
    mov ecx, 40 * 20
    xor edx, edx
.scan:
    lodsd
    cmp eax, INK or 0xFF000000
    jne @f
    inc edx
@@:
    loop .scan
    mov eax, edx
    test eax, eax
    check nz, 'g_text/buffer_drawn', 'text drawn into a buffer left no pixel of its colour there'
    count_in WX, WY, WW, WH, BACK
    cmp eax, WW * WH
    check e, 'g_text/buffer_not_window', 'text drawn into a buffer changed the window (eax = background pixels)'

    ; Out of range. Null, kernel and top-of-memory strings, counted and
    ; NUL-terminated; a runaway length; a string crossing the end of the
    ; program's memory; far-off coordinates; buffers that are null or
    ; claim to be huge.
    clear
    text 10, 10, INK, 0, 10
    text 10, 10, INK or ASCIIZ, 0, 0
    survived 'g_text/null_string'
    text 10, 10, INK, 0xC0000000, 10
    text 10, 10, INK or ASCIIZ, 0xC0000000, 0
    text 10, 10, INK, 0xFFFFFFF0, 255
    survived 'g_text/kernel_string'
    mov dword [tail + 12], 'ZZZZ'
    text 10, 30, INK, memory_end - 4, 255
    text 10, 50, INK or ASCIIZ, memory_end - 4, 0
    survived 'g_text/string_past_memory'
    text 10, 70, INK, ten_h, 0xFFFFFFFF
    survived 'g_text/huge_length'
    text 0x7FFF, 0x7FFF, INK, ten_h, 10
    text 0xFFFF, 10, INK, ten_h, 10
    text 10, 0xFFFF, INK or FONT1 or 0x07000000, ten_h, 10
    survived 'g_text/far_off'
    text 2, 2, INK or TO_BUFFER, two_h, 2, 0
    text 2, 2, INK or TO_BUFFER, two_h, 2, 0xC0000000
    mov dword [user_buffer], 0x10000
    mov dword [user_buffer + 4], 0x10000
    text 2, 2, INK or TO_BUFFER, two_h, 2, user_buffer
    survived 'g_text/bad_buffer'
    ring_diff_of WX, WY, WW, WH
    test eax, eax
    check z, 'g_text/clipped', 'text drew outside the window (eax = changed pixels around it)'

    check_clobbers 'g_text/registers_preserved'
    call finish

ten_h db 'HHHHHHHHHH'
two_h db 'HH', 0
block db 0xDB
pipe_char db '|'

image_end:
align 4
RING_BUFFER_DWORDS = 16 * (WW + 16) + 16 * WH
ring_buffer rd RING_BUFFER_DWORDS
user_buffer rd 2 + 40 * 20
align 16
    rb 4096
stack_top:
tail rb 16              ; the last bytes of the program's memory
memory_end:
