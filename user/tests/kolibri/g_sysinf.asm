; g_sysinf: the information subfunctions of function 18. 18.5 (CPU clock)
; is at least 10 MHz; 18.4 (idle units per second) answers; 18.16 (free
; RAM, KiB) is positive and at most 18.17 (all RAM, KiB), which is what a
; VM of 64 MiB to 4 GiB has; 18.20 fills its 36 bytes consistently with
; 18.16/17 (pages); 18.13 (kernel version) writes its buffer; 18.14 (wait
; for retrace) answers 0; 18.7 (active window) is our slot once our
; window is up; 18.21 maps our identifier to our slot and an unknown one
; to 0; 18.8.1 answers 0 or 1 and toggling twice gives it back. An INFO
; line gives the clock and memory for the VM test. Kernel and null
; buffers and unknown subfunctions do not stop the program.
; As sys_system (KolibriOS kernel.asm) does it: 18.13 copies the 16-byte
; kernel_version (release 0.7.7.0, ABI major 0x28 at +6); an unknown
; subfunction (0, 99, 26, -1) returns with EAX unchanged (18), 18.12
; (removed) answers -1, and 18.8 or 18.11 with a bad ECX leave EAX.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_sysinf', 0

macro sys18 subfunction, c, d
{
    mov eax, 18
    mov ebx, subfunction
if ~ c eq
    mov ecx, c
end if
if ~ d eq
    mov edx, d
end if
    int 0x40
}

start:
    call screen_init
    window 100, 100, 199, 99, 0x03C0C0C0, 0, 0

    sys18 5
    mov [clock], eax
    cmp eax, 10000000
    check ae, 'g_sysinf/cpu_clock', '18.5 answered a CPU clock under 10 MHz (eax = Hz)'
    sys18 4
    survived 'g_sysinf/idle'

    sys18 17
    mov [total_kb], eax
    cmp eax, 60 * 1024
    check ae, 'g_sysinf/total_ram', '18.17 answered under 60 MiB for a VM of 64 MiB or more (eax = KiB)'
    cmp eax, 4 * 1024 * 1024
    check be, 'g_sysinf/total_ram_sane', '18.17 answered over 4 GiB (eax = KiB)'
    sys18 16
    mov [free_kb], eax
    test eax, eax
    check nz, 'g_sysinf/free_ram', '18.16 answered no free memory'
    cmp eax, [total_kb]
    check be, 'g_sysinf/free_le_total', '18.16 (free) is more than 18.17 (all) (eax = free KiB)'

    mov edi, ram_info
    mov ecx, 16
    mov eax, 0xA5A5A5A5
    rep stosd
    ; sysfn_meminfo (KolibriOS core/memory.inc): EAX = the total in bytes,
    ; the buffer's first dword (pages) shifted by 12.
    sys18 20, ram_info
    mov ebx, dword [ram_info]
    mov [total_pages], ebx
    shl ebx, 12
    cmp eax, ebx
    check e, 'g_sysinf/ram_info_eax', '18.20: EAX is not the total in bytes (first dword * 4096) (eax)'
    mov eax, [total_kb]
    shr eax, 2
    sub eax, [total_pages]
    add eax, 16
    cmp eax, 32
    mov eax, [total_pages]
    check b, 'g_sysinf/ram_info_total', '18.20: the total in pages is not 18.17 / 4 (eax = pages)'
    mov eax, dword [ram_info + 4]
    cmp eax, [total_pages]
    check be, 'g_sysinf/ram_info_free', '18.20: free pages are more than all pages (eax)'
    cmp dword [ram_info + 28], 0xA5A5A5A5
    check e, 'g_sysinf/ram_info_size', '18.20 wrote past 28 bytes (sysfn_meminfo stores +0 to +24)'

    print 'INFO g_sysinf: clock '
    mov eax, [clock]
    call debug_decimal
    print ' total_kb '
    mov eax, [total_kb]
    call debug_decimal
    print ' free_kb '
    mov eax, [free_kb]
    call debug_decimal
    print 10

    mov edi, version
    mov ecx, 8
    mov eax, 0xA5A5A5A5
    rep stosd
    sys18 13, version
    mov eax, dword [version]
    cmp eax, 0xA5A5A5A5
    check ne, 'g_sysinf/kernel_version', '18.13 did not write the version buffer'
    mov eax, dword [version]
    cmp eax, 0x00070700
    check e, 'g_sysinf/kernel_release', '18.13: the release bytes are not 0, 7, 7, 0 (eax)'
    movzx eax, word [version + 6]
    cmp eax, 0x28
    check e, 'g_sysinf/kernel_abi', '18.13: the ABI major word at +6 is not 0x28 (eax)'
    mov eax, dword [version + 16]
    cmp eax, 0xA5A5A5A5
    check e, 'g_sysinf/kernel_version_size', '18.13 wrote past the 16 bytes of kernel_version (eax)'
    sys18 14
    test eax, eax
    check z, 'g_sysinf/retrace', '18.14 did not answer 0 (eax)'

    ; Slots: ours is active.
    call own_slot
    mov [slot], eax
    sys18 7
    cmp eax, [slot]
    check e, 'g_sysinf/active_window', '18.7 is not our slot while our window is the only one (eax)'
    sys18 21, 0x7FFFFFF0
    test eax, eax
    check z, 'g_sysinf/slot_of_unknown', '18.21 of an identifier nobody has did not answer 0 (eax)'

    ; Speaker state: 0 or 1; toggled twice, the same.
    sys18 8, 1
    mov [speaker], eax
    cmp eax, 1
    check be, 'g_sysinf/speaker_state', '18.8.1 answered neither 0 nor 1 (eax)'
    sys18 8, 2
    sys18 8, 1
    mov ecx, [speaker]
    xor ecx, 1
    cmp eax, ecx
    check e, 'g_sysinf/speaker_toggle', '18.8.2 did not toggle 18.8.1 (eax)'
    sys18 8, 2
    sys18 8, 1
    cmp eax, [speaker]
    check e, 'g_sysinf/speaker_back', 'toggling twice did not give the first state back (eax)'

    ; Out of range.
    sys18 20, 0
    sys18 20, 0xC0000000
    sys18 13, 0
    sys18 13, 0xC0000000
    survived 'g_sysinf/bad_buffer'
    sys18 9, 77                 ; shutdown with a wrong parameter: nothing
    survived 'g_sysinf/shutdown_bad_parameter'
    sys18 0
    cmp eax, 18
    check e, 'g_sysinf/unknown_0', '18.0 did not leave EAX at 18 (eax)'
    sys18 99
    cmp eax, 18
    check e, 'g_sysinf/unknown_99', '18.99 did not leave EAX at 18 (eax)'
    sys18 26
    cmp eax, 18
    check e, 'g_sysinf/unknown_26', '18.26 did not leave EAX at 18 (eax)'
    sys18 -1
    cmp eax, 18
    check e, 'g_sysinf/unknown_minus_1', '18.-1 did not leave EAX at 18 (eax)'
    sys18 12
    cmp eax, -1
    check e, 'g_sysinf/removed_12', '18.12 (removed) did not answer -1 (eax)'
    sys18 8, 3
    cmp eax, 18
    check e, 'g_sysinf/speaker_bad', '18.8 with ECX = 3 did not leave EAX at 18 (eax)'
    sys18 11, 2, version
    cmp eax, 18
    check e, 'g_sysinf/disk_info_bad', '18.11 with ECX = 2 did not leave EAX at 18 (eax)'
    survived 'g_sysinf/bad_subfunction'
    call finish

image_end:
align 4
clock dd ?
total_kb dd ?
free_kb dd ?
total_pages dd ?
slot dd ?
speaker dd ?
ram_info rd 16
version rd 8
align 16
    rb 4096
stack_top:
memory_end:
