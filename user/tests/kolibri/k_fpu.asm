; k_fpu: two threads of one program compute with the x87 and SSE at the
; same time and are preempted many times; neither sees the other's
; registers. Each thread first checks that it starts in the initial state
; (x87 control word 0x037F after FNINIT, MXCSR 0x1F80, XMM0 zero), then
; loads values of its own into six x87 registers and all eight XMM
; registers and, for SPIN_TICKS hundredths of a second, keeps checking
; them between system calls (function 26.9, tick count). A corrupted
; register counts as an error; the main thread reports both threads.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_fpu', 0

SPIN_TICKS = 60                 ; 600 ms: about 60 time slices of 10 ms

start:
    mov ebp, 0                  ; thread 0: the main thread
    call initial_state
    mov [initial_ok + 0], eax
    mov eax, 51                 ; the second thread
    mov ebx, 1
    mov ecx, worker
    mov edx, worker_stack_top
    int 0x40
    cmp eax, -1
    check ne, 'k_fpu/thread', 'function 51.1 failed'
    mov ebp, 0
    call compute
    ; Wait (at most 10 s) for the worker.
    mov esi, 1000
.wait:
    cmp [worker_done], 1
    je .done
    mov eax, 5
    mov ebx, 1
    int 0x40
    dec esi
    jnz .wait
.done:
    mov eax, [worker_done]
    cmp eax, 1
    check e, 'k_fpu/worker_finished', 'the worker thread did not finish in 10 s'
    mov eax, [initial_ok + 0]
    test eax, eax
    check z, 'k_fpu/initial_main', 'main thread: FCW/MXCSR/XMM0 not in the initial state (eax = bits)'
    mov eax, [initial_ok + 4]
    test eax, eax
    check z, 'k_fpu/initial_thread', 'new thread: FCW/MXCSR/XMM0 not in the initial state (eax = bits)'
    mov eax, [rounds + 0]
    cmp eax, 100
    check a, 'k_fpu/main_rounds', 'main thread checked its registers fewer than 100 times'
    mov eax, [rounds + 4]
    cmp eax, 100
    check a, 'k_fpu/worker_rounds', 'worker checked its registers fewer than 100 times'
    mov eax, [x87_errors + 0]
    test eax, eax
    check z, 'k_fpu/x87_main', 'main thread x87 registers changed (eax = count)'
    mov eax, [x87_errors + 4]
    test eax, eax
    check z, 'k_fpu/x87_worker', 'worker x87 registers changed (eax = count)'
    mov eax, [sse_errors + 0]
    test eax, eax
    check z, 'k_fpu/sse_main', 'main thread XMM registers changed (eax = count)'
    mov eax, [sse_errors + 4]
    test eax, eax
    check z, 'k_fpu/sse_worker', 'worker XMM registers changed (eax = count)'
    mov eax, [convert_result + 0]
    cmp eax, 0x42F60000         ; 123.0 as a single
    check e, 'k_fpu/cvtsi2ss', 'cvtsi2ss 123 gave another single (eax)'
    jmp finish

worker:
    mov ebp, 1
    call initial_state
    mov [initial_ok + 4], eax
    mov ebp, 1
    call compute
    mov [worker_done], 1
    mov eax, -1
    int 0x40

; initial_state: EAX = 0 when this thread's x87/SSE registers are as a new
; thread's must be; bit 0 FCW, bit 1 MXCSR, bit 2 XMM0.
initial_state:
    xor edx, edx
    fnstcw word [scratch]
    cmp word [scratch], 0x037F
    je @f
    or edx, 1
@@:
    stmxcsr dword [scratch]
    cmp dword [scratch], 0x1F80
    je @f
    or edx, 2
@@:
    movups [scratch], xmm0
    mov eax, [scratch]
    or eax, [scratch + 4]
    or eax, [scratch + 8]
    or eax, [scratch + 12]
    jz @f
    or edx, 4
@@:
    mov eax, edx
    ret

; compute: EBP = thread index (0 or 1). Loads the thread's values, then
; checks them until SPIN_TICKS ticks have passed.
compute:
    ; The instruction that ends SSE programs on a kernel without OSFXSR.
    mov eax, 123
    cvtsi2ss xmm0, eax
    movss [convert_result + ebp * 4], xmm0
    finit
    mov esi, ebp
    imul esi, 6 * 8
    add esi, x87_values
    mov ecx, 6
.load_x87:
    fld qword [esi]
    add esi, 8
    loop .load_x87
    ; Now st0 = value 5 ... st5 = value 0.
    mov esi, ebp
    shl esi, 7                  ; 8 registers x 16 bytes
    add esi, xmm_values
irp r, 0,1,2,3,4,5,6,7 {
    movups xmm#r, [esi + r * 16]
}
    mov eax, 26
    mov ebx, 9
    int 0x40
    add eax, SPIN_TICKS
    mov [deadline + ebp * 4], eax
.round:
    inc dword [rounds + ebp * 4]
    ; x87: st(i) must still hold value 5 - i.
    mov esi, ebp
    imul esi, 6 * 8
    add esi, x87_values
irp i, 0,1,2,3,4,5 {
    fld st#i
    fcomp qword [esi + (5 - i) * 8]
    fnstsw ax
    and ah, 0x45                ; C3, C2, C0: equal is C3 alone
    cmp ah, 0x40
    je @f
    inc dword [x87_errors + ebp * 4]
@@:
}
    ; SSE: each XMM register against its 16 bytes.
    mov esi, ebp
    shl esi, 7
    add esi, xmm_values
    mov ebx, ebp                ; this thread's 16 bytes of scratch_sse
    shl ebx, 4
    add ebx, scratch_sse
irp r, 0,1,2,3,4,5,6,7 {
    movups [ebx], xmm#r
    push esi
    lea esi, [esi + r * 16]
    mov edi, ebx
    mov ecx, 4
    repe cmpsd
    pop esi
    je @f
    inc dword [sse_errors + ebp * 4]
@@:
}
    ; A system call between rounds (the kernel must not touch the unit).
    mov eax, 26
    mov ebx, 9
    int 0x40
    cmp eax, [deadline + ebp * 4]
    jb .round
    ret

; Six doubles per thread, distinct between the threads.
x87_values:
    dq 1.5, 2.25, 3.125, 4.0625, 5.03125, 6.015625
    dq -1001.5, -1002.25, -1003.125, -1004.0625, -1005.03125, -1006.015625
; Eight XMM registers per thread: dword = thread << 24 | register << 8 | lane.
xmm_values:
repeat 2 * 8 * 4
    dd (((% - 1) / 32 + 0xA0) shl 24) + ((((% - 1) / 4) mod 8) shl 8) + ((% - 1) mod 4)
end repeat

align 4
initial_ok dd 0, 0
rounds dd 0, 0
x87_errors dd 0, 0
sse_errors dd 0, 0
deadline dd 0, 0
convert_result dd 0, 0
worker_done dd 0
scratch: rd 4
scratch_sse: rd 8

image_end:
align 16
    rb 4096
worker_stack_top:
    rb 4096
stack_top:
memory_end:
