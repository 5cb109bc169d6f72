; k_posix: function 77 as sys_posix (KolibriOS posix/posix.inc, futex.inc,
; pipe.inc) does it: futex handles from 3 in a table of the process (a
; freed handle comes back first), wait answers -2 / -1 (timeout) / 0 (woken
; with the dword changed; a wake with the dword unchanged puts the waiter
; back to sleep), destroy refuses while a thread waits; pipes with 77.13,
; 77.10, 77.11; -EBADF and -1 for everything else; a full table.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_posix', 0

unmapped = 0x7FFF0000

macro p77 sub, c, d, s
{
    mov eax, 77
    mov ebx, sub
    mov ecx, c
    mov edx, d
    mov esi, s
    int 0x40
}

macro answer name, value
{
    cmp eax, value
    check e, name, 'wrong answer (eax)'
}

; The waiter thread: 77.2 on [futex] while [the_word] is 0, no timeout.
waiter:
    p77 2, [futex], 0, 0
    mov [waiter_answer], eax
    mov [waiter_done], 1
    mov eax, -1
    int 0x40

start:
    p77 0, the_word, 0, 0
    mov [futex], eax
    answer 'k_posix/first_handle_3', 3
    p77 0, the_word, 0, 0
    answer 'k_posix/second_handle_4', 4
    p77 1, 4, 0, 0
    answer 'k_posix/destroy', 0
    p77 1, 4, 0, 0
    answer 'k_posix/destroy_twice', -1
    p77 0, the_word, 0, 0
    answer 'k_posix/freed_handle_again', 4
    p77 1, 2, 0, 0
    answer 'k_posix/destroy_stderr', -1
    p77 1, 1006, 0, 0
    answer 'k_posix/destroy_past_table', -1
    p77 1, -1, 0, 0
    answer 'k_posix/destroy_minus_1', -1

    ; Wait: -2 when the dword differs, -1 after the timeout.
    p77 2, [futex], 1, 0
    answer 'k_posix/wait_differs', -2
    mov eax, 26
    mov ebx, 9
    int 0x40
    mov [ticks], eax
    p77 2, [futex], 0, 10
    answer 'k_posix/wait_timeout', -1
    mov eax, 26
    mov ebx, 9
    int 0x40
    sub eax, [ticks]
    cmp eax, 10
    check ae, 'k_posix/timeout_length', 'the wait of 10 hundredths was shorter (eax = ticks)'
    p77 3, [futex], 5, 0
    answer 'k_posix/wake_nobody', 0

    ; A waiting thread: destroy refuses; a wake with the dword unchanged
    ; wakes it (1) but it sleeps on; after the dword changes it returns 0.
    mov eax, 51
    mov ebx, 1
    mov ecx, waiter
    mov edx, waiter_stack_top
    int 0x40
    mov eax, 5
    mov ebx, 20
    int 0x40
    p77 1, [futex], 0, 0
    answer 'k_posix/destroy_with_waiter', -1
    p77 3, [futex], 0, 0        ; EDX = 0 wakes one
    answer 'k_posix/wake_count_0_wakes_one', 1
    mov eax, 5
    mov ebx, 20
    int 0x40
    mov eax, [waiter_done]
    answer 'k_posix/unchanged_sleeps_on', 0
    mov [the_word], 1
    p77 3, [futex], 10, 0
    answer 'k_posix/wake_one', 1
    mov edi, 100
.wait_done:
    cmp [waiter_done], 0
    jne .done
    mov eax, 5
    mov ebx, 2
    int 0x40
    dec edi
    jnz .wait_done
.done:
    mov eax, [waiter_done]
    answer 'k_posix/waiter_returned', 1
    mov eax, [waiter_answer]
    answer 'k_posix/waiter_answer_0', 0
    mov eax, 5
    mov ebx, 5
    int 0x40
    p77 1, [futex], 0, 0
    answer 'k_posix/destroy_after_waiter', 0
    p77 0, the_word, 0, 0
    mov [futex], eax
    answer 'k_posix/handle_3_again', 3

    ; The rest of 77.
    p77 4, 3, 0, 0
    answer 'k_posix/requeue', -1
    p77 7, 3, 0, 0
    answer 'k_posix/wake_bitset', -1
    p77 4, 99, 0, 0
    answer 'k_posix/requeue_bad_handle', -1
    p77 8, 0, 0, 0
    answer 'k_posix/open', -9
    p77 9, 3, 0, 0
    answer 'k_posix/close', -9
    p77 12, 0, 0, 0
    answer 'k_posix/dup3', -9
    p77 14, 0, 0, 0
    answer 'k_posix/f14', -9
    p77 -1, 0, 0, 0
    answer 'k_posix/f_minus_1', -9

    ; Pipes: the two next handles (5 and 6: 3 and 4 are futexes).
    p77 13, fds, 0, 0
    answer 'k_posix/pipe2', 0
    mov eax, [fds]
    answer 'k_posix/pipe_read_handle', 5
    mov eax, [fds + 4]
    answer 'k_posix/pipe_write_handle', 6
    p77 11, [fds + 4], hello, 5
    answer 'k_posix/pipe_write', 5
    p77 10, [fds], buffer, 100
    answer 'k_posix/pipe_read', 5
    mov esi, hello
    mov edi, buffer
    mov ecx, 5
    repe cmpsb
    mov eax, ecx
    answer 'k_posix/pipe_bytes', 0
    p77 10, [fds + 4], buffer, 1
    answer 'k_posix/read_write_end', -9
    p77 11, [fds], hello, 1
    answer 'k_posix/write_read_end', -9
    p77 10, 3, buffer, 1
    answer 'k_posix/read_futex', -9
    p77 10, 2, buffer, 1
    answer 'k_posix/read_stderr', -9
    p77 2, [fds], 0, 1
    answer 'k_posix/wait_on_pipe', -1
    p77 11, [fds + 4], unmapped, 4
    answer 'k_posix/write_bad_buffer', -14
    p77 13, 0x80000000, 0, 0
    answer 'k_posix/pipe2_kernel_place', -14
    p77 13, fds, 1, 0
    answer 'k_posix/pipe2_bad_flags', -11
    p77 13, unmapped, 0x40000, 0
    answer 'k_posix/pipe2_unmapped_place', -14

    ; A futex on a dword the program does not have: -1, no fault.
    p77 0, unmapped, 0, 0
    mov [bad_futex], eax
    p77 2, [bad_futex], 0, 0
    answer 'k_posix/wait_unmapped', -1
    p77 3, [bad_futex], 1, 0
    answer 'k_posix/wake_unmapped', 0

    ; Fill the table: 1006 entries, 0-2 reserved, 3-7 in use.
    xor edi, edi
.fill:
    p77 0, the_word, 0, 0
    test eax, eax
    jz .full
    inc edi
    cmp edi, 2000
    jb .fill
.full:
    mov eax, edi
    answer 'k_posix/table_size', 1006 - 8
    p77 13, fds, 0, 0
    answer 'k_posix/pipe2_full_table', -24

    call finish

hello db 'hello'
align 4
the_word dd 0
futex dd 0
bad_futex dd 0
ticks dd 0
waiter_done dd 0
waiter_answer dd 0x12345678
fds dd 0, 0
buffer rb 100

image_end:
align 16
    rb 4096
waiter_stack_top:
    rb 4096
stack_top:
memory_end:
