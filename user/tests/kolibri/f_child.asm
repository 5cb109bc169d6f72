; f_child: started by f_files and f_enc through 70.7. Its parameter string
; is a file path; it writes its own path (the MENUET01 path buffer) into
; that file with 70.2, giving the path as "byte 0 + pointer", and ends.
; Without parameters it just ends.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, params, path

start:
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

align 4
report:
    dd 2, 0, 0
.size dd 0
    dd path
    db 0
    dd params

align 4
image_end:
params rb 256
path rb 256
    rb 2048
stack_top:
memory_end:
