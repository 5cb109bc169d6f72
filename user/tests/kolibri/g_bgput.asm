; g_bgput: function 25 (put an image on the background layer). A 4 x 2
; image of BGRT pixels at screen coordinates shows its opaque pixels
; (T = 1..0xFF) on the desktop and leaves the transparent ones (T = 0) as
; they were; on the background layer it stays under windows: where the
; program's window is, the window's pixels stay. Null pointers, huge sizes
; and positions off the screen do not stop the program.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_bgput', 0

DX_ = 40                ; on the desktop
DY_ = 40
WX = 200                ; the program's window
WY = 100
INK = 0x00304050

macro put25 pointer, width, height, x, y
{
    mov eax, 25
    mov ebx, pointer
    mov ecx, (width) shl 16 + (height)
    mov edx, (x) shl 16 + (y)
    call kcall
}

start:
    call screen_init
    window WX, WY, 99, 99, 0x01000000, 0, 0
    bar 0, 0, 100, 100, INK
    save_in DX_, DY_, 4, 2, before

    put25 picture, 4, 2, DX_, DY_
    expect_pixel DX_, DY_, 0x00FF0000, 'g_bgput/opaque_0', 'opaque pixel (0,0) is not on the desktop'
    expect_pixel DX_ + 1, DY_, 0x0000FF00, 'g_bgput/opaque_1', 'opaque pixel (1,0) (T = 1) is not on the desktop'
    expect_pixel DX_ + 3, DY_ + 1, 0x00ABCDEF, 'g_bgput/opaque_last', 'opaque pixel (3,1) is not on the desktop'
    ; The transparent ones, (2,0) and (0,1), kept what was there.
    mov eax, [before + 2 * 4]
    mov [expected], eax
    pixel_at DX_ + 2, DY_
    cmp eax, [expected]
    check e, 'g_bgput/transparent_0', 'transparent pixel (2,0) changed the desktop'
    mov eax, [before + 4 * 4]
    mov [expected], eax
    pixel_at DX_, DY_ + 1
    cmp eax, [expected]
    check e, 'g_bgput/transparent_1', 'transparent pixel (0,1) changed the desktop'

    ; Under the window: the window stays.
    put25 picture, 4, 2, WX + 10, WY + 10
    count_in WX, WY, 100, 100, INK
    cmp eax, 100 * 100
    check e, 'g_bgput/under_window', 'an image on the background layer showed over the window (eax = window pixels left)'

    ; Out of range.
    put25 0, 4, 2, DX_, DY_
    put25 0xC0000000, 4, 2, DX_, DY_
    put25 picture, 0x7FFF, 0x7FFF, 0, 0
    survived 'g_bgput/bad_pointer'
    put25 picture, 4, 2, 5000, 5000
    put25 picture, 4, 2, 0xFFFF, 0xFFFF
    mov edx, [screen_width]
    sub edx, 2
    shl edx, 16
    add edx, 10
    mov eax, 25
    mov ebx, picture
    mov ecx, (4 shl 16) + 2
    call kcall
    survived 'g_bgput/off_screen'
    count_in WX, WY, 100, 100, INK
    cmp eax, 100 * 100
    check e, 'g_bgput/window_intact', 'out-of-range images changed the window (eax = window pixels left)'

    check_clobbers 'g_bgput/registers_preserved'
    call finish

; BGRT: row 0 red (opaque), green (T = 1), transparent, blue;
;       row 1 transparent, white, black, 0xABCDEF.
picture:
    db 0x00, 0x00, 0xFF, 0xFF,   0x00, 0xFF, 0x00, 0x01,   0x55, 0x55, 0x55, 0x00,   0xFF, 0x00, 0x00, 0x80
    db 0x12, 0x34, 0x56, 0x00,   0xFF, 0xFF, 0xFF, 0xFF,   0x00, 0x00, 0x00, 0xFF,   0xEF, 0xCD, 0xAB, 0xFF

image_end:
align 4
expected dd ?
before rd 8
align 16
    rb 4096
stack_top:
memory_end:
