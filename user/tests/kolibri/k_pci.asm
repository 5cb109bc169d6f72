; k_pci: functions 62 (pci_api, bus/pci/pci32.inc), 57 (sys_pcibios), 49
; (sys_apm) and 24 (syscall_cdaudio) as KolibriOS answers them, on QEMU's
; PCI bus (host bridge at 00:00.0); Colibri refuses writes to the devices
; its own drivers use.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_pci', 0

macro pci b, c, d
{
    mov eax, 62
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
    pci 0, 0, 0
    answer 'k_pci/version', 0x0210
    pci 0x100, 0, 0             ; only BL counts
    answer 'k_pci/version_bl_only', 0x0210
    pci 0x12345601, 0, 0
    and eax, 0xFFFFFF00
    answer 'k_pci/last_bus_keeps_ebx', 0x12345600
    pci 0xAB000002, 0, 0
    answer 'k_pci/mechanism', 0xAB000001
    pci 3, 0, 0
    answer 'k_pci/f3', -1
    pci 7, 0, 0
    answer 'k_pci/f7', -1
    pci 11, 0, 0
    answer 'k_pci/f11', -1

    ; Reads of 00:00.0: dword, then the same bytes as byte and word with
    ; the configuration address in the rest of EAX.
    pci 6, 0x0000, 0
    mov [ids], eax
    and eax, 0xFFFF
    cmp eax, 0xFFFF
    check ne, 'k_pci/host_bridge_present', 'no device at 00:00.0 (eax = vendor)'
    pci 4, 0x0000, 0
    mov ebx, [ids]
    and ebx, 0xFF
    or ebx, 0x80000000
    cmp eax, ebx
    check e, 'k_pci/byte_read_form', 'byte read is not 0x800000xx with the vendor low byte (eax)'
    pci 5, 0x0002, 0
    mov ebx, [ids]
    shr ebx, 16
    or ebx, 0x80000000
    cmp eax, ebx
    check e, 'k_pci/word_read_form', 'word read of register 2 is not 0x8000 and the device id (eax)'
    pci 4, 0x0001, 0            ; register 1: the vendor high byte
    mov ebx, [ids]
    shr ebx, 8
    and ebx, 0xFF
    or ebx, 0x80000001
    and eax, 0xFFFFFF00
    or eax, 0
    mov ecx, ebx
    and ecx, 0xFFFFFF00
    cmp eax, ecx
    check e, 'k_pci/byte_read_address', 'the rest of EAX is not the configuration address (eax)'
    pci 0x0204, 0xF800, 0       ; bus 2, devfn 0xF8: nothing there
    answer 'k_pci/absent_byte', 0x8002F8FF

    ; Writes: refused for the host bridge and when not aligned; an empty
    ; slot can be written (nothing happens).
    pci 10, 0x0004, 0x00000007
    answer 'k_pci/write_host_bridge_refused', -1
    pci 0x0209, 0xF801, 0
    answer 'k_pci/write_unaligned_refused', -1
    pci 0x0208, 0xF83C, 0x55
    answer 'k_pci/write_empty_slot', 0

    ; 57: the PCI BIOS functions.
    mov eax, 57
    mov ebp, 1
    mov ebx, 0xFFFF0000
    int 0x40
    mov [bios_eax], eax
    mov [bios_ebx], ebx
    cmp edx, 'PCI '
    check e, 'k_pci/bios_present_edx', 'EDX is not PCI (eax)'
    mov eax, [bios_eax]
    answer 'k_pci/bios_present_eax', 1
    mov eax, [bios_ebx]
    answer 'k_pci/bios_present_version', 0xFFFF0210
    mov eax, 57
    mov ebp, 2
    mov edx, [ids]
    and edx, 0xFFFF
    mov ecx, [ids]
    shr ecx, 16
    xor esi, esi
    mov ebx, 0x7777
    int 0x40
    mov [bios_ebx], ebx
    shr eax, 8
    and eax, 0xFF
    answer 'k_pci/bios_find_device_ok', 0
    mov eax, [bios_ebx]
    answer 'k_pci/bios_find_device_at_0', 0
    mov eax, 57
    mov ebp, 2
    mov edx, 0xFFFF
    mov ecx, 0xFFFF
    xor esi, esi
    int 0x40
    shr eax, 8
    and eax, 0xFF
    answer 'k_pci/bios_find_missing', 0x86
    mov eax, 57
    mov ebp, 10
    xor ebx, ebx
    xor edi, edi
    int 0x40
    mov eax, ecx
    cmp eax, [ids]
    check e, 'k_pci/bios_read_dword', 'the dword read through 57 differs from 62 (eax)'
    mov eax, 57
    mov ebp, 0x20
    int 0x40
    answer 'k_pci/bios_unknown', 0x8139

    ; 49 without an APM BIOS: 8 and the carry flag.
    mov eax, 49
    xor ebx, ebx
    mov ecx, 0
    mov edx, 0
    clc
    int 0x40
    setc bl
    mov [apm_carry], ebx
    answer 'k_pci/apm_not_supported', 8
    mov eax, [apm_carry]
    answer 'k_pci/apm_carry', 1

    ; 24 without an ATAPI drive: EAX unchanged.
    mov eax, 0x00120018
    mov ebx, 4
    mov ecx, 0
    int 0x40
    answer 'k_pci/cd_eject_no_drive', 0x00120018
    mov eax, 0x00120018
    mov ebx, 1
    mov ecx, 99
    int 0x40
    answer 'k_pci/cd_other', 0x00120018

    call finish

align 4
ids dd 0
bios_eax dd 0
bios_ebx dd 0
apm_carry dd 0

image_end:
align 16
    rb 4096
stack_top:
memory_end:
