; g_check: the window and event functions answer as sysfuncs.txt says, and
; hostile arguments (null and kernel pointers, absurd sizes) do no harm.
; Reports PASS/FAIL lines (ktest.inc) and ends by itself.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'g_check', 0

start:
    ; Function 40: the default mask is 7; the call returns the old mask.
    mov eax, 40
    mov ebx, 0x27
    int 0x40
    cmp eax, 7
    check e, 'g_check/default_mask', 'function 40 did not return the default mask 7'
    mov eax, 40
    mov ebx, 7
    int 0x40
    cmp eax, 0x27
    check e, 'g_check/mask_returned', 'function 40 did not return the mask set before'

    ; Empty buffers: functions 2 and 17 answer 1.
    mov eax, 2
    int 0x40
    cmp eax, 1
    check e, 'g_check/no_key', 'function 2 with an empty buffer did not return 1'
    mov eax, 17
    int 0x40
    cmp eax, 1
    check e, 'g_check/no_button', 'function 17 with an empty buffer did not return 1'

    ; A new thread has a redraw pending (function 11 reports it, and keeps
    ; reporting it until function 0).
    mov eax, 11
    int 0x40
    cmp eax, 1
    check e, 'g_check/initial_redraw', 'function 11 did not report the first redraw'
    mov eax, 11
    int 0x40
    cmp eax, 1
    check e, 'g_check/redraw_stays', 'the redraw event went away before function 0'

    ; Screen and skin.
    mov eax, 14
    int 0x40
    mov ebx, eax
    shr ebx, 16
    cmp ebx, 320
    setae bl
    cmp ax, 200
    setae bh
    and bl, bh
    movzx eax, bl
    test eax, eax
    check nz, 'g_check/screen_size', 'function 14 reported a tiny screen'
    mov eax, 48
    mov ebx, 4
    int 0x40
    cmp eax, 10
    check a, 'g_check/skin_height', 'function 48.4 returned no sensible skin height'
    mov eax, 48
    mov ebx, 3
    mov ecx, colors
    mov edx, 40
    int 0x40
    mov eax, [colors + 20]              ; work
    cmp eax, [colors + 32]              ; work_text
    check ne, 'g_check/standard_colors', 'function 48.3: work and work_text colours are equal'
    mov eax, 48
    mov ebx, 5
    int 0x40
    mov [area_x], eax
    mov [area_y], ebx
    mov eax, [area_x]
    mov ecx, eax
    shr ecx, 16
    cmp ax, cx
    check a, 'g_check/working_area_x', 'function 48.5: right is not right of left'
    mov eax, [area_y]
    mov ecx, eax
    shr ecx, 16
    cmp ax, cx
    check a, 'g_check/working_area_y', 'function 48.5: bottom is not below top'
    mov eax, 14
    int 0x40
    mov ecx, [area_y]
    cmp cx, ax
    check be, 'g_check/working_area_inside', 'function 48.5: the working area leaves the screen'

    ; Reserved styles are ignored: no window, the redraw stays pending.
    xor eax, eax
    mov ebx, 10 shl 16 + 100
    mov ecx, 10 shl 16 + 100
    mov edx, 0x05FFFFFF
    int 0x40
    mov eax, 11
    int 0x40
    cmp eax, 1
    check e, 'g_check/reserved_style', 'function 0 with style 5 was not ignored'

    ; A real window: the redraw is consumed.
    mov eax, 12
    mov ebx, 1
    int 0x40
    xor eax, eax
    mov ebx, 600 shl 16 + 299
    mov ecx, 300 shl 16 + 199
    mov edx, 0x33D0D8E0
    mov edi, caption
    int 0x40
    mov eax, 12
    mov ebx, 2
    int 0x40
    mov eax, 11
    int 0x40
    test eax, eax
    check z, 'g_check/redraw_consumed', 'function 0 did not reset the redraw event'

    ; Function 23 with nothing pending times out with 0 (20 ms).
    mov eax, 23
    mov ebx, 2
    int 0x40
    test eax, eax
    check z, 'g_check/wait_timeout', 'function 23 returned an event nobody sent'
    mov eax, 23
    xor ebx, ebx
    int 0x40
    test eax, eax
    check z, 'g_check/wait_zero', 'function 23 with timeout 0 did not return 0'

    ; Function 4 with flag C draws into the program's own image.
    mov eax, 4
    mov ebx, 2 shl 16 + 3
    mov ecx, 0x88FFFFFF                 ; NUL-terminated, user buffer, white
    mov edx, caption
    mov edi, text_image
    int 0x40
    xor eax, eax                        ; count the white pixels
    mov esi, text_image + 8
    mov ecx, 64 * 16
.count_white:
    cmp dword [esi], 0xFFFFFFFF         ; dtext writes 0xFF in the top byte
    jne .not_white
    inc eax
.not_white:
    add esi, 4
    dec ecx
    jnz .count_white
    cmp eax, 20
    check a, 'g_check/text_into_buffer', 'function 4 with flag C drew (almost) nothing (eax = pixels)'
    mov eax, [text_image + 8 + (13 * 64 + 10) * 4]
    test eax, eax
    check z, 'g_check/text_buffer_rows', 'function 4 with flag C drew below the text'

    ; Hostile arguments: nothing of this may stop the program.
    mov eax, 13                         ; huge rectangle
    mov ebx, 0xFFFF0000 + 0xFFFF
    mov ecx, 0xFFFF0000 + 0xFFFF
    mov edx, 0xFF0000
    int 0x40
    mov eax, 13                         ; rectangle far to the right
    mov ebx, 0x7FFF0000 + 0x7FFF
    mov ecx, 10 shl 16 + 10
    mov edx, 0x00FF00
    int 0x40
    mov eax, 1                          ; pixels far away
    mov ebx, 0xFFFFFFFF
    mov ecx, 0x80000000
    mov edx, 0xFF
    int 0x40
    mov eax, 4                          ; text from a null pointer
    mov ebx, 10 shl 16 + 10
    mov ecx, 0x80000000
    xor edx, edx
    int 0x40
    mov eax, 4                          ; text from kernel memory
    mov ebx, 10 shl 16 + 10
    mov ecx, 0x00000000
    mov edx, 0xC0100000
    mov esi, 200
    int 0x40
    mov eax, 4                          ; a huge count
    mov ebx, 10 shl 16 + 10
    mov ecx, 0x30000000
    mov edx, caption
    mov esi, 0xFFFFFFFF
    int 0x40
    mov eax, 7                          ; image from kernel memory
    mov ebx, 0xC0000000
    mov ecx, 100 shl 16 + 100
    mov edx, 10 shl 16 + 10
    int 0x40
    mov eax, 7                          ; image larger than the program
    mov ebx, image_end
    mov ecx, 0xFFFF0000 + 0xFFFF
    mov edx, 0
    int 0x40
    mov eax, 47                         ; number through a bad pointer
    mov ebx, 0x00080001
    mov ecx, 0xC0000000
    mov edx, 10 shl 16 + 10
    mov esi, 0
    int 0x40
    mov eax, 71                         ; caption from kernel memory
    mov ebx, 1
    mov ecx, 0xC0000000
    int 0x40
    mov eax, 8                          ; a button of size 0
    mov ebx, 10 shl 16 + 0
    mov ecx, 10 shl 16 + 0
    mov edx, 5
    int 0x40
    mov eax, 38                         ; a line to the far corner
    mov ebx, 0 shl 16 + 0x7FFF
    mov ecx, 0 shl 16 + 0x7FFF
    mov edx, 0
    int 0x40
    mov eax, 48                         ; colour table into kernel memory
    mov ebx, 3
    mov ecx, 0xC0000000
    mov edx, 40
    int 0x40
    mov eax, 67                         ; absurd window size
    mov ebx, -1
    mov ecx, -1
    mov edx, 0xFFFFFFF0
    mov esi, 0xFFFFFFF0
    int 0x40
    mov eax, 1
    test eax, eax
    check nz, 'g_check/hostile_arguments', 'unreachable'

    ; The mouse is on the screen.
    mov eax, 37
    xor ebx, ebx
    int 0x40
    mov ecx, eax
    shr ecx, 16
    mov [mouse_x], ecx
    mov eax, 14
    int 0x40
    shr eax, 16
    cmp [mouse_x], eax
    setbe al
    movzx eax, al
    test eax, eax
    check nz, 'g_check/mouse_on_screen', 'function 37.0 put the mouse outside the screen'

    call finish

caption db 'g_check', 0
align 4
colors rd 10
area_x dd 0
area_y dd 0
mouse_x dd 0
text_image dd 64, 16
    rd 64 * 16

image_end:
align 16
    rb 4096
stack_top:
memory_end:
