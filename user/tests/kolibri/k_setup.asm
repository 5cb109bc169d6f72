; k_setup: functions 21 and 26 as sys_setup and sys_getsetup (KolibriOS
; kernel.asm) do them: keyboard layouts and country (.2), language (.5),
; the disk and PCI access switches (.11, .12; 62 obeys the latter), ticks (26.9), nanoseconds
; (26.10), -1 for an unknown subfunction, and bad table pointers.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_setup', 0

unmapped = 0x7FFF0000

; fn f, b, c, d: function f with EBX, ECX, EDX (EAX = answer).
macro fn f, b, c, d
{
    mov eax, f
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
    ; The start values: English (1) for the language and the country.
    fn 26, 5, 0, 0
    answer 'k_setup/language_start', 1
    fn 26, 2, 9, table
    answer 'k_setup/country_start', 1

    ; 21.5 takes any value; 21 answers 0.
    fn 21, 5, 4, 0
    answer 'k_setup/set_language', 0
    fn 26, 5, 0, 0
    answer 'k_setup/language_set', 4
    fn 21, 5, 0x12345678, 0
    fn 26, 5, 0, 0
    answer 'k_setup/language_dword', 0x12345678
    fn 21, 5, 1, 0

    ; 21.2 ECX = 9: the country is DX (a word).
    fn 21, 2, 9, 0xABCD0003
    answer 'k_setup/set_country', 0
    fn 26, 2, 9, table
    answer 'k_setup/country_word', 3
    ; 26.2 checks EDX before it looks at ECX: -1 even for the country.
    fn 26, 2, 9, 0x80000000
    answer 'k_setup/country_kernel_edx', -1
    fn 21, 2, 9, 1

    ; 26.2 ECX = 1/2: the US tables; EAX is left as it was.
    mov eax, 0x5A5A001A         ; function 26 (AL)
    mov ebx, 2
    mov ecx, 1
    mov edx, table
    int 0x40
    answer 'k_setup/layout_eax_kept', 0x5A5A001A
    movzx eax, byte [table + 0x1E]
    answer 'k_setup/layout_normal_a', 'a'
    movzx eax, byte [table + 0x02]
    answer 'k_setup/layout_normal_1', '1'
    fn 26, 2, 2, table
    movzx eax, byte [table + 0x1E]
    answer 'k_setup/layout_shift_a', 'A'
    movzx eax, byte [table + 0x02]
    answer 'k_setup/layout_shift_1', '!'

    ; 21.2 installs a table that 26.2 gives back.
    mov edi, mine
    mov ecx, 128
    mov al, 0x80
.fill:
    stosb
    inc al
    loop .fill
    fn 21, 2, 3, mine
    answer 'k_setup/set_alt_layout', 0
    fn 26, 2, 3, table
    mov esi, mine
    mov edi, table
    mov ecx, 128
    repe cmpsb
    mov eax, ecx
    answer 'k_setup/alt_layout_back', 0
    ; The normal table is unchanged by it.
    fn 26, 2, 1, table
    movzx eax, byte [table + 0x1E]
    answer 'k_setup/normal_untouched', 'a'

    ; Bad selectors and pointers.
    fn 21, 2, 4, mine
    answer 'k_setup/set_layout_bad_ecx', -1
    fn 26, 2, 4, table
    answer 'k_setup/get_layout_bad_ecx', -1
    fn 21, 2, 1, unmapped
    answer 'k_setup/set_layout_unmapped', -1
    fn 26, 2, 1, 0x7FFFFFA0     ; the table would end above OS_BASE
    answer 'k_setup/get_layout_crosses_os_base', -1
    fn 26, 2, 1, unmapped
    answer 'k_setup/get_layout_unmapped', -1
    fn 26, 2, 1, table          ; the unmapped attempt left the table
    movzx eax, byte [table + 0x1E]
    answer 'k_setup/normal_after_bad_pointer', 'a'

    ; 21.11 / 21.12 keep bit 0 of ECX.
    fn 26, 11, 0, 0
    answer 'k_setup/disk_access_start', 0
    fn 21, 11, 3, 0
    answer 'k_setup/set_disk_access', 0
    fn 26, 11, 0, 0
    answer 'k_setup/disk_access_bit0', 1
    fn 21, 11, 2, 0
    fn 26, 11, 0, 0
    answer 'k_setup/disk_access_off', 0
    ; PCI access starts on (the kernel turns it on before pci_enum).
    fn 26, 12, 0, 0
    answer 'k_setup/pci_access_start', 1
    fn 21, 12, 0xFE, 0
    answer 'k_setup/set_pci_access', 0
    fn 26, 12, 0, 0
    answer 'k_setup/pci_access_off', 0
    ; Function 62 obeys it.
    mov eax, 62
    mov ebx, 0
    int 0x40
    answer 'k_setup/f62_with_access_off', -1
    fn 21, 12, 0xFF, 0
    fn 26, 12, 0, 0
    answer 'k_setup/pci_access_on', 1

    ; Unknown subfunctions: -1.
    fn 21, 1, 0, 0
    answer 'k_setup/set_1', -1
    fn 21, 13, 0, 0
    answer 'k_setup/set_13', -1
    fn 21, 0xFFFFFFFF, 0, 0
    answer 'k_setup/set_minus_1', -1
    fn 26, 1, 0, 0
    answer 'k_setup/get_1', -1
    fn 26, 13, 0, 0
    answer 'k_setup/get_13', -1

    ; 26.9 ticks and 26.10 nanoseconds move on together.
    fn 26, 10, 0, 0
    mov dword [ns_before], eax
    mov dword [ns_before + 4], edx
    fn 26, 9, 0, 0
    mov [ticks_before], eax
    fn 5, 10, 0, 0
    fn 26, 9, 0, 0
    sub eax, [ticks_before]
    cmp eax, 10
    check ae, 'k_setup/ticks', 'fewer than 10 ticks in a delay of 10 (eax)'
    fn 26, 10, 0, 0
    sub eax, dword [ns_before]
    sbb edx, dword [ns_before + 4]
    jnz .ns_checked             ; more than 4 s: fine too
    cmp eax, 50000000           ; the clocks differ a little: half of it
.ns_checked:
    check ae, 'k_setup/nanoseconds', 'less than 0.05 s in nanoseconds over a delay of 0.1 s (eax)'

    call finish

align 4
ticks_before dd 0
ns_before dq 0
table rb 128
mine rb 128

image_end:
align 16
    rb 4096
stack_top:
memory_end:
