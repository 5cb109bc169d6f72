; a_echo: a stand-in for the programs of AUTORUN.DAT (tests/vm/test_ramdisk.py).
; Its parameters are "TAG [HUNDREDTHS]": it prints
;     ECHO start TAG t=<ticks of 26.9>
; runs for HUNDREDTHS (function 5) and prints
;     ECHO end TAG t=<ticks>
; then exits. Copied onto a test image as LAUNCHER it is the image's own
; launcher, started instead of the kernel's reading of AUTORUN.DAT.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, params, 0

include 'ktest.inc'
test_name db 'a_echo', 0

start:
    ; The tag: the first word of the parameters.
    mov esi, params
    mov edi, tag
    mov ecx, 63
.copy:
    lodsb
    cmp al, ' '
    jbe .tag_done
    stosb
    loop .copy
.tag_done:
    mov byte [edi], 0
    ; The run time: the digits after the first space, if any.
    xor ebx, ebx
    mov esi, params
.find_space:
    lodsb
    test al, al
    jz .parsed
    cmp al, ' '
    jne .find_space
.digit:
    lodsb
    sub al, '0'
    cmp al, 9
    ja .parsed
    movzx eax, al
    imul ebx, ebx, 10
    add ebx, eax
    jmp .digit
.parsed:
    mov [run_time], ebx
    print 'ECHO start '
    call print_tag_and_time
    mov ebx, [run_time]
    test ebx, ebx
    jz .exit
    mov eax, 5
    int 0x40
    print 'ECHO end '
    call print_tag_and_time
.exit:
    mov eax, -1
    int 0x40

print_tag_and_time:
    mov esi, tag
    call debug_print
    print ' t='
    mov eax, 26
    mov ebx, 9
    int 0x40
    call debug_decimal
    print 10
    ret

image_end:
align 4
run_time dd 0
params rb 256
tag rb 64
align 16
    rb 2048
stack_top:
memory_end:
