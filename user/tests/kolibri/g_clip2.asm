; g_clip2: function 54 (the clipboard) beyond g_clip. Writing (54.2) works
; before the heap exists, reading (54.1) needs it (68.11) and answers 1
; before; the slot is copied when written (changing the source afterwards
; does not change it); every read answers a new heap block of the program,
; and changing one does not change the slot; a slot of several pages
; comes back byte for byte; a slot written by another thread is read by
; this one (one clipboard for all); deleting (54.3) our slots gives the
; first count back, and with the clipboard empty 54.3 answers 1.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_clip2', 0

BIG = 20000

macro clip subfunction, c, d
{
    mov eax, 54
    mov ebx, subfunction
if ~ c eq
    mov ecx, c
end if
if ~ d eq
    mov edx, d
end if
    int 0x40
}

; same_bytes a, b, n -> EAX = 0 when the n bytes at a and b are equal
macro same_bytes a, b, n
{
    push ecx esi edi
    mov esi, a
    mov edi, b
    mov ecx, n
    xor eax, eax
    repe cmpsb
    setne al
    pop edi esi ecx
}

; free_block address -> EAX (68.13: 1 success)
macro free_block address
{
    mov eax, 68
    mov ebx, 13
    mov ecx, address
    int 0x40
}

start:
    clip 0
    mov [count], eax

    ; Before 68.11: writing works, reading does not.
    clip 2, small_size, small
    test eax, eax
    check z, 'g_clip2/write_without_heap', '54.2 before 68.11 did not answer 0 (eax)'
    ; Without a heap user_alloc gives 0 and sys_clipboard (KolibriOS
    ; core/clipboard.inc) answers that 0, after copying the slot to
    ; address 0 over the program's image (which kills this test there).
    ; Colibri answers 0 and copies nothing, on purpose.
    clip 1, [count]
    test eax, eax
    check z, 'g_clip2/read_needs_heap', '54.1 before 68.11 did not answer 0 (eax)'

    mov eax, 68
    mov ebx, 11
    int 0x40

    clip 1, [count]
    mov [copy1], eax
    cmp eax, 1
    check a, 'g_clip2/read', '54.1 after 68.11 did not answer a pointer (eax)'
    cmp [copy1], 1
    jbe .no_copy
    same_bytes [copy1], small, small_size
    test eax, eax
    check z, 'g_clip2/read_same', 'the slot read back differs from the bytes written'

    ; The slot was copied at 54.2: the source may change.
    mov byte [small + 12], 'X'
    clip 1, [count]
    mov [copy2], eax
    cmp eax, [copy1]
    check ne, 'g_clip2/new_block', 'a second read answered the same block as the first (eax)'
    mov esi, [copy2]
    movzx eax, byte [esi + 12]
    cmp eax, 's'
    check e, 'g_clip2/copied_at_write', 'changing the source after 54.2 changed the slot (eax = byte read)'
    ; A copy is the program's own: changing it does not change the slot.
    mov esi, [copy1]
    mov byte [esi + 12], 'Y'
    clip 1, [count]
    mov [copy3], eax
    mov esi, eax
    movzx eax, byte [esi + 12]
    cmp eax, 's'
    check e, 'g_clip2/copy_is_private', 'changing a copy changed the slot (eax = byte read)'
    free_block [copy1]
    mov edx, eax
    free_block [copy2]
    and edx, eax
    free_block [copy3]
    and eax, edx
    cmp eax, 1
    check e, 'g_clip2/copies_freed', '68.13 did not free every copy 54.1 answered (eax)'
.no_copy:

    ; Several pages.
    mov dword [big], BIG
    mov dword [big + 4], 0
    mov dword [big + 8], 1
    mov ecx, 12
.fill:
    mov eax, ecx
    imul eax, 7
    mov edx, ecx
    shr edx, 8
    add eax, edx
    mov [big + ecx], al
    inc ecx
    cmp ecx, BIG
    jb .fill
    clip 2, BIG, big
    test eax, eax
    check z, 'g_clip2/write_big', '54.2 of 20000 bytes did not answer 0 (eax)'
    mov ecx, [count]
    inc ecx
    clip 1, ecx
    mov [copy1], eax
    cmp eax, 1
    check a, 'g_clip2/read_big', '54.1 of the big slot did not answer a pointer (eax)'
    cmp [copy1], 1
    jbe @f
    same_bytes [copy1], big, BIG
    test eax, eax
    check z, 'g_clip2/big_same', 'the big slot read back differs from the bytes written'
    free_block [copy1]
@@:

    ; Another thread writes, this one reads.
    mov ecx, writer
    mov edx, writer_stack
    call run_thread
    cmp eax, -1
    check ne, 'g_clip2/thread', 'function 51.1 could not start the writer thread'
    mov eax, [writer_answer]
    test eax, eax
    check z, 'g_clip2/thread_write', '54.2 in the writer thread did not answer 0 (eax)'
    clip 0
    mov ecx, [count]
    add ecx, 3
    cmp eax, ecx
    check e, 'g_clip2/count_three', '54.0 is not the first count + 3 after three writes (eax)'
    mov ecx, [count]
    add ecx, 2
    clip 1, ecx
    mov [copy1], eax
    cmp eax, 1
    jbe @f
    same_bytes [copy1], other, other_size
    free_block [copy1]
    mov eax, 0
    jmp .compared
@@:
    mov eax, 1
.compared:
    test eax, eax
    check z, 'g_clip2/thread_slot', 'the slot the writer thread wrote is not readable here, or differs'

    ; Our three slots go; the count is the first one again.
    clip 3
    mov edx, eax
    clip 3
    or edx, eax
    clip 3
    or eax, edx
    test eax, eax
    check z, 'g_clip2/delete', '54.3 did not answer 0 for each of our slots (eax)'
    clip 0
    cmp eax, [count]
    check e, 'g_clip2/count_back', 'after deleting our slots the count is not the first one (eax)'
    cmp [count], 0
    jne @f
    clip 3
    cmp eax, 1
    check e, 'g_clip2/delete_empty', '54.3 on an empty clipboard did not answer 1 (eax)'
@@:
    call finish

writer:
    clip 2, other_size, other
    mov [writer_answer], eax
    jmp thread_exit

align 4
small:
    dd small_size, 0, 1
    db 'small text', 0
small_size = $ - small
other:
    dd other_size, 0, 1
    db 'from the other thread', 0
other_size = $ - other
writer_answer dd -1

image_end:
align 4
count dd ?
copy1 dd ?
copy2 dd ?
copy3 dd ?
big rb BIG
align 16
    rb 4096
writer_stack:
    rb 4096
stack_top:
memory_end:
