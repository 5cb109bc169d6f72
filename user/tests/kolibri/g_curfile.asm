; g_curfile: 37.4 with LOAD_FROM_FILE (EDX = 0) and 37.8 (a path with an
; encoding) load a .cur file as load_cursor (KolibriOS video/cursors.inc)
; does after load_file; the same bytes load from memory too (EDX = 1). A
; missing file, a cut one, one that is no cursor: 0; a kernel address in
; 37.8 leaves EAX.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'g_curfile', 0

macro mouse b, c, d
{
    mov eax, 37
    mov ebx, b
    mov ecx, c
    mov edx, d
    int 0x40
}

macro sys70 info
{
    mov eax, 70
    mov ebx, info
    int 0x40
}

start:
    sys70 write_cur
    cmp eax, 0
    check e, 'g_curfile/write', '70.2 of /tmp0/1/t.cur failed (eax)'
    sys70 write_cut
    mouse 4, cur, 1
    mov [memory_handle], eax
    test eax, eax
    check nz, 'g_curfile/from_memory', '37.4 of the .cur bytes in memory gave no handle'
    mouse 4, path_cp866, 0
    mov [file_handle], eax
    test eax, eax
    check nz, 'g_curfile/from_file', '37.4 of /tmp0/1/t.cur gave no handle'
    mov eax, [file_handle]
    cmp eax, [memory_handle]
    check ne, 'g_curfile/new_handle', 'the file cursor has the memory cursor handle (eax)'
    mouse 5, [file_handle], 0
    mouse 5, 0, 0
    cmp eax, [file_handle]
    check e, 'g_curfile/set_and_back', '37.5 did not answer the file cursor as the one set before (eax)'
    mouse 8, path_utf8, 3
    test eax, eax
    check nz, 'g_curfile/utf8_path', '37.8 with a UTF-8 path gave no handle'
    mouse 4, path_missing, 0
    test eax, eax
    check z, 'g_curfile/missing', '37.4 of a missing file gave a handle (eax)'
    mouse 4, path_cut, 0
    test eax, eax
    check z, 'g_curfile/cut', '37.4 of a cut .cur file gave a handle (eax)'
    mouse 4, path_self, 0
    test eax, eax
    check z, 'g_curfile/not_a_cursor', '37.4 of a program file gave a handle (eax)'
    mov eax, 37
    mov ebx, 8
    mov ecx, 0x80000000
    mov edx, 3
    int 0x40
    cmp eax, 37
    check e, 'g_curfile/kernel_path_keeps_eax', '37.8 with a kernel address changed EAX'
    call finish

path_cp866 db '/tmp0/1/t.cur', 0
path_utf8 db '/tmp0/1/t.cur', 0
path_missing db '/tmp0/1/none.cur', 0
path_cut db '/tmp0/1/cut.cur', 0
path_self db '/sys/g_curfile', 0
align 4
write_cur dd 2, 0, 0, cur_size, cur
    db '/tmp0/1/t.cur', 0
align 4
write_cut dd 2, 0, 0, 2000, cur
    db '/tmp0/1/cut.cur', 0
align 4
memory_handle dd 0
file_handle dd 0

; A 32 x 32 cursor, 32 bits a pixel, hot spot (3, 4).
align 4
cur:
    dw 0, 2, 1                  ; reserved, type 2 = cursor, one image
    db 32, 32, 0, 0             ; width, height, colours, reserved
    dw 3, 4                     ; hot spot
    dd bitmap_size, 22          ; bytes of the image, its offset
bitmap:
    dd 40, 32, 64               ; BITMAPINFOHEADER: size, width, 2 x height
    dw 1, 32                    ; planes, bits a pixel
    dd 0, 0, 0, 0, 0, 0         ; no compression, the rest 0
    times 32 * 32 dd 0xFF00C000 ; green, opaque
    times 32 dd 0               ; AND mask: all shown
bitmap_size = $ - bitmap
cur_size = $ - cur

image_end:
align 16
    rb 4096
stack_top:
memory_end:
