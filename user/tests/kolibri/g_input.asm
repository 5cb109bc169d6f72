; g_input: real input, driven by tests/vm/test_kolibri_gui.py through
; QEMU's mouse and keyboard. The program prints INFO lines the test reads:
;     INFO g_input: target X Y      the screen point to click (a button)
;     INFO g_input: pointer X Y     37.0 whenever a mouse event (6) came
;     INFO g_input: ready STEP      waiting for the next step's input
; and checks:
;  * a left click on button 0x42 comes as event 3 and function 17 answers
;    0x4200 (id in bits 8-31, AL = 0 for the left button); 37.0 at that
;    moment is inside the button; 37.2 afterwards is 0;
;  * a right click answers AL = 2 (the button's bit as in 37.2);
;  * key "a" comes as event 2, function 2: AL = 0, AH = 'a';
;  * in scancode mode (66.1) key "b" gives 0x30, then its release 0xB0;
;  * back in ASCII mode, Shift+A gives 'A'.
; Every wait gives up after 60 s with a FAIL line.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_input', 0

WX = 120
WY = 100
BX_ = 40                ; the button, window coordinates
BY_ = 60
BUTTON_W = 100
BUTTON_H = 40
TARGET_X = WX + BX_ + BUTTON_W / 2
TARGET_Y = WY + BY_ + BUTTON_H / 2

start:
    call screen_init
    mov eax, 40
    mov ebx, 0x27
    int 0x40
    call redraw
    print 'INFO g_input: target '
    mov eax, TARGET_X
    call debug_decimal
    print ' '
    mov eax, TARGET_Y
    call debug_decimal
    print 10
    call report_pointer

    ; Left click.
    print 'INFO g_input: ready click', 10
    mov edx, 3
    call wait_for
    test eax, eax
    jz .no_click
    mov eax, 37
    xor ebx, ebx
    int 0x40
    mov [pointer], eax
    mov eax, 17
    int 0x40
    mov [button], eax
    shr eax, 8
    cmp eax, 0x42
    check e, 'g_input/button_id', 'function 17 did not answer button 0x42 in bits 8-31 (eax = id)'
    movzx eax, byte [button]
    test eax, eax
    check z, 'g_input/left_button', 'function 17: AL is not 0 for a left click (eax = AL)'
    mov eax, [pointer]
    shr eax, 16
    sub eax, WX + BX_
    cmp eax, BUTTON_W
    check b, 'g_input/pointer_x_on_button', '37.0 at the click is not over the button (eax = x - button left)'
    movzx eax, word [pointer]
    sub eax, WY + BY_
    cmp eax, BUTTON_H
    check b, 'g_input/pointer_y_on_button', '37.0 at the click is not over the button (eax = y - button top)'
    delay 50
    mov eax, 37
    mov ebx, 2
    int 0x40
    test eax, eax
    check z, 'g_input/released', '37.2 after the click is not 0 (eax)'
    jmp .right
.no_click:
    check ne, 'g_input/button_id', 'no button event within 60 s'

.right:
    print 'INFO g_input: ready right-click', 10
    mov edx, 3
    call wait_for
    test eax, eax
    jz .no_right
    mov eax, 17
    int 0x40
    cmp eax, 0x4202
    check e, 'g_input/right_button', 'a right click did not answer 0x4202 (id 0x42, AL = 2) (eax)'
    jmp .keys
.no_right:
    check ne, 'g_input/right_button', 'no button event for the right click within 60 s'

.keys:
    print 'INFO g_input: ready key-a', 10
    mov edx, 2
    call wait_for
    test eax, eax
    jz .no_key
    mov eax, 2
    int 0x40
    mov [key_value], eax
    and eax, 0xFFFF
    cmp eax, 'a' shl 8
    check e, 'g_input/key_a', 'key a: function 2 did not answer AL = 0, AH = 0x61 (eax)'
    ; Bits 16-23: the scancode beside the ASCII code (sys_getkey).
    mov eax, [key_value]
    shr eax, 16
    cmp eax, 0x1E
    check e, 'g_input/key_a_scancode', 'key a: function 2 did not answer its scancode 0x1E in bits 16-23 (eax)'
    jmp .scancodes
.no_key:
    check ne, 'g_input/key_a', 'no key event within 60 s'

.scancodes:
    ; The release of the last key comes a little later: let it arrive
    ; and go in ASCII mode, then switch.
    delay 50
    call drain_keys
    mov eax, 66
    mov ebx, 1
    mov ecx, 1
    int 0x40
    call drain_keys
    print 'INFO g_input: ready key-b', 10
    mov edx, 2
    call wait_for
    test eax, eax
    jz .no_scancode
    mov eax, 2
    int 0x40
    movzx eax, ah
    cmp eax, 0x30
    check e, 'g_input/scancode_press', 'key b in scancode mode: AH is not 0x30 (eax = AH)'
    mov edx, 2
    call wait_for
    mov eax, 2
    int 0x40
    movzx eax, ah
    cmp eax, 0xB0
    check e, 'g_input/scancode_release', 'key b in scancode mode: the release is not 0xB0 (eax = AH)'
    jmp .shift
.no_scancode:
    check ne, 'g_input/scancode_press', 'no key event in scancode mode within 60 s'

.shift:
    delay 50
    call drain_keys
    mov eax, 66
    mov ebx, 1
    mov ecx, 0
    int 0x40
    call drain_keys
    print 'INFO g_input: ready shift-a', 10
    mov edx, 2
    call wait_for
    test eax, eax
    jz .no_shift
    mov eax, 2
    int 0x40
    movzx eax, ah
    cmp eax, 'A'
    check e, 'g_input/shift_a', 'Shift+A did not answer A (eax = AH)'
    jmp .done
.no_shift:
    check ne, 'g_input/shift_a', 'no key event for Shift+A within 60 s'
.done:
    call finish

; redraw: the window and its button.
redraw:
    window WX, WY, 299, 199, 0x03E0E8F0, 0, 0
    mov eax, 8
    mov ebx, (BX_ shl 16) + BUTTON_W
    mov ecx, (BY_ shl 16) + BUTTON_H
    mov edx, 0x42
    mov esi, 0x004080C0
    int 0x40
    ret

; report_pointer: an INFO line with 37.0 when it changed.
report_pointer:
    pushad
    mov eax, 37
    xor ebx, ebx
    int 0x40
    cmp eax, [last_pointer]
    je .same
    mov [last_pointer], eax
    print 'INFO g_input: pointer '
    shr eax, 16
    call debug_decimal
    print ' '
    movzx eax, word [last_pointer]
    call debug_decimal
    print 10
.same:
    popad
    ret

; drain_keys: empties the key buffer.
drain_keys:
    pushad
.next:
    mov eax, 2
    int 0x40
    cmp eax, 1
    jne .next
    popad
    ret

; wait_for: EDX = the event wanted -> EAX = it, or 0 after 60 s. Redraws
; on event 1, reports the pointer on event 6, throws other keys and
; buttons away.
wait_for:
    push ebx ecx esi
    mov eax, 26
    mov ebx, 9
    int 0x40
    lea esi, [eax + 6000]
.loop:
    mov eax, 23
    mov ebx, 20
    int 0x40
    cmp eax, edx
    je .out
    cmp eax, 1
    jne @f
    call redraw
    jmp .loop
@@:
    cmp eax, 6
    jne @f
    call report_pointer
    jmp .loop
@@:
    cmp eax, 2
    jne @f
    mov eax, 2
    int 0x40
    jmp .loop
@@:
    cmp eax, 3
    jne @f
    mov eax, 17
    int 0x40
    jmp .loop
@@:
    mov eax, 26
    mov ebx, 9
    int 0x40
    cmp eax, esi
    jb .loop
    xor eax, eax
.out:
    pop esi ecx ebx
    ret

image_end:
key_value dd ?
align 4
pointer dd ?
button dd ?
last_pointer dd ?
align 16
    rb 4096
stack_top:
memory_end:
