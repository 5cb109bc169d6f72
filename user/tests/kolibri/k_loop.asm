; k_loop: writes and reads a 64 KiB file with function 70 for ever (70.2
; once, then 70.3 and 70.0 in turn). The kill_during_kolibri_file_io VM
; test kills it in the middle of those calls and checks that the kernel
; keeps nothing of them.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

CHUNK = 65536

start:
    mov eax, 70
    mov ebx, create_file
    int 0x40
.again:
    mov eax, 70
    mov ebx, write_file
    int 0x40
    mov eax, 70
    mov ebx, read_file
    int 0x40
    jmp .again

; Function 70 information structures: subfunction, offset (64 bits), size,
; data, then the path inline.
align 4
create_file dd 2, 0, 0, CHUNK, buffer
    db '/tmp0/1/kloop.tmp', 0
align 4
write_file dd 3, 0, 0, CHUNK, buffer
    db '/tmp0/1/kloop.tmp', 0
align 4
read_file dd 0, 0, 0, CHUNK, buffer
    db '/tmp0/1/kloop.tmp', 0

image_end:
align 16
buffer rb CHUNK
    rb 4096
stack_top:
memory_end:
