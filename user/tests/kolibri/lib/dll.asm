; dll.obj for header version 2 ("KX") programs, written for the tests
; (tests/vm/test_kolibri_dll.py). The kernel loads /sys/lib/dll.obj for a
; program whose header version is 2 and starts its main thread at the
; dword just before this object's export table: the startup thunk below
; links the program's imports and calls its entry.
;
; The KX header (after the usual MENUET01 fields): +0x24 'KX',0,0; +0x28
; flags, bit 6 = the program has an import table; +0x2C the import table
; (dll_load's format).
format MS COFF

public EXPORTS

section '.flat' code readable writable executable align 16

include 'dllload.inc'

app_startup_thunk:
    cmp dword [0x24], 'KX'
    jne .entry
    test byte [0x28], 0x40
    jz .entry
    push dword [0x2C]
    call dll_load
    test eax, eax
    jnz .failed
.entry:
    call dword [0x0C]
    mov eax, -1
    int 0x40
.failed:
    ; The imports could not be linked: say so and end the program.
    mov esi, message_failed
.print:
    mov cl, [esi]
    test cl, cl
    jz .end
    mov eax, 63
    mov ebx, 1
    int 0x40
    inc esi
    jmp .print
.end:
    mov eax, -1
    int 0x40

message_failed db 'dll.obj: the program', 39, 's imports cannot be linked', 10, 0

dll_load_data

align 4
    dd app_startup_thunk   ; APP_STARTUP_THUNK: the dword before EXPORTS
EXPORTS:
    dd name_dll_load, dll_load
    dd name_version, 1
    dd 0
name_dll_load db 'dll_load', 0
name_version db 'version', 0
