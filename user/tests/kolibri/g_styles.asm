; g_styles: one window per style, each from its own thread (KolibriOS gives
; a thread one window):
;   main thread  style 0 (type I)  at ( 20,  20) 250 x 150, caption by 71.1
;   thread 1     style 1 (bare)    at (300,  20) 200 x 150, paints itself
;   thread 2     style 2 (type II) at ( 20, 200) 250 x 150, caption by 71.1
;   thread 3     style 4 (skinned, fixed, client-relative)
;                                  at (300, 200) 250 x 150
; Drawing is window-relative except in thread 3. Each thread reports
; "g_styles: N redraw" and "g_styles: N button B" on the debug board; the
; skinned window's close button ends only its thread.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'g_styles', 0

start:
    mov eax, 51
    mov ebx, 1
    mov ecx, thread_bare
    mov edx, stack1_top
    int 0x40
    mov eax, 51
    mov ebx, 1
    mov ecx, thread_type2
    mov edx, stack2_top
    int 0x40
    mov eax, 51
    mov ebx, 1
    mov ecx, thread_skinned
    mov edx, stack3_top
    int 0x40
    jmp thread_type1

; report: AL = thread number, ESI = what ("redraw", ...). The debug board
; takes one character per call, so the threads take turns for whole lines.
report:
    pushad
    mov edx, eax
.acquire:
    mov eax, 1
    xchg eax, [print_lock]
    test eax, eax
    jz .locked
    mov eax, 68                 ; yield
    mov ebx, 1
    int 0x40
    jmp .acquire
.locked:
    print 'g_styles: '
    mov eax, edx
    and eax, 0xFF
    call debug_decimal
    print ' '
    call debug_print
    print 10
    mov [print_lock], 0
    popad
    ret

text_redraw db 'redraw', 0

; --- Thread 0: type I -----------------------------------------------------------
thread_type1:
.loop:
    mov eax, 10
    int 0x40
    cmp eax, 1
    jne .not_redraw
    mov al, 0
    mov esi, text_redraw
    call report
    call .draw
    jmp .loop
.not_redraw:
    cmp eax, 3
    jne .loop
    mov eax, 17
    int 0x40
    jmp .loop
.draw:
    mov eax, 12
    mov ebx, 1
    int 0x40
    mov eax, 71
    mov ebx, 1
    mov ecx, caption1
    int 0x40
    xor eax, eax
    mov ebx, 20 shl 16 + 249
    mov ecx, 20 shl 16 + 149
    mov edx, 0x10F0E0C0            ; style 0, caption, work colour
    mov esi, 0x80406090            ; gradient header
    mov edi, 0x203040              ; frame
    int 0x40
    ; Window-relative: (0, 0) is the frame's corner, the work area starts
    ; at (1, 21).
    mov eax, 4
    mov ebx, 10 shl 16 + 40
    mov ecx, 0x80000000
    mov edx, text1
    int 0x40
    mov eax, 13
    mov ebx, 10 shl 16 + 50
    mov ecx, 60 shl 16 + 30
    mov edx, 0x308030
    int 0x40
    mov eax, 12
    mov ebx, 2
    int 0x40
    ret

; --- Thread 1: bare window that paints itself -----------------------------------
thread_bare:
.loop:
    mov eax, 10
    int 0x40
    cmp eax, 1
    jne .loop
    mov al, 1
    mov esi, text_redraw
    call report
    mov eax, 12
    mov ebx, 1
    int 0x40
    xor eax, eax
    mov ebx, 300 shl 16 + 199
    mov ecx, 20 shl 16 + 149
    mov edx, 0x01000000            ; style 1: nothing drawn
    int 0x40
    ; Stripes of four colours.
    xor edi, edi
.stripe:
    mov eax, 13
    mov ebx, 200
    mov ecx, edi
    imul ecx, 30
    shl ecx, 16
    add ecx, 30
    mov edx, [stripe_colors + edi * 4]
    int 0x40
    inc edi
    cmp edi, 5
    jb .stripe
    mov eax, 4
    mov ebx, 10 shl 16 + 10
    mov ecx, 0x90FFFFFF
    mov edx, text_bare
    int 0x40
    mov eax, 12
    mov ebx, 2
    int 0x40
    jmp .loop

; --- Thread 2: type II ---------------------------------------------------------------
thread_type2:
.loop:
    mov eax, 10
    int 0x40
    cmp eax, 1
    jne .loop
    mov al, 2
    mov esi, text_redraw
    call report
    mov eax, 12
    mov ebx, 1
    int 0x40
    mov eax, 71
    mov ebx, 1
    mov ecx, caption2
    int 0x40
    xor eax, eax
    mov ebx, 20 shl 16 + 249
    mov ecx, 200 shl 16 + 149
    mov edx, 0x12D8E0E8            ; style 2, caption, work colour
    mov esi, 0x00A04040
    mov edi, 0x808080
    int 0x40
    mov eax, 4
    mov ebx, 10 shl 16 + 40
    mov ecx, 0x80000000
    mov edx, text2
    int 0x40
    mov eax, 12
    mov ebx, 2
    int 0x40
    jmp .loop

; --- Thread 3: skinned, fixed size, client-relative ---------------------------------
thread_skinned:
.loop:
    mov eax, 10
    int 0x40
    cmp eax, 1
    je .redraw
    cmp eax, 3
    je .button
    jmp .loop
.redraw:
    mov al, 3
    mov esi, text_redraw
    call report
    mov eax, 12
    mov ebx, 1
    int 0x40
    xor eax, eax
    mov ebx, 300 shl 16 + 249
    mov ecx, 200 shl 16 + 149
    mov edx, 0x34FFFFFF            ; style 4, caption, client-relative
    mov edi, caption3
    int 0x40
    ; Client-relative: (0, 0) is the work area's corner.
    mov eax, 13
    mov ebx, 0 shl 16 + 20
    mov ecx, 0 shl 16 + 20
    mov edx, 0x2050A0
    int 0x40
    mov eax, 4
    mov ebx, 30 shl 16 + 6
    mov ecx, 0x80000000
    mov edx, text3
    int 0x40
    mov eax, 12
    mov ebx, 2
    int 0x40
    jmp .loop
.button:
    mov eax, 17
    int 0x40
    shr eax, 8
    cmp eax, 1
    jne .loop
    mov al, 3
    mov esi, text_closed
    call report
    mov eax, -1
    int 0x40

caption1 db 'Type I', 0
caption2 db 'Type II', 0
caption3 db 'Skinned fixed', 0
text1 db 'Type I: window-relative', 0
text2 db 'Type II window', 0
text3 db 'client-relative', 0
text_bare db 'Style 1', 0
text_closed db 'closed', 0
align 4
print_lock dd 0
stripe_colors dd 0x303848, 0x404C60, 0x506078, 0x607490, 0x7088A8

image_end:
align 16
    rb 4096
stack1_top:
    rb 4096
stack2_top:
    rb 4096
stack3_top:
    rb 4096
stack_top:
memory_end:
