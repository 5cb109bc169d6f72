; SPDX-License-Identifier: BSD-2-Clause
;
; Colibri boot sector for a FAT12 floppy (1.44 MB and other FAT12 floppies).
;
; The BIOS loads this sector to 0000:7C00 and jumps to it with DL = boot
; drive. We find STAGE2.BIN in the root directory, follow its FAT12 cluster
; chain, load it to 0000:8000 and jump there with DL = boot drive.
;
; Every disk parameter comes from the BIOS Parameter Block (BPB) in our own
; in-memory copy at 0x7C00: the BPB bytes 3..61 in the image are written by
; mkfs.fat/mformat and tools/mkfloppy.py keeps them when it installs this
; code, so the bytes assembled below for the BPB are only placeholders.
;
; Contract with stage 2 (see docs/boot-loader.md):
;   * stage 2 runs at 0000:8000 in real mode, DL = BIOS boot drive;
;   * this sector (and the BPB in it) is still at 0000:7C00, and the BPB
;     drive-number field (offset 0x24) holds the boot drive;
;   * SS:SP = 0000:7C00 (stack grows down towards 0x0500).
;
; Assemble: nasm -f bin boot/bootsector.asm -o bootsector.bin

bits 16
org 0x7C00

STAGE2_LOAD     equ 0x8000          ; where STAGE2.BIN goes (segment 0)
STAGE2_MAX      equ 0x8000          ; at most 32 KiB: 0x8000..0xFFFF
BUFFER          equ 0x0500          ; root directory, then the FAT (< 0x7000)

; BPB fields, addressed in the in-memory copy (offsets from the FAT spec).
bpb_bytes_per_sector    equ 0x7C00 + 0x0B   ; word
bpb_sectors_per_cluster equ 0x7C00 + 0x0D   ; byte
bpb_reserved_sectors    equ 0x7C00 + 0x0E   ; word
bpb_fat_count           equ 0x7C00 + 0x10   ; byte
bpb_root_entries        equ 0x7C00 + 0x11   ; word
bpb_sectors_per_fat     equ 0x7C00 + 0x16   ; word
bpb_sectors_per_track   equ 0x7C00 + 0x18   ; word
bpb_head_count          equ 0x7C00 + 0x1A   ; word
bpb_drive_number        equ 0x7C00 + 0x24   ; byte, we store DL here
; 0x7C00 + 0x3E onwards is our code; the volume label and file-system type
; (0x2B..0x3D) are never needed at run time, so we keep one variable there.
data_start_lba          equ 0x7C00 + 0x2B   ; word, first sector of cluster 2

start:
    jmp short main
    nop
    ; Placeholder BPB (a 1.44 MB layout, so the bare binary is sane).
    ; mkfloppy.py replaces bytes 3..61 with the image's real BPB.
    db "COLIBRI "                   ; OEM name
    dw 512                          ; bytes per sector
    db 1                            ; sectors per cluster
    dw 1                            ; reserved sectors
    db 2                            ; FAT count
    dw 224                          ; root directory entries
    dw 2880                         ; total sectors
    db 0xF0                         ; media descriptor
    dw 9                            ; sectors per FAT
    dw 18                           ; sectors per track
    dw 2                            ; heads
    dd 0                            ; hidden sectors
    dd 0                            ; total sectors (32-bit)
    db 0, 0, 0x29                   ; drive, reserved, extended signature
    dd 0                            ; volume id
    db "COLIBRI    "                ; volume label
    db "FAT12   "                   ; file-system type
%if ($ - $$) != 62
%error "BPB placeholder must end at offset 62"
%endif

main:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7C00
    sti
    jmp 0x0000:.normalised          ; some BIOSes enter at 07C0:0000
.normalised:
    cld
    mov [bpb_drive_number], dl

    ; Root directory: it starts after the reserved sectors and the FATs.
    mov al, [bpb_fat_count]
    cbw
    mul word [bpb_sectors_per_fat]
    add ax, [bpb_reserved_sectors]  ; AX = first root directory sector
    push ax
    ; Root directory length in sectors = entries * 32 / bytes per sector.
    mov ax, [bpb_root_entries]
    shl ax, 5
    xor dx, dx
    div word [bpb_bytes_per_sector]
    mov cx, ax
    pop ax
    mov bx, BUFFER
    call read_sectors               ; AX returns one past the last sector,
    mov [data_start_lba], ax        ; which is where cluster 2 starts.

    ; Look for the 8.3 name "STAGE2  BIN" in every directory entry.
    mov cx, [bpb_root_entries]
    mov di, BUFFER
.search:
    push cx
    push di
    mov si, stage2_name
    mov cx, 11
    repe cmpsb
    pop di
    pop cx
    je .found
    add di, 32
    loop .search
    mov si, msg_missing
    jmp fatal

.found:
    ; Refuse a file that would not fit below 0x10000 (directory entry
    ; offset 28 holds the 32-bit file size).
    mov si, msg_too_big
    cmp word [di + 30], 0
    jne fatal
    cmp word [di + 28], STAGE2_MAX
    ja fatal
    push word [di + 26]             ; first cluster

    ; Load the first FAT over the (no longer needed) root directory.
    mov ax, [bpb_reserved_sectors]
    mov cx, [bpb_sectors_per_fat]
    mov bx, BUFFER
    call read_sectors

    pop ax
    mov bx, STAGE2_LOAD
.next_cluster:
    ; A cluster number below 2 means a broken chain; BX wrapping past
    ; 0xFFFF (BX below the load address) means the chain is longer than
    ; the directory entry said.
    mov si, msg_too_big
    cmp bx, STAGE2_LOAD
    jb fatal
    cmp ax, 2
    jb fatal
    push ax
    dec ax
    dec ax
    mov cl, [bpb_sectors_per_cluster]
    xor ch, ch
    mul cx
    add ax, [data_start_lba]        ; LBA = data start + (cluster - 2) * spc
    call read_sectors
    pop ax

    ; FAT12: entry N is the 12 bits at byte offset N * 3 / 2; odd entries
    ; are the high 12 bits of that word, even entries the low 12 bits.
    mov si, ax
    shr si, 1
    add si, ax
    mov dx, [BUFFER + si]
    test al, 1
    jz .even
    shr dx, 4
.even:
    and dh, 0x0F
    mov ax, dx
    cmp ax, 0xFF8                   ; 0xFF8..0xFFF = end of chain
    jb .next_cluster

    mov dl, [bpb_drive_number]
    jmp 0x0000:STAGE2_LOAD

; read_sectors: read CX sectors starting at LBA AX into ES:BX, one sector
; per int 13h call (so a read never crosses a track or a 64 KiB DMA page).
; Returns AX = LBA after the last one, BX advanced. Clobbers CX, DX, SI, DI.
read_sectors:
    push ax
    push cx
    ; LBA -> CHS (Ralf Brown's Interrupt List, INT 13h AH=02h):
    ; sector = LBA % spt + 1, head = (LBA / spt) % heads,
    ; cylinder = LBA / spt / heads; cylinder bits 8-9 go to CL bits 6-7.
    xor dx, dx
    div word [bpb_sectors_per_track]
    mov cx, dx
    inc cx
    xor dx, dx
    div word [bpb_head_count]
    mov ch, al
    shl ah, 6
    or cl, ah
    mov dh, dl
    mov dl, [bpb_drive_number]
    mov di, 3                       ; tries: the motor may still spin up
.retry:
    mov ax, 0x0201                  ; AH=02 read, AL=1 sector
    int 0x13
    jnc .done
    xor ah, ah                      ; AH=00 reset the controller, then retry
    int 0x13
    dec di
    jnz .retry
    mov si, msg_disk
    jmp fatal
.done:
    pop cx
    pop ax
    inc ax
    add bx, [bpb_bytes_per_sector]
    loop read_sectors
    ret

; fatal: print "Colibri boot: " and the message at SI on the screen (BIOS
; teletype) and on COM1 (so headless tests see it too), then halt for good.
fatal:
    push si
    mov si, msg_prefix
    call print
    pop si
    call print
.halt:
    cli
    hlt
    jmp .halt

print:
    lodsb
    test al, al
    jz .end
    mov ah, 0x0E                    ; INT 10h AH=0Eh teletype output
    mov bx, 0x0007
    int 0x10
    ; COM1: wait until the transmit holding register is empty (LSR bit 5);
    ; a missing UART reads 0xFF, so this never blocks forever.
    mov dx, 0x3FD
    mov ah, al
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov al, ah
    mov dl, 0xF8                    ; DX = 0x3F8, transmit register
    out dx, al
    jmp print
.end:
    ret

stage2_name db "STAGE2  BIN"
msg_prefix  db 13, 10, "Colibri boot: ", 0
msg_disk    db "disk error", 13, 10, 0
msg_missing db "no STAGE2.BIN", 13, 10, 0
msg_too_big db "STAGE2.BIN too big or broken", 13, 10, 0

%if ($ - $$) > 510
%error "boot sector code is too large"
%endif
    times 510 - ($ - $$) db 0
    dw 0xAA55
