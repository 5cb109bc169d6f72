; k_mount: function 30.3 as sys_current_directory and getFullPath
; (KolibriOS fs/fs_lfn.inc) do it: the 128-byte block {64-byte name,
; 64-byte cp866 real path without its '/'} makes "/NAME/..." mean
; "/REAL/..." in absolute paths, name matched as process_replace_file_name
; does; only the first 30.3 counts; EAX is left. Also 30.2's buffer check
; and unknown subfunctions of 30.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_mount', 0

; info path: 70.5 (file information) of the path; EAX = status.
macro info path
{
    mov [info_block.path], path
    mov eax, 70
    mov ebx, info_block
    int 0x40
}

macro f30 sub, c, d
{
    mov eax, 0x5A5A001E         ; function 30 (AL), upper bytes marked
    mov ebx, sub
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
    info path_mounted
    test eax, eax
    check nz, 'k_mount/not_there_before', '/kolibrios/k_mount exists before 30.3 (eax = status)'

    ; A block that is not the program's changes nothing (and no fault).
    f30 3, 0x7FFF0000, 0
    answer 'k_mount/bad_block_keeps_eax', 0x5A5A001E
    info path_mounted
    test eax, eax
    check nz, 'k_mount/bad_block_mounts_nothing', '/kolibrios/k_mount exists after a bad 30.3 (eax = status)'

    f30 3, block_rd, 0
    answer 'k_mount/mount_keeps_eax', 0x5A5A001E
    info path_mounted
    answer 'k_mount/mounted', 0
    info path_mixed_case
    answer 'k_mount/mounted_any_case', 0
    info path_longer_name
    test eax, eax
    check nz, 'k_mount/longer_name_not_mounted', '/kolibriosx/k_mount exists (eax = status)'
    info path_sys
    answer 'k_mount/sys_still_there', 0

    ; Only the first 30.3 counts.
    f30 3, block_other, 0
    answer 'k_mount/second_keeps_eax', 0x5A5A001E
    info path_mounted
    answer 'k_mount/second_ignored', 0
    info path_other
    test eax, eax
    check nz, 'k_mount/second_name_unknown', '/other/k_mount exists after a second 30.3 (eax = status)'

    ; 30.1 through the name stores the real folder (30.2 shows it), and
    ; relative paths work from it.
    f30 1, folder_mounted, 0
    f30 2, buffer, 64
    answer 'k_mount/get_folder_length', 6
    mov esi, buffer
    mov edi, folder_real
    mov ecx, 6
    repe cmpsb
    mov eax, ecx
    answer 'k_mount/current_folder_real', 0
    info path_relative
    answer 'k_mount/relative_from_mounted', 0
    f30 1, folder_sys, 0

    ; 30.2: the whole buffer must be below OS_BASE (is_region_userspace
    ; before the cut to 4096 bytes).
    f30 2, 0x7FFFFF00, 0x200
    answer 'k_mount/get_crossing_os_base', 0
    ; Unknown subfunctions leave EAX.
    f30 0, 0, 0
    answer 'k_mount/f30_0_keeps_eax', 0x5A5A001E
    f30 6, 0, 0
    answer 'k_mount/f30_6_keeps_eax', 0x5A5A001E

    call finish

path_mounted db '/kolibrios/k_mount', 0
path_mixed_case db '/KolibriOS/K_MOUNT', 0
path_longer_name db '/kolibriosx/k_mount', 0
path_sys db '/sys/k_mount', 0
path_other db '/other/k_mount', 0
path_relative db 'k_mount', 0
folder_mounted db '/kolibrios', 0
folder_sys db '/sys', 0
folder_real db '/rd/1', 0

align 4
block_rd:
    db 'kolibrios', 0
    rb 64 - 10
    db 'rd/1', 0
    rb 64 - 5
block_other:
    db 'other', 0
    rb 64 - 6
    db 'hd9/9', 0
    rb 64 - 6

align 4
info_block:
    dd 5, 0, 0, 0, file_info
    db 0
.path dd 0
file_info rb 40
buffer rb 64

image_end:
align 16
    rb 4096
stack_top:
memory_end:
