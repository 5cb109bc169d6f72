; g_evord: which event functions 10 and 11 report first, and which events
; reading resets, as get_event_for_app (KolibriOS gui/event.inc) does it:
;  * the mask is scanned from its highest bit down, so of the pending
;    events the highest number comes first: 7 (IPC) before 5 (background)
;    before 1 (redraw);
;  * 5 and 7 are flags that reading resets; two IPC messages make one
;    event 7;
;  * an event the function-40 mask leaves out is not reported, not woken
;    for, and stays pending until the mask lets it through.
; The program sends its IPC messages to itself (60.2 to its own identifier).
; Background redraws and window moves reach it through the window system
; (asynchronously on KolibriOS), so it waits 0.3 s before it looks.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_evord', 0

WX = 620
WY = 60

macro next_event
{
    mov eax, 11
    int 0x40
}

macro set_mask value
{
    mov eax, 40
    mov ebx, value
    int 0x40
}

; send_self: one 4-byte IPC message to the program itself; EAX = 60.2's result.
send_self:
    push ebx ecx edx esi
    mov eax, 60
    mov ebx, 2
    mov ecx, [own_id]
    mov edx, message
    mov esi, 4
    int 0x40
    pop esi edx ecx ebx
    ret

; reset_ipc: the buffer open and empty again (the receiver's job).
reset_ipc:
    mov dword [ipc_buffer], 0
    mov dword [ipc_buffer + 4], 8
    ret

start:
    call screen_init
    window WX, WY, 99, 79, 0x01FFFFFF, 0, 0
    mov eax, 9
    mov ebx, thread_info
    mov ecx, -1
    int 0x40
    mov eax, dword [thread_info + 30]
    mov [own_id], eax
    call reset_ipc
    mov eax, 60
    mov ebx, 1
    mov ecx, ipc_buffer
    mov edx, ipc_size
    int 0x40
    delay 30
    set_mask 0x57               ; 1, 2, 3, 5, 7
    call drain_events
    next_event
    test eax, eax
    check z, 'g_evord/drained', 'events left after the window was drawn (eax = event)'

    ; Two messages: one event 7, reset by reading it.
    call send_self
    test eax, eax
    check z, 'g_evord/send1', '60.2 to the program itself did not answer 0 (eax)'
    call send_self
    test eax, eax
    check z, 'g_evord/send2', 'a second 60.2 to the program itself did not answer 0 (eax)'
    next_event
    cmp eax, 7
    check e, 'g_evord/ipc', 'function 11 did not report event 7 after two messages (eax)'
    next_event
    test eax, eax
    check z, 'g_evord/ipc_once', 'two messages made more than one event 7: it is one flag, reset when read (eax)'
    call reset_ipc

    ; 7, 5 and 1 pending at once: highest number first.
    mov eax, 67                 ; a move: the window must be redrawn
    mov ebx, WX + 10
    mov ecx, WY + 10
    mov edx, -1
    mov esi, -1
    int 0x40
    mov eax, 15                 ; redraw the background: event 5
    mov ebx, 3
    int 0x40
    call send_self
    delay 30
    next_event
    mov [first], eax
    next_event
    mov [second], eax
    next_event
    mov [third], eax
    mov eax, [first]
    cmp eax, 7
    check e, 'g_evord/first_ipc', 'with events 1, 5 and 7 pending, 11 did not answer 7 first (eax)'
    mov eax, [second]
    cmp eax, 5
    check e, 'g_evord/second_background', 'with events 1 and 5 pending, 11 did not answer 5 (eax)'
    mov eax, [third]
    cmp eax, 1
    check e, 'g_evord/redraw_last', 'the redraw event did not come after 7 and 5 (eax)'
    next_event
    cmp eax, 1
    check e, 'g_evord/redraw_kept', 'the redraw event went away by reading it (eax)'
    window WX + 10, WY + 10, 99, 79, 0x01FFFFFF, 0, 0
    call drain_events
    call reset_ipc

    ; Masked events stay pending and do not wake function 23.
    set_mask 0x07
    call send_self
    mov eax, 15
    mov ebx, 3
    int 0x40
    delay 30
    wait_event 20
    test eax, eax
    check z, 'g_evord/masked_not_reported', 'function 23 reported an event the mask leaves out (eax)'
    set_mask 0x17               ; background, not IPC
    next_event
    cmp eax, 5
    check e, 'g_evord/background_kept', 'event 5, pending while masked, was not reported once unmasked (eax)'
    next_event
    test eax, eax
    check z, 'g_evord/ipc_still_masked', 'event 7 was reported while the mask leaves it out (eax)'
    set_mask 0x47
    mov eax, 10
    int 0x40
    cmp eax, 7
    check e, 'g_evord/ipc_kept', 'event 7, pending while masked, was not reported by 10 once unmasked (eax)'
    next_event
    test eax, eax
    check z, 'g_evord/all_read', 'events left at the end (eax)'

    call finish

message db 'ping'

image_end:
align 4
own_id dd ?
first dd ?
second dd ?
third dd ?
ipc_size = 64
ipc_buffer rb ipc_size
align 16
    rb 4096
stack_top:
memory_end:
