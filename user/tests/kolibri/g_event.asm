; g_event: functions 10, 11, 23 (events) and 40 (event mask), by the
; reference's list of events:
;  * a new program has the redraw event (1) pending; it stays until
;    function 0 is called (reading it does not reset it), then 11 says 0;
;  * 23 with EBX = 0 answers 0 at once, with EBX = 10 after at least 10
;    hundredths; with EBX = 0xFFFFFFFF it waits for the event (the
;    scheduler compares the ticks since the start with EBX, no overflow);
;  * 40 answers the previous mask (7 at first);
;  * a masked event is kept, not reported, and reported once unmasked:
;    67 (move the window) sends a redraw; with mask 0 neither 11 nor 23 see
;    it; with mask 7, 11 does; 10 returns at once when an event is pending;
;  * the bit of event 4 (reserved, never sent) is accepted; the filter
;    bits 30 and 31 are kept.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_event', 0

macro ticks
{
    mov eax, 26
    mov ebx, 9
    int 0x40
}

start:
    call screen_init

    ; The first event of a new program: redraw.
    mov eax, 11
    int 0x40
    cmp eax, 1
    check e, 'g_event/initial_redraw', 'function 11 at start did not answer the redraw event 1'
    mov eax, 11
    int 0x40
    cmp eax, 1
    check e, 'g_event/redraw_kept', 'the redraw event went away by reading it (it is reset by function 0)'
    mov eax, 23
    mov ebx, 1
    int 0x40
    cmp eax, 1
    check e, 'g_event/redraw_23', 'function 23 did not answer the pending redraw event'

    window 100, 100, 199, 99, 0x01000000, 0, 0
    mov eax, 11
    int 0x40
    test eax, eax
    check z, 'g_event/reset_by_function_0', 'function 11 after function 0 did not answer 0 (eax = event)'

    ; 23 with no event: 0 at once for EBX = 0, after the time otherwise.
    ticks
    mov [ticks_before], eax
    wait_event 0
    test eax, eax
    check z, 'g_event/wait_zero', 'function 23 with EBX = 0 did not answer 0 (eax = event)'
    ticks
    sub eax, [ticks_before]
    cmp eax, 5
    check b, 'g_event/wait_zero_at_once', 'function 23 with EBX = 0 waited (eax = hundredths)'
    ticks
    mov [ticks_before], eax
    wait_event 10
    test eax, eax
    check z, 'g_event/timeout', 'function 23 with no event did not answer 0 (eax = event)'
    ticks
    sub eax, [ticks_before]
    cmp eax, 10
    check ae, 'g_event/timeout_length', 'function 23 with EBX = 10 came back before 10 hundredths (eax = hundredths)'
    cmp eax, 100
    check b, 'g_event/timeout_not_long', 'function 23 with EBX = 10 took a second or more (eax = hundredths)'

    ; Function 40: previous mask.
    mov eax, 40
    mov ebx, 0x27
    int 0x40
    cmp eax, 7
    check e, 'g_event/default_mask', 'the first call of function 40 did not answer the default mask 7'
    mov eax, 40
    mov ebx, 0xC0000007
    int 0x40
    cmp eax, 0x27
    check e, 'g_event/previous_mask', 'function 40 did not answer the mask set before'
    mov eax, 40
    mov ebx, 0x0000000F
    int 0x40
    cmp eax, 0xC0000007
    check e, 'g_event/filter_bits_kept', 'function 40 lost bits 30 and 31 of the mask (eax = previous)'
    mov eax, 11
    int 0x40
    test eax, eax
    check z, 'g_event/reserved_event_quiet', 'with event 4 (reserved, never sent) unmasked an event came (eax = event)'

    ; A masked redraw is kept. 67 moves the window and sends event 1.
    mov eax, 40
    xor ebx, ebx
    int 0x40
    mov eax, 67
    mov ebx, 120
    mov ecx, 110
    mov edx, -1
    mov esi, -1
    int 0x40
    mov eax, 11
    int 0x40
    test eax, eax
    check z, 'g_event/masked_11', 'function 11 reported an event the mask (0) excludes (eax = event)'
    wait_event 20
    test eax, eax
    check z, 'g_event/masked_23', 'function 23 reported an event the mask (0) excludes (eax = event)'
    mov eax, 40
    mov ebx, 7
    int 0x40
    test eax, eax
    check z, 'g_event/mask_zero_returned', 'function 40 did not answer the mask 0 set before (eax)'
    mov eax, 11
    int 0x40
    cmp eax, 1
    check e, 'g_event/kept_while_masked', 'the redraw sent while masked was not reported after unmasking (eax)'
    ; Still pending (not reset by reading): 10 answers at once. (Only
    ; when 11 saw it: otherwise 10 would wait for ever.)
    cmp eax, 1
    jne .no_pending
    mov eax, 10
    int 0x40
    cmp eax, 1
    check e, 'g_event/wait_pending', 'function 10 with a redraw pending did not answer 1 (eax)'
.no_pending:
    window 100, 100, 199, 99, 0x01000000, 0, 0
    wait_event 5
    test eax, eax
    check z, 'g_event/quiet_after_redraw', 'an event came after the redraw was handled (eax = event)'

    ; Out of range: a mask of all ones, then back to the default.
    mov eax, 40
    mov ebx, -1
    int 0x40
    mov eax, 40
    mov ebx, 7
    int 0x40
    cmp eax, -1
    check e, 'g_event/all_ones_mask', 'function 40 did not keep the mask 0xFFFFFFFF (eax = previous)'
    call drain_events
    survived 'g_event/survived'

    ; 23 with EBX = 0xFFFFFFFF waits like 10 (sys_waitforevent is 23 with
    ; EBX = -1): KolibriOS's scheduler (core/sched.inc) compares the ticks
    ; since the wait began with EBX, so nothing overflows. A helper thread
    ; sends us a message (event 7) after a while; 23 must wait for it
    ; rather than answer 0 at once.
    mov eax, 9
    mov ebx, thread_info
    mov ecx, -1
    int 0x40
    mov eax, dword [thread_info + 30]
    mov [own_id], eax
    mov dword [ipc_area + 4], 8
    mov eax, 60
    mov ebx, 1
    mov ecx, ipc_area
    mov edx, ipc_area_size
    int 0x40
    mov eax, 40
    mov ebx, 0x47
    int 0x40
    mov eax, 51
    mov ebx, 1
    mov ecx, sender
    mov edx, sender_stack_top
    int 0x40
    wait_event 0xFFFFFFFF
    cmp eax, 7
    check e, 'g_event/long_wait', 'function 23 with EBX = 0xFFFFFFFF did not wait for the message (eax = event)'
    call finish

; The helper thread: a message to the main thread after 30 hundredths.
sender:
    mov eax, 5
    mov ebx, 30
    int 0x40
    mov eax, 60
    mov ebx, 2
    mov ecx, [own_id]
    mov edx, own_id
    mov esi, 4
    int 0x40
    or eax, -1
    int 0x40

image_end:
align 4
ticks_before dd ?
own_id dd ?
ipc_area_size = 64
ipc_area rb ipc_area_size
align 16
    rb 1024
sender_stack_top:
align 16
    rb 4096
stack_top:
memory_end:
