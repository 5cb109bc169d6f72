; k_keys: function 66 as sys_process_def (KolibriOS hid/keyboard.inc)
; keeps its values: 66.1 stores CL whatever it is (66.2 and function 9
; at +75 give it back; any mode but 0 is scancodes), 66.4 stores the
; whole EDX and 66.5 deletes only with that same EDX; 66.0 and 66.8
; answer -1.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_keys', 0

macro f66 b, c, d
{
    mov eax, 66
    mov ebx, b
    mov ecx, c
    mov edx, d
    int 0x40
}

macro answer name, value
{
    cmp eax, value
    check e, name, 'wrong answer (eax)'
}

start:
    f66 1, 2, 0
    f66 2, 0, 0
    answer 'k_keys/mode_2_kept', 2
    mov eax, 9
    mov ebx, info
    mov ecx, -1
    int 0x40
    movzx eax, byte [info + 75]
    answer 'k_keys/mode_in_function_9', 2
    f66 1, 0x101, 0             ; CL only: 1
    f66 2, 0, 0
    answer 'k_keys/mode_cl_only', 1
    f66 1, 0, 0
    f66 2, 0, 0
    answer 'k_keys/mode_ascii', 0

    ; A hotkey with bits above the rule in EDX.
    f66 4, 0x3B, 0x12340001     ; F1 with a Shift rule, upper bits set
    answer 'k_keys/hotkey_set', 0
    f66 5, 0x3B, 0x00000001
    answer 'k_keys/delete_other_edx', 1
    f66 5, 0x3B, 0x12340001
    answer 'k_keys/delete_same_edx', 0

    f66 0, 0, 0
    answer 'k_keys/f66_0', -1
    f66 8, 0, 0
    answer 'k_keys/f66_8', -1
    call finish

info rb 1024

image_end:
align 16
    rb 4096
stack_top:
memory_end:
