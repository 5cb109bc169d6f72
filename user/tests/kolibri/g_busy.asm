; g_busy: a window that is painted without pause (rectangles, text and
; lines in a loop that never waits for events), so that killing it from the
; shell very likely stops it inside a drawing call. The window system must
; carry on (tests/vm/test_gui.py). Reports "g_busy: running" once.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'g_busy', 0

start:
    xor eax, eax
    mov ebx, 560 shl 16 + 299
    mov ecx, 420 shl 16 + 199
    mov edx, 0x34303030
    mov edi, caption
    int 0x40
    print 'g_busy: running', 10
    xor esi, esi
.loop:
    inc esi
    mov eax, 13
    mov ebx, 0 shl 16 + 288
    mov ecx, 0 shl 16 + 170
    mov edx, esi
    imul edx, 0x010305
    and edx, 0xFFFFFF
    int 0x40
    push esi
    mov eax, 4
    mov ebx, 20 shl 16 + 20
    mov ecx, 0x90FFFFFF
    mov edx, text
    int 0x40
    pop esi
    mov eax, 38
    mov ebx, 0 shl 16 + 288
    mov ecx, 0 shl 16 + 170
    mov edx, 0x01000000
    int 0x40
    jmp .loop

caption db 'Busy painter', 0
text db 'Painting as fast as possible', 0

image_end:
align 16
    rb 4096
stack_top:
memory_end:
