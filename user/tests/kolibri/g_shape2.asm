; g_shape2: a shaped window whose shape and picture live in the file after
; the end the header declares, the way KolibriOS' Eyes demo is built:
; KolibriOS maps the whole file into the program (map_process_image in
; core/taskman.inc), not only up to the header's image end, so data
; appended there is readable. The window (style 1 with the caption flag,
; drawing nothing) is 60 x 45; its shape (50.0) leaves out the top 15 rows
; and keeps two discs of radius 14 below; an invisible button covers it;
; function 7 draws a 60 x 30 picture under the top band. Inside the
; discs the picture shows and the pixels are ours (function 34); the top
; band and the corners between the discs keep the desktop.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_shape2', 0

WX = 300
WY = 300
WIDTH = 60
HEIGHT = 45
BAND = 15          ; rows above the discs, outside the shape
MARK = 0x5A17E5ED

; Points checked: screen x, y.
LEFT_X = WX + 15
RIGHT_X = WX + 45
EYE_Y = WY + BAND + 15
GAP_X = WX + 29    ; between the discs, near their top
GAP_Y = WY + BAND + 2
BAND_X = WX + 30
BAND_Y = WY + 5
CORNER_X = WX + 1
CORNER_Y = WY + HEIGHT - 2

macro save_desktop x, y, where
{
    pixel_at x, y
    mov [where], eax
}

macro expect_desktop x, y, where, name, reason
{
    pixel_at x, y
    cmp eax, [where]
    check e, name, reason
}

start:
    call screen_init
    mov eax, [mark]
    cmp eax, MARK
    check e, 'g_shape2/data_past_image_end', 'the file past the header image end is not in memory (eax = dword there)'

    save_desktop GAP_X, GAP_Y, desktop_gap
    save_desktop BAND_X, BAND_Y, desktop_band
    save_desktop CORNER_X, CORNER_Y, desktop_corner

    call own_slot
    mov [slot], eax
    mov eax, 50
    xor ebx, ebx
    mov ecx, shape_map
    call kcall
    call draw
    ; Drawn twice, as Eyes does at every mouse move.
    call draw

    expect_pixel LEFT_X, EYE_Y, 0x2F804F, 'g_shape2/left_disc', 'the picture is not in the left disc (eax = pixel)'
    expect_pixel RIGHT_X, EYE_Y, 0x2F806D, 'g_shape2/right_disc', 'the picture is not in the right disc (eax = pixel)'
    expect_desktop GAP_X, GAP_Y, desktop_gap, 'g_shape2/gap', 'between the discs the desktop is gone (eax = pixel)'
    expect_desktop BAND_X, BAND_Y, desktop_band, 'g_shape2/band', 'the band above the discs is drawn (eax = pixel)'
    expect_desktop CORNER_X, CORNER_Y, desktop_corner, 'g_shape2/corner', 'a corner outside the discs is drawn (eax = pixel)'
    mov eax, 34
    mov ebx, LEFT_X
    mov ecx, EYE_Y
    int 0x40
    cmp eax, [slot]
    check e, 'g_shape2/owner_disc', 'function 34: a pixel in a disc is not ours (eax)'
    mov eax, 34
    mov ebx, BAND_X
    mov ecx, BAND_Y
    int 0x40
    cmp eax, [slot]
    check ne, 'g_shape2/owner_band', 'function 34: a pixel of the band outside the shape is ours (eax)'
    check_clobbers 'g_shape2/registers_preserved'
    call finish

draw:
    mov eax, 12
    mov ebx, 1
    call kcall
    xor eax, eax
    mov ebx, WX shl 16 + WIDTH - 1
    mov ecx, WY shl 16 + HEIGHT - 1
    mov edx, 0x11000000
    xor esi, esi
    xor edi, edi
    call kcall
    mov eax, 8
    mov ebx, WIDTH
    mov ecx, HEIGHT
    mov edx, 1 + 0x40000000
    call kcall
    mov eax, 7
    mov ebx, picture
    mov ecx, WIDTH shl 16 + 30
    mov edx, BAND
    call kcall
    mov eax, 12
    mov ebx, 2
    call kcall
    ret

; The header's image end (as Eyes' EYES_END): what follows is still in
; the file.
image_end:
mark dd MARK
; One byte per pixel: the band, then two discs side by side.
shape_map:
    db WIDTH * BAND dup 0
repeat 30
    row = % - 1
    repeat WIDTH
        column = (% - 1) mod 30
        if (column * 2 - 29) * (column * 2 - 29) + (row * 2 - 29) * (row * 2 - 29) <= 28 * 28
            db 1
        else
            db 0
        end if
    end repeat
end repeat
; Blue, green, red per pixel: blue 0x40 + x, green 0x80, red 0x20 + y.
picture:
repeat 30
    row = % - 1
    repeat WIDTH
        db 0x40 + % - 1, 0x80, 0x20 + row
    end repeat
end repeat

align 4
slot dd ?
desktop_gap dd ?
desktop_band dd ?
desktop_corner dd ?
align 16
    rb 4096
stack_top:
memory_end:
