; f_enc: path encodings and the current folder, from sysfuncs.txt:
; function 30 (current folder: 30.1/30.2 in cp866, 30.4/30.5 with an
; encoding), function 80 (every subfunction, the path's encoding at +20:
; 1 cp866, 2 UTF-16LE, 3 UTF-8, 0 with an encoding byte), function 70's
; encoding byte ("1/2/3" before the path, also after a leading '/'),
; relative paths with "." and "..", and cp866 letters in names.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'files.inc'
test_name db 'f_enc', 0

; Function 80's information structure: subfunction, four parameters, the
; path's encoding and a pointer to the path.
macro info80 name, subfunction, p1, p2, p3, p4, encoding, path
{
    align 4
    name dd subfunction, p1, p2, p3, p4, encoding, path
}

macro info70 name, subfunction, p1, p2, p3, p4, [path]
{
common
    align 4
    name dd subfunction, p1, p2, p3, p4
    db path, 0
}

; get_folder subfunction, size, encoding: function 30.2/30.5 into text.
macro get_folder subfunction, size, encoding
{
    mov eax, 30
    mov ebx, subfunction
    mov ecx, text
    mov edx, size
    mov esi, encoding
    int 0x40
}

; read_check info, 'name' (function 70) / read_check80 (function 80): the
; read of u16.txt (12 bytes, asking for 64) ends with 6 after 12 bytes
; equal to text_12.
macro read_check_common name
{
    expect_status 6, name, 'the read did not end with 6 (EOF)'
    expect_count 12, <name, '_count'>, 'EBX is not 12'
    expect_same buffer, text_12, 12, <name, '_data'>, 'the bytes differ'
}

macro read_check info, name
{
    sys70 info
    read_check_common name
}

macro read_check80 info, name
{
    sys80 info
    read_check_common name
}

start:
    ; ---- 30: the current folder ----
    ; A program starts in the system folder, which KolibriOS calls /RD/1
    ; after a ramdisk boot; 30.2 answers the bytes it wrote, and a cut
    ; string ends in a NUL over its last character (sys_current_directory).
    get_folder 2, 64, 0
    expect_status 6, 'f_enc/cwd_default_length', '30.2 did not return 6 for "/RD/1"'
    expect_same text, path_sys, 6, 'f_enc/cwd_default', 'the current folder is not /RD/1 at start'
    get_folder 2, 3, 0
    expect_status 3, 'f_enc/cwd_short_buffer_length', '30.2 into 3 bytes did not return 3, the bytes written'
    expect_same text, path_sys_cut, 3, 'f_enc/cwd_short_buffer', '30.2 into 3 bytes did not give "/R",0'
    get_folder 2, 0, 0
    expect_status 0, 'f_enc/cwd_no_buffer', '30.2 into 0 bytes did not return 0'
    sys70 info_self_relative
    expect_status 0, 'f_enc/relative_to_sys', '70.5 of "f_enc" relative to /RD/1 failed'

    sys80 make_enc
    expect_status 0, 'f_enc/mkdir_utf8', '80.9 of /tmp0/1/enc (UTF-8) failed'
    mov eax, 30
    mov ebx, 1
    mov ecx, path_enc
    int 0x40
    get_folder 2, 64, 0
    expect_status path_enc_length, 'f_enc/cwd_set_length', '30.2 after 30.1 gave another length'
    expect_same text, path_enc, path_enc_length, 'f_enc/cwd_set', '30.2 does not give the folder 30.1 set'
    get_folder 5, 64, 2
    expect_status path_enc16_length, 'f_enc/cwd_utf16_length', '30.5 in UTF-16 did not return the length in bytes'
    expect_same text, path_enc16, path_enc16_length, 'f_enc/cwd_utf16', '30.5 in UTF-16 gives other text'
    get_folder 5, 64, 3
    expect_status path_enc_length, 'f_enc/cwd_utf8_length', '30.5 in UTF-8 gave another length'
    ; 30.4 with a UTF-16 relative path containing "..".
    mov eax, 30
    mov ebx, 4
    mov ecx, path_up16
    mov edx, 2
    int 0x40
    get_folder 2, 64, 0
    expect_same text, path_enc, path_enc_length, 'f_enc/cwd_set_utf16_dotdot', '30.4 with "../enc" in UTF-16 did not stay in /tmp0/1/enc'

    ; ---- 80.2 with a relative UTF-16 path, read back in every form ----
    sys80 create_u16
    expect_status 0, 'f_enc/create_utf16_relative', '80.2 of "u16.txt" (UTF-16, relative) failed'
    expect_count 12, 'f_enc/create_utf16_count', 'EBX is not 12'
    read_check read_absolute_cp866, 'f_enc/read_70_absolute'
    read_check read_relative, 'f_enc/read_70_relative'
    read_check read_byte_utf8, 'f_enc/read_70_encoding_byte_utf8'
    read_check read_byte_utf16, 'f_enc/read_70_encoding_byte_utf16'
    read_check read_slash_byte, 'f_enc/read_70_slash_encoding_byte'
    read_check80 read80_cp866, 'f_enc/read_80_cp866'
    read_check80 read80_utf16, 'f_enc/read_80_utf16'
    read_check80 read80_utf8, 'f_enc/read_80_utf8'
    read_check80 read80_default_byte, 'f_enc/read_80_default_with_byte'
    sys70 info_dots
    expect_status 0, 'f_enc/relative_dots', '70.5 of "../enc/./u16.txt" failed'

    ; ---- 80.3 / 80.4 / 80.5 / 80.6 ----
    sys80 write_more
    expect_status 0, 'f_enc/write_80', '80.3 (UTF-8 path) failed'
    expect_count 4, 'f_enc/write_80_count', 'EBX is not 4'
    sys80 info_u16
    expect_status 0, 'f_enc/info_80', '80.5 (UTF-8 path) failed'
    mov eax, [info_block + 32]
    cmp eax, 16
    check e, 'f_enc/write_80_size', 'the file is not 16 bytes after 80.3'
    sys80 set_end_u16
    expect_status 0, 'f_enc/set_end_80', '80.4 (UTF-16 path) failed'
    sys80 info_u16
    mov eax, [info_block + 32]
    cmp eax, 6
    check e, 'f_enc/set_end_80_size', 'the file is not 6 bytes after 80.4'
    sys80 set_info_u16
    expect_status 0, 'f_enc/set_info_80', '80.6 (cp866 path) failed'
    sys80 info_u16
    mov eax, [info_block]
    cmp eax, 0x24
    check e, 'f_enc/set_info_80_attributes', 'the attributes are not system+archive (0x24)'
    expect_same info_block + 8, new_attributes + 8, 24, 'f_enc/set_info_80_times', 'the dates and times read back differ'

    ; ---- 80.1: path in UTF-16, names in UTF-8 ----
    sys80 list_enc
    expect_status 6, 'f_enc/list_80', '80.1 asking for 20 entries did not return 6'
    mov esi, buffer
    mov ecx, 560
    mov edi, name_u16_utf8
    mov edx, string_equal_ci
    call find_entry
    test eax, eax
    check nz, 'f_enc/list_80_finds_file', 'u16.txt is not in the UTF-8 listing'

    ; ---- 80.10 / 80.8 ----
    sys80 rename_u16
    expect_status 0, 'f_enc/rename_80', '80.10 (UTF-16 path and new name) failed'
    sys70 info_moved
    expect_status 0, 'f_enc/rename_80_new', 'moved.txt is not there'
    sys70 info_u16_70
    expect_status 5, 'f_enc/rename_80_old_gone', 'u16.txt is still there'
    sys80 delete_moved
    expect_status 0, 'f_enc/delete_80', '80.8 (UTF-8 path) failed'
    sys70 info_moved
    expect_status 5, 'f_enc/delete_80_gone', 'moved.txt is still there'

    ; ---- 80.7 ----
    sys80 start_child
    cmp eax, 0
    check g, 'f_enc/start_80', '80.7 of /sys/f_child (UTF-16 path) did not return a PID'
    mov ebx, info_c3
    call wait_for_file
    expect_status 0, 'f_enc/start_80_ran', 'f_child did not write c3.txt'
    sys70 read_c3
    expect_count child_path_length, 'f_enc/start_80_params', 'c3.txt does not hold a path of the expected length'
    expect_same buffer, child_path, child_path_length, 'f_enc/start_80_path', 'f_child was not started as /sys/f_child'

    ; ---- errors ----
    sys80 bad_encoding
    expect_status 2, 'f_enc/bad_encoding', '80 with encoding 7 did not return 2'
    sys80 bad_path_pointer
    expect_status 7, 'f_enc/bad_path_pointer', '80 with a path in kernel memory did not return 7'
    mov eax, 80
    mov ebx, 0xBFFFFFF0
    int 0x40
    expect_status 7, 'f_enc/bad_structure', '80 with a structure crossing into the kernel did not return 7'
    mov eax, 30
    mov ebx, 2
    mov ecx, 0xC0000000
    mov edx, 64
    int 0x40
    expect_status 0, 'f_enc/cwd_bad_buffer', '30.2 into kernel memory did not return 0'

    ; ---- cp866 letters in a name ----
    sys70 create_cp866
    expect_status 0, 'f_enc/cp866_create', '70.2 of a name with cp866 letters failed'
    sys80 read_cyrillic_utf8
    expect_status 6, 'f_enc/cp866_read_utf8', '80.0 of the name in UTF-8 did not end with 6'
    expect_count 12, 'f_enc/cp866_read_utf8_count', 'EBX is not 12'
    expect_same buffer, text_12, 12, 'f_enc/cp866_read_utf8_data', 'the bytes differ'
    sys80 read_cyrillic_utf16
    expect_status 6, 'f_enc/cp866_read_utf16', '80.0 of the name in UTF-16 did not end with 6'
    sys70 list_enc_cp866
    mov esi, buffer
    mov ecx, 304
    mov edi, name_cyrillic_cp866
    mov edx, string_equal
    call find_entry
    test eax, eax
    check nz, 'f_enc/cp866_list_cp866', 'the cp866 listing lacks the name in cp866'
    sys70 list_enc_utf8
    mov esi, buffer
    mov ecx, 560
    mov edi, name_cyrillic_utf8
    mov edx, string_equal
    call find_entry
    test eax, eax
    check nz, 'f_enc/cp866_list_utf8', 'the UTF-8 listing lacks the name in UTF-8'

    ; ".." at a partition root: /tmp0/1/.. is /tmp0, so "../1/enc" from
    ; /tmp0/1 is /tmp0/1/enc.
    mov eax, 30
    mov ebx, 1
    mov ecx, path_tmp
    int 0x40
    sys70 info_up_and_down
    expect_status 0, 'f_enc/relative_up_and_down', '70.5 of "../1/enc" from /tmp0/1 failed'

    call finish

; ---- information structures ----
info70 info_self_relative, 5, 0, 0, 0, info_block, 'f_enc'
info80 make_enc, 9, 0, 0, 0, 0, 3, path_enc
info80 create_u16, 2, 0, 0, 12, text_12, 2, name_u16
info70 read_absolute_cp866, 0, 0, 0, 64, buffer, '/tmp0/1/enc/u16.txt'
info70 read_relative, 0, 0, 0, 64, buffer, 'u16.txt'
info70 read_byte_utf8, 0, 0, 0, 64, buffer, 3, '/tmp0/1/enc/u16.txt'
align 4
read_byte_utf16 dd 0, 0, 0, 64, buffer
    db 2
    du '/tmp0/1/enc/u16.txt', 0
info70 read_slash_byte, 0, 0, 0, 64, buffer, '/', 3, 'tmp0/1/enc/u16.txt'
info80 read80_cp866, 0, 0, 0, 64, buffer, 1, path_u16_cp866
info80 read80_utf16, 0, 0, 0, 64, buffer, 2, path_u16_utf16
info80 read80_utf8, 0, 0, 0, 64, buffer, 3, path_u16_cp866
info80 read80_default_byte, 0, 0, 0, 64, buffer, 0, path_u16_with_byte
info70 info_dots, 5, 0, 0, 0, info_block, '../enc/./u16.txt'
info80 write_more, 3, 12, 0, 4, text_12, 3, path_u16_cp866
info80 info_u16, 5, 0, 0, 0, info_block, 3, path_u16_cp866
info80 set_end_u16, 4, 6, 0, 0, 0, 2, path_u16_utf16
info80 set_info_u16, 6, 0, 0, 0, new_attributes, 1, path_u16_cp866
info80 list_enc, 1, 0, 3, 20, buffer, 2, path_enc16
info80 rename_u16, 10, 0, 0, 0, name_moved16, 2, path_u16_utf16
info70 info_moved, 5, 0, 0, 0, info_block, '/tmp0/1/enc/moved.txt'
info70 info_u16_70, 5, 0, 0, 0, info_block, '/tmp0/1/enc/u16.txt'
info80 delete_moved, 8, 0, 0, 0, 0, 3, path_moved
info80 start_child, 7, 0, child_params, 0, 0, 2, path_child16
info70 info_c3, 5, 0, 0, 0, info_block, '/tmp0/1/enc/c3.txt'
info70 read_c3, 0, 0, 0, 256, buffer, '/tmp0/1/enc/c3.txt'
info80 bad_encoding, 5, 0, 0, 0, info_block, 7, path_u16_cp866
info80 bad_path_pointer, 5, 0, 0, 0, info_block, 3, 0xC0000000
info70 create_cp866, 2, 0, 0, 12, text_12, '/tmp0/1/enc/', 0x94, 0xA0, 0xA9, 0xAB, '.txt'
info80 read_cyrillic_utf8, 0, 0, 0, 64, buffer, 3, path_cyrillic_utf8
info80 read_cyrillic_utf16, 0, 0, 0, 64, buffer, 2, path_cyrillic_utf16
info70 list_enc_cp866, 1, 0, 1, 20, buffer, '/tmp0/1/enc'
info70 list_enc_utf8, 1, 0, 3, 20, buffer, '/tmp0/1/enc'
info70 info_up_and_down, 5, 0, 0, 0, info_block, '../1/enc'

; ---- data ----
path_sys db '/RD/1', 0
path_sys_cut db '/R', 0
path_enc db '/tmp0/1/enc', 0
path_enc_length = $ - path_enc
path_tmp db '/tmp0/1', 0
align 2
path_enc16 du '/tmp0/1/enc', 0
path_enc16_length = $ - path_enc16
path_up16 du '../enc', 0
name_u16 du 'u16.txt', 0
path_u16_utf16 du '/tmp0/1/enc/u16.txt', 0
name_moved16 du 'moved.txt', 0
path_child16 du '/sys/f_child', 0
; "/tmp0/1/enc/Файл.txt" in UTF-16LE and UTF-8.
path_cyrillic_utf16 du '/tmp0/1/enc/', 0x0424, 0x0430, 0x0439, 0x043B, '.txt', 0
path_cyrillic_utf8 db '/tmp0/1/enc/', 0xD0, 0xA4, 0xD0, 0xB0, 0xD0, 0xB9, 0xD0, 0xBB, '.txt', 0
name_cyrillic_utf8 db 0xD0, 0xA4, 0xD0, 0xB0, 0xD0, 0xB9, 0xD0, 0xBB, '.txt', 0
name_cyrillic_cp866 db 0x94, 0xA0, 0xA9, 0xAB, '.txt', 0
path_u16_cp866 db '/tmp0/1/enc/u16.txt', 0
path_u16_with_byte db 3, '/tmp0/1/enc/u16.txt', 0
path_moved db '/tmp0/1/enc/moved.txt', 0
name_u16_utf8 db 'u16.txt', 0
child_params db '/tmp0/1/enc/c3.txt', 0
; As common_app_entry (KolibriOS core/taskman.inc) fills the path buffer.
child_path db '/', 3, '/RD/1/f_child'
child_path_length = $ - child_path
text_12 db 'twelve bytes'

; 80.6: system + archive; created 2010-11-12 13:14:16, accessed
; 2011-01-02, modified 2012-03-04 05:06:08.
align 4
new_attributes:
    dd 0x24, 0
    db 16, 14, 13, 0, 12, 11
    dw 2010
    db 0, 0, 0, 0, 2, 1
    dw 2011
    db 8, 6, 5, 0, 4, 3
    dw 2012

align 16
image_end:
label info_block dword
    rb 64
label text dword
    rb 256
label buffer dword
    rb 0x10000
    rb 4096
stack_top:
memory_end:
