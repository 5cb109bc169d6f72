; g_move: function 67 (change position/sizes of the window). Moving sends
; the redraw event; after the redraw the window is at the new place (its
; pixel (0,0) and (xsize, ysize) there) and its old place shows something
; else; resizing (position -1 = unchanged) likewise; function 9 reports
; the new position and size in the reference's convention (sizes as
; function 0 takes them). Out-of-range values, and 67 before any window,
; do not stop the program.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_move', 0

X0 = 100
Y0 = 100
X1 = 300
Y1 = 150
XSIZE = 99
YSIZE = 79
XSIZE2 = 149
YSIZE2 = 119
INK = 0x00C03060

macro move x, y, xsize, ysize
{
    mov eax, 67
    mov ebx, x
    mov ecx, y
    mov edx, xsize
    mov esi, ysize
    call kcall
}

; redraw: the usual answer to event 1 (the window keeps its place).
macro redraw
{
    window 0, 0, 0, 0, 0x01000000, 0, 0
    bar 0, 0, 400, 400, INK
}

; info9: function 9 for this thread into thread_info.
macro info9
{
    mov eax, 9
    mov ebx, thread_info
    mov ecx, -1
    int 0x40
}

start:
    call screen_init
    move 10, 10, 50, 50
    survived 'g_move/no_window_yet'

    window X0, Y0, XSIZE, YSIZE, 0x01000000, 0, 0
    bar 0, 0, 400, 400, INK
    expect_pixel X0 + 10, Y0 + 10, INK, 'g_move/drawn', 'the window was not drawn at its first place'
    call drain_events

    move X1, Y1, -1, -1
    wait_event 100
    cmp eax, 1
    check e, 'g_move/redraw_event', 'moving the window did not send the redraw event (eax = event)'
    redraw
    expect_pixel X1, Y1, INK, 'g_move/new_origin', 'after moving, pixel (0,0) is not at the new place'
    expect_pixel X1 + XSIZE, Y1 + YSIZE, INK, 'g_move/new_corner', 'after moving, pixel (xsize, ysize) is not at the new place (size changed?)'
    pixel_at X1 + XSIZE + 1, Y1 + 10
    cmp eax, INK
    check ne, 'g_move/size_kept', 'after moving with sizes -1 the window is wider than before'
    pixel_at X0 + 10, Y0 + 10
    cmp eax, INK
    check ne, 'g_move/old_place', 'the old place of the window still shows it'
    info9
    mov eax, dword [thread_info + 34]
    cmp eax, X1
    check e, 'g_move/info_x', 'function 9 does not report the new x (eax)'
    mov eax, dword [thread_info + 38]
    cmp eax, Y1
    check e, 'g_move/info_y', 'function 9 does not report the new y (eax)'
    mov eax, dword [thread_info + 42]
    cmp eax, XSIZE
    check e, 'g_move/info_xsize', 'function 9 does not report the x size as function 0 took it (eax)'
    mov eax, dword [thread_info + 46]
    cmp eax, YSIZE
    check e, 'g_move/info_ysize', 'function 9 does not report the y size as function 0 took it (eax)'

    ; Resize only.
    call drain_events
    move -1, -1, XSIZE2, YSIZE2
    wait_event 100
    cmp eax, 1
    check e, 'g_move/resize_redraw_event', 'resizing did not send the redraw event (eax = event)'
    redraw
    expect_pixel X1, Y1, INK, 'g_move/resize_origin', 'resizing moved the window'
    expect_pixel X1 + XSIZE2, Y1 + YSIZE2, INK, 'g_move/resize_corner', 'after resizing, pixel (xsize, ysize) is not drawn'
    pixel_at X1 + XSIZE2 + 1, Y1 + 10
    cmp eax, INK
    check ne, 'g_move/resize_width', 'after resizing the window is wider than asked'
    info9
    mov eax, dword [thread_info + 42]
    cmp eax, XSIZE2
    check e, 'g_move/info_new_xsize', 'function 9 does not report the new x size (eax)'
    mov eax, dword [thread_info + 46]
    cmp eax, YSIZE2
    check e, 'g_move/info_new_ysize', 'function 9 does not report the new y size (eax)'

    ; All -1: nothing changes.
    move -1, -1, -1, -1
    call drain_events
    redraw
    info9
    mov eax, dword [thread_info + 34]
    cmp eax, X1
    check e, 'g_move/all_unchanged', 'function 67 with every value -1 moved the window (eax = x)'

    ; Out of range. Like function 0, 67 fits the window to the screen
    ; (window._.check_window_position via window._.set_window_box): a
    ; window off the right and bottom edges is moved back until its last
    ; column and row are the screen's.
    move 5000, 5000, -1, -1
    call drain_events
    redraw
    info9
    mov eax, [screen_width]
    sub eax, XSIZE2 + 1
    cmp dword [thread_info + 34], eax
    check e, 'g_move/fit_x', 'after a move to x = 5000 the window is not at screen width - its width'
    mov eax, [screen_height]
    sub eax, YSIZE2 + 1
    cmp dword [thread_info + 38], eax
    check e, 'g_move/fit_y', 'after a move to y = 5000 the window is not at screen height - its height'
    ; A negative size counts as huge (an unsigned comparison): the size
    ; becomes the screen's.
    move 0, 0, -5, -5
    call drain_events
    redraw
    info9
    mov eax, [screen_width]
    dec eax
    cmp dword [thread_info + 42], eax
    check e, 'g_move/negative_size', 'a width of -5 did not become the screen width (function 9 x size)'
    move 0, 0, 100000, 100000
    call drain_events
    redraw
    move -5, -5, -5, -5
    call drain_events
    redraw
    move 0x80000000, 0x80000000, 0x80000000, 0x80000000
    call drain_events
    redraw
    survived 'g_move/out_of_range'
    move 200, 120, 99, 79
    call drain_events
    redraw
    expect_pixel 200, 120, INK, 'g_move/usable_after', 'after out-of-range moves the window could not be moved back'

    check_clobbers 'g_move/registers_preserved'
    call finish

image_end:
align 16
    rb 4096
stack_top:
memory_end:
