; k_ipc: function 60 between two threads of one program, checked against
; what sys_IPC / sys_ipc_send (KolibriOS core/memory.inc) do. The receiver
; thread registers its buffers (60.1) when told to; the main thread sends
; (60.2) and checks the buffer byte by byte:
;   [buf+0] lock (0 = open), [buf+4] offset of the next write from the
;   start of the buffer (receivers set it to 8), records [sender, len, data]
;   packed from +8 with no padding; the kernel writes the new [buf+4] first,
;   then the record at the old offset, so a buffer left at 0 gets its header
;   overwritten (and locked by the sender id).
; Results: 0 delivered, 1 no area, 2 locked, 3 does not fit, 4 no such
; thread; -1 for other subfunctions and (Colibri) for a message the sender
; cannot read. Several messages may raise a single event 7.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_ipc', 0

macro ipc_send message, length
{
    mov eax, 60
    mov ebx, 2
    mov ecx, [receiver_tid]
    mov edx, message
    mov esi, length
    int 0x40
}

; The receiver registers [area_address], [area_size] and waits until it has.
macro set_area address_, size_
{
    mov dword [area_address], address_
    mov dword [area_size], size_
    call register_area
}

start:
    mov eax, 9                  ; our own thread id: the sender id of our records
    mov ebx, process_info
    mov ecx, -1
    int 0x40
    mov eax, dword [process_info + 30]
    mov [my_tid], eax

    mov eax, 51
    mov ebx, 1
    mov ecx, receiver
    mov edx, receiver_stack_top
    int 0x40
    mov [receiver_tid], eax
    cmp eax, -1
    check ne, 'k_ipc/thread', 'function 51.1 failed'

    ; Nobody registered an area yet.
    ipc_send hello, 5
    cmp eax, 1
    check e, 'k_ipc/no_area', '60.2 before 60.1 did not return 1'
    mov eax, 60
    mov ebx, 2
    mov ecx, 0x7FFFFFF0
    mov edx, hello
    mov esi, 5
    int 0x40
    cmp eax, 4
    check e, 'k_ipc/no_receiver', '60.2 to a missing PID did not return 4'
    mov eax, 60
    mov ebx, 3
    int 0x40
    cmp eax, -1
    check e, 'k_ipc/unknown_subfunction', '60.3 did not return -1'
    mov eax, 60
    mov ebx, 0x102              ; sys_IPC compares all of ebx, not bl
    int 0x40
    cmp eax, -1
    check e, 'k_ipc/whole_ebx', '60 with ebx=0x102 did not return -1'

    ; The KolibriOS way: [0] = 0, [4] = 8, then 60.1.
    mov dword [ipc_buffer], 0
    mov dword [ipc_buffer + 4], 8
    set_area ipc_buffer, 64
    mov eax, [register_result]
    test eax, eax
    check z, 'k_ipc/register', '60.1 did not return 0'

    ; Three messages queue up: 8 + (8+5) + (8+3) + (8+0) = 40.
    ipc_send hello, 5
    test eax, eax
    check z, 'k_ipc/send', '60.2 did not return 0'
    mov eax, [ipc_buffer + 4]
    cmp eax, 8 + 8 + 5
    check e, 'k_ipc/next_offset', '[buf+4] is not 21 after a 5-byte message'
    ipc_send letters, 3
    test eax, eax
    check z, 'k_ipc/second', 'the second 60.2 did not return 0'
    ipc_send hello, 0
    test eax, eax
    check z, 'k_ipc/empty', 'a message of 0 bytes was refused'
    mov eax, [ipc_buffer + 4]
    cmp eax, 40
    check e, 'k_ipc/queued', '[buf+4] is not 40 after three messages'
    mov eax, [ipc_buffer]
    test eax, eax
    check z, 'k_ipc/not_locked', 'the kernel changed the lock dword'

    ; Walk the records from +8 to [buf+4] as a receiver does.
    mov esi, 8
    xor edi, edi
.walk:
    cmp esi, [ipc_buffer + 4]
    jae .walked
    mov eax, [ipc_buffer + esi]
    cmp eax, [my_tid]
    jne .walked
    mov ecx, [ipc_buffer + esi + 4]
    mov [lengths + edi * 4], ecx
    mov [offsets + edi * 4], esi
    lea esi, [esi + 8 + ecx]
    inc edi
    cmp edi, 4
    jb .walk
.walked:
    mov [walk_offset], esi      ; check uses esi and edi
    mov eax, edi
    cmp eax, 3
    check e, 'k_ipc/walk_count', 'walking from +8 did not find 3 records from us'
    mov eax, [walk_offset]
    cmp eax, [ipc_buffer + 4]
    check e, 'k_ipc/walk_end', 'the records do not end at [buf+4]'
    mov eax, [lengths]
    cmp eax, 5
    check e, 'k_ipc/length_1', 'the first record length is not 5'
    mov eax, [lengths + 4]
    cmp eax, 3
    check e, 'k_ipc/length_2', 'the second record length is not 3'
    mov eax, [lengths + 8]
    test eax, eax
    check z, 'k_ipc/length_3', 'the third record length is not 0'
    mov eax, [offsets + 4]
    cmp eax, 21
    check e, 'k_ipc/unpadded', 'the second record is not right after the first (no padding)'
    mov eax, dword [ipc_buffer + 16]
    cmp eax, dword [hello]
    check e, 'k_ipc/data_1', 'the first record data is not "hell..."'
    movzx eax, byte [ipc_buffer + 20]
    cmp al, 'o'
    check e, 'k_ipc/data_1_end', 'the first record data does not end in "o"'
    mov eax, dword [ipc_buffer + 29]
    and eax, 0x00FFFFFF
    cmp eax, 'abc'
    check e, 'k_ipc/data_2', 'the second record data is not "abc"'

    ; One pending event 7 for all three: the first check returns 7, the
    ; second nothing.
    mov [check_events], 1
    call wait_receiver
    mov eax, [first_event]
    cmp eax, 7
    check e, 'k_ipc/event_7', 'the receiver saw no event 7'
    mov eax, [second_event]
    test eax, eax
    check z, 'k_ipc/one_event', 'three messages raised more than one event 7'

    ; Locked: refused, nothing changes.
    mov dword [ipc_buffer], 1
    ipc_send hello, 1
    cmp eax, 2
    check e, 'k_ipc/locked', '60.2 to a locked buffer did not return 2'
    mov eax, [ipc_buffer + 4]
    cmp eax, 40
    check e, 'k_ipc/locked_unchanged', 'a refused message moved [buf+4]'
    mov dword [ipc_buffer], 0

    ; Fit: 40 + 8 + 17 > 64 is refused; 40 + 8 + 16 = 64 fits exactly.
    ipc_send long_message, 17
    cmp eax, 3
    check e, 'k_ipc/overflow', '60.2 of a message that does not fit did not return 3'
    ipc_send long_message, 16
    test eax, eax
    check z, 'k_ipc/exact_fit', 'a message that exactly fills the buffer was refused'
    mov eax, [ipc_buffer + 4]
    cmp eax, 64
    check e, 'k_ipc/full_offset', '[buf+4] is not 64 after the exact fit'
    ipc_send hello, 0
    cmp eax, 3
    check e, 'k_ipc/full_empty', 'an empty message fitted into a full buffer'

    ; A message the sender cannot read: refused, the buffer untouched.
    ; (KolibriOS's sys_ipc_send, core/memory.inc, copies from the pointer
    ; unchecked: a kernel page fault kills the process there; Colibri
    ; refuses it on purpose.)
    mov dword [ipc_buffer + 4], 8
    ipc_send 0xC0000000, 4
    cmp eax, -1
    check e, 'k_ipc/bad_pointer', '60.2 from kernel memory did not return -1'
    ipc_send 0x10000000, 4
    cmp eax, -1
    check e, 'k_ipc/unmapped_pointer', '60.2 from unmapped memory did not return -1'
    mov eax, [ipc_buffer + 4]
    cmp eax, 8
    check e, 'k_ipc/bad_pointer_no_change', 'a refused message changed [buf+4]'
    mov eax, [ipc_buffer + 8]
    cmp eax, [my_tid]           ; still the first record of the walk above
    check e, 'k_ipc/bad_pointer_no_record', 'a refused message wrote a record'

    ; A buffer left at 0: [4] = 5 first, then [0] = sender, [4] = 5, data at +8.
    mov dword [ipc_buffer], 0
    mov dword [ipc_buffer + 4], 0
    ipc_send hello, 5
    test eax, eax
    check z, 'k_ipc/zero_send', '60.2 into a zeroed buffer did not return 0'
    mov eax, [ipc_buffer]
    cmp eax, [my_tid]
    check e, 'k_ipc/zero_sender', '[buf+0] is not the sender id'
    mov eax, [ipc_buffer + 4]
    cmp eax, 5
    check e, 'k_ipc/zero_length', '[buf+4] is not the message length'
    mov eax, dword [ipc_buffer + 8]
    cmp eax, dword [hello]
    check e, 'k_ipc/zero_data', 'the data is not at +8'
    ipc_send hello, 1
    cmp eax, 2
    check e, 'k_ipc/zero_locked', 'the next message was not refused as locked'

    ; [4] = 4: the record at +4 covers the new offset written first.
    mov dword [ipc_buffer], 0
    mov dword [ipc_buffer + 4], 4
    ipc_send letters, 3
    test eax, eax
    check z, 'k_ipc/four_send', '60.2 with [buf+4]=4 did not return 0'
    mov eax, [ipc_buffer + 4]
    cmp eax, [my_tid]
    check e, 'k_ipc/four_sender', '[buf+4] is not the sender id'
    mov eax, [ipc_buffer + 8]
    cmp eax, 3
    check e, 'k_ipc/four_length', '[buf+8] is not the length'
    mov eax, dword [ipc_buffer + 12]
    and eax, 0x00FFFFFF
    cmp eax, 'abc'
    check e, 'k_ipc/four_data', 'the data is not at +12'

    ; An area at an odd address.
    mov ebx, ipc_buffer2 + 3
    mov dword [ebx], 0
    mov dword [ebx + 4], 8
    set_area ipc_buffer2 + 3, 32
    ipc_send hello, 5
    test eax, eax
    check z, 'k_ipc/unaligned', '60.2 into an unaligned area did not return 0'
    mov eax, [ipc_buffer2 + 3 + 4]
    cmp eax, 21
    check e, 'k_ipc/unaligned_offset', '[buf+4] of the unaligned area is not 21'
    mov eax, [ipc_buffer2 + 3 + 8]
    cmp eax, [my_tid]
    check e, 'k_ipc/unaligned_sender', 'the record is not at area + 8'
    mov eax, dword [ipc_buffer2 + 3 + 16]
    cmp eax, dword [hello]
    check e, 'k_ipc/unaligned_data', 'the data is not at area + 16'

    ; Sizes below 8: no record fits (size 0 is our choice: KolibriOS faults
    ; in the kernel there), but the lock is still looked at.
    mov dword [ipc_buffer2], 0
    mov dword [ipc_buffer2 + 4], 8
    set_area ipc_buffer2, 7
    ipc_send hello, 0
    cmp eax, 3
    check e, 'k_ipc/size_7', 'an area of 7 bytes took a message'
    set_area ipc_buffer2, 0
    ipc_send hello, 0
    cmp eax, 3
    check e, 'k_ipc/size_0', 'an area of 0 bytes did not return 3'
    mov dword [ipc_buffer2], 1
    ipc_send hello, 0
    cmp eax, 2
    check e, 'k_ipc/size_0_locked', 'a locked area of 0 bytes did not return 2'
    mov eax, [ipc_buffer2 + 4]
    cmp eax, 8
    check e, 'k_ipc/small_unchanged', 'a refused message changed the small area'

    ; Address 0 takes the area away (sys_ipc_send: ipc_start = 0).
    set_area 0, 64
    ipc_send hello, 1
    cmp eax, 1
    check e, 'k_ipc/area_0', '60.2 after 60.1 with address 0 did not return 1'

    ; Once the receiver is gone, it does not exist any more.
    mov [stop], 1
    mov esi, 300
.wait_exit:
    cmp [exited], 1
    je .gone
    mov eax, 5
    mov ebx, 1
    int 0x40
    dec esi
    jnz .wait_exit
.gone:
    mov eax, 5
    mov ebx, 5
    int 0x40
    ipc_send hello, 5
    cmp eax, 4
    check e, 'k_ipc/receiver_gone', '60.2 to an ended thread did not return 4'

    call finish

; register_area: has the receiver call 60.1 with [area_address], [area_size].
register_area:
    mov dword [do_register], 1
wait_receiver:
    push eax ebx esi
    mov esi, 500
.wait:
    cmp [do_register], 0
    jne .sleep
    cmp [check_events], 0
    je .done
.sleep:
    mov eax, 5
    mov ebx, 1
    int 0x40
    dec esi
    jnz .wait
.done:
    pop esi ebx eax
    ret

; The receiver: does what the main thread asks, never waits for events.
receiver:
    mov eax, 40
    mov ebx, 0x40               ; IPC only (event 7): a window-less thread keeps a redraw pending
    int 0x40
.loop:
    cmp [do_register], 1
    jne .no_register
    mov eax, 60
    mov ebx, 1
    mov ecx, [area_address]
    mov edx, [area_size]
    int 0x40
    mov [register_result], eax
    mov [do_register], 0
.no_register:
    cmp [check_events], 1
    jne .no_check
    mov eax, 11
    int 0x40
    mov [first_event], eax
    mov eax, 11
    int 0x40
    mov [second_event], eax
    mov [check_events], 0
.no_check:
    cmp [stop], 1
    je .stop
    mov eax, 5
    mov ebx, 1
    int 0x40
    jmp .loop
.stop:
    mov [exited], 1
    mov eax, -1
    int 0x40

hello db 'hello', 0, 0, 0
letters db 'abc', 0
long_message db 'abcdefghijklmnopqrstuvwxyz0123456789'

image_end:
align 4
my_tid dd ?
receiver_tid dd ?
area_address dd ?
area_size dd ?
do_register dd ?
register_result dd ?
check_events dd ?
first_event dd ?
second_event dd ?
stop dd ?
exited dd ?
walk_offset dd ?
lengths rd 4
offsets rd 4
process_info rb 1024
align 16
ipc_buffer: rb 64
ipc_buffer2: rb 64
align 4096
    rb 4096
receiver_stack_top:
    rb 4096
stack_top:
memory_end:
