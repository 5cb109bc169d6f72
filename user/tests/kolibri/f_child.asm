; f_child: started by f_files and f_enc through 70.7. Its parameter string
; is a file path; it writes its own path (the MENUET01 path buffer) into
; that file with 70.2, giving the path as "byte 0 + pointer", and ends.
; Without parameters it just ends.
; A parameter string of 256 bytes or more is not in the header's buffer:
; KolibriOS (fs_execute, common_app_entry in core/taskman.inc) puts it at
; the end of the memory, rounded up to a page, and points +0x1C at it.
; Then the string is "<file path> <more>", and f_child writes into that
; file two dwords: the string's length, and 1 when its terminator is the
; last byte of a page past memory_end (else 0).
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, params, path

start:
    mov esi, [0x1C]
    cmp esi, params
    jne .long
    cmp byte [params], 0
    je .exit
    xor ecx, ecx
.length:
    cmp byte [path + ecx], 0
    je .have_length
    inc ecx
    cmp ecx, 255
    jb .length
.have_length:
    mov [report.size], ecx
    mov eax, 70
    mov ebx, report
    int 0x40
.exit:
    mov eax, -1
    int 0x40

.long:
    xor ecx, ecx
.long_length:
    cmp byte [esi + ecx], 0
    je .long_have
    inc ecx
    jmp .long_length
.long_have:
    mov [long_result], ecx
    lea eax, [esi + ecx + 1]
    test eax, 0xFFF
    jnz .long_flag
    cmp esi, memory_end
    jb .long_flag
    mov [long_result + 4], 1
.long_flag:
    mov [long_report.name], esi
.long_space:
    cmp byte [esi], ' '
    je .long_cut
    cmp byte [esi], 0
    je .long_write
    inc esi
    jmp .long_space
.long_cut:
    mov byte [esi], 0
.long_write:
    mov eax, 70
    mov ebx, long_report
    int 0x40
    jmp .exit

align 4
report:
    dd 2, 0, 0
.size dd 0
    dd path
    db 0
    dd params

align 4
long_report:
    dd 2, 0, 0, 8, long_result
    db 0
.name dd 0
align 4
long_result dd 0, 0

align 4
image_end:
params rb 256
path rb 256
    rb 2048
stack_top:
memory_end:
