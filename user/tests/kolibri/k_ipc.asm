; k_ipc: function 60 (sysfuncs.txt). A receiver thread registers a 64-byte
; IPC buffer (60.1) and waits for event 7; the main thread sends to it
; (60.2) and checks every documented result: 0 delivered (with the
; [sender, length, data] record appended and "bytes used" updated),
; 1 no buffer yet, 2 buffer locked, 3 buffer full, 4 no such receiver.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_ipc', 0

start:
    mov eax, 51
    mov ebx, 1
    mov ecx, receiver
    mov edx, receiver_stack_top
    int 0x40
    mov [receiver_tid], eax
    cmp eax, -1
    check ne, 'k_ipc/thread', 'function 51.1 failed'

    ; Nobody registered a buffer yet.
    mov eax, 60
    mov ebx, 2
    mov ecx, [receiver_tid]
    mov edx, hello
    mov esi, 5
    int 0x40
    cmp eax, 1
    check e, 'k_ipc/no_buffer', '60.2 before 60.1 did not return 1'

    mov eax, 60
    mov ebx, 2
    mov ecx, 0x7FFFFFF0
    mov edx, hello
    mov esi, 5
    int 0x40
    cmp eax, 4
    check e, 'k_ipc/no_receiver', '60.2 to a missing PID did not return 4'

    ; Let the receiver register, and wait until it has.
    mov [go], 1
    mov esi, 300
.wait_registered:
    cmp [registered], 1
    je .registered
    mov eax, 5
    mov ebx, 1
    int 0x40
    dec esi
    jnz .wait_registered
.registered:
    mov eax, [register_result]
    test eax, eax
    check z, 'k_ipc/register', '60.1 did not return 0'

    mov eax, 60
    mov ebx, 2
    mov ecx, [receiver_tid]
    mov edx, hello
    mov esi, 5
    int 0x40
    test eax, eax
    check z, 'k_ipc/send', '60.2 did not return 0'
    mov eax, [ipc_buffer + 4]
    cmp eax, 8 + 5
    check e, 'k_ipc/bytes_used', 'the buffer does not say 13 bytes used'
    mov eax, [ipc_buffer + 8]
    test eax, eax
    check nz, 'k_ipc/sender', 'the record has no sender id'
    mov eax, [ipc_buffer + 12]
    cmp eax, 5
    check e, 'k_ipc/length', 'the record length is not 5'
    mov eax, dword [ipc_buffer + 16]
    cmp eax, dword [hello]
    check e, 'k_ipc/data', 'the record data is not the message'

    ; The receiver gets event 7.
    mov esi, 300
.wait_event:
    cmp [ipc_events], 0
    jne .got_event
    mov eax, 5
    mov ebx, 1
    int 0x40
    dec esi
    jnz .wait_event
.got_event:
    mov eax, [ipc_events]
    test eax, eax
    check nz, 'k_ipc/event_7', 'the receiver saw no IPC event'

    ; A second message is appended after the first.
    mov eax, 60
    mov ebx, 2
    mov ecx, [receiver_tid]
    mov edx, hello
    mov esi, 3
    int 0x40
    test eax, eax
    check z, 'k_ipc/second', 'the second 60.2 did not return 0'
    mov eax, [ipc_buffer + 4]
    cmp eax, 13 + 8 + 3
    check e, 'k_ipc/appended', 'the second record was not appended'

    ; Locked buffer.
    mov dword [ipc_buffer], 1
    mov eax, 60
    mov ebx, 2
    mov ecx, [receiver_tid]
    mov edx, hello
    mov esi, 1
    int 0x40
    cmp eax, 2
    check e, 'k_ipc/locked', '60.2 to a locked buffer did not return 2'
    mov dword [ipc_buffer], 0

    ; 64 - 8 header - 24 used = 32 free: a 25-byte message does not fit
    ; (8 + 25 > 32), a 24-byte one does.
    mov eax, 60
    mov ebx, 2
    mov ecx, [receiver_tid]
    mov edx, long_message
    mov esi, 25
    int 0x40
    cmp eax, 3
    check e, 'k_ipc/full', '60.2 of a message that does not fit did not return 3'
    mov eax, 60
    mov ebx, 2
    mov ecx, [receiver_tid]
    mov edx, long_message
    mov esi, 24
    int 0x40
    test eax, eax
    check z, 'k_ipc/exact_fit', 'a message that exactly fills the buffer was refused'
    mov eax, [ipc_buffer + 4]
    cmp eax, 56
    check e, 'k_ipc/full_count', 'the buffer does not say 56 bytes used'

    ; A message from a wild pointer is refused and changes nothing.
    mov dword [ipc_buffer + 4], 0
    mov eax, 60
    mov ebx, 2
    mov ecx, [receiver_tid]
    mov edx, 0xC0000000
    mov esi, 4
    int 0x40
    test eax, eax
    check nz, 'k_ipc/bad_pointer', '60.2 from kernel memory was accepted'
    mov eax, [ipc_buffer + 4]
    test eax, eax
    check z, 'k_ipc/bad_pointer_no_change', 'the refused message changed the buffer'

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
    mov eax, 60
    mov ebx, 2
    mov ecx, [receiver_tid]
    mov edx, hello
    mov esi, 5
    int 0x40
    cmp eax, 4
    check e, 'k_ipc/receiver_gone', '60.2 to an ended thread did not return 4'

    call finish

receiver:
.wait_go:
    cmp [go], 1
    je .register
    mov eax, 5
    mov ebx, 1
    int 0x40
    jmp .wait_go
.register:
    mov eax, 60
    mov ebx, 1
    mov ecx, ipc_buffer
    mov edx, 64
    int 0x40
    mov [register_result], eax
    mov eax, 40
    mov ebx, 0x40               ; IPC only (event 7): a window-less thread keeps a redraw pending
    int 0x40
    mov [registered], 1
.loop:
    mov eax, 23
    mov ebx, 10
    int 0x40
    cmp eax, 7
    jne .not_ipc
    lock inc dword [ipc_events]
.not_ipc:
    cmp [stop], 1
    jne .loop
    mov [exited], 1
    mov eax, -1
    int 0x40

hello db 'hello', 0, 0, 0
long_message db 'abcdefghijklmnopqrstuvwxyz0123456789'

image_end:
align 4
receiver_tid dd ?
go dd ?
registered dd ?
register_result dd ?
ipc_events dd ?
stop dd ?
exited dd ?
align 16
ipc_buffer: rb 64
align 4096
    rb 4096
receiver_stack_top:
    rb 4096
stack_top:
memory_end:
