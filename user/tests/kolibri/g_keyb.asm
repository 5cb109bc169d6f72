; g_keyb: function 66 (keyboard), 2 with no key, and 26.2 (keyboard
; layout). A program starts in ASCII mode (66.2 = 0); 66.1 switches to
; scancodes and back; 66.3 has only the documented bits (0-10) and none
; of Shift/Ctrl/Alt/Win held; a hotkey is set (66.4 = 0), deleted (66.5 =
; 0), and deleting it again answers 1; at most 256 hotkeys exist; 66.6 and
; 66.7 (block and unblock normal input) return. The normal layout (26.2,
; ECX = 1) maps scancode 0x1E to 'a', 0x02 to '1', 0x39 to space; with
; Shift (2) 0x1E is 'A'; 26.2 with ECX = 9 and 26.5 answer a language
; from the documented list. Out-of-range values do not stop the program.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'gui.inc'
test_name db 'g_keyb', 0

macro kb subfunction, c, d
{
    mov eax, 66
    mov ebx, subfunction
if ~ c eq
    mov ecx, c
end if
if ~ d eq
    mov edx, d
end if
    int 0x40
}

start:
    call screen_init
    window 100, 100, 199, 99, 0x01000000, 0, 0

    kb 2
    test eax, eax
    check z, 'g_keyb/ascii_at_start', '66.2 at start is not 0 (ASCII mode) (eax)'
    kb 1, 1
    kb 2
    cmp eax, 1
    check e, 'g_keyb/scancode_mode', 'after 66.1 with 1, 66.2 is not 1 (eax)'
    mov eax, 2
    int 0x40
    cmp eax, 1
    check e, 'g_keyb/no_key_scancodes', 'function 2 with no key in scancode mode did not answer 1 (eax)'
    kb 1, 0
    kb 2
    test eax, eax
    check z, 'g_keyb/ascii_again', 'after 66.1 with 0, 66.2 is not 0 (eax)'
    mov eax, 2
    int 0x40
    cmp eax, 1
    check e, 'g_keyb/no_key', 'function 2 with no key did not answer 1 (eax)'

    kb 3
    test eax, not 0x7FF
    check z, 'g_keyb/control_bits', '66.3 has bits above bit 10 (eax)'
    test eax, 0x63F
    check z, 'g_keyb/nothing_held', '66.3 reports a Shift, Ctrl, Alt or Win key held (eax)'

    ; Hotkeys: Ctrl + A (scancode 0x1E), exactly one Ctrl.
    kb 4, 0x1E, 0x010
    test eax, eax
    check z, 'g_keyb/hotkey_set', '66.4 did not answer 0 (eax)'
    kb 5, 0x1E, 0x010
    test eax, eax
    check z, 'g_keyb/hotkey_delete', '66.5 of the hotkey set did not answer 0 (eax)'
    kb 5, 0x1E, 0x010
    cmp eax, 1
    check e, 'g_keyb/hotkey_delete_twice', '66.5 of a hotkey that is gone did not answer 1 (eax)'
    ; At most 256: set 300 different ones, count the successes.
    xor esi, esi
    xor edi, edi
.set_many:
    mov ecx, esi
    and ecx, 0x7F
    mov edx, esi
    shr edx, 7
    kb 4
    test eax, eax
    jnz @f
    inc edi
@@:
    inc esi
    cmp esi, 300
    jb .set_many
    mov eax, edi
    cmp eax, 256
    check be, 'g_keyb/hotkey_limit', 'more than 256 hotkeys were accepted (eax = accepted)'
    cmp eax, 1
    check ae, 'g_keyb/hotkeys_accepted', 'no hotkey was accepted (eax)'
    xor esi, esi
.delete_many:
    mov ecx, esi
    and ecx, 0x7F
    mov edx, esi
    shr edx, 7
    kb 5
    inc esi
    cmp esi, 300
    jb .delete_many
    survived 'g_keyb/hotkeys_deleted'
    kb 6
    kb 7
    survived 'g_keyb/block_unblock'

    ; Layouts.
    mov eax, 26
    mov ebx, 2
    mov ecx, 1
    mov edx, layout
    int 0x40
    movzx eax, byte [layout + 0x1E]
    cmp eax, 'a'
    check e, 'g_keyb/layout_a', 'the normal layout does not map scancode 0x1E to a (eax)'
    movzx eax, byte [layout + 0x02]
    cmp eax, '1'
    check e, 'g_keyb/layout_1', 'the normal layout does not map scancode 0x02 to 1 (eax)'
    movzx eax, byte [layout + 0x39]
    cmp eax, ' '
    check e, 'g_keyb/layout_space', 'the normal layout does not map scancode 0x39 to space (eax)'
    mov eax, 26
    mov ebx, 2
    mov ecx, 2
    mov edx, layout
    int 0x40
    movzx eax, byte [layout + 0x1E]
    cmp eax, 'A'
    check e, 'g_keyb/layout_shift_a', 'the Shift layout does not map scancode 0x1E to A (eax)'
    mov eax, 26
    mov ebx, 2
    mov ecx, 3
    mov edx, layout
    int 0x40
    survived 'g_keyb/layout_alt'
    mov eax, 26
    mov ebx, 2
    mov ecx, 9
    int 0x40
    cmp eax, 1
    check ge, 'g_keyb/country', '26.2 with ECX = 9 did not answer a language id >= 1 (eax)'
    cmp eax, 11
    check le, 'g_keyb/country_known', '26.2 with ECX = 9 answered a language id above 11 (eax)'
    mov eax, 26
    mov ebx, 5
    int 0x40
    cmp eax, 1
    check ge, 'g_keyb/language', '26.5 did not answer a language id >= 1 (eax)'
    cmp eax, 11
    check le, 'g_keyb/language_known', '26.5 answered a language id above 11 (eax)'

    ; Out of range.
    kb 1, 7
    kb 1, -1
    kb 1, 0
    kb 4, 0xFF, 0xFFFFFFFF
    kb 5, 0xFF, 0xFFFFFFFF
    kb 99
    kb -1
    survived 'g_keyb/bad_values'
    ; Layout buffers null, in the kernel, past the program's memory:
    ; KolibriOS's 26.2 / 21.2 do not check them and the process is killed
    ; ("General protection fault"); Colibri refuses them on purpose.
    mov eax, 26
    mov ebx, 2
    mov ecx, 1
    mov edx, 0
    int 0x40
    mov eax, 26
    mov ebx, 2
    mov ecx, 1
    mov edx, 0xC0000000
    int 0x40
    mov eax, 26
    mov ebx, 2
    mov ecx, 1
    mov edx, memory_end - 64
    int 0x40
    mov eax, 26
    mov ebx, 2
    mov ecx, 4
    mov edx, layout
    int 0x40
    mov eax, 26
    mov ebx, 99
    int 0x40
    survived 'g_keyb/bad_layout'
    kb 2
    test eax, eax
    check z, 'g_keyb/mode_after', 'after bad calls the mode is not ASCII (eax)'
    call finish

image_end:
align 4
layout rb 128
align 16
    rb 4096
stack_top:
memory_end:
