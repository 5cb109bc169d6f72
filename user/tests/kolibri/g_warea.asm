; g_warea: function 48.5 (get the working area) and 48.6 (set it), as
; syscall_display_settings (gui/window.inc) does them: each half of ECX
; and EDX is a signed 16-bit edge; an axis whose pair is not ordered
; (left >= right) stays as it was; a negative left/top becomes 0 and a
; right/bottom past the screen its last pixel. Colibri's panel gives the
; space up while a program's working area is not the panel's own: a window
; under the panel's strip shows there once the area reaches the screen's
; bottom, and is covered again when the panel's area is set back. The
; program ends with the whole screen as its working area, so the panel
; comes back only when it has exited (tests/vm/test_ramdisk.py checks).
; With the parameter "hold" it only takes the whole screen and waits
; until it is killed; with "brief" it sets a smaller area of its own and
; exits after half a second (the panel must stay away while "hold" runs).
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, params, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_warea', 0

BODY = 0x00123456
WX = 200
WW = 300
WH = 70

macro get_area
{
    mov eax, 48
    mov ebx, 5
    int 0x40
}

macro set_area lr, tb
{
    mov eax, 48
    mov ebx, 6
    mov ecx, lr
    mov edx, tb
    int 0x40
}

start:
    call screen_init
    cmp dword [params], 'hold'
    je hold
    cmp dword [params], 'brie'
    je brief
    get_area
    mov [panel_lr], eax
    mov [panel_tb], ebx
    mov eax, [screen_width]
    dec eax
    cmp [panel_lr], eax
    check e, 'g_warea/initial_horizontal', 'the first working area is not 0 .. width-1 (eax = left<<16|right)'
    mov eax, [panel_tb]
    shr eax, 16
    check z, 'g_warea/initial_top', 'the first working area does not start at row 0'
    movzx eax, word [panel_tb]
    mov ecx, [screen_height]
    dec ecx
    cmp eax, ecx
    check b, 'g_warea/panel_reserved', 'the first working area reaches the bottom: no room for the panel'

    ; A window whose lower part lies under the panel's strip.
    mov eax, [screen_height]
    sub eax, WH
    mov [window_y], eax
    call draw_window
    call probe_bottom
    cmp eax, BODY
    check ne, 'g_warea/panel_covers_window', 'the window shows through the panel before 48.6'

    ; Out-of-range edges are clamped to the screen.
    mov ecx, [screen_width]
    add ecx, 50
    and ecx, 0xFFFF
    or ecx, (-20) shl 16
    mov edx, [screen_height]
    add edx, 100
    and edx, 0xFFFF
    or edx, (-5) shl 16
    set_area ecx, edx
    get_area
    mov ecx, [screen_width]
    dec ecx
    cmp eax, ecx
    check e, 'g_warea/clamp_horizontal', '48.6 with left -20 and right past the screen did not give 0 .. width-1'
    mov eax, ebx
    mov ecx, [screen_height]
    dec ecx
    cmp eax, ecx
    check e, 'g_warea/clamp_vertical', '48.6 with top -5 and bottom past the screen did not give 0 .. height-1'
    call redraw_after_event
    call probe_bottom
    cmp eax, BODY
    check e, 'g_warea/panel_gone', 'the panel still covers the bottom of the screen after 48.6 took it'

    ; An unordered pair leaves its axis alone.
    mov edx, [screen_height]
    sub edx, 41
    set_area (100 shl 16) + 50, edx
    get_area
    mov ecx, [screen_width]
    dec ecx
    cmp eax, ecx
    check e, 'g_warea/unordered_kept', 'left >= right changed the horizontal edges'
    mov eax, ebx
    mov ecx, [screen_height]
    sub ecx, 41
    cmp eax, ecx
    check e, 'g_warea/ordered_set', 'the ordered vertical pair was not taken'

    ; The panel's own area again: the panel is back over the window.
    set_area [panel_lr], [panel_tb]
    get_area
    cmp ebx, [panel_tb]
    check e, 'g_warea/restored', 'the working area read back is not the one set'
    call redraw_after_event
    call probe_bottom
    cmp eax, BODY
    check ne, 'g_warea/panel_back', 'the panel did not come back when its working area was set again'

    ; Leave with the whole screen taken: the panel returns at exit.
    mov ecx, [screen_width]
    dec ecx
    mov edx, [screen_height]
    dec edx
    set_area ecx, edx
    call redraw_after_event
    call probe_bottom
    cmp eax, BODY
    check e, 'g_warea/panel_gone_again', 'the panel still covers the window after the whole screen was taken'
    call finish

hold:
    mov ecx, [screen_width]
    dec ecx
    mov edx, [screen_height]
    dec edx
    set_area ecx, edx
    print 'g_warea: holding the screen', 10
.wait:
    delay 100
    jmp .wait

brief:
    mov ecx, [screen_width]
    dec ecx
    mov edx, [screen_height]
    sub edx, 41
    set_area ecx, edx
    print 'g_warea: brief area set', 10
    delay 50
    mov eax, -1
    int 0x40

draw_window:
    mov eax, 12
    mov ebx, 1
    int 0x40
    xor eax, eax
    mov ebx, (WX shl 16) + WW - 1
    mov ecx, [window_y]
    shl ecx, 16
    add ecx, WH - 1
    mov edx, BODY               ; style 0: the whole window is the body colour
    xor esi, esi
    xor edi, edi
    int 0x40
    mov eax, 12
    mov ebx, 2
    int 0x40
    ret

; After 48.6 every window gets a redraw event (repos_windows): take
; events for up to half a second and redraw on each redraw event.
redraw_after_event:
    mov [rounds], 10
.wait:
    wait_event 5
    cmp eax, 1
    jne @f
    call draw_window
@@:
    dec [rounds]
    jnz .wait
    ret

; EAX = the pixel 8 rows above the screen's bottom, inside the window.
probe_bottom:
    mov ebx, WX + WW / 2
    mov ecx, [screen_height]
    sub ecx, 8
    call get_pixel
    ret

image_end:
align 4
params rb 256
panel_lr dd 0
panel_tb dd 0
window_y dd 0
rounds dd 0
align 16
    rb 4096
stack_top:
memory_end:
