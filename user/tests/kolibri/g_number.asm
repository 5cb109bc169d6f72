; g_number: function 47 (draw a number). Every case draws the number with
; function 47 and the text it should be with function 4 (same colour and
; font) side by side, and the two must be pixel for pixel the same:
; decimal, hexadecimal, binary; leading zeros up to the digit count, or
; none with bit 31; a number too long for the count (its low digits);
; the number through a pointer (BL = 1), also as a qword (bit 30); font 1
; and a filled background. Out-of-range counts, bases and pointers do not
; stop the program or draw outside the window.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_number', 0

WX = 40
WY = 40
WW = 420
WH = 330
BACK = 0x00FFFFFF
INK = 0x00003366
FILL = 0x00FFE080
TEXT_X = 220            ; where the expected text goes (window x)
CELL_W = 190            ; compared width
ROW = 20                ; rows are 20 apart

HEX = 0x100
BINARY = 0x200
POINTER = 1
NO_ZEROS = 0x80000000
AS_QWORD = 0x40000000

row = 0

; case 'name', ebx, ecx, esi, edi, string: draws row `row`, compares.
macro case name, ebx_value, ecx_value, esi_value, edi_value, [string]
{
common
    local ..text, ..length, ..skip
    jmp ..skip
..text db string
..length = $ - ..text
..skip:
    mov eax, 47
    mov ebx, ebx_value
    mov ecx, ecx_value
    mov edx, (10 shl 16) + 5 + row * ROW
    mov esi, esi_value
    mov edi, edi_value
    call kcall
    mov eax, 4
    mov ebx, (TEXT_X shl 16) + 5 + row * ROW
    mov ecx, esi_value
    and ecx, 0x50FFFFFF     ; keep fill (30), font (28) and colour
    mov edx, ..text
    mov esi, ..length
    mov edi, edi_value
    call kcall
    ; The expected text is visible at all (not both blank).
    count_in WX + TEXT_X, WY + 5 + row * ROW, CELL_W, 16, INK
    test eax, eax
    check nz, <'g_number/', name, '_text_drawn'>, 'the reference text drew nothing'
    same_areas WX + 10, WY + 5 + row * ROW, CELL_W, 16, WX + TEXT_X, WY + 5 + row * ROW
    test eax, eax
    check z, <'g_number/', name>, 'function 47 does not look like the same number drawn by function 4 (eax = differing pixels)'
    row = row + 1
}

start:
    call screen_init
    ring_save_of WX, WY, WW, WH
    window WX, WY, WW - 1, WH - 1, 0x01000000, 0, 0
    bar 0, 0, WW, WH, BACK

    case 'decimal', 5 shl 16, 12345, INK, 0, '12345'
    case 'leading_zeros', 5 shl 16, 42, INK, 0, '00042'
    case 'no_leading_zeros', (5 shl 16) or NO_ZEROS, 42, INK, 0, '42'
    case 'zero_no_leading_zeros', (4 shl 16) or NO_ZEROS, 0, INK, 0, '0'
    case 'hexadecimal', (4 shl 16) or HEX, 0xBEEF, INK, 0, 'BEEF'
    case 'hex_zeros', (8 shl 16) or HEX, 0x1F, INK, 0, '0000001F'
    case 'binary', (4 shl 16) or BINARY, 5, INK, 0, '0101'
    case 'too_few_digits', 3 shl 16, 12345, INK, 0, '345'
    case 'max_dword', 10 shl 16, 0xFFFFFFFF, INK, 0, '4294967295'
    case 'pointer', (5 shl 16) or POINTER, dword_number, INK, 0, '67890'
    case 'qword', (11 shl 16) or POINTER or AS_QWORD, qword_number, INK, 0, '10000000000'
    case 'qword_hex', (16 shl 16) or POINTER or AS_QWORD or HEX, qword_hex, INK, 0, '0123456789ABCDEF'
    ; Bit 30 without a pointer: display_number (kernel.asm) divides a
    ; 64-bit number whose high dword is EBP (sysfuncs.txt says the bit
    ; needs a pointer). 10000000000 = 2 shl 32 + 0x540BE400.
    mov ebp, 2
    case 'qword_ebp', (11 shl 16) or AS_QWORD, 0x540BE400, INK, 0, '10000000000'
    xor ebp, ebp
    case 'font1', 3 shl 16, 987, INK or 0x10000000, 0, '987'
    case 'filled', 4 shl 16, 2024, INK or 0x40000000, FILL, '2024'

    ; Out of range: more than 60 digits, a reserved base, reserved bits,
    ; null and kernel pointers, far-off positions.
    mov eax, 47
    mov ebx, 63 shl 16
    mov ecx, 1
    mov edx, (10 shl 16) + 310
    mov esi, INK
    call kcall
    survived 'g_number/too_many_digits'
    mov eax, 47
    mov ebx, (4 shl 16) or 0x500
    mov ecx, 1234
    call kcall
    mov eax, 47
    mov ebx, (4 shl 16) or 0x3FC00000
    call kcall
    survived 'g_number/reserved_bits'
    mov eax, 47
    mov ebx, (8 shl 16) or POINTER
    mov ecx, 0
    call kcall
    mov ebx, (16 shl 16) or POINTER or AS_QWORD
    mov eax, 47
    mov ecx, 0xC0000000
    call kcall
    mov eax, 47
    mov ecx, 0xFFFFFFFE
    call kcall
    mov eax, 47
    mov ebx, (8 shl 16) or POINTER
    mov ecx, memory_end - 2
    call kcall
    survived 'g_number/bad_pointer'
    mov eax, 47
    mov ebx, 8 shl 16
    mov ecx, 12345678
    mov edx, 0x7FFF7FFF
    call kcall
    mov eax, 47
    mov edx, 0xFFFF0010
    mov esi, INK or 0x17000000
    call kcall
    survived 'g_number/far_off'
    ring_diff_of WX, WY, WW, WH
    test eax, eax
    check z, 'g_number/clipped', 'a number drew outside the window (eax = changed pixels around it)'

    check_clobbers 'g_number/registers_preserved'
    call finish

align 4
dword_number dd 67890
qword_number dq 10000000000
qword_hex dq 0x0123456789ABCDEF

image_end:
align 4
RING_BUFFER_DWORDS = 16 * (WW + 16) + 16 * WH
ring_buffer rd RING_BUFFER_DWORDS
align 16
    rb 4096
stack_top:
memory_end:
