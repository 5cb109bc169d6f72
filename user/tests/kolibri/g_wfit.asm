; g_wfit: function 0 with a window that does not fit on the screen.
; sysfuncs.txt says the offending coordinate is taken as zero; the
; kernel (window._.check_window_position, gui/window.inc) does otherwise,
; and this follows the kernel: a size as big as the screen's or bigger
; becomes the screen's, a negative position (the 16-bit value is signed)
; becomes 0, and a window running off the right or bottom edge is moved
; back until its last column or row is the screen's last. Each case is a
; style-1 window of its own thread; the program finds the window by
; drawing pixels at window coordinates and reading the screen:
;  * x = width - 124, 300 wide: x becomes width - 300;
;  * y = screen height - 100, 200 high: y becomes height - 200;
;  * x = 65535 (-1 as a signed 16-bit value): x becomes 0;
;  * 5000 wide at x = 0: the width becomes the screen's, its last column
;    is the screen's last column.
; A window that fits stays where it was asked to be (the control case).
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_wfit', 0

INK = 0x00FF8000
Y0 = 60                 ; y of the windows that only overflow in x

; style1 ebx, ecx: function 0 (style 1) between 12.1 and 12.2, registers
; computed by the caller.
macro style1
{
    push ebx ecx
    mov eax, 12
    mov ebx, 1
    int 0x40
    pop ecx ebx
    xor eax, eax
    mov edx, 0x01000000
    int 0x40
    mov eax, 12
    mov ebx, 2
    int 0x40
}

macro put x, y
{
    mov eax, 1
    mov ebx, x
    mov ecx, y
    mov edx, INK
    int 0x40
}

start:
    call screen_init
    mov ecx, fits
    mov edx, stack_a
    call run_thread
    cmp eax, -1
    check ne, 'g_wfit/thread', 'function 51.1 could not start a thread'
    mov ecx, too_far_right
    mov edx, stack_b
    call run_thread
    mov ecx, too_low
    mov edx, stack_c
    call run_thread
    mov ecx, x_65535
    mov edx, stack_d
    call run_thread
    mov ecx, too_wide
    mov edx, stack_e
    call run_thread
    call finish

fits:
    mov ebx, (200 shl 16) + 99
    mov ecx, (Y0 shl 16) + 99
    style1
    put 0, 0
    expect_pixel 200, Y0, INK, 'g_wfit/fits', 'a window that fits is not where it was asked to be'
    jmp thread_exit

too_far_right:
    mov ebx, [screen_width]
    sub ebx, 124            ; 300 wide from width - 124: 176 pixels too far
    shl ebx, 16
    add ebx, 299
    mov ecx, (Y0 shl 16) + 99
    style1
    put 0, 0
    put 299, 0
    mov ebx, [screen_width]
    sub ebx, 300
    mov ecx, Y0
    call get_pixel
    cmp eax, INK
    check e, 'g_wfit/x_back_on_screen', 'a window running off the right edge was not moved to x = width - 300'
    mov ebx, [screen_width]
    dec ebx
    mov ecx, Y0
    call get_pixel
    cmp eax, INK
    check e, 'g_wfit/x_back_size', 'a window moved back from the right edge lost its width'
    jmp thread_exit

too_low:
    mov ecx, [screen_height]
    sub ecx, 100
    shl ecx, 16
    add ecx, 199
    mov ebx, (300 shl 16) + 99
    style1
    put 0, 0
    put 0, 150              ; (0, 199) would be under the panel
    mov ebx, 300
    mov ecx, [screen_height]
    sub ecx, 200
    call get_pixel
    cmp eax, INK
    check e, 'g_wfit/y_back_on_screen', 'a window running off the bottom was not moved to y = height - 200'
    mov ebx, 300
    mov ecx, [screen_height]
    sub ecx, 50
    call get_pixel
    cmp eax, INK
    check e, 'g_wfit/y_back_size', 'a window moved back from the bottom lost its height'
    jmp thread_exit

x_65535:
    mov ebx, (0xFFFF shl 16) + 99
    mov ecx, (Y0 shl 16) + 99
    style1
    put 0, 0
    expect_pixel 0, Y0, INK, 'g_wfit/x_65535', 'a window at x = 65535 (-1) was not moved to x = 0'
    jmp thread_exit

too_wide:
    mov ebx, 4999
    mov ecx, (Y0 shl 16) + 99
    style1
    mov ebx, [screen_width]
    dec ebx
    mov eax, 1
    mov ecx, 0
    mov edx, INK
    int 0x40
    mov ebx, [screen_width]
    dec ebx
    mov ecx, Y0
    call get_pixel
    cmp eax, INK
    check e, 'g_wfit/width_to_screen', 'a window 5000 wide does not reach the last column of the screen'
    mov eax, 1
    mov ebx, [screen_width]
    mov ecx, 1
    mov edx, INK
    int 0x40
    survived 'g_wfit/beyond_screen'
    jmp thread_exit

image_end:
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
stack_e:
    rb 4096
stack_top:
memory_end:
