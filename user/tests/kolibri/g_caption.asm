; g_caption: function 71.1 (set window caption) on a skinned window whose
; first caption came from function 0 (EDX bit 28, EDI). The header is
; read back each time: a new caption changes it, a null pointer removes
; the caption (another header), and setting the first caption again gives
; exactly the first header back. Kernel pointers, a caption running past
; the program's memory and one longer than 255 characters do not stop the
; program; 71.1 before any window exists neither.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_caption', 0

WX = 100
WY = 80
XSIZE = 299
YSIZE = 149
WORK = 0x00E0E0E0

macro caption pointer
{
    mov eax, 71
    mov ebx, 1
    mov ecx, pointer
    call kcall
}

; header_diff buffer: EAX = header pixels different from the copy.
macro header_diff buffer
{
    mov ebx, WX
    mov ecx, WY
    mov edx, XSIZE + 1
    mov esi, [skin]
    mov edi, buffer
    call diff_area
}
macro header_save buffer
{
    mov ebx, WX
    mov ecx, WY
    mov edx, XSIZE + 1
    mov esi, [skin]
    mov edi, buffer
    call save_area
}

start:
    call screen_init
    caption first_caption
    survived 'g_caption/no_window_yet'
    mov eax, 48
    mov ebx, 4
    int 0x40
    mov [skin], eax

    window WX, WY, XSIZE, YSIZE, 0x13000000 or WORK, 0, first_caption
    header_save header_first

    caption second_caption
    header_diff header_first
    test eax, eax
    check nz, 'g_caption/changed', 'setting another caption did not change the header'
    header_save header_second

    caption 0
    header_diff header_first
    test eax, eax
    check nz, 'g_caption/removed', 'removing the caption (ECX = 0) left the first header'
    header_diff header_second
    test eax, eax
    check nz, 'g_caption/removed_second', 'removing the caption left the second header'

    caption first_caption
    header_diff header_first
    test eax, eax
    check z, 'g_caption/restored', 'the first caption set again does not give the first header back (eax = pixels)'

    ; Redrawing the window keeps the caption set by 71.1 (function 0
    ; takes EDI only at its first call, window._.sys_set_window).
    caption second_caption
    window WX, WY, XSIZE, YSIZE, 0x13000000 or WORK, 0, first_caption
    header_diff header_second
    test eax, eax
    check z, 'g_caption/kept_by_redraw', 'function 0 again replaced the caption set by 71.1 (eax = pixels)'

    ; The kernel keeps the caption as an address (WDATA.caption,
    ; gui/window.inc) and reads it again at every function 0: a program
    ; that changes its caption text and redraws shows the new text.
    mov esi, second_caption
    mov edi, caption_buffer
    mov ecx, 21
    rep movsb
    caption caption_buffer
    header_diff header_second
    test eax, eax
    check z, 'g_caption/buffer_set', 'a copy of the second caption does not give the second header (eax)'
    mov esi, first_caption
    mov edi, caption_buffer
    mov ecx, 14
    rep movsb
    window WX, WY, XSIZE, YSIZE, 0x13000000 or WORK, 0, first_caption
    header_diff header_first
    test eax, eax
    check z, 'g_caption/read_again', 'function 0 did not read the changed caption text again (eax = pixels)'

    ; Any EBX sets the caption (syscall_window_settings compares only
    ; with 2, for the encoding in EDX).
    mov eax, 71
    mov ebx, 7
    mov ecx, second_caption
    call kcall
    header_diff header_second
    test eax, eax
    check z, 'g_caption/any_ebx', '71 with EBX = 7 did not set the caption (eax = pixels)'
    ; 71.2 with EDX = 0 and a first byte 3: UTF-8, the byte skipped.
    mov eax, 71
    mov ebx, 2
    mov ecx, utf8_first_caption
    xor edx, edx
    call kcall
    header_diff header_first
    test eax, eax
    check z, 'g_caption/encoding_byte', 'a caption with the encoding byte 3 is not the same text (eax = pixels)'

    ; Out of range.
    caption 0xC0000000
    caption 0xFFFFFFFF
    survived 'g_caption/kernel_pointer'
    mov dword [tail + 12], 'ZZZZ'
    caption memory_end - 4
    survived 'g_caption/past_memory'
    caption long_caption
    survived 'g_caption/long'
    caption first_caption
    header_diff header_first
    test eax, eax
    check z, 'g_caption/restored_again', 'after bad captions the first caption does not give the first header back (eax)'

    check_clobbers 'g_caption/registers_preserved'
    call finish

first_caption db 'First caption', 0
utf8_first_caption db 3, 'First caption', 0
second_caption db 'WWWWWWWWWWWWWWWWWWWW', 0
long_caption:
    times 300 db 'M'
    db 0

image_end:
align 4
skin dd ?
caption_buffer rb 32
header_first rd (XSIZE + 1) * 64
header_second rd (XSIZE + 1) * 64
align 16
    rb 4096
stack_top:
tail rb 16              ; the last bytes of the program's memory
memory_end:
