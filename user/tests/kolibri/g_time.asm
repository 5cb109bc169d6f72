; g_time: the clock functions. 29 (date) and 3 (time) answer BCD values in
; range with a zero top byte; 26.9 (hundredths since boot) never goes
; back and a delay (5) of 10 moves it on by at least 10, a delay of 0
; returns at once; 26.10 (nanoseconds since boot, EDX:EAX) never goes
; back, moves on by at least 90 ms over that delay and agrees with 26.9.
; An INFO line gives the date and time for the VM test to compare with
; the host's clock. Unknown subfunctions of 26 do not stop the program.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_time', 0

; bcd_check: EDX = value, ECX = digits -> EAX = how many of the low
; `digits` nibbles are not decimal digits, plus 1 if the rest is not 0.
bcd_check:
    xor eax, eax
.nibble:
    mov ebx, edx
    and ebx, 0x0F
    cmp ebx, 9
    jbe @f
    inc eax
@@:
    shr edx, 4
    dec ecx
    jnz .nibble
    test edx, edx
    jz @f
    inc eax
@@:
    ret

start:
    ; Date: 0x00DDMMYY.
    mov eax, 29
    int 0x40
    mov [date], eax
    mov edx, eax
    mov ecx, 6
    call bcd_check
    test eax, eax
    mov eax, [date]
    check z, 'g_time/date_bcd', 'function 29 is not 0x00DDMMYY in BCD (eax)'
    movzx eax, byte [date + 2]      ; DD
    cmp eax, 0x01
    check ae, 'g_time/day_min', 'the day is 0 (eax)'
    cmp eax, 0x31
    check be, 'g_time/day_max', 'the day is above 31 (eax)'
    movzx eax, byte [date + 1]      ; MM
    cmp eax, 0x01
    check ae, 'g_time/month_min', 'the month is 0 (eax)'
    cmp eax, 0x12
    check be, 'g_time/month_max', 'the month is above 12 (eax)'

    ; Time: 0x00SSMMHH.
    mov eax, 3
    int 0x40
    mov [time], eax
    mov edx, eax
    mov ecx, 6
    call bcd_check
    test eax, eax
    mov eax, [time]
    check z, 'g_time/time_bcd', 'function 3 is not 0x00SSMMHH in BCD (eax)'
    movzx eax, byte [time]
    cmp eax, 0x23
    check be, 'g_time/hour', 'the hour is above 23 (eax)'
    movzx eax, byte [time + 1]
    cmp eax, 0x59
    check be, 'g_time/minute', 'the minute is above 59 (eax)'
    movzx eax, byte [time + 2]
    cmp eax, 0x59
    check be, 'g_time/second', 'the second is above 59 (eax)'
    print 'INFO g_time: date '
    mov eax, [date]
    call debug_hex
    print ' time '
    mov eax, [time]
    call debug_hex
    print 10

    ; 26.9 and 26.10 across a delay of 10.
    mov eax, 26
    mov ebx, 9
    int 0x40
    mov [ticks0], eax
    mov eax, 26
    mov ebx, 10
    int 0x40
    mov dword [ns0], eax
    mov dword [ns0 + 4], edx
    mov eax, 5
    mov ebx, 10
    int 0x40
    mov eax, 26
    mov ebx, 10
    int 0x40
    mov dword [ns1], eax
    mov dword [ns1 + 4], edx
    mov eax, 26
    mov ebx, 9
    int 0x40
    sub eax, [ticks0]
    mov [tick_delta], eax
    cmp eax, 10
    check ae, 'g_time/delay_ticks', 'a delay of 10 moved 26.9 on by less than 10 (eax = hundredths)'
    mov eax, dword [ns1]
    mov edx, dword [ns1 + 4]
    sub eax, dword [ns0]
    sbb edx, dword [ns0 + 4]
    mov dword [ns_delta], eax
    mov dword [ns_delta + 4], edx
    test edx, edx
    mov eax, edx
    check z, 'g_time/ns_forward', '26.10 went back or jumped by more than 4 s over a 0.1 s delay (eax = high dword of the step)'
    mov eax, dword [ns_delta]
    cmp eax, 90000000
    check ae, 'g_time/ns_delay', '26.10 moved on by less than 90 ms over a delay of 10 (eax = nanoseconds)'
    ; Agreement: the nanosecond step is within 30 ms of 26.9's step.
    mov eax, [tick_delta]
    imul eax, 10000000
    sub eax, dword [ns_delta]
    jns @f
    neg eax
@@:
    cmp eax, 30000000
    check be, 'g_time/ns_agrees', '26.10 and 26.9 disagree by more than 30 ms (eax = difference in ns)'
    ; Boot was a while ago: not 0.
    mov eax, dword [ns0]
    or eax, dword [ns0 + 4]
    test eax, eax
    check nz, 'g_time/ns_since_boot', '26.10 answered 0'

    ; 5 with 0: no wait.
    mov eax, 26
    mov ebx, 9
    int 0x40
    mov esi, eax
    mov eax, 5
    xor ebx, ebx
    int 0x40
    mov eax, 26
    mov ebx, 9
    int 0x40
    sub eax, esi
    cmp eax, 5
    check b, 'g_time/delay_zero', 'a delay of 0 waited (eax = hundredths)'

    ; 26.9 never goes back over many reads.
    mov ecx, 1000
    mov eax, 26
    mov ebx, 9
    int 0x40
    mov esi, eax
    xor edi, edi
.monotonic:
    push ecx
    mov eax, 26
    mov ebx, 9
    int 0x40
    pop ecx
    cmp eax, esi
    jae @f
    inc edi
@@:
    mov esi, eax
    loop .monotonic
    mov eax, edi
    test eax, eax
    check z, 'g_time/ticks_monotonic', '26.9 went back (eax = times)'

    mov eax, 26
    mov ebx, 0xFFFF
    int 0x40
    mov eax, 26
    mov ebx, -1
    int 0x40
    survived 'g_time/bad_subfunction'
    call finish

image_end:
align 4
date dd ?
time dd ?
ticks0 dd ?
tick_delta dd ?
ns0 dq ?
ns1 dq ?
ns_delta dq ?
align 16
    rb 4096
stack_top:
memory_end:
