; k_ports: function 46 as r_f_port_area (KolibriOS kernel.asm) answers it:
; 1 for a bad range, for the kernel's areas and for a range that meets a
; reserved one, 0 otherwise; freeing needs the same thread and range. The
; access is this process's alone: k_portf, started while the ports are
; held, faults on them. Colibri also refuses the ports of its own drivers
; (serial console, ATA, VGA, display, PCI configuration, ACPI, the I/O
; BARs of its PCI devices).
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_ports', 0

macro ports b, c, d
{
    mov eax, 46
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
    ports 0, 0x60, 0x60
    answer 'k_ports/ps2_refused', 1
    ports 0, 0x20, 0x21
    answer 'k_ports/pic_refused', 1
    ports 0, 0x2E, 0x2F         ; between two kernel areas: free
    answer 'k_ports/gap_2e', 0
    ports 1, 0x2E, 0x2F
    answer 'k_ports/gap_2e_freed', 0
    ports 0, 0x3F8, 0x3FF
    answer 'k_ports/serial_console_refused', 1
    ports 0, 0xCFC, 0xCFC
    answer 'k_ports/pci_config_refused', 1
    ports 0, 0x1F0, 0x1F7
    answer 'k_ports/ata_refused', 1
    ports 0, 0x1CE, 0x1CF
    answer 'k_ports/display_refused', 1
    ports 0, 0x3C0, 0x3C0
    answer 'k_ports/vga_refused', 1
    ports 0, 0x604, 0x604
    answer 'k_ports/acpi_refused', 1
    ports 0, 0x380, 0x37F       ; first > last
    answer 'k_ports/reversed', 1
    ports 0, 0xFFFF, 0x10000
    answer 'k_ports/past_65535', 1

    ; The I/O BAR 4 of QEMU's IDE controller (class 01:01, found with 57.3).
    mov eax, 57
    mov ebp, 3
    mov ecx, 0x010180
    xor esi, esi
    int 0x40
    shr eax, 8
    and eax, 0xFF
    answer 'k_ports/ide_controller_found', 0
    movzx ecx, bx               ; bus << 8 | devfn -> 62's CH/BH
    mov edx, ecx
    shr edx, 8                  ; bus
    and ecx, 0xFF               ; devfn
    shl ecx, 8
    or ecx, 0x20                ; register: BAR 4
    mov eax, 62
    mov ebx, edx
    shl ebx, 8
    or ebx, 6
    int 0x40
    test eax, 1
    check nz, 'k_ports/ide_bar4_is_io', 'BAR 4 of the IDE controller is no I/O BAR (eax)'
    and eax, 0xFFFC
    mov [bar4], eax
    ports 0, [bar4], [bar4]
    answer 'k_ports/ide_bus_master_refused', 1

    ; LPT1's ports are free: reserve, use, refuse an overlap.
    ports 0, 0x378, 0x37A
    answer 'k_ports/reserve_lpt', 0
    mov dx, 0x379
    in al, dx                   ; would fault without the reservation
    print 'PASS k_ports/in_after_reserve', 10
    ports 0, 0x37A, 0x37F
    answer 'k_ports/overlap_refused', 1
    ports 0, 0x370, 0x378
    answer 'k_ports/overlap_below_refused', 1

    ; Another process does not get them.
    mov eax, 70
    mov ebx, start_child
    int 0x40
    mov [child], eax
    cmp eax, 0
    check g, 'k_ports/child_started', '70.7 of /sys/k_portf failed (eax)'
    mov edi, 500
.wait_child:
    mov eax, 5
    mov ebx, 2
    int 0x40
    mov eax, 18
    mov ebx, 21
    mov ecx, [child]
    int 0x40
    test eax, eax
    jz .child_gone
    dec edi
    jnz .wait_child
.child_gone:
    test eax, eax
    check z, 'k_ports/child_ended', 'k_portf is still running (eax = its slot)'
    ; Still ours after the child died.
    mov dx, 0x37A
    in al, dx
    print 'PASS k_ports/in_after_child', 10

    ; Freeing: only the exact range.
    ports 1, 0x378, 0x379
    answer 'k_ports/free_other_range', 1
    ports 1, 0x378, 0x37A
    answer 'k_ports/free', 0
    ports 1, 0x378, 0x37A
    answer 'k_ports/free_twice', 1
    ports 7, 0x60, 0x60         ; the kernel's own area: no thread owns it
    answer 'k_ports/free_kernel_area', 1

    ; The table holds 255 reservations, 4 of them the kernel's.
    xor edi, edi
.fill:
    lea ecx, [0x1000 + edi * 2]
    ports 0, ecx, ecx
    test eax, eax
    jnz .full
    inc edi
    cmp edi, 300
    jb .fill
.full:
    mov eax, edi
    answer 'k_ports/table_size', 251
    mov [filled], edi
    xor edi, edi
.empty:
    cmp edi, [filled]
    jae .emptied
    lea ecx, [0x1000 + edi * 2]
    ports 1, ecx, ecx
    test eax, eax
    jnz .emptied
    inc edi
    jmp .empty
.emptied:
    mov eax, edi
    answer 'k_ports/all_freed', 251
    ports 0, 0x378, 0x37A
    answer 'k_ports/reserve_after_empty', 0

    call finish

align 4
start_child dd 7, 0, 0, 0, 0
    db '/sys/k_portf', 0
align 4
bar4 dd 0
child dd 0
filled dd 0

image_end:
align 16
    rb 4096
stack_top:
memory_end:
