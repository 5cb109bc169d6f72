; k_header: the loader honours the MENUET01 header. Run it as
;     run /sys/k_header alpha beta
; ESP starts at the declared stack top, the parameter buffer holds
; "alpha beta", the path buffer the program's path, and memory past the
; image is zero.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, params, path

include 'ktest.inc'
test_name db 'k_header', 0

start:
    mov eax, esp
    cmp eax, stack_top
    check e, 'k_header/stack_top', 'ESP at entry is not the declared stack top'

    mov esi, params
    mov edi, expected_params
    mov ecx, expected_params_length
    repe cmpsb
    setne al
    movzx eax, al
    test eax, eax
    check z, 'k_header/params', 'the parameter buffer is not "alpha beta"'

    ; The path: starts with '/', ends (case-insensitively) in "k_header".
    movzx eax, byte [path]
    cmp eax, '/'
    check e, 'k_header/path_absolute', 'the path buffer does not start with /'
    mov edi, path
    xor ecx, ecx
.length:
    cmp byte [edi + ecx], 0
    je .have_length
    inc ecx
    cmp ecx, 256
    jb .length
.have_length:
    mov eax, ecx
    cmp eax, program_name_length
    jb .path_bad
    lea esi, [path + ecx - program_name_length]
    xor edx, edx
.compare:
    mov al, [esi + edx]
    cmp al, 'A'
    jb .lowered
    cmp al, 'Z'
    ja .lowered
    add al, 'a' - 'A'
.lowered:
    cmp al, [program_name + edx]
    jne .path_bad
    inc edx
    cmp edx, program_name_length
    jne .compare
    xor eax, eax
    jmp .path_checked
.path_bad:
    mov eax, 1
.path_checked:
    test eax, eax
    check z, 'k_header/path_name', 'the path buffer does not end in k_header'

    ; Memory past the image (the zero-fill area) reads zero.
    mov esi, zero_area
    mov ecx, zero_area_size / 4
    xor eax, eax
.scan:
    or eax, [esi]
    add esi, 4
    dec ecx
    jnz .scan
    test eax, eax
    check z, 'k_header/zero_fill', 'memory past the image end is not zero'

    call finish

expected_params db 'alpha beta', 0
expected_params_length = $ - expected_params
program_name db 'k_header'
program_name_length = $ - program_name

image_end:
align 4
params rb 256
path rb 256
zero_area rb 8192
zero_area_size = $ - zero_area
align 16
    rb 4096
stack_top:
memory_end:
