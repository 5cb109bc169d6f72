; g_lfb: direct screen access, as KolibriOS gives it (function 61 and the
; screen mapped at 0xFE000000 in every program, LFB_BASE in KolibriOS'
; const.inc; gs based there). Reads 61.1/61.2/61.3, writes a pattern of
; four stripes (red, green, blue, white with the fourth byte set) straight
; into 0xFE000000 on the desktop, a block through gs:, and a block inside
; its own window; function 35 reads them back (the fourth byte dropped).
; A redraw of the window paints over the block in it; the desktop pattern
; stays. The VM test (tests/vm/test_kolibri_gui.py, test_g_lfb) then looks
; for the pattern in QEMU's screendump. At the end the program writes past
; the end of the mapped screen and must be ended by a page fault; with
; the parameter "gs" it writes past the graphics segment's limit instead
; and must be ended by a general protection fault.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, params, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_lfb', 0

LFB = 0xFE000000
; The desktop pattern: 64 x 32 at (PX, PY), four 16-pixel stripes.
PX = 600
PY = 100
; The gs block: 32 x 32 at (PX, GY).
GY = 150
GS_COLOUR = 0x00C08040
; The window and the block written into it.
WX = 100
WY = 100
WW = 120
WH = 80
WIN_COLOUR = 0x00306090
KX = 130
KY = 130
BLOCK = 20
BLOCK_COLOUR = 0x00123456

; row_address x, y -> EDI = offset of pixel (x, y) from the screen start
macro row_address x, y
{
    mov edi, y
    imul edi, [pitch]
    lea edi, [edi + (x) * 4]
}

start:
    call screen_init
    mov eax, 61
    mov ebx, 1
    int 0x40
    mov ecx, [screen_size_raw]
    add ecx, 0x00010001
    cmp eax, ecx
    check e, 'g_lfb/resolution', '61.1 is not function 14 + 0x00010001 (eax)'
    mov eax, 61
    mov ebx, 2
    int 0x40
    cmp eax, 32
    check e, 'g_lfb/bits_per_pixel', '61.2: the screen at 0xFE000000 is not 32 bits per pixel (eax)'
    mov eax, 61
    mov ebx, 3
    int 0x40
    mov [pitch], eax
    mov ecx, [screen_width]
    shl ecx, 2
    cmp eax, ecx
    check e, 'g_lfb/pitch', '61.3 is not width * 4 (eax)'
    mov eax, 61
    mov ebx, 4
    int 0x40
    cmp eax, -1
    check e, 'g_lfb/bad_subfunction', '61.4 does not answer -1 (eax)'

    ; A window, filled.
    window WX, WY, WW - 1, WH - 1, 0x01000000, 0, 0
    bar 0, 0, WW, WH, WIN_COLOUR

    ; The stripes, through ds at 0xFE000000.
    row_address PX, PY
    add edi, LFB
    mov edx, 32
.stripe_row:
    xor ecx, ecx
.stripe_pixel:
    mov eax, ecx
    shr eax, 4
    mov eax, [stripes + eax * 4]
    mov [edi + ecx * 4], eax
    inc ecx
    cmp ecx, 64
    jb .stripe_pixel
    add edi, [pitch]
    dec edx
    jnz .stripe_row

    ; The gs block (gs was set by function 61).
    row_address PX, GY
    mov edx, 32
.gs_row:
    xor ecx, ecx
.gs_pixel:
    mov dword [gs:edi + ecx * 4], GS_COLOUR
    inc ecx
    cmp ecx, 32
    jb .gs_pixel
    add edi, [pitch]
    dec edx
    jnz .gs_row

    ; A block inside the window.
    row_address KX, KY
    add edi, LFB
    mov edx, BLOCK
.block_row:
    xor ecx, ecx
.block_pixel:
    mov dword [edi + ecx * 4], BLOCK_COLOUR
    inc ecx
    cmp ecx, BLOCK
    jb .block_pixel
    add edi, [pitch]
    dec edx
    jnz .block_row

    count_in PX, PY, 16, 32, 0xFF0000
    cmp eax, 16 * 32
    check e, 'g_lfb/red', 'function 35 does not see the red stripe written at 0xFE000000 (eax = pixels)'
    count_in PX + 16, PY, 16, 32, 0x00FF00
    cmp eax, 16 * 32
    check e, 'g_lfb/green', 'function 35 does not see the green stripe (eax = pixels)'
    count_in PX + 32, PY, 16, 32, 0x0000FF
    cmp eax, 16 * 32
    check e, 'g_lfb/blue', 'function 35 does not see the blue stripe (eax = pixels)'
    count_in PX + 48, PY, 16, 32, 0xFFFFFF
    cmp eax, 16 * 32
    check e, 'g_lfb/white_fourth_byte', 'function 35 does not give 0xFFFFFF for pixels written as 0xFFFFFFFF (eax)'
    count_in PX, GY, 32, 32, GS_COLOUR
    cmp eax, 32 * 32
    check e, 'g_lfb/through_gs', 'function 35 does not see the block written through gs (eax = pixels)'
    count_in KX, KY, BLOCK, BLOCK, BLOCK_COLOUR
    cmp eax, BLOCK * BLOCK
    check e, 'g_lfb/in_window', 'function 35 does not see the block written over the window (eax = pixels)'
    ; Reading back through the mapping gives what was written.
    row_address PX + 16, PY + 5
    mov eax, [LFB + edi]
    cmp eax, 0x0000FF00
    check e, 'g_lfb/read_back', 'reading 0xFE000000 does not give the green pixel written (eax)'

    ; The window is drawn again: the block in it is gone, the stripes on
    ; the desktop stay (KolibriOS: direct pixels last until something
    ; draws there).
    window WX, WY, WW - 1, WH - 1, 0x01000000, 0, 0
    bar 0, 0, WW, WH, WIN_COLOUR
    count_in KX, KY, BLOCK, BLOCK, BLOCK_COLOUR
    test eax, eax
    check z, 'g_lfb/redraw_covers', 'the window redraw left pixels written directly into it (eax = pixels)'
    count_in KX, KY, BLOCK, BLOCK, WIN_COLOUR
    cmp eax, BLOCK * BLOCK
    check e, 'g_lfb/redraw_colour', 'the window redraw did not paint where the block was (eax = pixels)'
    count_in PX, PY, 16, 32, 0xFF0000
    cmp eax, 16 * 32
    check e, 'g_lfb/desktop_stays', 'the window redraw removed the stripes on the desktop (eax = pixels)'
    check_clobbers 'g_lfb/registers_preserved'

    ; The verdict, then the bad access (no return from it).
    mov esi, test_name
    cmp [failures], 0
    jne .failed
    print 'PASS '
    call debug_print
    print 10
    jmp .beyond
.failed:
    print 'FAIL '
    call debug_print
    print ': '
    mov eax, [failures]
    call debug_decimal
    print ' checks failed', 10
.beyond:
    ; Let the GUI thread put the pixels on the screen while the program
    ; still runs (they must stay after it ends).
    delay 20
    ; The first byte past the screen: width * height * 4 rounded up to a page.
    mov eax, [pitch]
    imul eax, [screen_height]
    add eax, 4095
    and eax, not 4095
    cmp byte [params], 'g'
    je .beyond_gs
    info 'g_lfb: writing past the end of the screen', 10
    mov dword [LFB + eax], 0x00FF00FF
    jmp .alive
.beyond_gs:
    info 'g_lfb: writing past the end of gs', 10
    mov dword [gs:eax], 0x00FF00FF
.alive:
    print 'FAIL g_lfb/beyond_killed: still alive after writing past the screen', 10
    mov eax, -1
    int 0x40

align 4
stripes dd 0x00FF0000, 0x0000FF00, 0x000000FF, 0xFFFFFFFF

image_end:
align 4
pitch dd ?
params rb 256
align 16
    rb 4096
stack_top:
memory_end:
