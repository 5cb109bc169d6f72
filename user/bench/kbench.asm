; kbench: the cost of a cheap KolibriOS function through int 0x40. Times
; BATCHES batches of CALLS calls of function 26.9 (tick count) with rdtsc
; and prints the median batch as TSC cycles per call on the debug board:
;     bench: syscall_kolibri_cycles=1234.5
; Then a function 60 ping-pong between two threads, each waiting for event
; 7 with function 10: the median of BATCHES batches of ROUNDS round trips,
; with the buffers kept as KolibriOS receivers keep them ([0] = 0 open,
; [4] = 8 the offset of the next record, reset after each message), so it
; runs unchanged on KolibriOS,
;     bench: kolibri_ipc_roundtrip_cycles=23456.7
; tools/bench.py turns the cycles into nanoseconds with the TSC frequency
; the native benchmark (bench) prints.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include '../tests/kolibri/ktest.inc'
test_name db 'kbench', 0

BATCHES = 31
CALLS = 1000
ROUNDS = 50

start:
    call time_batch             ; warm-up, not counted
    xor edi, edi
.batch:
    call time_batch
    mov [samples + edi * 4], eax
    inc edi
    cmp edi, BATCHES
    jb .batch

    call median
    print 'bench: syscall_kolibri_cycles='
    mov ebx, CALLS
    call print_per_call

    ; --- function 60 round trips ---
    mov dword [main_buffer], 0
    mov dword [main_buffer + 4], 8
    mov eax, 60                 ; our receive buffer
    mov ebx, 1
    mov ecx, main_buffer
    mov edx, 64
    int 0x40
    mov eax, 40                 ; only IPC events (no window: no redraws)
    mov ebx, 0x40
    int 0x40
    mov eax, 51
    mov ebx, 1
    mov ecx, echo_thread
    mov edx, echo_stack_top
    int 0x40
    mov [echo_tid], eax
.wait_echo:
    cmp [echo_ready], 1
    je .echo_ready
    mov eax, 5
    mov ebx, 1
    int 0x40
    jmp .wait_echo
.echo_ready:
    call time_round_trips       ; warm-up
    xor edi, edi
.ipc_batch:
    call time_round_trips
    mov [samples + edi * 4], eax
    inc edi
    cmp edi, BATCHES
    jb .ipc_batch
    call median
    print 'bench: kolibri_ipc_roundtrip_cycles='
    mov ebx, ROUNDS
    call print_per_call
    mov [echo_stop], 1
    mov eax, -1
    int 0x40

include 'median.inc'

; print_per_call: prints EAX / EBX (EAX cycles for EBX calls; EBX a
; multiple of 10) as whole.tenth and a new line.
print_per_call:
    push eax ebx edx
    push eax
    mov eax, ebx
    xor edx, edx
    mov ebx, 10
    div ebx
    mov ebx, eax                ; calls / 10
    pop eax
    xor edx, edx
    div ebx                     ; tenths of a cycle per call
    xor edx, edx
    mov ebx, 10
    div ebx
    call debug_decimal
    print '.'
    mov eax, edx
    call debug_decimal
    print 10
    pop edx ebx eax
    ret

; time_round_trips: EAX = TSC cycles for ROUNDS messages to the echo
; thread and its answers.
time_round_trips:
    push ebx ecx edx esi edi
    rdtsc
    mov [round_start], eax
    mov edi, ROUNDS
.round:
    mov eax, 60
    mov ebx, 2
    mov ecx, [echo_tid]
    mov edx, ping
    mov esi, 4
    int 0x40
.wait_answer:
    mov eax, 10
    int 0x40
    cmp eax, 7
    jne .wait_answer
    mov dword [main_buffer + 4], 8   ; consumed: the next record goes to +8 again
    dec edi
    jnz .round
    rdtsc
    sub eax, [round_start]
    pop edi esi edx ecx ebx
    ret

; The echo thread answers every message with one of its own.
echo_thread:
    mov dword [echo_buffer], 0
    mov dword [echo_buffer + 4], 8
    mov eax, 60
    mov ebx, 1
    mov ecx, echo_buffer
    mov edx, 64
    int 0x40
    mov eax, 40
    mov ebx, 0x40
    int 0x40
    mov [echo_ready], 1
.loop:
    mov eax, 23                 ; wait (at most 100 ms) for the next message
    mov ebx, 10
    int 0x40
    cmp [echo_stop], 1
    je .stop
    cmp eax, 7
    jne .loop
    mov ecx, [echo_buffer + 8]  ; the sender of the first record
    mov dword [echo_buffer + 4], 8
    mov eax, 60
    mov ebx, 2
    mov edx, ping
    mov esi, 4
    int 0x40
    jmp .loop
.stop:
    mov eax, -1
    int 0x40

; time_batch: EAX = TSC cycles taken by CALLS calls of 26.9 (the low 32
; bits: a batch lasts far less than 2^32 cycles).
time_batch:
    push ebx esi edi
    rdtsc
    mov esi, eax
    mov edi, CALLS
.call:
    mov eax, 26
    mov ebx, 9
    int 0x40
    dec edi
    jnz .call
    rdtsc
    sub eax, esi
    pop edi esi ebx
    ret

ping db 'ping'

image_end:
align 4
samples rd BATCHES
echo_tid dd ?
echo_ready dd ?
echo_stop dd ?
round_start dd ?
align 16
main_buffer: rb 64
echo_buffer: rb 64
align 16
    rb 4096
echo_stack_top:
align 16
    rb 4096
stack_top:
memory_end:
