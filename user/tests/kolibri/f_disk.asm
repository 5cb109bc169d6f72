; f_disk: function 70 on the first hard disk (/hd0/1), an image the host
; made with mkfs.fat and filled with mtools (tests/vm/test_kolibri_files.py):
;   /hello.txt     "Hello from mtools!\n"
;   /dir/big.bin   100000 bytes, byte i = (7 * i + i / 256) mod 256
;   /Привет.txt    "cyrillic\n" (a long name: read here in cp866)
;   /victim.txt    anything (deleted here)
;   /trunc.txt     1000 bytes (cut to 100 here)
; It reads them, then writes what the host checks afterwards with mtools
; and fsck.fat: newdir/out.bin (the first 50000 bytes of big.bin, then
; "tail"), written.txt, hello.txt renamed to renamed.txt.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'files.inc'
test_name db 'f_disk', 0

macro info70 name, subfunction, p1, p2, p3, p4, [path]
{
common
    align 4
    name dd subfunction, p1, p2, p3, p4
    db path, 0
}

start:
    sys70 read_hello
    expect_status 6, 'f_disk/read_small', '70.0 of hello.txt did not end with 6'
    expect_count hello_length, 'f_disk/read_small_count', 'EBX is not the length of hello.txt'
    expect_same buffer, hello, hello_length, 'f_disk/read_small_data', 'hello.txt has other bytes'

    sys70 read_big
    expect_status 0, 'f_disk/read_big', '70.0 of 100000 bytes of dir/big.bin failed'
    expect_count 100000, 'f_disk/read_big_count', 'EBX is not 100000'
    ; byte i = (7 * i + i / 256) mod 256
    xor ecx, ecx
    xor edx, edx
.pattern:
    mov eax, ecx
    imul eax, 7
    mov ebx, ecx
    shr ebx, 8
    add eax, ebx
    cmp al, byte [buffer + ecx]
    je .pattern_next
    inc edx
.pattern_next:
    inc ecx
    cmp ecx, 100000
    jb .pattern
    mov eax, edx
    test eax, eax
    check z, 'f_disk/read_big_data', 'bytes of big.bin differ from the pattern (EAX = how many)'

    sys70 read_cyrillic
    expect_status 6, 'f_disk/read_cp866_name', '70.0 of /hd0/1/<cp866 name> did not end with 6'
    expect_count cyrillic_length, 'f_disk/read_cp866_name_count', 'EBX is not 9'
    expect_same buffer2, cyrillic, cyrillic_length, 'f_disk/read_cp866_name_data', 'the file has other bytes'

    sys70 list_root
    expect_status 6, 'f_disk/list_root', '70.1 of /hd0/1 asking for 50 entries did not return 6'
    mov esi, buffer2
    mov ecx, 560
    mov edi, name_hello
    mov edx, string_equal
    call find_entry
    test eax, eax
    check nz, 'f_disk/list_root_hello', 'hello.txt is not in the listing of /hd0/1'
    mov esi, buffer2
    mov ecx, 560
    mov edi, name_dir
    mov edx, string_equal
    call find_entry
    mov [found_entry], eax
    test eax, eax
    check nz, 'f_disk/list_root_dir', 'dir is not in the listing of /hd0/1'
    mov ebx, [found_entry]
    test ebx, ebx
    jz .no_dir
    mov eax, [ebx]
    and eax, 0x10
    check nz, 'f_disk/list_root_dir_bit', 'dir lacks the folder bit'
.no_dir:
    mov esi, buffer2
    mov ecx, 560
    mov edi, name_cyrillic_utf8
    mov edx, string_equal
    call find_entry
    test eax, eax
    check nz, 'f_disk/list_root_utf8_name', 'the Cyrillic name is not in the UTF-8 listing'

    sys70 info_root
    expect_status 0, 'f_disk/info_root', '70.5 of /hd0/1 failed'
    mov eax, [info_block + 32]
    cmp eax, 1024 * 1024
    check a, 'f_disk/info_root_size', '70.5 of /hd0/1 does not give the partition size'

    ; ---- writes, checked by the host afterwards ----
    sys70 make_newdir
    expect_status 0, 'f_disk/mkdir', '70.9 of /hd0/1/newdir failed'
    sys70 create_out
    expect_status 0, 'f_disk/create', '70.2 of newdir/out.bin failed'
    expect_count 50000, 'f_disk/create_count', 'EBX is not 50000'
    sys70 append_out
    expect_status 0, 'f_disk/append', '70.3 at the end of out.bin failed'
    expect_count 4, 'f_disk/append_count', 'EBX is not 4'
    sys70 create_written
    expect_status 0, 'f_disk/create_small', '70.2 of written.txt failed'
    sys70 rename_hello
    expect_status 0, 'f_disk/rename', '70.10 of hello.txt failed'
    sys70 delete_victim
    expect_status 0, 'f_disk/delete', '70.8 of victim.txt failed'
    sys70 cut_trunc
    expect_status 0, 'f_disk/set_end', '70.4 of trunc.txt failed'
    sys70 read_renamed
    expect_status 6, 'f_disk/read_renamed', '70.0 of renamed.txt did not end with 6'
    expect_same buffer2, hello, hello_length, 'f_disk/read_renamed_data', 'renamed.txt has other bytes'
    print 'INFO f_disk: writes done', 10

    call finish

info70 read_hello, 0, 0, 0, 4096, buffer, '/hd0/1/hello.txt'
info70 read_big, 0, 0, 0, 100000, buffer, '/hd0/1/dir/big.bin'
; "Привет.txt" in cp866
info70 read_cyrillic, 0, 0, 0, 4096, buffer2, '/hd0/1/', 0x8F, 0xE0, 0xA8, 0xA2, 0xA5, 0xE2, '.txt'
info70 list_root, 1, 0, 3, 50, buffer2, '/hd0/1'
info70 info_root, 5, 0, 0, 0, info_block, '/hd0/1'
info70 make_newdir, 9, 0, 0, 0, 0, '/hd0/1/newdir'
info70 create_out, 2, 0, 0, 50000, buffer, '/hd0/1/newdir/out.bin'
info70 append_out, 3, 50000, 0, 4, tail_text, '/hd0/1/newdir/out.bin'
info70 create_written, 2, 0, 0, written_length, written, '/hd0/1/written.txt'
info70 rename_hello, 10, 0, 0, 0, name_renamed, '/hd0/1/hello.txt'
info70 delete_victim, 8, 0, 0, 0, 0, '/hd0/1/victim.txt'
info70 cut_trunc, 4, 100, 0, 0, 0, '/hd0/1/trunc.txt'
info70 read_renamed, 0, 0, 0, 4096, buffer2, '/hd0/1/renamed.txt'

hello db 'Hello from mtools!', 10
hello_length = $ - hello
cyrillic db 'cyrillic', 10
cyrillic_length = $ - cyrillic
written db 'written inside Colibri', 10
written_length = $ - written
tail_text db 'tail'
name_hello db 'hello.txt', 0
name_dir db 'dir', 0
name_renamed db 'renamed.txt', 0
name_cyrillic_utf8 db 0xD0, 0x9F, 0xD1, 0x80, 0xD0, 0xB8, 0xD0, 0xB2, 0xD0, 0xB5, 0xD1, 0x82, '.txt', 0

align 16
image_end:
found_entry dd ?
label info_block dword
    rb 64
label buffer dword
    rb 100000
label buffer2 dword
    rb 0x10000
    rb 4096
stack_top:
memory_end:
