// Kernel entry: the Multiboot v1 header and the boot stub that turns on
// paging and jumps to the higher half.
//
// Every boot path (QEMU -kernel, GRUB, Colibri's own stage 2) enters here in
// the machine state of Multiboot 0.6.96 section 3.2: 32-bit protected mode,
// paging off, EAX = magic, EBX = physical address of the information
// structure. This code runs at its physical address (the .boot section is
// linked with VMA = LMA), so it may only touch symbols through their
// physical addresses (symbol - KERNEL_VIRTUAL_BASE).

#define KERNEL_VIRTUAL_BASE 0xC0000000
#define PHYS(symbol) ((symbol) - KERNEL_VIRTUAL_BASE)

#define MULTIBOOT_MAGIC 0x1BADB002
// Bit 0: align modules on 4 KiB; bit 1: give us the memory information;
// bit 2: the video-mode fields below are valid (a preference, which the
// loader may ignore: the kernel copes with any mode, or none).
#define MULTIBOOT_FLAGS 0x00000007

// 4 MiB pages (PSE): present | writable | page size.
#define PDE_LARGE 0x83
// Number of 4 MiB pages in the direct map: 192 * 4 MiB = 768 MiB.
#define DIRECT_MAP_PDES 192
#define KERNEL_PDE_INDEX (KERNEL_VIRTUAL_BASE >> 22)

.section .multiboot, "a"
.align 4
.long MULTIBOOT_MAGIC
.long MULTIBOOT_FLAGS
.long -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)
// Multiboot 0.6.96 section 3.1.3: the address fields (header_addr,
// load_addr, load_end_addr, bss_end_addr, entry_addr) are only used with
// flag bit 16, which an ELF kernel does not set; they must be present anyway
// because the video fields follow them.
.long 0, 0, 0, 0, 0
// Section 3.1.4: mode_type 0 (linear graphics), width, height, depth.
.long 0
.long 1024
.long 768
.long 32

.section .boot.text, "ax"
.code32
.global _start
.type _start, @function
_start:
    cli
    cld
    // Keep the loader's arguments in registers the page setup leaves alone.
    movl %eax, %esi
    movl %ebx, %edi

    // Build the boot page directory: the first 768 MiB of physical memory
    // mapped twice, at 0 (identity, so the next instructions keep running
    // after paging is on) and at KERNEL_VIRTUAL_BASE (the direct map). The
    // identity half is removed by the kernel once it runs in the higher half.
    movl $PHYS(boot_page_directory), %edx
    xorl %ecx, %ecx
1:
    movl %ecx, %eax
    shll $22, %eax
    orl $PDE_LARGE, %eax
    movl %eax, (%edx, %ecx, 4)
    movl %eax, (KERNEL_PDE_INDEX * 4)(%edx, %ecx, 4)
    incl %ecx
    cmpl $DIRECT_MAP_PDES, %ecx
    jne 1b

    // CR4.PSE enables 4 MiB pages.
    movl %cr4, %eax
    orl $0x00000010, %eax
    movl %eax, %cr4
    movl %edx, %cr3
    // CR0.PG turns paging on, CR0.WP makes the kernel honour read-only pages.
    movl %cr0, %eax
    orl $0x80010000, %eax
    movl %eax, %cr0

    // Jump to the higher half through an absolute address.
    movl $higher_half, %eax
    jmp *%eax

.text
higher_half:
    movl $boot_stack_top, %esp
    xorl %ebp, %ebp
    pushl %edi
    pushl %esi
    call kernel_main
    // kernel_main never returns; halt if it ever does.
2:
    cli
    hlt
    jmp 2b

.section .bss
.align 4096
.global boot_page_directory
boot_page_directory:
    .skip 4096
.global boot_stack_bottom
boot_stack_bottom:
    .skip 16384
.global boot_stack_top
boot_stack_top:
