; g_wflags: the flags of function 0's EDX on skinned windows, each window
; from its own thread (a thread has one window):
;  * C (bit 30): the working area is not filled, it shows what was there;
;  * D (bit 31): the working area is a gradient, not one colour;
;  * with neither, the working area is one colour (the control case);
; a caption pointer into the kernel (bit 28, EDI) does not spoil the
; window; and a thread's window goes away when the thread ends: the screen
; under it is what it was before.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_wflags', 0

WX = 100
WY = 80
XSIZE = 199
YSIZE = 149
WORK = 0x0080C0FF
; The part of the working area that is checked: (10, 40) 180 x 100.
AREA_X = WX + 10
AREA_Y = WY + 40
AREA_W = 180
AREA_H = 100

start:
    call screen_init
    save_in WX, WY, XSIZE + 1, YSIZE + 1, desktop

    ; Control: a plain style-3 window fills its working area.
    mov ecx, plain_window
    mov edx, stack_a
    call run_thread
    cmp eax, -1
    check ne, 'g_wflags/thread', 'function 51.1 could not start a thread'
    diff_in WX, WY, XSIZE + 1, YSIZE + 1, desktop
    test eax, eax
    check z, 'g_wflags/window_gone', 'the window of a thread that ended is still on the screen (eax = changed pixels)'

    mov ecx, unfilled_window
    mov edx, stack_b
    call run_thread
    mov ecx, gradient_window
    mov edx, stack_c
    call run_thread
    mov ecx, bad_caption_window
    mov edx, stack_d
    call run_thread
    diff_in WX, WY, XSIZE + 1, YSIZE + 1, desktop
    test eax, eax
    check z, 'g_wflags/all_gone', 'windows of ended threads left pixels behind (eax = changed pixels)'
    call finish

plain_window:
    window WX, WY, XSIZE, YSIZE, 0x03000000 or WORK, 0, 0
    count_in AREA_X, AREA_Y, AREA_W, AREA_H, WORK
    cmp eax, AREA_W * AREA_H
    check e, 'g_wflags/plain_filled', 'a style-3 window did not fill its working area with the colour of EDX (eax = pixels)'
    jmp thread_exit

unfilled_window:
    window WX, WY, XSIZE, YSIZE, 0x43000000 or WORK, 0, 0
    count_in AREA_X, AREA_Y, AREA_W, AREA_H, WORK
    test eax, eax
    check z, 'g_wflags/c_no_fill_colour', 'with bit 30 the working area has the colour of EDX (eax = pixels)'
    ; What shows is what was there: the desktop saved before.
    xor ebp, ebp
    mov ecx, AREA_Y
.rows:
    mov ebx, AREA_X
.columns:
    call get_pixel
    mov esi, ecx
    sub esi, WY
    imul esi, XSIZE + 1
    add esi, ebx
    sub esi, WX
    cmp eax, [desktop + esi * 4]
    je @f
    inc ebp
@@:
    inc ebx
    cmp ebx, AREA_X + AREA_W
    jb .columns
    inc ecx
    cmp ecx, AREA_Y + AREA_H
    jb .rows
    mov eax, ebp
    test eax, eax
    check z, 'g_wflags/c_shows_under', 'with bit 30 the working area does not show what was under it (eax = pixels)'
    jmp thread_exit

gradient_window:
    window WX, WY, XSIZE, YSIZE, 0x83000000 or WORK, 0, 0
    count_in AREA_X, AREA_Y, AREA_W, AREA_H, WORK
    cmp eax, AREA_W * AREA_H
    check ne, 'g_wflags/d_not_flat', 'with bit 31 the working area is all one colour'
    pixel_at AREA_X + 50, AREA_Y
    mov esi, eax
    pixel_at AREA_X + 50, AREA_Y + AREA_H - 1
    cmp eax, esi
    check ne, 'g_wflags/d_gradient', 'with bit 31 the top and bottom of the working area have the same colour'
    jmp thread_exit

; A caption pointer into the kernel (EDX bit 28): the window still works.
bad_caption_window:
    window WX, WY, XSIZE, YSIZE, 0x13000000 or WORK, 0, 0xC0000000
    survived 'g_wflags/kernel_caption'
    count_in AREA_X, AREA_Y, AREA_W, AREA_H, WORK
    cmp eax, AREA_W * AREA_H
    check e, 'g_wflags/kernel_caption_window', 'a window with a kernel caption pointer did not fill its working area (eax)'
    jmp thread_exit

image_end:
align 4
desktop rd (XSIZE + 1) * (YSIZE + 1)
align 16
    rb 4096
stack_a:
    rb 4096
stack_b:
    rb 4096
stack_c:
    rb 4096
stack_d:
    rb 4096
stack_top:
memory_end:
