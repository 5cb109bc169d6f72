; g_screen: functions 14 (screen size) and 61 (direct graphics access
; parameters). 14 answers (width - 1) * 65536 + (height - 1); 61.1 the
; size itself, 61.1 = 14 + 0x00010001; 61.2 the bits per pixel (15, 16,
; 24 or 32); 61.3 the bytes per scanline, at least width * bytes per
; pixel; 48.5's working area lies on the screen. An INFO line gives
; width, height, depth and pitch for the VM test to compare with the
; display QEMU emulates. Function 35 with offsets off the screen and
; unknown subfunctions of 61 do not stop the program.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_screen', 0

start:
    mov eax, 14
    int 0x40
    mov [size14], eax
    mov ecx, eax
    shr ecx, 16
    inc ecx
    mov [width], ecx
    and eax, 0xFFFF
    inc eax
    mov [height], eax
    mov eax, [width]
    cmp eax, 320
    check ae, 'g_screen/width', 'function 14: the screen is narrower than 320 (eax = width)'
    cmp eax, 8192
    check be, 'g_screen/width_sane', 'function 14: the screen is wider than 8192 (eax = width)'
    mov eax, [height]
    cmp eax, 200
    check ae, 'g_screen/height', 'function 14: the screen is lower than 200 (eax = height)'
    cmp eax, 8192
    check be, 'g_screen/height_sane', 'function 14: the screen is higher than 8192 (eax = height)'

    mov eax, 61
    mov ebx, 1
    int 0x40
    mov ecx, [size14]
    add ecx, 0x00010001
    cmp eax, ecx
    check e, 'g_screen/resolution', '61.1 is not function 14 + 0x00010001 (eax = 61.1)'

    mov eax, 61
    mov ebx, 2
    int 0x40
    mov [bpp], eax
    cmp eax, 32
    je .depth_ok
    cmp eax, 24
    je .depth_ok
    cmp eax, 16
    je .depth_ok
    cmp eax, 15
.depth_ok:
    check e, 'g_screen/bits_per_pixel', '61.2 is not 15, 16, 24 or 32 (eax)'

    mov eax, 61
    mov ebx, 3
    int 0x40
    mov [pitch], eax
    mov ecx, [bpp]
    add ecx, 7
    shr ecx, 3
    imul ecx, [width]
    cmp eax, ecx
    check ae, 'g_screen/pitch', '61.3 is less than width * bytes per pixel (eax)'
    add ecx, 65536
    cmp eax, ecx
    check b, 'g_screen/pitch_sane', '61.3 is more than 64 KiB beyond a row (eax)'

    print 'INFO g_screen: '
    mov eax, [width]
    call debug_decimal
    print 'x'
    mov eax, [height]
    call debug_decimal
    print 'x'
    mov eax, [bpp]
    call debug_decimal
    print ' pitch '
    mov eax, [pitch]
    call debug_decimal
    print 10

    ; 48.5: left < right < width, top < bottom < height.
    mov eax, 48
    mov ebx, 5
    int 0x40
    mov [area_x], eax
    mov [area_y], ebx
    mov ecx, eax
    shr ecx, 16
    and eax, 0xFFFF
    cmp ecx, eax
    mov eax, [area_x]
    check b, 'g_screen/work_area_x', '48.5: left is not left of right (eax = left * 65536 + right)'
    and eax, 0xFFFF
    cmp eax, [width]
    mov eax, [area_x]
    check b, 'g_screen/work_area_right', '48.5: right is off the screen (eax)'
    mov eax, [area_y]
    mov ecx, eax
    shr ecx, 16
    and eax, 0xFFFF
    cmp ecx, eax
    mov eax, [area_y]
    check b, 'g_screen/work_area_y', '48.5: top is not above bottom (ebx, shown in eax)'
    and eax, 0xFFFF
    cmp eax, [height]
    mov eax, [area_y]
    check b, 'g_screen/work_area_bottom', '48.5: bottom is off the screen (eax)'

    ; Function 35 off the screen, 61 unknown.
    mov eax, [width]
    imul eax, [height]
    mov ebx, eax
    mov eax, 35
    int 0x40
    mov eax, 35
    mov ebx, -1
    int 0x40
    mov eax, 35
    mov ebx, 0x7FFFFFFF
    int 0x40
    survived 'g_screen/pixel_off_screen'
    mov eax, 61
    mov ebx, 0
    int 0x40
    mov eax, 61
    mov ebx, 99
    int 0x40
    survived 'g_screen/bad_subfunction'
    call finish

image_end:
align 4
size14 dd ?
width dd ?
height dd ?
bpp dd ?
pitch dd ?
area_x dd ?
area_y dd ?
align 16
    rb 4096
stack_top:
memory_end:
