; k_threads: function 51.1 creates threads in the same address space; each
; thread ends with function -1 without ending the program; function 5
; (delay) and 68.1 (yield) let the others run.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_threads', 0

THREADS = 4

start:
    ; Start THREADS workers, each with a stack of its own.
    xor esi, esi
.create:
    mov eax, 51
    mov ebx, 1
    mov ecx, worker
    mov edx, esi
    inc edx
    shl edx, 12                     ; stack top = stacks + (i + 1) * 4096
    add edx, stacks
    int 0x40
    mov [tids + esi * 4], eax
    inc esi
    cmp esi, THREADS
    jb .create

    ; Every call returned a thread id (not -1), and the ids differ.
    xor ecx, ecx
    xor edx, edx
.ids:
    mov eax, [tids + ecx * 4]
    cmp eax, -1
    jne .valid
    inc edx
.valid:
    inc ecx
    cmp ecx, THREADS
    jb .ids
    mov eax, edx
    test eax, eax
    check z, 'k_threads/create', 'function 51.1 returned -1 (eax = count)'
    mov eax, [tids]
    cmp eax, [tids + 4]
    check ne, 'k_threads/distinct_ids', 'two threads got the same id'

    ; Wait (at most 5 s) until every worker has counted to 1000.
    mov esi, 500
.wait:
    cmp [finished], THREADS
    je .all_done
    mov eax, 5
    mov ebx, 1
    int 0x40
    dec esi
    jnz .wait
.all_done:
    mov eax, [finished]
    cmp eax, THREADS
    check e, 'k_threads/all_ran', 'not every thread finished (eax = finished)'
    mov eax, [total]
    cmp eax, THREADS * 1000
    check e, 'k_threads/shared_memory', 'the threads did not all add to the shared counter (eax = total)'

    ; A bad entry point or stack is refused with -1. KolibriOS's
    ; new_sys_threads (core/taskman.inc) does not check them: it answers
    ; a thread id and the new thread is killed by its first page fault.
    ; Colibri refuses them on purpose.
    mov eax, 51
    mov ebx, 1
    mov ecx, 0xC0100000
    mov edx, stacks + 4096
    int 0x40
    cmp eax, -1
    check e, 'k_threads/kernel_entry_refused', 'a thread entry in kernel space was accepted'
    mov eax, 51
    mov ebx, 1
    mov ecx, worker
    mov edx, 0xFFFFFFF0
    int 0x40
    cmp eax, -1
    check e, 'k_threads/kernel_stack_refused', 'a thread stack in kernel space was accepted'

    call finish

; A worker adds 1 to the shared total 1000 times (with a locked add, since
; the threads are preempted at any instruction), yielding now and then, and
; ends itself with function -1.
worker:
    mov ecx, 1000
.count:
    lock inc dword [total]
    test ecx, 127
    jnz .no_yield
    push ecx
    mov eax, 68
    mov ebx, 1
    int 0x40
    pop ecx
.no_yield:
    dec ecx
    jnz .count
    lock inc dword [finished]
    mov eax, -1
    int 0x40

image_end:
align 4
tids rd THREADS
total dd ?
finished dd ?
align 4096
stacks rb THREADS * 4096
    rb 4096
stack_top:
memory_end:
