; SPDX-License-Identifier: BSD-2-Clause
;
; Test-only chain loader for the "wrong Multiboot magic" scenario.
;
; QEMU boots this file as a Multiboot kernel (-kernel badmagic.elf) with the
; real kernel as its module (-initrd build/kernel.elf). It copies the kernel's
; PT_LOAD segments to their physical addresses (p_paddr), zeroes the rest of
; each segment (bss), and jumps to the kernel's entry point with EAX =
; 0x12345678 instead of the Multiboot magic 0x2BADB002. EBX still points at
; the information structure QEMU built.
;
; Assembled with `nasm -f bin`: the ELF header and the single program header
; are written out below, so no linker is needed.
;
; Memory layout: this loader lives at LOAD_BASE (48 MiB); QEMU places the
; module and the information structure above it. The kernel must load below
; LOAD_BASE, which the loader checks before copying anything.

bits 32

LOAD_BASE        equ 0x03000000
MULTIBOOT_MAGIC  equ 0x1BADB002
MULTIBOOT_FLAGS  equ 0x00000000
LOADER_MAGIC     equ 0x2BADB002        ; what a Multiboot loader passes us
WRONG_MAGIC      equ 0x12345678        ; what we pass the kernel
COM1             equ 0x3F8
PT_LOAD          equ 1

org LOAD_BASE

; ---- ELF32 header (System V ABI, chapter 4) ---------------------------------
elf_header:
    db 0x7F, "ELF", 1, 1, 1, 0         ; 32-bit, little endian, version 1
    times 8 db 0
    dw 2                               ; e_type: executable
    dw 3                               ; e_machine: i386
    dd 1                               ; e_version
    dd start                           ; e_entry
    dd program_header - $$             ; e_phoff
    dd 0                               ; e_shoff
    dd 0                               ; e_flags
    dw 52                              ; e_ehsize
    dw 32                              ; e_phentsize
    dw 1                               ; e_phnum
    dw 40                              ; e_shentsize
    dw 0                               ; e_shnum
    dw 0                               ; e_shstrndx

program_header:
    dd PT_LOAD                         ; p_type
    dd 0                               ; p_offset
    dd LOAD_BASE                       ; p_vaddr
    dd LOAD_BASE                       ; p_paddr
    dd file_end - $$                   ; p_filesz
    dd memory_end - $$                 ; p_memsz
    dd 7                               ; p_flags: rwx
    dd 0x1000                          ; p_align

; ---- Multiboot v1 header (Multiboot 0.6.96 section 3.1) ---------------------
align 4
    dd MULTIBOOT_MAGIC
    dd MULTIBOOT_FLAGS
    dd -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)

; ---- code -------------------------------------------------------------------
start:
    cli
    cld
    mov esp, stack_top
    mov [info_address], ebx

    cmp eax, LOADER_MAGIC
    jne fail_not_multiboot
    ; Multiboot information: flags bit 3 says mods_count/mods_addr are valid.
    test dword [ebx], 1 << 3
    jz fail_no_module
    cmp dword [ebx + 20], 0            ; mods_count
    je fail_no_module
    mov eax, [ebx + 24]                ; mods_addr
    mov esi, [eax]                     ; mod_start: the kernel ELF file
    mov [image], esi

    cmp dword [esi], 0x464C457F        ; "\x7FELF"
    jne fail_not_elf

    ; First pass: check every PT_LOAD fits below this loader, and translate
    ; the entry point to a physical address if it is a virtual one.
    mov eax, [esi + 24]                ; e_entry
    mov [entry], eax
    call for_each_load_segment_check
    ; Second pass: copy and zero.
    call for_each_load_segment_copy

    mov esi, message_jump
    call print
    mov eax, [entry]
    call print_hex
    mov esi, message_newline
    call print

    mov eax, WRONG_MAGIC
    mov ebx, [info_address]
    jmp [entry]

; Sets EDX = address of the first program header, ECX = count, EBP = size.
program_headers:
    mov esi, [image]
    mov edx, [esi + 28]                ; e_phoff
    add edx, esi
    movzx ecx, word [esi + 44]         ; e_phnum
    movzx ebp, word [esi + 42]         ; e_phentsize
    ret

for_each_load_segment_check:
    call program_headers
.next:
    test ecx, ecx
    jz .done
    cmp dword [edx], PT_LOAD
    jne .skip
    mov eax, [edx + 12]                ; p_paddr
    add eax, [edx + 20]                ; + p_memsz
    jc fail_overlap
    cmp eax, LOAD_BASE
    ja fail_overlap
    ; entry inside [p_vaddr, p_vaddr + p_memsz) -> p_paddr + (entry - p_vaddr)
    mov eax, [entry]
    sub eax, [edx + 8]
    jb .skip
    cmp eax, [edx + 20]
    jae .skip
    add eax, [edx + 12]
    mov [physical_entry], eax
    mov byte [entry_found], 1
.skip:
    add edx, ebp
    dec ecx
    jmp .next
.done:
    cmp byte [entry_found], 0
    je fail_entry
    mov eax, [physical_entry]
    mov [entry], eax
    ret

for_each_load_segment_copy:
    call program_headers
.next:
    test ecx, ecx
    jz .done
    cmp dword [edx], PT_LOAD
    jne .skip
    push ecx
    mov esi, [image]
    add esi, [edx + 4]                 ; p_offset
    mov edi, [edx + 12]                ; p_paddr
    mov ecx, [edx + 16]                ; p_filesz
    rep movsb                          ; source is above LOAD_BASE, target below
    mov ecx, [edx + 20]                ; p_memsz
    sub ecx, [edx + 16]                ; - p_filesz
    jbe .copied
    xor eax, eax
    rep stosb
.copied:
    pop ecx
.skip:
    add edx, ebp
    dec ecx
    jmp .next
.done:
    ret

fail_not_multiboot:
    mov esi, message_not_multiboot
    jmp fail
fail_no_module:
    mov esi, message_no_module
    jmp fail
fail_not_elf:
    mov esi, message_not_elf
    jmp fail
fail_overlap:
    mov esi, message_overlap
    jmp fail
fail_entry:
    mov esi, message_entry
fail:
    call print
.halt:
    hlt
    jmp .halt

; Print the zero-terminated string at ESI on COM1.
print:
    push eax
    push edx
.next:
    lodsb
    test al, al
    jz .done
    call put
    jmp .next
.done:
    pop edx
    pop eax
    ret

; Write AL to COM1 once the transmitter holding register is empty.
put:
    push eax
    mov ah, al
    mov dx, COM1 + 5                   ; line status register
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov al, ah
    mov dx, COM1
    out dx, al
    pop eax
    ret

; Print EAX as 0x%08x on COM1.
print_hex:
    push ecx
    mov ecx, eax
    mov al, '0'
    call put
    mov al, 'x'
    call put
    push ebx
    mov ebx, 8
.digit:
    rol ecx, 4
    mov eax, ecx
    and eax, 0xF
    mov al, [hex_digits + eax]
    call put
    dec ebx
    jnz .digit
    pop ebx
    pop ecx
    ret

hex_digits:            db "0123456789abcdef"
message_jump:          db "badmagic: jumping to the kernel at ", 0
message_newline:       db " with EAX=0x12345678", 13, 10, 0
message_not_multiboot: db "badmagic: not started by a Multiboot loader", 13, 10, 0
message_no_module:     db "badmagic: no module (pass the kernel with -initrd)", 13, 10, 0
message_not_elf:       db "badmagic: the module is not an ELF file", 13, 10, 0
message_overlap:       db "badmagic: a kernel segment overlaps the chain loader", 13, 10, 0
message_entry:         db "badmagic: the entry point is in no PT_LOAD segment", 13, 10, 0

align 4
file_end:

; ---- uninitialised data (p_memsz > p_filesz: zeroed by the loader) ---------
absolute file_end
info_address:   resd 1
image:          resd 1
entry:          resd 1
physical_entry: resd 1
entry_found:    resb 1
alignb 16
                resb 4096
stack_top:
memory_end:
