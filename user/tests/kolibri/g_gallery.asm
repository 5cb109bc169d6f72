; g_gallery: one window of each style (0-4), each from its own thread
; (KolibriOS gives a thread one window), all showing the same things:
; text in font 0 and font 1, filled and doubled text, numbers (function 47)
; in three bases and font 1, two buttons with labels, lines, a plain and a
; gradient rectangle, a pixel pattern (function 1) and an image (function
; 7). tests/vm/test_screens.py compares each window with a reference
; picture. Layout (screen pixels, 330 x 240 each):
;     style 0 at (8, 8)      style 1 at (346, 8)    style 2 at (684, 8)
;     style 3 at (8, 256)                           style 4 at (684, 256)
; The middle of the screen stays free (the mouse pointer starts there).
; The windows are made one after the other, so the last (style 4) is the
; active one. When all are drawn the program prints
;     INFO g_gallery: ready
; and then only redraws on request until it is killed; a thread whose
; close button is pressed ends.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'g_gallery', 0

WINDOWS = 5
XSIZE = 329
YSIZE = 239

; sys eax, ebx, ecx, edx, esi, edi: a plain int 0x40 (threads draw at
; the same time, so no helper with shared state).
macro sys a, b, c, d, s, i
{
    mov eax, a
if ~ b eq
    mov ebx, b
end if
if ~ c eq
    mov ecx, c
end if
if ~ d eq
    mov edx, d
end if
if ~ s eq
    mov esi, s
end if
if ~ i eq
    mov edi, i
end if
    int 0x40
}

start:
    ; The image for function 7: 24 x 16, red across, green down.
    xor ecx, ecx
    mov edi, picture
.image_row:
    xor ebx, ebx
.image_column:
    mov al, 0x80                ; blue
    stosb
    mov eax, ecx
    shl eax, 4                  ; green = 16 * y
    stosb
    mov eax, ebx
    imul eax, 10                ; red = 10 * x
    stosb
    inc ebx
    cmp ebx, 24
    jb .image_column
    inc ecx
    cmp ecx, 16
    jb .image_row

    xor esi, esi
.next_window:
    mov eax, 51
    mov ebx, 1
    mov ecx, [entries + esi * 4]
    mov edx, esi
    inc edx
    shl edx, 12
    add edx, stacks
    int 0x40
    ; Wait (at most 10 s) until it has drawn.
    mov edi, 1000
.wait:
    cmp byte [ready + esi], 0
    jne .drawn
    sys 5, 1
    dec edi
    jnz .wait
.drawn:
    inc esi
    cmp esi, WINDOWS
    jb .next_window
    sys 5, 20
    print 'INFO g_gallery: ready', 10
.idle:
    sys 5, 100
    jmp .idle

entries dd thread0, thread1, thread2, thread3, thread4
thread0:
    mov ebp, 0
    jmp window_thread
thread1:
    mov ebp, 1
    jmp window_thread
thread2:
    mov ebp, 2
    jmp window_thread
thread3:
    mov ebp, 3
    jmp window_thread
thread4:
    mov ebp, 4
    jmp window_thread

; The thread of window EBP (kept in EBP throughout).
window_thread:
    call draw
    mov byte [ready + ebp], 1
.events:
    sys 10
    cmp eax, 1
    jne @f
    call draw
    jmp .events
@@:
    cmp eax, 2
    jne @f
    sys 2
    jmp .events
@@:
    cmp eax, 3
    jne .events
    sys 17
    shr eax, 8
    cmp eax, 1
    jne .events
    sys -1

; draw: the window EBP and its contents.
draw:
    sys 12, 1
    xor eax, eax
    mov ebx, [window_x + ebp * 4]
    shl ebx, 16
    add ebx, XSIZE
    mov ecx, [window_y + ebp * 4]
    shl ecx, 16
    add ecx, YSIZE
    mov edx, [window_edx + ebp * 4]
    mov esi, [window_esi + ebp * 4]
    mov edi, [window_edi + ebp * 4]
    int 0x40
    ; Styles 0 and 2 take their caption from 71.1.
    cmp ebp, 0
    je .caption
    cmp ebp, 2
    jne .contents
.caption:
    sys 71, 1, [captions + ebp * 4]
.contents:
    ; Style 1 draws its own background.
    cmp ebp, 1
    jne @f
    sys 13, XSIZE + 1, YSIZE + 1, 0x00F4F0E8
@@:
    ; (cx, cy) = (12, top of the contents): kept in [origin_x/y + ebp*4].
    mov eax, [content_top + ebp * 4]
    cmp eax, -1
    jne @f
    sys 48, 4                   ; skinned: skin height + 8
    add eax, 8
@@:
    mov [origin_y + ebp * 4], eax

    ; Text, font 0 and font 1.
    mov ebx, 12 shl 16
    add ebx, [origin_y + ebp * 4]
    sys 4, , 0x80000000, text0
    add ebx, 12
    sys 4, , 0x90203080, text1
    ; Filled (white on red), doubled (green).
    add ebx, 20
    sys 4, , 0xC0FFFFFF, text_filled, , 0x00C04040
    add ebx, 80 shl 16
    sys 4, , 0x81006000, text_doubled
    ; Numbers: decimal, hexadecimal, binary, font 1.
    mov edx, 12 shl 16
    add edx, [origin_y + ebp * 4]
    add edx, 54
    sys 47, 7 shl 16, 1234567, , 0x00000000
    add edx, 60 shl 16
    sys 47, (4 shl 16) + 0x100, 0xBEEF, , 0x00800000
    add edx, 40 shl 16
    sys 47, (8 shl 16) + 0x200, 0x5A, , 0x00008000
    add edx, 70 shl 16
    sub edx, 2
    sys 47, (2 shl 16), 42, , 0x10000080
    ; Buttons with labels.
    mov ecx, [origin_y + ebp * 4]
    add ecx, 74
    shl ecx, 16
    add ecx, 22
    sys 8, (12 shl 16) + 70, , 10, 0x004070B0
    sys 8, (92 shl 16) + 70, , 11, 0x0060A060
    mov ebx, (22 shl 16)
    add ebx, [origin_y + ebp * 4]
    add ebx, 81
    sys 4, , 0x80FFFFFF, text_button
    add ebx, 80 shl 16
    add ebx, 20 shl 16
    sys 4, , 0x80FFFFFF, text_ok
    ; Lines: diagonal red, horizontal blue, vertical green.
    mov ecx, [origin_y + ebp * 4]
    add ecx, 74
    mov edx, ecx
    shl ecx, 16
    add ecx, edx
    add ecx, 28
    sys 38, (172 shl 16) + 300, , 0x00E02020
    mov ecx, [origin_y + ebp * 4]
    add ecx, 106
    mov edx, ecx
    shl ecx, 16
    add ecx, edx
    sys 38, (172 shl 16) + 300, , 0x002020E0
    mov ecx, [origin_y + ebp * 4]
    add ecx, 74
    mov edx, ecx
    shl ecx, 16
    add ecx, edx
    add ecx, 32
    sys 38, (304 shl 16) + 304, , 0x0020A020
    ; Rectangles: plain and gradient.
    mov ecx, [origin_y + ebp * 4]
    add ecx, 110
    shl ecx, 16
    add ecx, 30
    sys 13, (12 shl 16) + 60, , 0x00FF8000
    sys 13, (80 shl 16) + 60, , 0x800080FF
    ; Pixels: a 16 x 16 checkerboard of 2 x 2 squares.
    xor esi, esi
.pixel:
    mov ebx, esi
    and ebx, 15
    mov ecx, esi
    shr ecx, 4
    mov eax, ebx
    xor eax, ecx
    test eax, 2
    mov edx, 0x00000000
    jz @f
    mov edx, 0x00FFFF00
@@:
    add ebx, 148
    add ecx, [origin_y + ebp * 4]
    add ecx, 112
    mov eax, 1
    int 0x40
    inc esi
    cmp esi, 256
    jb .pixel
    ; The image.
    mov edx, 176 shl 16
    add edx, [origin_y + ebp * 4]
    add edx, 112
    sys 7, picture, (24 shl 16) + 16
    sys 12, 2
    ret

align 4
window_x dd 8, 346, 684, 8, 684
window_y dd 8, 8, 8, 256, 256
window_edx dd 0x10E8E8E8, 0x01000000, 0x12E8F0E8, 0x13F0F0F0, 0x14FFF8E8
window_esi dd 0x00305080, 0, 0x00406040, 0, 0
window_edi dd 0x00102030, 0, 0x00808080, caption3, caption4
content_top dd 30, 10, 26, -1, -1
captions dd caption0, 0, caption2, 0, 0
caption0 db 'Style 0: type I', 0
caption2 db 'Style 2: type II', 0
caption3 db 'Style 3: skinned', 0
caption4 db 'Style 4: skinned, fixed', 0
text0 db 'Font 0 (6x9): The quick brown fox 0123', 0
text1 db 'Font 1 (8x16): Colibri', 0
text_filled db ' filled ', 0
text_doubled db 'x2', 0
text_button db 'Button', 0
text_ok db 'OK', 0

image_end:
align 4
origin_y rd WINDOWS
ready rb WINDOWS
align 4
picture rb 24 * 16 * 3
align 16
stacks:
    rb 4096 * WINDOWS
    rb 4096
stack_top:
memory_end:
