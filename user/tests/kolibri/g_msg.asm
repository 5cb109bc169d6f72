; g_msg: function 72.1 (send a message to the active window), read back
; through the event functions and functions 2 and 17. The program's own
; window is the active one. A key (ECX = 2) arrives as event 2 and function
; 2 answers AL = 0, AH = the code; keys come in order; the key event is
; reset when the buffer is empty; the key buffer fills up (answer 1) and
; never loses the keys it took. A button (ECX = 3) arrives as event 3 and
; function 17 answers the id in its high 24 bits; the button "buffer"
; keeps only the last button. Other event codes and subfunctions do not
; stop the program.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_msg', 0

; send code, parameter -> EAX
macro send code, parameter
{
    mov eax, 72
    mov ebx, 1
    mov ecx, code
    mov edx, parameter
    int 0x40
}

start:
    call screen_init
    window 120, 100, 199, 99, 0x01000000, 0, 0
    call drain_events

    send 2, 'x'
    test eax, eax
    check z, 'g_msg/key_sent', '72.1 with a key did not answer 0'
    mov eax, 11
    int 0x40
    cmp eax, 2
    check e, 'g_msg/key_event', 'a key sent to the active window did not come as event 2 (eax)'
    mov eax, 2
    int 0x40
    and eax, 0xFFFF
    cmp eax, 'x' shl 8
    check e, 'g_msg/key_code', 'function 2 did not answer AL = 0, AH = the key sent (eax)'
    mov eax, 11
    int 0x40
    test eax, eax
    check z, 'g_msg/key_event_reset', 'the key event stayed after the buffer was emptied (eax)'
    mov eax, 2
    int 0x40
    cmp eax, 1
    check e, 'g_msg/key_buffer_empty', 'function 2 with no key did not answer 1'

    ; In order.
    send 2, 'a'
    send 2, 'b'
    send 2, 'c'
    mov eax, 2
    int 0x40
    mov [keys], ah
    mov eax, 2
    int 0x40
    mov [keys + 1], ah
    mov eax, 2
    int 0x40
    mov [keys + 2], ah
    mov eax, dword [keys]
    and eax, 0xFFFFFF
    cmp eax, 'abc'
    check e, 'g_msg/key_order', 'three keys did not come back in order (eax = the three codes)'

    ; A full buffer answers 1; every key taken comes back.
    xor esi, esi                ; accepted
    xor edi, edi                ; refused
    mov ebp, 300
.fill:
    send 2, '1'
    test eax, eax
    jnz @f
    inc esi
    jmp .sent
@@:
    inc edi
.sent:
    dec ebp
    jnz .fill
    mov [accepted], esi
    mov eax, edi
    test eax, eax
    check nz, 'g_msg/key_buffer_full', '300 keys were all accepted: no full buffer (answer 1)'
    mov eax, [accepted]
    cmp eax, 8
    check ae, 'g_msg/key_buffer_size', 'fewer than 8 keys fit into the buffer (eax = accepted)'
    xor ebp, ebp
.read_back:
    mov eax, 2
    int 0x40
    cmp eax, 1
    je .read_done
    inc ebp
    cmp ebp, 1000
    jb .read_back
.read_done:
    mov eax, ebp
    cmp eax, [accepted]
    check e, 'g_msg/key_buffer_kept', 'the keys read back are not the keys accepted (eax = read)'

    ; A button.
    send 3, 0x42
    test eax, eax
    check z, 'g_msg/button_sent', '72.1 with a button did not answer 0'
    mov eax, 11
    int 0x40
    cmp eax, 3
    check e, 'g_msg/button_event', 'a button sent to the active window did not come as event 3 (eax)'
    mov eax, 17
    int 0x40
    shr eax, 8
    cmp eax, 0x42
    check e, 'g_msg/button_id', 'function 17 did not answer the button id in bits 8-31 (eax = id)'
    mov eax, 11
    int 0x40
    test eax, eax
    check z, 'g_msg/button_event_reset', 'the button event stayed after reading the button (eax)'
    ; The reference: the buffer keeps one button; a new one replaces it.
    send 3, 0x11
    send 3, 0x22
    mov eax, 17
    int 0x40
    shr eax, 8
    cmp eax, 0x22
    check e, 'g_msg/button_last', 'of two buttons sent, function 17 did not answer the last (eax = id)'
    mov eax, 17
    int 0x40
    cmp eax, 1
    check e, 'g_msg/button_one_slot', 'the button buffer held more than one button'

    ; Out of range.
    send 0, 0
    send 1, 0
    send 5, 0
    send 0xFFFFFFFF, 0xFFFFFFFF
    send 2, 0xFFFFFFFF
    mov eax, 72
    mov ebx, 2
    int 0x40
    mov eax, 72
    mov ebx, -1
    int 0x40
    survived 'g_msg/bad_codes'
    call drain_events
    window 120, 100, 199, 99, 0x01000000, 0, 0
    call drain_events
    mov eax, 11
    int 0x40
    test eax, eax
    check z, 'g_msg/drained', 'events kept coming after the queue was drained (eax)'
    call finish

image_end:
align 4
keys rb 4
accepted dd ?
align 16
    rb 4096
stack_top:
memory_end:
