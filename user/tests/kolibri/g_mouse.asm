; g_mouse: function 37 (the mouse) and the pointer subfunctions of 18.
; 37.0 is a point on the screen; 37.1 is relative to the working area, as
; readmousepos .mswin (KolibriOS gui/mouse.inc) computes it: the dword
; 37.0 minus (xwnd << 16 | ywnd), then the client box's top (function 9,
; +58) off the low word and its left (+54) off the high word; with no
; button held 37.2 is 0; with no wheel turned 37.7 is 0. 18.19.4 puts the
; pointer where 37.0 then finds it; 18.15 centres it. 37.4 loads a 32 x 32
; ARGB cursor (LOAD_INDIRECT), 37.5 sets it and answers the previous
; handle, 37.6 deletes it. Loading a missing file or null data fails (0);
; bad handles and subfunctions do not stop the program.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_mouse', 0

WX = 100
WY = 80

macro mouse subfunction, c, d
{
    mov eax, 37
    mov ebx, subfunction
if ~ c eq
    mov ecx, c
end if
if ~ d eq
    mov edx, d
end if
    int 0x40
}

; relative_of: ECX = a 37.0 value → ECX = what 37.1 must answer for it.
relative_of:
    push eax
    sub ecx, (WX shl 16) + WY
    mov eax, ecx
    sub ax, word [client_top]
    shr ecx, 16
    sub cx, word [client_left]
    shl ecx, 16
    movzx eax, ax
    or ecx, eax
    pop eax
    ret

start:
    call screen_init
    window WX, WY, 299, 199, 0x0380A0C0, 0, 0
    mov eax, 9
    mov ebx, thread_info
    mov ecx, -1
    int 0x40
    mov eax, dword [thread_info + 54]
    mov [client_left], eax
    mov eax, dword [thread_info + 58]
    mov [client_top], eax

    mouse 0
    mov [screen_pos], eax
    mov ecx, eax
    shr ecx, 16
    cmp ecx, [screen_width]
    check b, 'g_mouse/x_on_screen', '37.0: x is not on the screen (eax = 37.0)'
    mov ecx, eax
    and ecx, 0xFFFF
    cmp ecx, [screen_height]
    check b, 'g_mouse/y_on_screen', '37.0: y is not on the screen (eax = 37.0)'
    mouse 1
    mov ecx, [screen_pos]
    call relative_of
    cmp eax, ecx
    check e, 'g_mouse/window_relative', '37.1 is not 37.0 relative to the working area (eax = 37.1)'
    mouse 2
    test eax, eax
    check z, 'g_mouse/no_buttons', '37.2 with no button held is not 0 (eax)'
    mouse 7
    test eax, eax
    check z, 'g_mouse/no_scroll', '37.7 with no wheel turned is not 0 (eax)'

    ; 18.19.4: put the pointer at (200, 150).
    mov eax, 18
    mov ebx, 19
    mov ecx, 4
    mov edx, (200 shl 16) + 150
    int 0x40
    mouse 0
    cmp eax, (200 shl 16) + 150
    check e, 'g_mouse/set_position', 'after 18.19.4 to (200,150), 37.0 does not answer it (eax)'
    mouse 1
    mov ecx, (200 shl 16) + 150
    call relative_of
    cmp eax, ecx
    check e, 'g_mouse/set_position_relative', 'after 18.19.4, 37.1 is not relative to the window (eax)'
    ; Left of and above the window: the formula's negative case.
    mov eax, 18
    mov ebx, 19
    mov ecx, 4
    mov edx, (50 shl 16) + 30
    int 0x40
    mouse 1
    mov ecx, (50 shl 16) + 30
    call relative_of
    cmp eax, ecx
    check e, 'g_mouse/relative_negative', '37.1 left of and above the window is not the .mswin arithmetic (eax)'
    ; 18.15: centre.
    mov eax, 18
    mov ebx, 15
    int 0x40
    test eax, eax
    check z, 'g_mouse/centre_answer', '18.15 did not answer 0 (eax)'
    mouse 0
    mov ecx, eax
    shr ecx, 16
    mov edx, [screen_width]
    shr edx, 1
    sub ecx, edx
    add ecx, 1
    cmp ecx, 2
    check be, 'g_mouse/centre_x', 'after 18.15, x is not the middle of the screen (eax = 37.0)'
    mov ecx, eax
    and ecx, 0xFFFF
    mov edx, [screen_height]
    shr edx, 1
    sub ecx, edx
    add ecx, 1
    cmp ecx, 2
    check be, 'g_mouse/centre_y', 'after 18.15, y is not the middle of the screen (eax = 37.0)'
    ; 18.19.0 and .2 answer the speed and delay; setting them back is harmless.
    mov eax, 18
    mov ebx, 19
    mov ecx, 0
    int 0x40
    mov edx, eax
    mov eax, 18
    mov ebx, 19
    mov ecx, 1
    int 0x40
    mov eax, 18
    mov ebx, 19
    mov ecx, 2
    int 0x40
    mov edx, eax
    mov eax, 18
    mov ebx, 19
    mov ecx, 3
    int 0x40
    survived 'g_mouse/speed_and_delay'

    ; A cursor of our own.
    mov edi, cursor_image
    mov ecx, 32 * 32
    mov eax, 0xFF00FF00
    rep stosd
    mouse 4, cursor_image, (5 shl 24) + (6 shl 16) + 2
    mov [handle], eax
    test eax, eax
    check nz, 'g_mouse/load_indirect', '37.4 with a 32x32 ARGB image did not answer a handle'
    mouse 5, [handle]
    mov [previous], eax
    mouse 5, [previous]
    cmp eax, [handle]
    check e, 'g_mouse/set_answers_previous', '37.5 did not answer the handle set before (eax)'
    mouse 5, [handle]
    mouse 6, [handle]
    survived 'g_mouse/delete'
    mouse 5, 0
    survived 'g_mouse/default_cursor'

    ; Failures and bad values.
    mouse 4, missing_file, 0
    test eax, eax
    check z, 'g_mouse/load_missing_file', '37.4 of a missing .cur file did not answer 0 (eax)'
    ; Address 0 is the program's own memory (its header): load_cursor
    ; (KolibriOS video/cursors.inc) makes an ARGB cursor of the 4096 bytes
    ; there like from any address, so a handle comes back.
    mouse 4, 0, 2
    mov [null_cursor], eax
    test eax, eax
    check nz, 'g_mouse/load_null', '37.4 of the ARGB image at address 0 answered no handle (eax)'
    mouse 6, [null_cursor]
    ; .app_load_cursor (gui/mouse.inc) returns at once for a kernel
    ; address: EAX stays 37.
    mouse 4, 0xC0000000, 2
    cmp eax, 37
    check e, 'g_mouse/load_kernel', '37.4 with a kernel pointer did not leave EAX = 37 (eax)'
    ; Not a .cur file: KolibriOS's init_cursor (video/cursors.inc) parses
    ; it unchecked and the process dies of a kernel page fault; Colibri
    ; checks the header and refuses it on purpose.
    mouse 4, not_a_cursor, 1
    test eax, eax
    check z, 'g_mouse/load_garbage', '37.4 of memory that is no .cur file did not answer 0 (eax)'
    mouse 4, cursor_image, (40 shl 24) + (40 shl 16) + 2
    mouse 4, cursor_image, 7
    mouse 4, memory_end - 64, 2
    survived 'g_mouse/load_bad'
    mouse 5, 0x12345678
    mouse 6, 0x12345678
    mouse 6, 0
    mouse 99
    mouse -1
    survived 'g_mouse/bad_handles'
    call finish

missing_file db '/sys/nothere.cur', 0
not_a_cursor db 'this is not a cursor file', 0

image_end:
client_left dd ?
null_cursor dd ?
client_top dd ?
align 4
screen_pos dd ?
handle dd ?
previous dd ?
cursor_image rd 32 * 32
align 16
    rb 4096
stack_top:
memory_end:
