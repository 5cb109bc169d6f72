; g_msg: function 72.1 (send a message to the active window), read back
; through the event functions and functions 2 and 17. The program's own
; window is the active one. A key (ECX = 2) arrives as event 2 and function
; 2 answers AL = 0, AH = the code; keys come in order; the key event is
; reset when the buffer is empty; the key buffer holds 120 keys and never
; loses the keys it took. A button (ECX = 3) arrives as event 3 and
; function 17 answers the id in its high 24 bits; the button buffer holds
; one button: while it is full the button is not taken. The answers are
; those of sys_sendwindowmsg (KolibriOS gui/event.inc), which sets AL from
; a carry flag that is clear on almost every path: 1 for every key, full
; buffer or not, and for every button except one taken whose EDX has bit
; 24 set (0). Other event codes and subfunctions return with EAX
; unchanged (72).
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
    cmp eax, 1
    check e, 'g_msg/key_sent', '72.1 with a key did not answer 1, as KolibriOS does (eax)'
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

    ; 300 keys: 120 fit, every one answers 1; the keys taken come back.
    xor edi, edi                ; answers other than 1
    mov ebp, 300
.fill:
    send 2, '1'
    cmp eax, 1
    je @f
    inc edi
@@:
    dec ebp
    jnz .fill
    mov [accepted], 120
    mov eax, edi
    test eax, eax
    check z, 'g_msg/key_answers', 'of 300 keys, some did not answer 1 (eax = how many)'
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
    check e, 'g_msg/key_buffer_kept', 'the keys read back are not the 120 the buffer holds (eax = read)'

    ; A button.
    send 3, 0x42
    cmp eax, 1
    check e, 'g_msg/button_sent', '72.1 with a button did not answer 1, as KolibriOS does (eax)'
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
    ; The buffer holds one button; a second one is refused.
    send 3, 0x11
    send 3, 0x22
    cmp eax, 1
    check e, 'g_msg/button_full', '72.1 with a button while one waits did not answer 1 (eax)'
    mov eax, 17
    int 0x40
    shr eax, 8
    cmp eax, 0x11
    check e, 'g_msg/button_kept', 'of two buttons sent, function 17 did not answer the first, the one taken (eax = id)'
    ; Bit 24 of EDX: the one answer 0 (the carry `shl edx, 8` leaves).
    send 3, 0x01000033
    test eax, eax
    check z, 'g_msg/button_bit24', '72.1 with a button id with bit 24 set did not answer 0 (eax)'
    mov eax, 17
    int 0x40
    shr eax, 8
    cmp eax, 0x33
    check e, 'g_msg/button_bit24_id', 'function 17 did not answer the low 24 bits of the id (eax)'
    mov eax, 17
    int 0x40
    cmp eax, 1
    check e, 'g_msg/button_one_slot', 'the button buffer held more than one button'

    ; Out of range.
    send 0, 0
    send 1, 0
    send 5, 0
    cmp eax, 72
    check e, 'g_msg/bad_code_eax', '72.1 with ECX = 5 did not leave EAX at 72 (eax)'
    send 0xFFFFFFFF, 0xFFFFFFFF
    send 2, 0xFFFFFFFF
    mov eax, 72
    mov ebx, 2
    int 0x40
    cmp eax, 72
    check e, 'g_msg/bad_subfunction_eax', '72.2 did not leave EAX at 72 (eax)'
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
