; g_shape: function 50 (window shape). A 64 x 64 style-1 window gets a
; shape of its left half (one byte 0/1 per pixel); after the redraw a
; rectangle over the whole window colours only the left half, and
; function 34 gives the right half to someone else. With scale 1 (50.1)
; each byte covers 2 x 2 pixels: a 32 x 32 map of the top half shows the
; top half. A null pointer (50.0) makes the window rectangular again. Bad
; scales and pointers do not stop the program.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_shape', 0

WX = 120
WY = 100
SIZE = 64
INK = 0x0000A0FF

macro shape subfunction, value
{
    mov eax, 50
    mov ebx, subfunction
    mov ecx, value
    call kcall
}

macro redraw_and_fill
{
    window WX, WY, SIZE - 1, SIZE - 1, 0x01000000, 0, 0
    bar 0, 0, SIZE, SIZE, INK
}

start:
    call screen_init
    ; The shape maps.
    mov edi, left_half
    xor ecx, ecx
.left:
    mov eax, ecx
    and eax, SIZE - 1
    cmp eax, SIZE / 2
    setb al
    stosb
    inc ecx
    cmp ecx, SIZE * SIZE
    jb .left
    mov edi, top_half
    mov ecx, (SIZE / 2) * (SIZE / 4)
    mov al, 1
    rep stosb
    mov ecx, (SIZE / 2) * (SIZE / 4)
    mov al, 0
    rep stosb

    call own_slot
    mov [slot], eax
    redraw_and_fill
    count_in WX, WY, SIZE, SIZE, INK
    cmp eax, SIZE * SIZE
    check e, 'g_shape/rectangular', 'without a shape the window is not a full 64x64 square (eax = pixels)'

    ; Left half.
    shape 0, left_half
    redraw_and_fill
    count_in WX, WY, SIZE / 2, SIZE, INK
    cmp eax, SIZE * SIZE / 2
    check e, 'g_shape/left_drawn', 'the left half (in the shape) is not drawn (eax = pixels)'
    count_in WX + SIZE / 2, WY, SIZE / 2, SIZE, INK
    test eax, eax
    check z, 'g_shape/right_not_drawn', 'the right half (outside the shape) was drawn (eax = pixels)'
    mov eax, 34
    mov ebx, WX + 5
    mov ecx, WY + 5
    int 0x40
    cmp eax, [slot]
    check e, 'g_shape/owner_inside', 'function 34: a pixel in the shape is not ours (eax)'
    mov eax, 34
    mov ebx, WX + SIZE - 5
    mov ecx, WY + 5
    int 0x40
    cmp eax, [slot]
    check ne, 'g_shape/owner_outside', 'function 34: a pixel outside the shape is ours (eax)'

    ; Scale 1: 32 x 32 bytes, the top half.
    shape 1, 1
    shape 0, top_half
    redraw_and_fill
    count_in WX, WY, SIZE, SIZE / 2, INK
    cmp eax, SIZE * SIZE / 2
    check e, 'g_shape/scaled_top', 'with scale 1 the top half is not drawn (eax = pixels)'
    count_in WX, WY + SIZE / 2, SIZE, SIZE / 2, INK
    test eax, eax
    check z, 'g_shape/scaled_bottom', 'with scale 1 the bottom half was drawn (eax = pixels)'

    ; Null: rectangular again.
    shape 1, 0
    shape 0, 0
    redraw_and_fill
    count_in WX, WY, SIZE, SIZE, INK
    cmp eax, SIZE * SIZE
    check e, 'g_shape/null_resets', 'after 50.0 with a null pointer the window is not a full square (eax)'

    ; Out of range.
    shape 1, 31
    redraw_and_fill
    shape 1, -1
    redraw_and_fill
    shape 1, 0
    survived 'g_shape/bad_scale'
    shape 0, 0xC0000000
    redraw_and_fill
    shape 0, memory_end - 16
    redraw_and_fill
    shape 2, 0
    shape -1, -1
    survived 'g_shape/bad_pointer'
    shape 0, 0
    redraw_and_fill
    count_in WX, WY, SIZE, SIZE, INK
    cmp eax, SIZE * SIZE
    check e, 'g_shape/usable_after', 'after bad shapes the window is not a full square again (eax)'

    check_clobbers 'g_shape/registers_preserved'
    call finish

image_end:
align 4
slot dd ?
left_half rb SIZE * SIZE
top_half rb (SIZE / 2) * (SIZE / 2)
align 16
    rb 4096
stack_top:
memory_end:
