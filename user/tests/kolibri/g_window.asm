; g_window: a skinned window (style 3, caption, client-relative drawing)
; with every basic primitive, two buttons and an event loop that reports
; on the debug board what happened:
;     g_window: redraw            each redraw event
;     g_window: key XX            function 2 gave AH = XX (hex)
;     g_window: button N          function 17 gave button N (hex)
;     g_window: close             the close button (id 1); the program ends
; tests/vm/test_gui.py drives it with the mouse and keyboard and checks
; the screen. Layout (screen): window at (100, 80), 400 x 260 pixels.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'g_window', 0

WINDOW_X = 100
WINDOW_Y = 80
WINDOW_W = 400
WINDOW_H = 260
WORK_COLOR = 0xE9EDF2

start:
    call make_image
event_loop:
    mov eax, 10
    int 0x40
    cmp eax, 1
    je .redraw
    cmp eax, 2
    je .key
    cmp eax, 3
    je .button
    jmp event_loop
.redraw:
    print 'g_window: redraw', 10
    call draw_window
    jmp event_loop
.key:
    mov eax, 2
    int 0x40
    print 'g_window: key '
    shr eax, 8
    and eax, 0xFF
    call print_hex_byte
    print 10
    jmp event_loop
.button:
    mov eax, 17
    int 0x40
    shr eax, 8
    cmp eax, 1
    je .close
    print 'g_window: button '
    call print_hex_byte
    print 10
    inc [presses]
    call draw_counter
    jmp event_loop
.close:
    print 'g_window: close', 10
    mov eax, -1
    int 0x40

; print_hex_byte: AL as two hex digits.
print_hex_byte:
    pushad
    mov edx, eax
    mov ecx, edx
    shr ecx, 4
    and ecx, 0x0F
    mov cl, [hex_digits + ecx]
    mov eax, 63
    mov ebx, 1
    int 0x40
    mov ecx, edx
    and ecx, 0x0F
    mov cl, [hex_digits + ecx]
    mov eax, 63
    mov ebx, 1
    int 0x40
    popad
    ret

draw_window:
    mov eax, 12
    mov ebx, 1
    int 0x40

    ; Style 3, caption (A), client-relative (B): EDX = 0x33RRGGBB.
    xor eax, eax
    mov ebx, WINDOW_X shl 16 + (WINDOW_W - 1)
    mov ecx, WINDOW_Y shl 16 + (WINDOW_H - 1)
    mov edx, 0x33000000 + WORK_COLOR
    mov edi, caption
    int 0x40

    ; 6x9 text, NUL-terminated (bit 31), black.
    mov eax, 4
    mov ebx, 10 shl 16 + 10
    mov ecx, 0x80000000
    mov edx, text_small
    int 0x40
    ; 8x16 text (font 1), counted.
    mov eax, 4
    mov ebx, 10 shl 16 + 24
    mov ecx, 0x10204080
    mov edx, text_big
    mov esi, text_big_length
    int 0x40

    ; A red rectangle and a gradient one.
    mov eax, 13
    mov ebx, 10 shl 16 + 120
    mov ecx, 50 shl 16 + 40
    mov edx, 0xD04040
    int 0x40
    mov eax, 13
    mov ebx, 140 shl 16 + 120
    mov ecx, 50 shl 16 + 40
    mov edx, 0x80A0C0FF
    int 0x40

    ; Two lines: a black diagonal and an inverted horizontal one.
    mov eax, 38
    mov ebx, 10 shl 16 + 260
    mov ecx, 96 shl 16 + 120
    mov edx, 0x000000
    int 0x40
    mov eax, 38
    mov ebx, 10 shl 16 + 260
    mov ecx, 70 shl 16 + 70
    mov edx, 0x01000000
    int 0x40

    ; A number: 12345 in 6 decimal digits (leading zero).
    mov eax, 47
    mov ebx, 6 shl 16
    mov ecx, 12345
    mov edx, 280 shl 16 + 10
    mov esi, 0x10000080
    int 0x40

    ; The 32 x 32 image.
    mov eax, 7
    mov ebx, image
    mov ecx, 32 shl 16 + 32
    mov edx, 280 shl 16 + 50
    int 0x40

    ; Button 2 with a label; button 3 invisible (no drawing) next to it.
    mov eax, 8
    mov ebx, 10 shl 16 + 99
    mov ecx, 140 shl 16 + 23
    mov edx, 2
    mov esi, 0x4A86D0
    int 0x40
    mov eax, 4
    mov ebx, 28 shl 16 + 144
    mov ecx, 0x90FFFFFF
    mov edx, text_button
    int 0x40
    mov eax, 8
    mov ebx, 120 shl 16 + 59
    mov ecx, 140 shl 16 + 23
    mov edx, 0x40000003
    int 0x40

    call draw_counter

    mov eax, 12
    mov ebx, 2
    int 0x40
    ret

; The press counter, with a background fill (text flag B).
draw_counter:
    mov eax, 47
    mov ebx, 3 shl 16
    mov ecx, [presses]
    mov edx, 200 shl 16 + 147
    mov esi, 0x50000000
    mov edi, WORK_COLOR
    int 0x40
    ret

; A 32 x 32 gradient: blue grows to the right, green downwards.
make_image:
    mov edi, image
    xor edx, edx            ; y
.row:
    xor ecx, ecx            ; x
.pixel:
    mov eax, ecx
    shl eax, 3
    mov [edi], al           ; blue
    mov eax, edx
    shl eax, 3
    mov [edi + 1], al       ; green
    mov byte [edi + 2], 0x40 ; red
    add edi, 3
    inc ecx
    cmp ecx, 32
    jb .pixel
    inc edx
    cmp edx, 32
    jb .row
    ret

caption db 'Colibri window test', 0
text_small db 'Hello from a KolibriOS program (6x9)', 0
text_big db 'System font 8x16'
text_big_length = $ - text_big
text_button db 'Press me', 0
align 4
presses dd 0

image_end:
image rb 32 * 32 * 3
align 16
    rb 4096
stack_top:
memory_end:
