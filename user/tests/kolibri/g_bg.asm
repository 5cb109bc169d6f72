; g_bg: function 15 (the desktop background). A 1 x 1 image stretched
; (15.1, 15.2, 15.4 mode 2, 15.3) makes the desktop one colour, and the
; program gets event 5 (background redrawn) when it asks for it; a 2 x 2
; image tiled (mode 1) repeats from the screen's corner; 15.5 writes a
; block of BGR pixels; 15.6 maps the image for reading and writing, 15.7
; unmaps it (1, then 0 for the same pointer again); an offset past the
; image (15.2) is ignored. Out-of-range sizes, modes, offsets and pointers
; do not stop the program. The desktop is read where no window is.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_bg', 0

PX = 40                 ; desktop pixels that are checked (even x and y)
PY = 40
PX2 = 302
PY2 = 200

macro bg subfunction, c, d, s
{
    mov eax, 15
    mov ebx, subfunction
if ~ c eq
    mov ecx, c
end if
if ~ d eq
    mov edx, d
end if
if ~ s eq
    mov esi, s
end if
    int 0x40
}

start:
    call screen_init
    ; A small window, so that the program surely takes part in events.
    window 600, 40, 49, 49, 0x01000000, 0, 0
    mov eax, 40
    mov ebx, 0x17           ; redraw, key, button, background
    int 0x40
    call drain_events

    ; 1 x 1 stretched.
    bg 1, 1, 1
    bg 2, 0, 0x00C08040
    bg 4, 2
    bg 3
    wait_event 200
    cmp eax, 5
    check e, 'g_bg/event_5', 'no event 5 (background redrawn) after 15.3 (eax = event)'
    expect_pixel PX, PY, 0x00C08040, 'g_bg/stretched_1x1', 'a 1x1 background does not colour the desktop'
    expect_pixel PX2, PY2, 0x00C08040, 'g_bg/stretched_1x1_far', 'a 1x1 background does not colour the whole desktop'

    ; 2 x 2 tiled: pixel (x, y) is image (x mod 2, y mod 2).
    bg 1, 2, 2
    bg 2, 0, 0x00FF0000
    bg 2, 3, 0x0000FF00
    bg 2, 6, 0x000000FF
    bg 2, 9, 0x00FFFFFF
    bg 4, 1
    bg 3
    expect_pixel PX, PY, 0x00FF0000, 'g_bg/tile_00', 'tiled 2x2: an even (x, y) is not image pixel (0,0)'
    expect_pixel PX + 1, PY, 0x0000FF00, 'g_bg/tile_10', 'tiled 2x2: odd x, even y is not image pixel (1,0)'
    expect_pixel PX, PY + 1, 0x000000FF, 'g_bg/tile_01', 'tiled 2x2: even x, odd y is not image pixel (0,1)'
    expect_pixel PX2 + 1, PY2 + 1, 0x00FFFFFF, 'g_bg/tile_11', 'tiled 2x2: odd x, odd y is not image pixel (1,1)'
    ; An offset past the image is ignored.
    bg 2, 12, 0x00123456
    bg 2, 0xFFFFFFF0, 0x00123456
    bg 3
    expect_pixel PX2 + 1, PY2 + 1, 0x00FFFFFF, 'g_bg/offset_past_end', 'a pixel written past the image changed it'

    ; 15.5: a block of three BGR pixels at offset 0.
    bg 5, block, 0, 9
    bg 3
    expect_pixel PX, PY, 0x00102030, 'g_bg/block_0', '15.5: pixel (0,0) is not the first BGR triple'
    expect_pixel PX + 1, PY, 0x00405060, 'g_bg/block_1', '15.5: pixel (1,0) is not the second BGR triple'
    expect_pixel PX, PY + 1, 0x00708090, 'g_bg/block_2', '15.5: pixel (0,1) is not the third BGR triple'

    ; 15.6 / 15.7: map, read, write, unmap.
    bg 6
    mov [mapped], eax
    test eax, eax
    check nz, 'g_bg/map', '15.6 did not map the background (eax = 0)'
    mov esi, [mapped]
    test esi, esi
    jz .no_map
    mov eax, [esi + 9]          ; pixel (1,1), BGR
    and eax, 0x00FFFFFF
    cmp eax, 0x00FFFFFF
    check e, 'g_bg/map_read', 'the mapped background does not hold pixel (1,1) (eax = its BGR bytes)'
    mov esi, [mapped]
    mov byte [esi + 9], 0x11    ; blue
    mov byte [esi + 10], 0x22   ; green
    mov byte [esi + 11], 0x33   ; red
    bg 7, [mapped]
    cmp eax, 1
    check e, 'g_bg/unmap', '15.7 of the mapped pointer did not answer 1 (eax)'
    bg 7, [mapped]
    test eax, eax
    check z, 'g_bg/unmap_twice', '15.7 of a pointer already unmapped did not answer 0 (eax)'
    bg 3
    expect_pixel PX2 + 1, PY2 + 1, 0x00332211, 'g_bg/map_write', 'a pixel written through the mapping is not on the desktop'
.no_map:

    ; 15.8: the last redrawn area is on the screen.
    mov eax, 15
    mov ebx, 8
    int 0x40
    mov ecx, eax
    shr ecx, 16
    and eax, 0xFFFF
    cmp ecx, eax
    mov eax, ecx
    check be, 'g_bg/last_area', '15.8: left is right of right (eax = left)'

    ; Out of range.
    bg 1, 0, 0
    bg 3
    bg 1, 100000, 100000
    bg 3
    bg 1, -1, -1
    bg 3
    survived 'g_bg/bad_size'
    bg 1, 2, 2
    bg 4, 7
    bg 4, -1
    bg 3
    survived 'g_bg/bad_mode'
    bg 5, 0, 0, 9
    bg 5, 0xC0000000, 0, 9
    bg 5, block, 0x7FFFFFF0, 9
    bg 5, block, 0, 0x7FFFFFFF
    bg 5, memory_end - 3, 0, 12
    bg 3
    survived 'g_bg/bad_block'
    bg 7, 0
    test eax, eax
    check z, 'g_bg/unmap_null', '15.7 of a null pointer did not answer 0 (eax)'
    bg 7, block
    test eax, eax
    check z, 'g_bg/unmap_other', '15.7 of a pointer that is no mapping did not answer 0 (eax)'
    mov eax, 15
    mov ebx, 9
    mov ecx, 0xFFFF0000
    mov edx, 0xFFFF0000
    int 0x40
    mov eax, 15
    mov ebx, 99
    int 0x40
    survived 'g_bg/bad_subfunction'

    ; Usable again.
    bg 1, 1, 1
    bg 2, 0, 0x00345678
    bg 4, 2
    bg 3
    expect_pixel PX, PY, 0x00345678, 'g_bg/usable_after', 'after bad calls a 1x1 background does not work'
    call finish

block db 0x30, 0x20, 0x10,  0x60, 0x50, 0x40,  0x90, 0x80, 0x70

image_end:
align 4
mapped dd ?
align 16
    rb 4096
stack_top:
memory_end:
