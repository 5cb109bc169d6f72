; k_kpck: KPCK-packed files (tests/vm/test_kolibri_kpck.py). /sys/k_packed
; is a plain program; /sys/kp_none, kp_ct1 and kp_ct2 are the same program
; packed by tools/kpack.py without call trick, with trick 1 and trick 2.
; Checks: 70.0 returns the packed bytes (KPCK header, the trick flags, a
; non-zero call count); 68.27 before 68.11 fails with 0/0; 68.27 of the
; plain file and of each packed one gives a heap block with the plain
; program's bytes and EDX = its size, the rest of the last page zero;
; 68.28 with a UTF-8 path does the same; 68.27 of a missing file and of a
; damaged packed one (/sys/kb_kpct) answers 0/0; 70.7 starts the three
; packed programs (each prints "PASS k_packed <path>") and refuses the
; damaged one with a negative code.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
include 'files.inc'
test_name db 'k_kpck', 0

macro info70 name, subfunction, p1, p2, p3, p4, [path]
{
common
    align 4
    name dd subfunction, p1, p2, p3, p4
    db path, 0
}

; load68 subfunction, path, encoding: 68.27/68.28 → [loaded], [loaded_size].
macro load68 subfunction, path, encoding
{
    mov eax, 68
    mov ebx, subfunction
    mov ecx, path
    mov edx, encoding
    int 0x40
    mov [loaded], eax
    mov [loaded_size], edx
}

; same_as_plain 'name': the block at [loaded] holds [plain_size] bytes of
; the plain program, and EDX was that size.
macro same_as_plain name
{
    mov eax, [loaded]
    test eax, eax
    check nz, name#'_block', '68.27 returned 0'
    mov eax, [loaded_size]
    cmp eax, [plain_size]
    check e, name#'_size', 'EDX is not the unpacked size (eax = EDX)'
    mov esi, [loaded]
    mov edi, plain
    mov ecx, [plain_size]
    call mem_equal
    check e, name#'_bytes', 'the block does not hold the plain program'
    call rest_of_page_zero
    check e, name#'_tail', 'the rest of the last page is not zero'
}

start:
    ; The plain program and the packed files as 70.0 reads them.
    sys70 read_plain
    mov [plain_size], ebx
    expect_status 6, 'k_kpck/read_plain', '70.0 of /sys/k_packed did not end with 6'
    mov eax, dword [plain]
    cmp eax, 'MENU'
    check e, 'k_kpck/plain_header', '/sys/k_packed is not a MENUET01 program'
    sys70 read_ct1
    mov [packed_size], ebx
    mov eax, dword [packed]
    cmp eax, 'KPCK'
    check e, 'k_kpck/read_packed', '70.0 of /sys/kp_ct1 does not start with KPCK (no unpacking for 70.0)'
    mov eax, dword [packed + 4]
    cmp eax, [plain_size]
    check e, 'k_kpck/packed_size_field', 'the KPCK header does not hold the plain size'
    mov eax, dword [packed + 8]
    cmp eax, 0x41
    check e, 'k_kpck/ct1_flags', 'kp_ct1 is not LZMA with call-trick 1 (eax = flags)'
    mov ebx, [packed_size]
    mov eax, dword [packed + ebx - 5]
    cmp eax, 4
    check ae, 'k_kpck/ct1_count', 'kp_ct1 converted fewer than 4 calls (eax = count)'
    sys70 read_ct2
    mov eax, dword [packed + 8]
    cmp eax, 0x81
    check e, 'k_kpck/ct2_flags', 'kp_ct2 is not LZMA with call-trick 2 (eax = flags)'
    sys70 read_none
    mov eax, dword [packed + 8]
    cmp eax, 1
    check e, 'k_kpck/none_flags', 'kp_none is not plain LZMA (eax = flags)'

    ; 68.27 needs the heap (68.11) first.
    load68 27, path_plain, 0
    mov eax, [loaded]
    or eax, [loaded_size]
    check z, 'k_kpck/no_heap', '68.27 before 68.11 did not answer 0/0'
    mov eax, 68
    mov ebx, 11
    int 0x40

    load68 27, path_plain, 0
    same_as_plain 'k_kpck/plain'
    load68 27, path_none, 0
    same_as_plain 'k_kpck/none'
    load68 27, path_ct1, 0
    same_as_plain 'k_kpck/ct1'
    load68 27, path_ct2, 0
    same_as_plain 'k_kpck/ct2'
    load68 28, path_ct2, 3
    same_as_plain 'k_kpck/ct2_utf8'

    load68 27, path_missing, 0
    mov eax, [loaded]
    or eax, [loaded_size]
    check z, 'k_kpck/missing', '68.27 of a missing file did not answer 0/0'
    load68 27, path_damaged, 0
    mov eax, [loaded]
    or eax, [loaded_size]
    check z, 'k_kpck/damaged', '68.27 of a damaged KPCK file did not answer 0/0'

    ; 70.7 of the packed programs.
    sys70 start_none
    cmp eax, 0
    check g, 'k_kpck/start_none', '70.7 of /sys/kp_none did not return a PID'
    sys70 start_ct1
    cmp eax, 0
    check g, 'k_kpck/start_ct1', '70.7 of /sys/kp_ct1 did not return a PID'
    sys70 start_ct2
    cmp eax, 0
    check g, 'k_kpck/start_ct2', '70.7 of /sys/kp_ct2 did not return a PID'
    sys70 start_damaged
    cmp eax, 0
    check l, 'k_kpck/start_damaged', '70.7 of a damaged KPCK file did not return a negative code'

    ; Let the children print before the verdict.
    mov eax, 5
    mov ebx, 50
    int 0x40
    call finish

; rest_of_page_zero: ZF = 1 when the bytes from [loaded] + [loaded_size]
; to the end of that page are zero.
rest_of_page_zero:
    mov esi, [loaded]
    add esi, [loaded_size]
    mov ecx, esi
    neg ecx
    and ecx, 0xFFF
    call all_zero
    ret

info70 read_plain, 0, 0, 0, 16384, plain, '/sys/k_packed'
info70 read_ct1, 0, 0, 0, 16384, packed, '/sys/kp_ct1'
info70 read_ct2, 0, 0, 0, 16384, packed, '/sys/kp_ct2'
info70 read_none, 0, 0, 0, 16384, packed, '/sys/kp_none'
info70 start_none, 7, 0, 0, 0, 0, '/sys/kp_none'
info70 start_ct1, 7, 0, 0, 0, 0, '/sys/kp_ct1'
info70 start_ct2, 7, 0, 0, 0, 0, '/sys/kp_ct2'
info70 start_damaged, 7, 0, 0, 0, 0, '/sys/kb_kpct'
path_plain db '/sys/k_packed', 0
path_none db '/sys/kp_none', 0
path_ct1 db '/sys/kp_ct1', 0
path_ct2 db '/sys/kp_ct2', 0
path_missing db '/sys/kp_nothere', 0
path_damaged db '/sys/kb_kpct', 0

image_end:
align 4
loaded dd ?
loaded_size dd ?
plain_size dd ?
packed_size dd ?
plain rb 16384
packed rb 16384
align 16
    rb 4096
stack_top:
align 4096
memory_end:
