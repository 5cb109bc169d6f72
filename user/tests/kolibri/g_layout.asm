; g_layout: a keyboard layout installed with 21.2 is what function 2
; answers, as hid/keyboard.inc looks keys up: scancode 0x1E (A) gives the
; normal table's character, with Shift the Shift table's. The VM test
; types "a" and "shift-a" with QEMU's PS/2 keyboard.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_layout', 0

redraw:
    window 100, 100, 299, 99, 0x34E0E8F0, 0, caption
    ret

start:
    call screen_init
    mov eax, 40
    mov ebx, 0x07
    int 0x40
    call redraw
    ; The current tables, with A changed: 'Z' plain, 'Q' shifted.
    mov eax, 26
    mov ebx, 2
    mov ecx, 1
    mov edx, normal
    int 0x40
    mov eax, 26
    mov ebx, 2
    mov ecx, 2
    mov edx, shifted
    int 0x40
    mov byte [normal + 0x1E], 'Z'
    mov byte [shifted + 0x1E], 'Q'
    mov eax, 21
    mov ebx, 2
    mov ecx, 1
    mov edx, normal
    int 0x40
    cmp eax, 0
    check e, 'g_layout/set_normal', '21.2.1 failed (eax)'
    mov eax, 21
    mov ebx, 2
    mov ecx, 2
    mov edx, shifted
    int 0x40
    cmp eax, 0
    check e, 'g_layout/set_shift', '21.2.2 failed (eax)'

    print 'INFO g_layout: ready key-a', 10
    call wait_key
    and eax, 0xFFFF
    cmp eax, 'Z' shl 8
    check e, 'g_layout/key_a_normal_table', 'key a did not give the normal table entry Z (eax)'
    print 'INFO g_layout: ready shift-a', 10
    call wait_key
    and eax, 0xFFFF
    cmp eax, 'Q' shl 8
    check e, 'g_layout/shift_a_shift_table', 'Shift+A did not give the Shift table entry Q (eax)'
    call finish

; wait_key: EAX = function 2's answer for the next key (0 after 60 s);
; redraws on event 1.
wait_key:
    mov eax, 26
    mov ebx, 9
    int 0x40
    lea esi, [eax + 6000]
.loop:
    mov eax, 23
    mov ebx, 20
    int 0x40
    cmp eax, 1
    jne @f
    call redraw
    jmp .loop
@@:
    cmp eax, 2
    jne @f
    mov eax, 2
    int 0x40
    ret
@@:
    mov eax, 26
    mov ebx, 9
    int 0x40
    cmp eax, esi
    jb .loop
    xor eax, eax
    ret

caption db 'g_layout', 0
normal rb 128
shifted rb 128

image_end:
align 16
    rb 8192
stack_top:
memory_end:
