; k_heap: the application heap, functions 68.11 (initialise), 68.12
; (allocate), 68.13 (free), 68.20 (reallocate; size 0 keeps the block),
; 68.15 (removed: 0), 68.7 (undefined: -1) and 64.1 (resize the
; application memory), with the results the KolibriOS reference documents.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_heap', 0

start:
    ; 68.11 returns the heap size (non-zero).
    mov eax, 68
    mov ebx, 11
    int 0x40
    test eax, eax
    check nz, 'k_heap/init', '68.11 returned 0'

    ; Function 9's +26 (PROC.mem_used - 1) before the first block.
    mov eax, 9
    mov ebx, thread_info
    mov ecx, -1
    int 0x40
    mov eax, dword [thread_info + 26]
    mov [used_before], eax

    ; 68.12: a block of 10000 bytes, readable and writable, reads zero.
    mov eax, 68
    mov ebx, 12
    mov ecx, 10000
    int 0x40
    mov [block_a], eax
    test eax, eax
    check nz, 'k_heap/alloc', '68.12 returned 0'

    ; user_alloc adds the block's whole pages (12 KiB) to mem_used.
    mov eax, 9
    mov ebx, thread_info
    mov ecx, -1
    int 0x40
    mov eax, dword [thread_info + 26]
    sub eax, [used_before]
    cmp eax, 3 * 4096
    check e, 'k_heap/mem_used', 'function 9 +26 did not grow by the 12 KiB block (eax = growth)'
    mov edi, [block_a]
    mov ecx, 10000 / 4
    xor eax, eax
    mov esi, edi
.zero:
    or eax, [esi]
    add esi, 4
    dec ecx
    jnz .zero
    test eax, eax
    check z, 'k_heap/alloc_zeroed', 'a fresh block does not read zero'
    ; Fill it with a pattern: dword i = i * 3 + 1.
    mov edi, [block_a]
    xor ecx, ecx
.fill:
    lea eax, [ecx * 2 + ecx + 1]
    mov [edi + ecx * 4], eax
    inc ecx
    cmp ecx, 10000 / 4
    jb .fill

    ; A second block does not overlap the first.
    mov eax, 68
    mov ebx, 12
    mov ecx, 5000
    int 0x40
    mov [block_b], eax
    mov edx, [block_a]
    add edx, 10000
    cmp eax, edx
    jae .disjoint
    mov edx, eax
    add edx, 5000
    cmp edx, [block_a]
    jbe .disjoint
    xor eax, eax
.disjoint:
    test eax, eax
    check nz, 'k_heap/second_block', 'the second block is 0 or overlaps the first'

    ; 68.20: grow block A to 100000 bytes; the contents move with it.
    mov eax, 68
    mov ebx, 20
    mov ecx, 100000
    mov edx, [block_a]
    int 0x40
    mov [block_a], eax
    test eax, eax
    check nz, 'k_heap/realloc_grow', '68.20 returned 0'
    mov edi, [block_a]
    xor ecx, ecx
    xor edx, edx
.verify:
    lea eax, [ecx * 2 + ecx + 1]
    cmp [edi + ecx * 4], eax
    je .same
    inc edx
.same:
    inc ecx
    cmp ecx, 10000 / 4
    jb .verify
    mov eax, edx
    test eax, eax
    check z, 'k_heap/realloc_keeps_data', 'dwords differ after 68.20 (eax = count)'
    ; The grown tail is usable.
    mov edi, [block_a]
    mov dword [edi + 100000 - 4], 0x600DF00D
    cmp dword [edi + 100000 - 4], 0x600DF00D
    check e, 'k_heap/realloc_tail', 'the end of the grown block does not hold a value'

    ; 68.13 frees. Freeing the same block again answers 1 as well:
    ; user_free (KolibriOS core/heap.inc) answers 0 only for a null
    ; pointer, its .cantfree path (no used block) answers 1.
    mov eax, 68
    mov ebx, 13
    mov ecx, [block_b]
    int 0x40
    cmp eax, 1
    check e, 'k_heap/free', '68.13 did not return 1'
    mov eax, 68
    mov ebx, 13
    mov ecx, [block_b]
    int 0x40
    cmp eax, 1
    check e, 'k_heap/double_free', 'freeing a block twice did not answer 1 as user_free does'
    ; The freed block is no used block any more: 68.20 on it answers 0
    ; (user_realloc's "invalid pointer" path).
    mov eax, 68
    mov ebx, 20
    mov ecx, 4096
    mov edx, [block_b]
    int 0x40
    test eax, eax
    check z, 'k_heap/realloc_freed', '68.20 of a freed block did not answer 0'

    ; 68.20 with EDX = 0 allocates; with ECX = 0 frees.
    mov eax, 68
    mov ebx, 20
    mov ecx, 4096
    xor edx, edx
    int 0x40
    mov [block_b], eax
    test eax, eax
    check nz, 'k_heap/realloc_null_allocates', '68.20 with EDX = 0 returned 0'
    ; With ECX = 0 user_realloc (KolibriOS core/heap.inc) keeps only the
    ; header page, so it releases the whole block ("all freed") and
    ; answers 0.
    mov eax, 68
    mov ebx, 20
    xor ecx, ecx
    mov edx, [block_b]
    int 0x40
    test eax, eax
    check z, 'k_heap/realloc_zero_frees', '68.20 with ECX = 0 did not answer 0'
    mov eax, 68
    mov ebx, 20
    mov ecx, 4096
    mov edx, [block_b]
    int 0x40
    test eax, eax
    check z, 'k_heap/realloc_zero_freed', 'the block 68.20 with ECX = 0 freed is still a block (eax)'
    ; 68.15 was moved to 68.24; f68.fail answers 0.
    mov eax, 68
    mov ebx, 15
    int 0x40
    test eax, eax
    check z, 'k_heap/removed_15', '68.15 did not answer 0 (eax)'
    ; 68.5-68.10 and above 31: undefined_syscall, -1.
    mov eax, 68
    mov ebx, 7
    int 0x40
    cmp eax, -1
    check e, 'k_heap/undefined_7', '68.7 did not answer -1 (eax)'

    ; Many blocks: 200 allocations of 3000 bytes, all distinct, all freed.
    xor ebx, ebx
    mov [count], ebx
.many:
    mov eax, 68
    mov ebx, 12
    mov ecx, 3000
    int 0x40
    test eax, eax
    jz .many_done
    mov ecx, [count]
    mov [blocks + ecx * 4], eax
    mov byte [eax + 2999], cl
    inc ecx
    mov [count], ecx
    cmp ecx, 200
    jb .many
.many_done:
    mov eax, [count]
    cmp eax, 200
    check e, 'k_heap/many_blocks', 'fewer than 200 blocks (eax = count)'
    xor ecx, ecx
    xor edx, edx
.free_many:
    cmp ecx, [count]
    jae .freed
    push ecx
    push edx
    mov eax, 68
    mov ebx, 13
    mov ecx, [blocks + ecx * 4]
    int 0x40
    pop edx
    pop ecx
    add edx, eax
    inc ecx
    jmp .free_many
.freed:
    mov eax, edx
    cmp eax, [count]
    check e, 'k_heap/free_many', 'not every block was freed (eax = freed)'

    ; 64.1: grow the application memory by 64 KiB, use it, shrink back.
    mov eax, 64
    mov ebx, 1
    mov ecx, memory_end + 65536
    int 0x40
    test eax, eax
    check z, 'k_heap/resize_grow', '64.1 did not return 0'
    mov dword [memory_end + 65536 - 4], 0x12345678
    cmp dword [memory_end + 65536 - 4], 0x12345678
    check e, 'k_heap/resize_use', 'the grown memory does not hold a value'
    mov eax, 64
    mov ebx, 1
    mov ecx, memory_end
    int 0x40
    test eax, eax
    check z, 'k_heap/resize_shrink', '64.1 shrink did not return 0'
    ; An absurd size fails with 1 and leaves the program running.
    mov eax, 64
    mov ebx, 1
    mov ecx, 0xF0000000
    int 0x40
    cmp eax, 1
    check e, 'k_heap/resize_absurd', '64.1 with 3.75 GiB did not return 1'

    call finish

image_end:
align 4
block_a dd ?
used_before dd ?
thread_info rb 1024
block_b dd ?
count dd ?
blocks rd 200
align 16
    rb 4096
stack_top:
align 4096
memory_end:
