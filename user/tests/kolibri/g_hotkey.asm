; g_hotkey: a key that is a hotkey (66.4) goes to the hotkey's thread and,
; as hid/keyboard.inc does it, to the active window too, unless normal
; input is blocked (66.6; 66.7 unblocks). Here one thread is both. The VM
; test types "a" twice.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_hotkey', 0

redraw:
    window 100, 100, 299, 99, 0x34E0E8F0, 0, caption
    ret

start:
    call screen_init
    mov eax, 40
    mov ebx, 0x07
    int 0x40
    call redraw
    mov eax, 66                 ; A (0x1E) with no control key held
    mov ebx, 4
    mov ecx, 0x1E
    xor edx, edx
    int 0x40
    cmp eax, 0
    check e, 'g_hotkey/set', '66.4 failed (eax)'

    print 'INFO g_hotkey: ready key-a', 10
    call wait_key
    mov [first], eax
    call wait_key
    mov [second], eax
    mov eax, [first]
    and eax, 0xFFFF
    cmp eax, 0x1E02
    check e, 'g_hotkey/hotkey_first', 'the first key is not the hotkey (AL = 2, AH = 0x1E) (eax)'
    mov eax, [second]
    and eax, 0xFFFF
    cmp eax, 'a' shl 8
    check e, 'g_hotkey/window_gets_it_too', 'the window did not get the key as well (eax)'

    ; Blocked: the hotkey only.
    call drain_all
    mov eax, 66
    mov ebx, 6
    int 0x40
    print 'INFO g_hotkey: ready key-a-locked', 10
    call wait_key
    mov [first], eax
    mov ecx, 100                ; one second for a second key that must not come
    call wait_key_for
    mov [second], eax
    mov eax, 66
    mov ebx, 7
    int 0x40
    mov eax, [first]
    and eax, 0xFFFF
    cmp eax, 0x1E02
    check e, 'g_hotkey/locked_hotkey', 'with input blocked the hotkey did not arrive (eax)'
    mov eax, [second]
    cmp eax, 0
    check e, 'g_hotkey/locked_no_window_key', 'with input blocked the window got the key too (eax)'
    call finish

; wait_key: EAX = function 2's answer for the next key (60 s at most, 0
; then); wait_key_for: the same with ECX hundredths.
wait_key:
    mov ecx, 6000
wait_key_for:
    push esi
    mov eax, 26
    mov ebx, 9
    int 0x40
    lea esi, [eax + ecx]
.loop:
    mov eax, 23
    mov ebx, 10
    int 0x40
    cmp eax, 1
    jne @f
    call redraw
    jmp .loop
@@:
    cmp eax, 2
    jne @f
    mov eax, 2
    int 0x40
    pop esi
    ret
@@:
    mov eax, 26
    mov ebx, 9
    int 0x40
    cmp eax, esi
    jb .loop
    xor eax, eax
    pop esi
    ret

; drain_all: the releases and anything else pending (half a second).
drain_all:
    mov ecx, 50
    call wait_key_for
    test eax, eax
    jnz drain_all
    ret

caption db 'g_hotkey', 0
align 4
first dd 0
second dd 0

image_end:
align 16
    rb 8192
stack_top:
memory_end:
