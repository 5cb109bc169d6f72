; k_packed: the program that the build packs with tools/kpack.py into
; /sys/kp_none, /sys/kp_ct1 and /sys/kp_ct2 (KPCK without call trick, with
; call-trick 1 and call-trick 2). Its code is full of rel32 calls, jumps
; and Jcc, which the call tricks rewrite: if the kernel's undo were wrong,
; they would land elsewhere. It prints "PASS k_packed <its path>" (the
; MENUET01 path buffer) when every check holds. Also on the ramdisk
; unpacked as /sys/k_packed, for k_kpck's byte comparison.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, path

include 'ktest.inc'
test_name db 'k_packed', 0

start:
    xor eax, eax
    call add_one
    call add_two
    jmp near .after_jump
    db 0x0F, 0x0B                 ; ud2: never reached
.after_jump:
    cmp eax, 3
    jne near .bad
    mov ecx, 10
.loop:
    call add_one
    dec ecx
    jnz near .loop
    cmp eax, 13
    je near .good
.bad:
    mov esi, bad_name
    mov edi, bad_reason
    mov [failed_eax], eax
    call report_fail
    call finish
.good:
    print 'PASS k_packed '
    mov esi, path
    call debug_print
    print 10
    mov eax, -1
    int 0x40

add_one:
    inc eax
    ret
add_two:
    call add_one
    jmp near add_one

bad_name db 'k_packed/calls', 0
bad_reason db 'the calls and jumps did not add up to 13', 0

image_end:
path rb 1024
align 16
    rb 4096
stack_top:
align 4096
memory_end:
