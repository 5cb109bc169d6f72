; g_power: function 18.9 (system shutdown). A parameter that is not 2, 3
; or 4 does nothing (the program goes on); then 18.9 with ECX = 2 turns
; the computer off: the VM test sees QEMU end. If the call returns, the
; program says so with a FAIL line.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'g_power', 0

start:
    mov eax, 18
    mov ebx, 9
    mov ecx, 77
    int 0x40
    mov eax, 18
    mov ebx, 9
    mov ecx, 0
    int 0x40
    mov eax, 18
    mov ebx, 9
    mov ecx, -1
    int 0x40
    xor eax, eax
    test eax, eax
    check z, 'g_power/bad_parameter', 'unreachable'
    print 'INFO g_power: turning the computer off', 10
    mov eax, 18
    mov ebx, 9
    mov ecx, 2
    int 0x40
    ; Still here: let the shutdown happen, then give up.
    mov eax, 5
    mov ebx, 300
    int 0x40
    xor eax, eax
    inc eax
    test eax, eax
    check z, 'g_power/off', '18.9 with ECX = 2 returned and the computer is still on'
    call finish

image_end:
align 16
    rb 4096
stack_top:
memory_end:
