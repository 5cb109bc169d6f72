; k_board: function 63 as sys_msg_board (KolibriOS kernel.asm) does it:
; 63.2 on an empty board answers EAX = EBX = 0; a byte written with 63.1
; comes back with EAX = the byte, EBX = 1, in order (first in, first
; out); 63.1 and an unknown subfunction leave EAX as it was.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_board', 0

; drain: 63.2 until the board is empty (at most 128 KiB).
drain:
    mov edi, 131072
.next:
    mov eax, 63
    mov ebx, 2
    int 0x40
    test ebx, ebx
    jz .done
    dec edi
    jnz .next
.done:
    ret

macro board sub, c
{
    mov eax, 0x1234003F         ; function 63 (AL), upper bytes marked
    mov ebx, sub
    mov ecx, c
    int 0x40
}

start:
    call drain
    mov eax, 0xFFFFFFFF
    mov ebx, 2
    mov al, 63
    mov ecx, 0x77777777
    int 0x40
    mov [read_eax], eax
    mov [read_ebx], ebx
    mov eax, [read_eax]
    test eax, eax
    check z, 'k_board/empty_eax', 'EAX is not 0 on an empty board'
    mov eax, [read_ebx]
    test eax, eax
    check z, 'k_board/empty_ebx', 'EBX is not 0 on an empty board (eax = ebx)'

    ; Two bytes in, two bytes out, in order; EAX of 63.1 kept.
    call drain
    board 1, 0xFFFFFF51         ; only CL counts (Q)
    mov [write_eax], eax
    board 1, 0x0A
    board 2, 0
    mov [read_eax], eax
    mov [read_ebx], ebx
    board 2, 0
    mov [read2_eax], eax
    mov [read2_ebx], ebx
    board 2, 0
    mov [read3_ebx], ebx
    mov eax, [write_eax]
    cmp eax, 0x1234003F
    check e, 'k_board/write_keeps_eax', '63.1 changed EAX'
    mov eax, [read_eax]
    cmp eax, 0x51
    check e, 'k_board/first_byte', 'the first byte read is not Q (0x51) with the upper bytes 0 (eax)'
    mov eax, [read_ebx]
    cmp eax, 1
    check e, 'k_board/first_ebx', 'EBX is not 1 after a byte was read (eax = ebx)'
    mov eax, [read2_eax]
    cmp eax, 0x0A
    check e, 'k_board/second_byte', 'the second byte read is not the newline (eax)'
    mov eax, [read3_ebx]
    test eax, eax
    check z, 'k_board/then_empty', 'the board is not empty after both bytes were read (eax = ebx)'

    ; An unknown subfunction leaves EAX (and the board).
    board 3, 'x'
    cmp eax, 0x1234003F
    check e, 'k_board/unknown_keeps_eax', '63.3 changed EAX'
    board 0, 'x'
    cmp eax, 0x1234003F
    check e, 'k_board/zero_keeps_eax', '63.0 changed EAX'

    ; A long run of output: everything written while nobody reads stays
    ; readable up to the board's size (more than 4 KiB).
    call drain
    mov esi, 6000
.fill:
    board 1, 'z'
    dec esi
    jnz .fill
    xor esi, esi
.count:
    board 2, 0
    test ebx, ebx
    jz .counted
    inc esi
    cmp esi, 70000
    jb .count
.counted:
    mov eax, esi
    cmp eax, 6000
    check e, 'k_board/6000_bytes_kept', 'not all 6000 bytes written came back (eax = count)'
    print 10
    call finish

align 4
write_eax dd 0
read_eax dd 0
read_ebx dd 0
read2_eax dd 0
read2_ebx dd 0
read3_ebx dd 0

image_end:
align 16
    rb 4096
stack_top:
memory_end:
