; g_thinfo: function 9 (information on a thread) for the calling thread
; (ECX = -1) with a skinned window: EAX = the highest slot number; the
; name is the program's file name; the identifier is the one 18.21 maps
; to a slot whose information is the same; window position and sizes are
; function 0's values; the slot state is 0 (running); the client area is
; (5, skin height) with positive sizes inside the window; the window state
; is 0x80 (bit 7: the window is in use; not maximized, minimized or
; rolled up); the event mask is 7. Slot 1 is the system thread IDLE. A
; slot past the highest is free (state 9). Bad slots and buffers (null,
; kernel, past the program's memory) do not stop the program.
; As sys_cpuusage (KolibriOS kernel.asm) writes the buffer: the name is
; the file name as started ("g_thinfo", not upper-cased) padded with
; NULs to 11 bytes; the word at +8 and the byte at +21 are not written;
; the state at +50 is a dword; for a free slot only the word at +50 is
; written and EAX is still the highest slot; a kernel buffer gets -1.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_thinfo', 0

WX = 110
WY = 90
XSIZE = 249
YSIZE = 159

macro info9 buffer, slot
{
    mov eax, 9
    mov ebx, buffer
    mov ecx, slot
    int 0x40
}

start:
    call screen_init
    window WX, WY, XSIZE, YSIZE, 0x03FFFFFF, 0, 0
    mov eax, 48
    mov ebx, 4
    int 0x40
    mov [skin], eax

    mov edi, tinfo
    mov ecx, 1024 / 4
    mov eax, 0xA5A5A5A5
    rep stosd
    info9 tinfo, -1
    mov [max_slot], eax
    cmp eax, 2
    check ge, 'g_thinfo/max_slot', 'function 9 answered a highest slot under 2 (slot 1 is the system, ours is another)'
    cmp eax, 255
    check le, 'g_thinfo/max_slot_sane', 'function 9 answered a highest slot over 255 (eax)'

    ; Name: "g_thinfo" in any case, from offset 10.
    mov esi, tinfo + 10
    mov edi, own_name
    xor edx, edx
    mov ecx, 8
.name:
    mov al, [esi]
    cmp al, 'A'
    jb @f
    cmp al, 'Z'
    ja @f
    add al, 'a' - 'A'
@@:
    cmp al, [edi]
    je @f
    inc edx
@@:
    inc esi
    inc edi
    loop .name
    mov eax, edx
    test eax, eax
    check z, 'g_thinfo/name', 'the name at offset 10 is not the program file name g_thinfo (eax = wrong characters)'
    mov esi, tinfo + 10
    mov edi, exact_name
    mov ecx, 11
    repe cmpsb
    setne al
    movzx eax, al
    test eax, eax
    check z, 'g_thinfo/name_exact', 'the name at offset 10 is not g_thinfo as started, NUL-padded to 11 bytes'
    movzx eax, word [tinfo + 8]
    cmp eax, 0xA5A5
    check e, 'g_thinfo/plus8_untouched', 'the word at offset 8 was written (eax)'
    movzx eax, byte [tinfo + 21]
    cmp eax, 0xA5
    check e, 'g_thinfo/plus21_untouched', 'the byte at offset 21 was written (eax)'
    movzx eax, word [tinfo + 52]
    test eax, eax
    check z, 'g_thinfo/state_dword', 'the state at offset 50 is not written as a dword: +52 is not 0 (eax)'

    ; Identifier and slot.
    mov eax, dword [tinfo + 30]
    mov [own_id], eax
    cmp eax, 1
    check a, 'g_thinfo/id', 'the identifier at offset 30 is not above 1 (1 is OS/IDLE) (eax)'
    mov eax, 18
    mov ebx, 21
    mov ecx, [own_id]
    int 0x40
    mov [my_slot], eax
    cmp eax, 2
    check ge, 'g_thinfo/slot_of_id', '18.21 of our identifier did not answer a slot >= 2 (eax)'
    cmp eax, [max_slot]
    check le, 'g_thinfo/slot_in_range', 'our slot is above the highest slot function 9 answered (eax)'
    info9 info_by_slot, [my_slot]
    mov eax, dword [info_by_slot + 30]
    cmp eax, [own_id]
    check e, 'g_thinfo/by_slot', 'function 9 for our slot number describes another thread (eax = its id)'

    ; Window, as function 0 defined it.
    mov eax, dword [tinfo + 34]
    cmp eax, WX
    check e, 'g_thinfo/window_x', 'offset 34 is not the window x (eax)'
    mov eax, dword [tinfo + 38]
    cmp eax, WY
    check e, 'g_thinfo/window_y', 'offset 38 is not the window y (eax)'
    mov eax, dword [tinfo + 42]
    cmp eax, XSIZE
    check e, 'g_thinfo/window_xsize', 'offset 42 is not the x size given to function 0 (eax)'
    mov eax, dword [tinfo + 46]
    cmp eax, YSIZE
    check e, 'g_thinfo/window_ysize', 'offset 46 is not the y size given to function 0 (eax)'
    movzx eax, word [tinfo + 50]
    test eax, eax
    check z, 'g_thinfo/state_running', 'offset 50 (slot state) is not 0 for the running thread (eax)'

    ; Client area (+54..+66): function 9 copies WDATA.clientbox, which
    ; set_window_clientbox (KolibriOS gui/window.inc) makes at every
    ; function 0. Without the "relative coordinates" flag (EDX bit 29) it
    ; is the whole window: (0, 0) and the sizes as function 0 got them.
    mov eax, dword [tinfo + 54]
    test eax, eax
    check z, 'g_thinfo/client_x_whole', 'offset 54 (client x) is not 0 without EDX bit 29 (eax)'
    mov eax, dword [tinfo + 58]
    test eax, eax
    check z, 'g_thinfo/client_y_whole', 'offset 58 (client y) is not 0 without EDX bit 29 (eax)'
    mov eax, dword [tinfo + 62]
    cmp eax, XSIZE
    check e, 'g_thinfo/client_width_whole', 'offset 62 (client width) is not the x size without EDX bit 29 (eax)'
    mov eax, dword [tinfo + 66]
    cmp eax, YSIZE
    check e, 'g_thinfo/client_height_whole', 'offset 66 (client height) is not the y size without EDX bit 29 (eax)'
    ; With bit 29 the box starts at (5, skin height) for a skinned window
    ; and is x size - 2 * 5 + 1 wide, y size - skin height - 5 + 1 high.
    window WX, WY, XSIZE, YSIZE, 0x23FFFFFF, 0, 0
    info9 tinfo, -1
    mov eax, dword [tinfo + 54]
    cmp eax, 5
    check e, 'g_thinfo/client_x', 'offset 54 (client x) is not 5 for a skinned window with EDX bit 29 (eax)'
    mov eax, dword [tinfo + 58]
    cmp eax, [skin]
    check e, 'g_thinfo/client_y', 'offset 58 (client y) is not the skin height with EDX bit 29 (eax)'
    mov eax, dword [tinfo + 62]
    cmp eax, XSIZE - 9
    check e, 'g_thinfo/client_width', 'offset 62 (client width) is not x size - 9 with EDX bit 29 (eax)'
    mov eax, YSIZE - 4
    sub eax, [skin]
    mov [expected_height], eax
    mov eax, dword [tinfo + 66]
    cmp eax, [expected_height]
    check e, 'g_thinfo/client_height', 'offset 66 (client height) is not y size - skin height - 4 with EDX bit 29 (eax)'
    movzx eax, byte [tinfo + 70]
    cmp eax, 0x80
    check e, 'g_thinfo/window_state', 'offset 70 (window state) is not 0x80 (in use, normal) for a normal window (eax)'
    mov eax, dword [tinfo + 71]
    cmp eax, 7
    check e, 'g_thinfo/event_mask', 'offset 71 (event mask) is not the default 7 (eax)'
    ; The window stack position of the active (top) window is the highest.
    movzx eax, word [tinfo + 4]
    test eax, eax
    check nz, 'g_thinfo/stack_position', 'offset 4 (window stack position) is 0 (eax)'

    ; Slot 1: IDLE.
    info9 info_by_slot, 1
    mov eax, dword [info_by_slot + 10]
    cmp eax, 'IDLE'
    check e, 'g_thinfo/slot1_name', 'slot 1 is not named IDLE (eax = first four characters)'
    movzx eax, byte [info_by_slot + 14]
    test eax, eax
    check z, 'g_thinfo/slot1_name_end', 'the name of slot 1 is not NUL after IDLE (eax)'
    mov eax, dword [info_by_slot + 30]
    cmp eax, 1
    check e, 'g_thinfo/slot1_id', 'slot 1 does not have the identifier 1 (eax)'

    ; A slot past the highest is free: state 9, nothing else written.
    mov edi, info_by_slot
    mov ecx, 1024 / 4
    mov eax, 0xA5A5A5A5
    rep stosd
    mov ecx, [max_slot]
    inc ecx
    info9 info_by_slot, ecx
    cmp eax, [max_slot]
    check e, 'g_thinfo/free_slot_eax', 'function 9 for a free slot did not answer the highest slot (eax)'
    movzx eax, word [info_by_slot + 50]
    cmp eax, 9
    check e, 'g_thinfo/free_slot', 'the slot after the highest is not free (state 9) (eax)'
    mov esi, info_by_slot
    xor edx, edx
    xor ecx, ecx
.untouched:
    cmp ecx, 50
    je .skip_state
    cmp ecx, 51
    je .skip_state
    cmp byte [esi + ecx], 0xA5
    je .skip_state
    inc edx
.skip_state:
    inc ecx
    cmp ecx, 76
    jb .untouched
    mov eax, edx
    test eax, eax
    check z, 'g_thinfo/free_slot_untouched', 'for a free slot bytes other than the word at +50 were written (eax = how many)'

    ; Out of range: slots 0, 256, 0x7FFFFFFF, -2; buffers null, kernel,
    ; running past the program's memory. (KolibriOS's function 9 in
    ; kernel.asm does not check the buffer: it page-faults in the kernel on
    ; these and kills the process; Colibri refuses them on purpose.)
    info9 info_by_slot, 0
    info9 info_by_slot, 256
    info9 info_by_slot, 0x7FFFFFFF
    info9 info_by_slot, -2
    survived 'g_thinfo/bad_slot'
    info9 0, -1
    info9 0xC0000000, -1
    cmp eax, -1
    check e, 'g_thinfo/kernel_buffer', 'function 9 with a kernel buffer did not answer -1 (eax)'
    info9 memory_end - 16, -1
    survived 'g_thinfo/bad_buffer'
    call finish

own_name db 'g_thinfo'
exact_name db 'g_thinfo', 0, 0, 0

image_end:
align 4
skin dd ?
expected_height dd ?
max_slot dd ?
own_id dd ?
my_slot dd ?
tinfo rb 1024
info_by_slot rb 1024
align 16
    rb 4096
stack_top:
memory_end:
