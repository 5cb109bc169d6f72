; k_sysinfo: function 26.9 (ticks since boot, hundredths of a second),
; 5 (delay), 3 (time of day in BCD), the register conventions of int 0x40,
; and an unimplemented function answered with -1 instead of a crash.
; The function number is AL alone (i40 in KolibriOS core/syscall.inc):
; EAX = 0x7E5A001A is function 26, and 0x1FA is 250.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_sysinfo', 0

start:
    ; 26.9 keeps every register but EAX.
    mov ebx, 9
    mov ecx, 0x11111111
    mov edx, 0x22222222
    mov esi, 0x33333333
    mov edi, 0x44444444
    mov ebp, 0x55555555
    mov eax, 26
    int 0x40
    mov [ticks_before], eax
    xor eax, eax
    cmp ebx, 9
    setne al
    cmp ecx, 0x11111111
    setne ah
    or al, ah
    cmp edx, 0x22222222
    setne ah
    or al, ah
    cmp esi, 0x33333333
    setne ah
    or al, ah
    cmp edi, 0x44444444
    setne ah
    or al, ah
    cmp ebp, 0x55555555
    setne ah
    or al, ah
    movzx eax, al
    test eax, eax
    check z, 'k_sysinfo/registers_preserved', 'int 0x40 changed a register other than EAX'

    ; 5: a delay of 20 hundredths moves the tick count on by at least 20.
    mov eax, 5
    mov ebx, 20
    int 0x40
    mov eax, 26
    mov ebx, 9
    int 0x40
    sub eax, [ticks_before]
    cmp eax, 20
    check ae, 'k_sysinfo/delay_and_ticks', 'fewer than 20 ticks passed during a delay of 20 (eax = ticks)'

    ; 3: 0x00SSMMHH in BCD: every nibble a decimal digit, HH < 24,
    ; MM and SS < 60, the top byte zero.
    mov eax, 3
    int 0x40
    mov [time], eax
    mov edx, eax
    xor eax, eax
    test edx, 0xFF000000
    setnz al
    mov ecx, 6
.nibble:
    mov ebx, edx
    and ebx, 0x0F
    cmp ebx, 9
    jbe .digit_ok
    mov al, 1
.digit_ok:
    shr edx, 4
    dec ecx
    jnz .nibble
    cmp byte [time], 0x24
    jb .hour_ok
    mov al, 1
.hour_ok:
    cmp byte [time + 1], 0x60
    jb .minute_ok
    mov al, 1
.minute_ok:
    cmp byte [time + 2], 0x60
    jb .second_ok
    mov al, 1
.second_ok:
    movzx eax, al
    test eax, eax
    mov eax, [time]
    check z, 'k_sysinfo/time_bcd', 'function 3 did not return 0x00SSMMHH in BCD'

    ; A function Colibri does not have answers -1 (and is logged once).
    mov eax, 250
    int 0x40
    cmp eax, -1
    check e, 'k_sysinfo/unimplemented_returns_-1', 'function 250 did not return -1'
    mov eax, 250
    int 0x40
    cmp eax, -1
    check e, 'k_sysinfo/unimplemented_again', 'function 250 did not return -1 the second time'

    ; Only AL selects the function.
    mov eax, 26
    mov ebx, 9
    int 0x40
    mov [ticks_before], eax
    mov eax, 0x7E5A001A
    mov ebx, 9
    int 0x40
    sub eax, [ticks_before]
    cmp eax, 100
    check b, 'k_sysinfo/al_only', 'EAX = 0x7E5A001A was not function 26.9 (eax = its answer minus 26.9s)'
    mov eax, 0x1FA
    int 0x40
    cmp eax, -1
    check e, 'k_sysinfo/al_only_unknown', 'EAX = 0x1FA (function 250) did not return -1'

    call finish

image_end:
align 4
ticks_before dd ?
time dd ?
align 16
    rb 4096
stack_top:
memory_end:
