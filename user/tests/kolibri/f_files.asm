; f_files: function 70, every subfunction and its error paths, written
; from sysfuncs.txt ("Function 70 - work with file system with long names
; support", "Error codes of the file system"). Reads its own file from the
; ramdisk (the image at address 0 is the file), lists /sys in the three
; name encodings, and creates, writes, truncates, renames, deletes and
; starts files in /tmp0/1/ft.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'files.inc'
test_name db 'f_files', 0

; An information structure with an inline path.
macro info70 name, subfunction, p1, p2, p3, p4, [path]
{
common
    align 4
    name dd subfunction, p1, p2, p3, p4
    db path, 0
}

start:
    ; ---- 70.0: the program's own file equals its image ----
    sys70 read_self
    expect_status 0, 'f_files/read_whole', '70.0 of /sys/f_files failed'
    expect_count file_end, 'f_files/read_whole_count', 'EBX is not the file size'
    expect_same 0, buffer, file_end, 'f_files/read_whole_data', 'the bytes read differ from the image'

    sys70 read_tail
    expect_status 6, 'f_files/read_past_end', 'a read across the end did not return 6 (EOF)'
    expect_count 10, 'f_files/read_past_end_count', 'a read across the end did not return the 10 bytes left'
    expect_same file_end - 10, buffer, 10, 'f_files/read_past_end_data', 'the last 10 bytes differ'

    sys70 read_beyond
    expect_status 6, 'f_files/read_beyond_end', 'a read starting past the end did not return 6'
    expect_count 0, 'f_files/read_beyond_end_count', 'a read past the end returned bytes'

    sys70 read_pointer_form
    expect_status 0, 'f_files/path_pointer_form', '70.0 with "byte 0 + pointer" path failed'
    expect_count 16, 'f_files/path_pointer_form_count', 'EBX is not 16'
    expect_same 0, buffer, 16, 'f_files/path_pointer_form_data', 'the bytes read differ'

    sys70 read_rd
    expect_status 0, 'f_files/read_rd1', '70.0 of /rd/1/f_files failed'
    expect_same 0, buffer, 16, 'f_files/read_rd1_data', 'the bytes read from /rd/1 differ'

    sys70 read_missing
    expect_status 5, 'f_files/read_missing', '70.0 of a missing file did not return 5'
    sys70 read_missing_dir
    expect_status 5, 'f_files/read_missing_folder', '70.0 through a missing folder did not return 5'

    ; ---- 70.9: create folder ----
    sys70 make_ft
    expect_status 0, 'f_files/mkdir', '70.9 of /tmp0/1/ft failed'
    sys70 make_ft
    expect_status 0, 'f_files/mkdir_twice', '70.9 of an existing folder did not return 0'
    sys70 make_orphan
    expect_status 5, 'f_files/mkdir_no_parent', '70.9 without a parent folder did not return 5'
    sys70 read_ft
    expect_status 10, 'f_files/read_folder_as_file', '70.0 of a folder did not return 10'

    ; ---- 70.1: read folder /sys ----
    sys70 list_sys
    expect_status 0, 'f_files/list_count_only', '70.1 with 0 entries failed'
    expect_count 0, 'f_files/list_count_only_placed', '70.1 with 0 entries placed some'
    mov eax, [buffer]
    cmp eax, 1
    check e, 'f_files/list_version', 'the header version is not 1'
    mov eax, [buffer + 8]
    mov [sys_total], eax
    cmp eax, 5
    check a, 'f_files/list_total', 'the header says /sys has 5 entries or fewer'

    mov eax, [sys_total]
    mov [list_sys.count], eax
    sys70 list_sys
    expect_status 0, 'f_files/list_all', '70.1 of all entries of /sys failed'
    mov eax, [sys_total]
    mov [expected], eax
    expect_count [expected], 'f_files/list_all_count', 'EBX is not the number of entries'
    mov eax, [buffer + 4]
    cmp eax, [sys_total]
    check e, 'f_files/list_all_placed', 'the header count is not the number of entries'
    mov esi, buffer
    mov ecx, 304
    mov edi, name_self
    mov edx, string_equal_ci
    call find_entry
    mov [found_entry], eax
    test eax, eax
    check nz, 'f_files/list_cp866_finds_self', 'f_files is not in the cp866 listing of /sys'
    mov ebx, [found_entry]
    test ebx, ebx
    jz .no_self_entry
    mov eax, [ebx + 32]
    cmp eax, file_end
    check e, 'f_files/list_entry_size', 'the entry of f_files does not hold its size'
    mov eax, [ebx]
    and eax, 0x10
    check z, 'f_files/list_entry_file', 'the entry of f_files has the folder bit'
    mov eax, [ebx + 4]
    cmp eax, 1
    check e, 'f_files/list_entry_encoding', 'the entry encoding field is not 1 (cp866)'
.no_self_entry:

    ; Start index and count: the last entry, asking for 5.
    mov eax, [sys_total]
    dec eax
    mov [list_last + 4], eax
    sys70 list_last
    expect_status 6, 'f_files/list_last_eof', '70.1 asking past the last entry did not return 6'
    expect_count 1, 'f_files/list_last_count', 'EBX is not 1 for the last entry'
    mov eax, [buffer2 + 8]
    cmp eax, [sys_total]
    check e, 'f_files/list_last_total', 'the total differs between calls'
    mov eax, [sys_total]
    dec eax
    imul eax, 304
    lea esi, [buffer + 32 + 40 + eax]
    mov edi, buffer2 + 32 + 40
    call string_equal
    check e, 'f_files/list_start_index', 'entry N-1 alone differs from entry N-1 of the whole listing'

    mov eax, [sys_total]
    add eax, 10
    mov [list_last + 4], eax
    sys70 list_last
    expect_status 6, 'f_files/list_beyond', '70.1 from past the end did not return 6'
    expect_count 0, 'f_files/list_beyond_count', '70.1 from past the end placed entries'

    ; UTF-16LE and UTF-8 names: 560-byte entries.
    mov eax, [sys_total]
    mov [list_sys16.count], eax
    mov [list_sys8.count], eax
    sys70 list_sys16
    expect_status 0, 'f_files/list_utf16', '70.1 with UTF-16 names failed'
    mov esi, buffer
    mov ecx, 560
    mov edi, name_self16
    mov edx, wstring_equal_ci
    call find_entry
    mov [found_entry], eax
    test eax, eax
    check nz, 'f_files/list_utf16_finds_self', 'f_files is not in the UTF-16 listing'
    mov ebx, [found_entry]
    test ebx, ebx
    jz .no_entry16
    mov eax, [ebx + 4]
    cmp eax, 2
    check e, 'f_files/list_utf16_encoding', 'the entry encoding field is not 2'
    mov eax, [ebx + 32]
    cmp eax, file_end
    check e, 'f_files/list_utf16_size', 'the UTF-16 entry of f_files does not hold its size'
.no_entry16:
    sys70 list_sys8
    expect_status 0, 'f_files/list_utf8', '70.1 with UTF-8 names failed'
    mov esi, buffer
    mov ecx, 560
    mov edi, name_self
    mov edx, string_equal_ci
    call find_entry
    test eax, eax
    check nz, 'f_files/list_utf8_finds_self', 'f_files is not in the UTF-8 listing'

    ; Virtual folders: "/" lists the devices, "/rd" its partition "1".
    sys70 list_root
    expect_status 6, 'f_files/list_root', '70.1 of "/" asking for 50 entries did not return 6'
    mov esi, buffer
    mov ecx, 304
    mov edi, name_rd
    mov edx, string_equal_ci
    call find_entry
    mov [found_entry], eax
    test eax, eax
    check nz, 'f_files/list_root_rd', '"/" does not list rd'
    mov ebx, [found_entry]
    test ebx, ebx
    jz .no_rd
    mov eax, [ebx]
    and eax, 0x10
    check nz, 'f_files/list_root_rd_folder', 'rd in "/" lacks the folder bit'
.no_rd:
    mov esi, buffer
    mov ecx, 304
    mov edi, name_tmp0
    mov edx, string_equal_ci
    call find_entry
    test eax, eax
    check nz, 'f_files/list_root_tmp0', '"/" does not list tmp0'
    sys70 list_rd
    mov esi, buffer
    mov ecx, 304
    mov edi, name_1
    mov edx, string_equal_ci
    call find_entry
    test eax, eax
    check nz, 'f_files/list_rd_1', '"/rd" does not list 1'

    ; ---- 70.2: create/rewrite ----
    sys70 create_a
    expect_status 0, 'f_files/create', '70.2 of a.txt failed'
    expect_count 100, 'f_files/create_count', 'EBX is not the 100 bytes written'
    sys70 read_a
    expect_status 6, 'f_files/create_read_back', 'reading 200 bytes of a 100-byte file did not return 6'
    expect_count 100, 'f_files/create_read_back_count', 'EBX is not 100'
    expect_same buffer, pattern, 100, 'f_files/create_read_back_data', 'the bytes read back differ'

    sys70 rewrite_a
    expect_status 0, 'f_files/rewrite', '70.2 over an existing file failed'
    expect_count 10, 'f_files/rewrite_count', 'EBX is not 10'
    sys70 info_a
    expect_status 0, 'f_files/info', '70.5 of a.txt failed'
    mov eax, [info_block + 32]
    cmp eax, 10
    check e, 'f_files/rewrite_size', 'the rewritten file is not 10 bytes long'
    mov eax, [info_block + 36]
    test eax, eax
    check z, 'f_files/info_size_high', 'the high dword of the size is not 0'
    mov eax, [info_block]
    and eax, 0x10
    check z, 'f_files/info_file_attributes', 'a file has the folder bit'

    ; ---- 70.3: write at an offset ----
    sys70 write_a
    expect_status 0, 'f_files/write_extend', '70.3 past the end failed'
    expect_count 10, 'f_files/write_extend_count', 'EBX is not 10'
    sys70 read_a
    expect_status 6, 'f_files/write_extend_read', 'reading the extended file did not end with 6'
    expect_count 30, 'f_files/write_extend_size', 'the file is not 30 bytes after writing 10 at offset 20'
    expect_same buffer, pattern + 50, 10, 'f_files/write_extend_head', 'the first 10 bytes changed'
    mov esi, buffer + 10
    mov ecx, 10
    call all_zero
    check e, 'f_files/write_extend_gap', 'the gap between the old end and the offset is not zeros'
    expect_same buffer + 20, pattern + 100, 10, 'f_files/write_extend_data', 'the bytes written at 20 differ'

    sys70 write_middle
    expect_status 0, 'f_files/write_middle', '70.3 inside the file failed'
    sys70 read_a
    expect_count 30, 'f_files/write_middle_size', 'a write inside the file changed its size'
    expect_same buffer + 5, pattern + 200, 3, 'f_files/write_middle_data', 'the bytes written at 5 differ'

    sys70 write_missing
    expect_status 5, 'f_files/write_missing', '70.3 of a missing file did not return 5'
    sys70 write_folder
    expect_status 10, 'f_files/write_folder', '70.3 of a folder did not return 10'

    ; ---- 70.4: set end of file ----
    sys70 set_end_a
    expect_status 0, 'f_files/set_end_shrink', '70.4 to 5 bytes failed'
    sys70 read_a
    expect_status 6, 'f_files/set_end_shrink_read', 'reading the shrunk file did not end with 6'
    expect_count 5, 'f_files/set_end_shrink_size', 'the file is not 5 bytes long'
    expect_same buffer, pattern + 50, 5, 'f_files/set_end_shrink_data', 'the first 5 bytes changed'
    mov dword [set_end_a + 4], 5000
    sys70 set_end_a
    expect_status 0, 'f_files/set_end_grow', '70.4 to 5000 bytes failed'
    mov dword [read_a + 12], 5000
    sys70 read_a
    expect_status 0, 'f_files/set_end_grow_read', 'reading 5000 bytes of the grown file failed'
    expect_count 5000, 'f_files/set_end_grow_size', 'the grown file is not 5000 bytes'
    expect_same buffer, pattern + 50, 5, 'f_files/set_end_grow_head', 'the first 5 bytes changed'
    mov esi, buffer + 5
    mov ecx, 4995
    call all_zero
    check e, 'f_files/set_end_grow_zeros', 'the new space is not zeros'
    sys70 set_end_missing
    expect_status 5, 'f_files/set_end_missing', '70.4 of a missing file did not return 5'

    ; ---- 70.5 / 70.6: attributes and times ----
    sys70 info_ft
    expect_status 0, 'f_files/info_folder', '70.5 of a folder failed'
    mov eax, [info_block]
    and eax, 0x10
    check nz, 'f_files/info_folder_bit', 'a folder lacks the folder bit'
    sys70 info_missing
    expect_status 5, 'f_files/info_missing', '70.5 of a missing file did not return 5'

    sys70 set_info_a
    expect_status 0, 'f_files/set_info', '70.6 of a.txt failed'
    sys70 info_a
    expect_status 0, 'f_files/set_info_read', '70.5 after 70.6 failed'
    mov eax, [info_block]
    cmp eax, 0x22
    check e, 'f_files/set_info_attributes', 'the attributes are not hidden+archive (0x22)'
    expect_same info_block + 8, new_attributes + 8, 24, 'f_files/set_info_times', 'the dates and times read back differ from those set'
    sys70 set_info_missing
    expect_status 5, 'f_files/set_info_missing', '70.6 of a missing file did not return 5'

    ; ---- 70.8: delete ----
    sys70 create_b
    sys70 delete_ft
    expect_status 10, 'f_files/delete_full_folder', '70.8 of a folder with files did not return 10'
    sys70 make_empty
    expect_status 0, 'f_files/mkdir_empty', '70.9 of ft/empty failed'
    sys70 delete_empty
    expect_status 0, 'f_files/delete_empty_folder', '70.8 of an empty folder failed'
    sys70 info_empty
    expect_status 5, 'f_files/delete_empty_gone', 'the deleted folder is still there'
    sys70 create_e
    sys70 delete_e
    expect_status 0, 'f_files/delete_file', '70.8 of a file failed'
    sys70 info_e
    expect_status 5, 'f_files/delete_file_gone', 'the deleted file is still there'
    sys70 delete_e
    expect_status 5, 'f_files/delete_missing', '70.8 of a missing file did not return 5'

    ; ---- 70.10: rename and move ----
    sys70 rename_b
    expect_status 0, 'f_files/rename', '70.10 of b.txt to c.txt failed'
    sys70 info_b
    expect_status 5, 'f_files/rename_old_gone', 'b.txt is still there after the rename'
    sys70 info_c
    expect_status 0, 'f_files/rename_new', 'c.txt is not there after the rename'
    mov eax, [info_block + 32]
    cmp eax, 7
    check e, 'f_files/rename_size', 'c.txt is not 7 bytes long'
    sys70 make_sub
    expect_status 0, 'f_files/mkdir_sub', '70.9 of ft/sub failed'
    sys70 move_c
    expect_status 0, 'f_files/move', '70.10 of c.txt to /ft/sub/d.txt failed'
    sys70 read_d
    expect_status 6, 'f_files/move_read', 'reading the moved file did not end with 6'
    expect_count 7, 'f_files/move_read_count', 'the moved file is not 7 bytes long'
    expect_same buffer, pattern + 1, 7, 'f_files/move_read_data', 'the moved file has other bytes'
    sys70 info_c
    expect_status 5, 'f_files/move_old_gone', 'c.txt is still in ft after the move'
    sys70 rename_missing
    expect_status 5, 'f_files/rename_missing', '70.10 of a missing file did not return 5'

    ; The folder now holds ".", "..", a.txt, sub: 4 entries.
    sys70 list_ft
    expect_status 6, 'f_files/list_ft', '70.1 asking for 10 entries of ft did not return 6'
    expect_count 4, 'f_files/list_ft_count', 'ft does not list 4 entries'
    mov esi, buffer + 32 + 40
    mov edi, name_dot
    call string_equal
    check e, 'f_files/list_dot', 'the first entry of a folder is not "."'
    mov esi, buffer + 32 + 304 + 40
    mov edi, name_dotdot
    call string_equal
    check e, 'f_files/list_dotdot', 'the second entry of a folder is not ".."'
    mov eax, [buffer + 32 + 304]
    and eax, 0x10
    check nz, 'f_files/list_dotdot_folder', '".." lacks the folder bit'

    ; ---- a file larger than the kernel's 16 KiB chunks ----
    sys70 create_big
    expect_status 0, 'f_files/big_write', '70.2 of 70000 bytes failed'
    expect_count 70000, 'f_files/big_write_count', 'EBX is not 70000'
    sys70 read_big
    expect_status 0, 'f_files/big_read', '70.0 of 70000 bytes failed'
    expect_count 70000, 'f_files/big_read_count', 'EBX is not 70000'
    expect_same buffer2, 0x1000, 70000, 'f_files/big_data', 'the 70000 bytes read back differ'
    sys70 read_big_middle
    expect_status 0, 'f_files/big_read_offset', '70.0 at offset 40000 failed'
    expect_same buffer2, 0x1000 + 40000, 20000, 'f_files/big_offset_data', 'the bytes at 40000 differ'

    ; ---- 70.7: start programs ----
    sys70 start_child
    mov [expected], ebx
    cmp eax, 0
    check g, 'f_files/start', '70.7 of /sys/f_child did not return a PID'
    ; file_system_lfn (KolibriOS fs/fs_lfn.inc) sets only EAX for 70.7.
    mov eax, [expected]
    cmp eax, start_child
    check e, 'f_files/start_keeps_ebx', '70.7 changed EBX (eax = EBX after the call)'
    mov ebx, info_c1
    call wait_for_file
    expect_status 0, 'f_files/start_ran', 'f_child did not write c1.txt'
    sys70 read_c1
    expect_count child_path_length, 'f_files/start_params', 'c1.txt does not hold a path of the expected length'
    expect_same buffer, child_path, child_path_length, 'f_files/start_path', 'f_child was not started as /sys/f_child'

    ; Copy f_child to /tmp0/1 and start it from there.
    sys70 info_child
    expect_status 0, 'f_files/copy_info', '70.5 of /sys/f_child failed'
    mov eax, [info_block + 32]
    mov [create_child2 + 12], eax
    mov [expected], eax
    sys70 read_child
    expect_status 6, 'f_files/copy_read', 'reading f_child did not end with 6'
    expect_count [expected], 'f_files/copy_read_count', 'EBX is not the size of f_child'
    sys70 create_child2
    expect_status 0, 'f_files/copy_write', '70.2 of /tmp0/1/ft/fchild2 failed'
    sys70 start_child2
    cmp eax, 0
    check g, 'f_files/start_tmp', '70.7 of /tmp0/1/ft/fchild2 did not return a PID'
    mov ebx, info_c2
    call wait_for_file
    expect_status 0, 'f_files/start_tmp_ran', 'fchild2 did not write c2.txt'
    sys70 read_c2
    expect_count child2_path_length, 'f_files/start_tmp_params', 'c2.txt does not hold a path of the expected length'
    expect_same buffer, child2_path, child2_path_length, 'f_files/start_tmp_path', 'fchild2 was not started as /tmp0/1/ft/fchild2'

    ; A parameter string of 318 bytes: at the end of f_child's memory.
    sys70 start_long
    cmp eax, 0
    check g, 'f_files/start_long', '70.7 with a 318-byte parameter string did not return a PID'
    mov ebx, info_c4
    call wait_for_file
    expect_status 0, 'f_files/start_long_ran', 'f_child did not write c4.txt'
    sys70 read_c4
    expect_count 8, 'f_files/start_long_read', 'c4.txt does not hold two dwords'
    mov eax, dword [buffer]
    cmp eax, long_params_length
    check e, 'f_files/start_long_length', 'f_child did not get the whole 318-byte parameter string (eax = its length)'
    mov eax, dword [buffer + 4]
    cmp eax, 1
    check e, 'f_files/start_long_place', 'the long parameter string is not at the end of the memory, +0x1C pointing at it'

    sys70 start_missing
    expect_status -5, 'f_files/start_missing', '70.7 of a missing file did not return -5'
    ; A device that does not exist: file_system_lfn's .notfound sets EAX
    ; to 5 and leaves EBX as the caller had it.
    sys70 read_nodev
    expect_status 5, 'f_files/nodev_read', '70.0 on a missing device did not return 5'
    expect_count read_nodev, 'f_files/nodev_keeps_ebx', '70.0 on a missing device changed EBX'
    sys70 start_text
    expect_status -31, 'f_files/start_not_executable', '70.7 of a text file did not return -31'

    ; ---- wild pointers: error 7, and the program lives on ----
    sys70 read_kernel
    expect_status 7, 'f_files/bad_read_kernel', '70.0 into kernel memory did not return 7'
    sys70 read_unmapped
    expect_status 7, 'f_files/bad_read_unmapped', '70.0 into unmapped memory did not return 7'
    sys70 read_straddle
    expect_status 7, 'f_files/bad_read_straddle', '70.0 across the end of the program memory did not return 7'
    mov eax, 70
    mov ebx, 0xC0000000
    int 0x40
    expect_status 7, 'f_files/bad_structure', 'a structure in kernel memory did not return 7'
    sys70 read_bad_path
    expect_status 7, 'f_files/bad_path_pointer', 'a path pointer into the kernel did not return 7'
    sys70 create_bad
    expect_status 7, 'f_files/bad_write_source', '70.2 from kernel memory did not return 7'
    sys70 list_bad
    expect_status 7, 'f_files/bad_list_buffer', '70.1 into kernel memory did not return 7'
    sys70 info_bad
    expect_status 7, 'f_files/bad_info_buffer', '70.5 into a null buffer did not return 7'
    sys70 set_info_bad
    expect_status 7, 'f_files/bad_set_info_buffer', '70.6 from kernel memory did not return 7'
    sys70 rename_bad
    expect_status 7, 'f_files/bad_rename_pointer', '70.10 with a new name in kernel memory did not return 7'
    sys70 unknown_subfunction
    expect_status 2, 'f_files/unknown_subfunction', 'subfunction 11 did not return 2'
    sys70 read_self
    expect_status 0, 'f_files/alive', '70.0 after the wild pointers failed'

    call finish

; ---- information structures ----
info70 read_self, 0, 0, 0, file_end, buffer, '/sys/f_files'
info70 read_tail, 0, file_end - 10, 0, 100, buffer, '/sys/f_files'
info70 read_beyond, 0, file_end + 100, 0, 10, buffer, '/sys/f_files'
info70 read_rd, 0, 0, 0, 16, buffer, '/RD/1/F_FILES'
info70 read_missing, 0, 0, 0, 16, buffer, '/sys/no_such.fil'
info70 read_missing_dir, 0, 0, 0, 16, buffer, '/sys/nodir/f_files'
info70 make_ft, 9, 0, 0, 0, 0, '/tmp0/1/ft'
info70 make_orphan, 9, 0, 0, 0, 0, '/tmp0/1/nodir/sub'
info70 read_ft, 0, 0, 0, 16, buffer, '/tmp0/1/ft'
align 4
read_pointer_form dd 0, 0, 0, 16, buffer
    db 0
    dd path_self
path_self db '/sys/f_files', 0

align 4
list_sys dd 1, 0, 1
.count dd 0
    dd buffer
    db '/sys', 0
align 4
list_sys16 dd 1, 0, 2
.count dd 0
    dd buffer
    db '/sys', 0
align 4
list_sys8 dd 1, 0, 3
.count dd 0
    dd buffer
    db '/sys', 0
info70 list_last, 1, 0, 1, 5, buffer2, '/sys'
info70 list_ft, 1, 0, 1, 10, buffer, '/tmp0/1/ft'
info70 list_root, 1, 0, 1, 50, buffer, '/'
info70 list_rd, 1, 0, 1, 50, buffer, '/rd'

info70 create_a, 2, 0, 0, 100, pattern, '/tmp0/1/ft/a.txt'
info70 read_a, 0, 0, 0, 200, buffer, '/tmp0/1/ft/a.txt'
info70 rewrite_a, 2, 0, 0, 10, pattern + 50, '/tmp0/1/ft/a.txt'
info70 info_a, 5, 0, 0, 0, info_block, '/tmp0/1/ft/a.txt'
info70 write_a, 3, 20, 0, 10, pattern + 100, '/tmp0/1/ft/a.txt'
info70 write_middle, 3, 5, 0, 3, pattern + 200, '/tmp0/1/ft/a.txt'
info70 write_missing, 3, 0, 0, 3, pattern, '/tmp0/1/ft/none.txt'
info70 write_folder, 3, 0, 0, 3, pattern, '/tmp0/1/ft'
info70 set_end_a, 4, 5, 0, 0, 0, '/tmp0/1/ft/a.txt'
info70 set_end_missing, 4, 5, 0, 0, 0, '/tmp0/1/ft/none.txt'
info70 info_ft, 5, 0, 0, 0, info_block, '/tmp0/1/ft'
info70 info_missing, 5, 0, 0, 0, info_block, '/tmp0/1/ft/none.txt'
info70 set_info_a, 6, 0, 0, 0, new_attributes, '/tmp0/1/ft/a.txt'
info70 set_info_missing, 6, 0, 0, 0, new_attributes, '/tmp0/1/ft/none.txt'

info70 create_b, 2, 0, 0, 7, pattern + 1, '/tmp0/1/ft/b.txt'
info70 delete_ft, 8, 0, 0, 0, 0, '/tmp0/1/ft'
info70 make_empty, 9, 0, 0, 0, 0, '/tmp0/1/ft/empty'
info70 delete_empty, 8, 0, 0, 0, 0, '/tmp0/1/ft/empty'
info70 info_empty, 5, 0, 0, 0, info_block, '/tmp0/1/ft/empty'
info70 create_e, 2, 0, 0, 3, pattern, '/tmp0/1/ft/e.txt'
info70 delete_e, 8, 0, 0, 0, 0, '/tmp0/1/ft/e.txt'
info70 info_e, 5, 0, 0, 0, info_block, '/tmp0/1/ft/e.txt'
info70 rename_b, 10, 0, 0, 0, name_c, '/tmp0/1/ft/b.txt'
info70 info_b, 5, 0, 0, 0, info_block, '/tmp0/1/ft/b.txt'
info70 info_c, 5, 0, 0, 0, info_block, '/tmp0/1/ft/c.txt'
info70 make_sub, 9, 0, 0, 0, 0, '/tmp0/1/ft/sub'
info70 move_c, 10, 0, 0, 0, name_d, '/tmp0/1/ft/c.txt'
info70 read_d, 0, 0, 0, 20, buffer, '/tmp0/1/ft/sub/d.txt'
info70 rename_missing, 10, 0, 0, 0, name_c, '/tmp0/1/ft/none.txt'

info70 create_big, 2, 0, 0, 70000, 0x1000, '/tmp0/1/ft/big.bin'
info70 read_big, 0, 0, 0, 70000, buffer2, '/tmp0/1/ft/big.bin'
info70 read_big_middle, 0, 40000, 0, 20000, buffer2, '/tmp0/1/ft/big.bin'

info70 start_child, 7, 0, child_params, 0, 0, '/sys/f_child'
info70 info_c1, 5, 0, 0, 0, info_block, '/tmp0/1/ft/c1.txt'
info70 read_c1, 0, 0, 0, 256, buffer, '/tmp0/1/ft/c1.txt'
info70 info_child, 5, 0, 0, 0, info_block, '/sys/f_child'
info70 read_child, 0, 0, 0, 65536, buffer, '/sys/f_child'
info70 create_child2, 2, 0, 0, 0, buffer, '/tmp0/1/ft/fchild2'
info70 start_child2, 7, 0, child2_params, 0, 0, '/tmp0/1/ft/fchild2'
info70 info_c2, 5, 0, 0, 0, info_block, '/tmp0/1/ft/c2.txt'
info70 read_c2, 0, 0, 0, 256, buffer, '/tmp0/1/ft/c2.txt'
info70 start_long, 7, 0, long_params, 0, 0, '/sys/f_child'
info70 info_c4, 5, 0, 0, 0, info_block, '/tmp0/1/ft/c4.txt'
info70 read_c4, 0, 0, 0, 256, buffer, '/tmp0/1/ft/c4.txt'
info70 start_missing, 7, 0, 0, 0, 0, '/sys/no_prog'
info70 read_nodev, 0, 0, 0, 16, buffer, '/nodev/1/x'
info70 start_text, 7, 0, 0, 0, 0, '/tmp0/1/ft/a.txt'

info70 read_kernel, 0, 0, 0, 16, 0xC0000000, '/sys/f_files'
info70 read_unmapped, 0, 0, 0, 16, 0x30000000, '/sys/f_files'
info70 read_straddle, 0, 0, 0, 64, memory_end - 8, '/sys/f_files'
info70 create_bad, 2, 0, 0, 16, 0xC0000000, '/tmp0/1/ft/bad.txt'
info70 list_bad, 1, 0, 1, 2, 0xC0000000, '/sys'
info70 info_bad, 5, 0, 0, 0, 0, '/sys/f_files'
info70 set_info_bad, 6, 0, 0, 0, 0xC0000000, '/tmp0/1/ft/a.txt'
info70 rename_bad, 10, 0, 0, 0, 0xC0000000, '/tmp0/1/ft/a.txt'
info70 unknown_subfunction, 11, 0, 0, 0, 0, '/sys/f_files'
align 4
read_bad_path dd 0, 0, 0, 16, buffer
    db 0
    dd 0xC0000000

; ---- data ----
name_self db 'f_files', 0
align 2
name_self16 du 'f_files', 0
name_dot db '.', 0
name_rd db 'rd', 0
name_tmp0 db 'tmp0', 0
name_1 db '1', 0
name_dotdot db '..', 0
name_c db 'c.txt', 0
name_d db '/ft/sub/d.txt', 0
child_params db '/tmp0/1/ft/c1.txt', 0
child2_params db '/tmp0/1/ft/c2.txt', 0
; The path buffer as common_app_entry (KolibriOS core/taskman.inc) fills
; it: '/', the encoding byte 3, the full path with /sys as /RD/1.
child_path db '/', 3, '/RD/1/f_child'
child_path_length = $ - child_path
child2_path db '/', 3, '/tmp0/1/ft/fchild2'
child2_path_length = $ - child2_path
; A parameter string of 256 bytes or more (f_child.asm).
long_params db '/tmp0/1/ft/c4.txt '
    times 300 db 'x'
    db 0
long_params_length = $ - long_params - 1

; 70.6: hidden + archive; created 2001-02-03 04:05:06, accessed
; 2002-03-04 (FAT keeps no access time), modified 2003-04-05 06:07:08.
align 4
new_attributes:
    dd 0x22, 0
    db 6, 5, 4, 0, 3, 2
    dw 2001
    db 0, 0, 0, 0, 4, 3
    dw 2002
    db 8, 7, 6, 0, 5, 4
    dw 2003

pattern:
repeat 256
    db % - 1
end repeat

file_end: ; the file's length (fasm writes no trailing alignment)
align 16
image_end:
sys_total dd ?
expected dd ?
found_entry dd ?
label info_block dword
    rb 64
label buffer dword
    rb 0x40000
label buffer2 dword
    rb 0x20000
    rb 4096
stack_top:
    rb (4096 - ($ and 4095)) and 4095 ; memory ends on a page boundary (bad_read_straddle)
memory_end:
