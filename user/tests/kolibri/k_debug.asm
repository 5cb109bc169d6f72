; k_debug: function 63.1 writes to the debug board and 63.2 reads it back.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_debug', 0

start:
    ; Drain what is on the board (63.2: EBX = 0 when empty), at most 64 KiB.
    mov edi, 65536
.drain:
    mov eax, 63
    mov ebx, 2
    int 0x40
    test ebx, ebx
    jz .drained
    dec edi
    jnz .drain
.drained:
    mov esi, marker
    call debug_print

    ; Read the marker back.
    mov esi, marker
    xor edx, edx                ; characters that matched
.read_back:
    mov eax, 63
    mov ebx, 2
    int 0x40
    test ebx, ebx
    jz .read_done
    cmp al, [esi + edx]
    jne .read_done
    inc edx
    cmp edx, marker_length
    jne .read_back
.read_done:
    mov eax, edx
    cmp eax, marker_length
    check e, 'k_debug/read_back', 'function 63.2 did not return the line just written (eax = characters matched)'
    call finish

marker db 'k_debug: the quick brown fox jumps over the lazy dog 0123456789', 10
marker_length = $ - marker
    db 0

image_end:
align 16
    rb 4096
stack_top:
memory_end:
