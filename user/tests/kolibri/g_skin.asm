; g_skin: function 48 (style settings). 48.3 fills a 40-byte table of
; ten 0x00RRGGBB colours and no more than EDX bytes; 48.2 sets a table that
; 48.3 then answers, and with 48.0 the windows get the redraw event; the
; old table set back comes back. 48.4 (skin height) is sane; 48.7's caption
; margins fit in the header. 48.5 answers the working area; 48.6 with
; left >= right leaves x as it was; a valid 48.6 is answered by 48.5 and
; sends the redraw event; the old area set back comes back. 48.1 sets the
; button style. A skin file that does not exist (48.8) answers an error.
; Null and kernel pointers, odd sizes and unknown subfunctions do not stop
; the program.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_skin', 0

macro style subfunction, c, d
{
    mov eax, 48
    mov ebx, subfunction
if ~ c eq
    mov ecx, c
end if
if ~ d eq
    mov edx, d
end if
    int 0x40
}

; redraw_window: the answer to event 1.
redraw_window:
    window 100, 100, 199, 99, 0x03E0E0E0, 0, 0
    ret

start:
    call screen_init
    call redraw_window
    call drain_events

    ; 48.3: ten colours, top bytes zero.
    mov edi, table
    mov ecx, 64 / 4
    mov eax, 0xA5A5A5A5
    rep stosd
    style 3, table, 40
    xor edx, edx
    xor ecx, ecx
.colours:
    test dword [table + ecx * 4], 0xFF000000
    jz @f
    inc edx
@@:
    inc ecx
    cmp ecx, 10
    jb .colours
    mov eax, edx
    test eax, eax
    check z, 'g_skin/colours', '48.3: colours with a non-zero top byte (eax = how many)'
    cmp dword [table + 40], 0xA5A5A5A5
    check e, 'g_skin/table_size', '48.3 with EDX = 40 wrote past 40 bytes'
    ; EDX = 20: half the table.
    mov edi, short_table
    mov ecx, 64 / 4
    mov eax, 0xA5A5A5A5
    rep stosd
    style 3, short_table, 20
    mov eax, dword [short_table + 16]
    cmp eax, dword [table + 16]
    check e, 'g_skin/short_read', '48.3 with EDX = 20 did not write the first 20 bytes (eax = colour 4)'
    mov eax, dword [short_table + 20]
    cmp eax, 0xA5A5A5A5
    check e, 'g_skin/short_read_limit', '48.3 with EDX = 20 wrote past 20 bytes (eax = dword at 20)'

    ; 48.2: set another table, read it back, redraw event; set back.
    mov esi, table
    mov edi, new_table
    mov ecx, 10
.invert:
    lodsd
    xor eax, 0x00FFFFFF
    stosd
    loop .invert
    style 2, new_table, 40
    style 0, 0
    mov edi, check_table
    mov ecx, 10
    xor eax, eax
    rep stosd
    style 3, check_table, 40
    mov esi, new_table
    mov edi, check_table
    mov ecx, 10
    repe cmpsd
    setne al
    movzx eax, al
    test eax, eax
    check z, 'g_skin/set_colours', '48.3 after 48.2 did not answer the table set'
    wait_event 100
    cmp eax, 1
    check e, 'g_skin/colours_redraw', 'no redraw event after 48.2 and 48.0 (eax = event)'
    call redraw_window
    style 2, table, 40
    style 0, 0
    style 3, check_table, 40
    mov esi, table
    mov edi, check_table
    mov ecx, 10
    repe cmpsd
    setne al
    movzx eax, al
    test eax, eax
    check z, 'g_skin/colours_restored', 'the first table set back does not come back from 48.3'
    call drain_events
    call redraw_window

    ; 48.4 and 48.7.
    style 4
    mov [skin], eax
    cmp eax, 8
    check ae, 'g_skin/height_min', '48.4: skin height under 8 (eax)'
    cmp eax, 60
    check be, 'g_skin/height_max', '48.4: skin height over 60 (eax)'
    style 7
    mov [margins_x], eax
    mov [margins_y], ebx
    mov ecx, eax
    shr ecx, 16
    and eax, 0xFFFF
    add eax, ecx
    cmp eax, 400
    check b, 'g_skin/margins_x', '48.7: left + right caption margins are 400 or more (eax)'
    mov eax, [margins_y]
    mov ecx, eax
    shr ecx, 16
    and eax, 0xFFFF
    add eax, ecx
    cmp eax, [skin]
    check b, 'g_skin/margins_y', '48.7: top + bottom margins do not fit in the header (eax)'

    ; 48.5 / 48.6.
    style 5
    mov [area_x], eax
    mov [area_y], ebx
    ; left >= right: x is not changed.
    mov ecx, (500 shl 16) + 100
    mov edx, [area_y]
    style 6
    style 5
    cmp eax, [area_x]
    check e, 'g_skin/area_left_ge_right', '48.6 with left >= right changed x (eax = 48.5 x)'
    call drain_events
    call redraw_window
    ; A valid new area: 0..width-101, 0..height-51.
    mov ecx, [screen_width]
    sub ecx, 101
    mov edx, [screen_height]
    sub edx, 51
    mov [new_y], edx
    style 6
    style 5
    mov ecx, [screen_width]
    sub ecx, 101
    cmp eax, ecx
    check e, 'g_skin/area_set_x', '48.5 after 48.6 does not answer the x set (eax)'
    mov eax, ebx
    cmp eax, [new_y]
    check e, 'g_skin/area_set_y', '48.5 after 48.6 does not answer the y set (eax = ebx of 48.5)'
    wait_event 100
    cmp eax, 1
    check e, 'g_skin/area_redraw', 'no redraw event after 48.6 (eax = event)'
    call redraw_window
    style 6, [area_x], [area_y]
    style 5
    cmp eax, [area_x]
    check e, 'g_skin/area_restored_x', 'the first working area set back: x differs (eax)'
    mov eax, ebx
    cmp eax, [area_y]
    check e, 'g_skin/area_restored_y', 'the first working area set back: y differs (eax)'
    call drain_events
    call redraw_window

    ; 48.10 / 48.12 store a byte that 48.9 / 48.11 give back
    ; (fontSmoothing and fontSize in gui/font.inc); 48.11 starts at 0.
    style 11
    test eax, eax
    check z, 'g_skin/font_size_start', '48.11 does not start at 0 (eax)'
    style 12, 0x10C
    style 11
    cmp eax, 0x0C
    check e, 'g_skin/font_size', '48.11 does not give back the low byte set by 48.12 (eax)'
    style 12, 0
    style 10, 1
    style 9
    cmp eax, 1
    check e, 'g_skin/font_smoothing', '48.9 does not give back what 48.10 set (eax)'
    style 10, 0

    ; 48.1 button style, 48.8 a missing skin file.
    style 1, 0
    style 0, 0
    style 1, 1
    style 0, 0
    survived 'g_skin/button_style'
    call drain_events
    call redraw_window
    style 8, missing_skin
    test eax, eax
    check nz, 'g_skin/missing_skin', '48.8 of a missing skin file answered 0 (success)'
    call drain_events
    call redraw_window

    ; Out of range. (KolibriOS's 48.3 does not check the buffer and the
    ; process is killed there, "Undefined Exception"; Colibri refuses on
    ; purpose.)
    style 3, 0, 40
    style 3, 0xC0000000, 40
    style 3, table, 0
    style 3, table, 0xFFFFFFFF
    survived 'g_skin/bad_read'
    style 2, 0, 40
    style 2, 0xC0000000, 40
    style 2, table, 0xFFFFFFFF
    style 0, 1
    survived 'g_skin/bad_set'
    style 3, check_table, 40
    mov esi, table
    mov edi, check_table
    mov ecx, 10
    repe cmpsd
    setne al
    movzx eax, al
    test eax, eax
    check z, 'g_skin/bad_set_ignored', 'bad 48.2 calls changed the colour table'
    style 6, 0xFFFF0000, 0xFFFF0000
    style 6, 0x7FFF7FFF, 0x7FFF7FFF
    style 8, 0
    style 8, 0xC0000000
    style 99
    style -1
    survived 'g_skin/bad_values'
    style 6, [area_x], [area_y]
    call drain_events
    call finish

missing_skin db '/sys/nothere.skn', 0

image_end:
align 4
skin dd ?
margins_x dd ?
margins_y dd ?
area_x dd ?
area_y dd ?
new_y dd ?
table rd 16
short_table rd 16
new_table rd 16
check_table rd 16
align 16
    rb 4096
stack_top:
memory_end:
