; SPDX-License-Identifier: BSD-2-Clause
;
; Colibri stage 2: the second half of the BIOS floppy boot loader.
;
; The boot sector (boot/bootsector.asm) loads STAGE2.BIN to 0000:8000 and
; jumps here in real mode with DL = boot drive; its BPB is still at 0x7C00.
; Stage 2 then, in this order:
;
;   1. prints "Colibri stage2" (screen + COM1 at 115200 8N1),
;   2. collects the memory map (E820, else E801 / AH=88h),
;   3. enables the A20 line,
;   4. reads CMDLINE.TXT, and the ELF header and program header table of
;      KERNEL.ELF from the FAT12 root directory,
;   5. checks the ELF program headers, places the kernel segments, the
;      ramdisk module and a staging area for the kernel file above 1 MiB
;      (checked against the memory size), copies the whole floppy image
;      above the kernel as the "ramdisk" Multiboot module, then gathers
;      KERNEL.ELF from that image into the staging area above the module,
;   6. picks and sets a VBE linear-framebuffer mode (or stays in text mode),
;   7. builds a Multiboot v1 information structure (spec 0.6.96, 3.3),
;   8. enters 32-bit protected mode, copies the PT_LOAD segments from the
;      staging area to their physical addresses and jumps to e_entry in
;      the state the Multiboot spec (3.2) promises: EAX = 0x2BADB002,
;      EBX = info structure.
;
; Everything that can fail is checked while we are still in real mode, so
; an error can be shown on the screen by the BIOS as well as on COM1.
;
; Assemble: nasm -f bin -I boot/ boot/stage2.asm -o stage2.bin
; Test hooks (never in a release image): -DTEST_NO_E820 skips E820 to
; exercise the E801/88h fallback, -DTEST_DISABLE_A20 turns A20 off first,
; -DTEST_A20_SKIP_BIOS (with it) skips INT 15h AX=2401h to try the 8042.

bits 16
org 0x8000

; ---------------------------------------------------------------------------
; Physical memory layout while stage 2 runs (all below the EBDA).
;
;   0x00000-0x004FF  real-mode IVT and BIOS data area (left alone)
;   0x00500-0x07BFF  stack, SS:SP starts at 0000:7C00 and grows down
;   0x07C00-0x07DFF  boot sector; stage 2 reads the BPB from here
;   0x08000-0x0FFFF  STAGE2.BIN and its zero-initialised data (.bss) which
;                    holds the Multiboot info structure, memory map, command
;                    line, VBE blocks: everything the kernel is handed
;   0x10000-0x11FFF  first FAT (at most 8 KiB)
;   0x12000-0x15FFF  root directory (at most 16 KiB = 512 entries)
;   0x16000-0x1FFFF  bounce buffer: the ramdisk is read here a track at a
;                    time and block-moved above 1 MiB (40 KiB, and entirely
;                    inside one 64 KiB page, so floppy DMA never straddles)
;   0x20000-0x2FFFF  header buffer: the first bytes of KERNEL.ELF, up to
;                    the end of its program header table (at most 64 KiB,
;                    in one 64 KiB DMA page as well)
;   >= 0x100000      kernel PT_LOAD segments (from the ELF), then the
;                    ramdisk module at the next 4 KiB boundary, then the
;                    KERNEL.ELF file (staging area) at the next 4 KiB
;                    boundary; the segments are copied out of it last.
;                    The kernel file is thus limited by the floppy and the
;                    memory size, not by conventional memory.
; ---------------------------------------------------------------------------

STACK_TOP           equ 0x7C00
BPB                 equ 0x7C00
FAT_ADDRESS         equ 0x10000
FAT_MAX_BYTES       equ 0x2000
ROOT_ADDRESS        equ 0x12000
ROOT_MAX_BYTES      equ 0x4000
BOUNCE_ADDRESS      equ 0x16000
BOUNCE_MAX_BYTES    equ 0xA000
HEADER_ADDRESS      equ 0x20000
HEADER_MAX_BYTES    equ 0x10000
HIGH_MEMORY         equ 0x100000

SECTOR_SIZE         equ 512

; BPB fields (FAT specification offsets) in the boot sector's copy.
bpb_bytes_per_sector    equ BPB + 0x0B  ; word
bpb_sectors_per_cluster equ BPB + 0x0D  ; byte
bpb_reserved_sectors    equ BPB + 0x0E  ; word
bpb_fat_count           equ BPB + 0x10  ; byte
bpb_root_entries        equ BPB + 0x11  ; word
bpb_total_sectors16     equ BPB + 0x13  ; word
bpb_sectors_per_fat     equ BPB + 0x16  ; word
bpb_sectors_per_track   equ BPB + 0x18  ; word
bpb_head_count          equ BPB + 0x1A  ; word
bpb_total_sectors32     equ BPB + 0x20  ; dword

section .text

stage2_entry:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, STACK_TOP
    sti
    cld
    ; .bss is not part of the file: whatever was in memory is still there.
    mov di, bss_start
    mov cx, bss_end - bss_start
    xor al, al
    rep stosb
    mov [boot_drive], dl

    call serial_init
    mov si, msg_banner
    call print

    call detect_memory
    call enable_a20
    call fat_init
    call load_command_line
    call check_kernel_elf
    call plan_memory
    call load_ramdisk
    call stage_kernel_file
    call setup_video
    call build_multiboot_info
    jmp enter_kernel

%include "console.inc"
%include "fat12.inc"
%include "memory.inc"
%include "a20.inc"
%include "kernel.inc"
%include "vbe.inc"
%include "multiboot.inc"

; ---------------------------------------------------------------------------
; Strings shared by several parts.
msg_banner      db "Colibri stage2", 10, 0
msg_prefix      db 10, "Colibri stage2: ", 0

; ---------------------------------------------------------------------------
; Zero-initialised data. It lives right after the image in memory, below
; 0x10000, so real-mode code reaches it with DS = 0.
image_end:
absolute image_end
alignb 16
bss_start:
%include "bss.inc"
bss_end:

section .text
; Assembly-time check: image plus .bss must end below the FAT buffer, and
; the file must fit the boot sector's 32 KiB limit.
    times -((bss_end - stage2_entry) > FAT_ADDRESS - 0x8000) db 0
    times -((image_end - stage2_entry) > 0x8000) db 0
