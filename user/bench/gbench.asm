; gbench: the cost of KolibriOS GUI functions, timed inside the guest with
; rdtsc. Opens a 640x480 skinned window (style 3) at (WIN_X, WIN_Y) and
; measures, each as the median of BATCHES batches (after one warm-up batch;
; fills and text start each batch with nothing left to copy to the screen):
;   * function 13: FILLS fills of the whole client area per batch;
;   * function 4: TEXT_CALLS strings of TEXT_LENGTH characters (8x16 font,
;     cp866, no background) per batch;
;   * a full redraw per batch: 12.1, function 0, the contents (see
;     draw_window), 12.2; Colibri copies the changes to the screen inside
;     12.2, so that copy is part of the time.
; Prints on the debug board, for tools/bench.py:
;     bench: tsc_khz=N               TSC frequency (calibrated against 26.9)
;     bench: fill_rect_pixels=N      pixels filled per batch
;     bench: fill_rect_cycles=N      median batch, TSC cycles
;     bench: text_chars=N            characters per batch
;     bench: text_cycles=N
;     bench: window_redraw_cycles=N  one redraw
; Then the key round trip: it prints "gbench: ready for keys" and waits
; with function 10. For each key event it reads the TSC right after
; function 10 returns (before anything else), takes the key with function
; 2 and keeps the TSC of each 'a'; 'q' (or the close button) ends the
; program, which then prints
;     gbench: key N woke at tsc 0x<16 hex digits>
; for each 'a'. tools/bench.py types the keys through QEMU's monitor and
; pairs these with the kernel's `inputlog` lines, which carry the TSC read
; at the entry of the PS/2 interrupt that delivered each key.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include '../tests/kolibri/ktest.inc'
test_name db 'gbench', 0

BATCHES = 63
; Batches are kept short (about a millisecond or two under QEMU's TCG):
; the GUI thread wakes every 20 ms and copies what changed to the screen,
; and the few batches it lands in fall out of the median.
FILLS = 2
TEXT_CALLS = 4
TEXT_LENGTH = 64
TEXT_ROWS = 24                  ; the text benchmark cycles through these rows
REDRAW_LINES = 20               ; text lines of one redraw
REDRAW_BUTTONS = 4
CALIBRATION_TICKS = 30          ; hundredths of a second (26.9)
KEYS_MAX = 128

WIN_X = 100
WIN_Y = 60
WIN_W = 640
WIN_H = 480
WORK_COLOR = 0xE9EDF2
BORDER = 5                      ; skinned frame left, right and bottom (function 0)

start:
    ; The client area: from (5, skin height) to (xsize - 5, ysize - 5).
    mov eax, 48
    mov ebx, 4
    int 0x40
    mov [skin_height], eax
    mov [client_w], WIN_W - 2 * BORDER
    mov ecx, WIN_H - BORDER
    sub ecx, eax
    mov [client_h], ecx

    call calibrate
    call draw_window

    call bench_fill
    call bench_text
    call bench_redraw

    print 'bench: tsc_khz='
    mov eax, [tsc_khz]
    call debug_decimal
    print 10, 'bench: fill_rect_pixels='
    mov eax, [client_w]
    imul eax, [client_h]
    imul eax, FILLS
    call debug_decimal
    print 10, 'bench: fill_rect_cycles='
    mov eax, [fill_cycles]
    call debug_decimal
    print 10, 'bench: text_chars='
    mov eax, TEXT_CALLS * TEXT_LENGTH
    call debug_decimal
    print 10, 'bench: text_cycles='
    mov eax, [text_cycles]
    call debug_decimal
    print 10, 'bench: window_redraw_cycles='
    mov eax, [redraw_cycles]
    call debug_decimal
    print 10

    ; --- The key round trip -------------------------------------------------
    call draw_window            ; what the window shows while keys come
    print 'gbench: ready for keys', 10
.wait:
    mov eax, 10
    int 0x40
    mov ebx, eax                ; the event; the TSC right after the wakeup
    rdtsc
    mov [wake_low], eax
    mov [wake_high], edx
    cmp ebx, 1
    je .redraw
    cmp ebx, 2
    je .key
    cmp ebx, 3
    je .button
    jmp .wait
.redraw:
    call draw_window
    jmp .wait
.button:
    mov eax, 17
    int 0x40
    shr eax, 8
    cmp eax, 1                  ; the close button
    je .done
    jmp .wait
.key:
    mov eax, 2
    int 0x40
    test al, al
    jnz .wait
    cmp ah, 'q'
    je .done
    cmp ah, 'a'
    jne .wait
    mov ecx, [key_count]
    cmp ecx, KEYS_MAX
    jae .wait
    mov eax, [wake_low]
    mov edx, [wake_high]
    mov [key_tsc + ecx * 8], eax
    mov [key_tsc + ecx * 8 + 4], edx
    inc [key_count]
    jmp .wait

.done:
    xor esi, esi
.print_key:
    cmp esi, [key_count]
    jae .printed
    print 'gbench: key '
    mov eax, esi
    call debug_decimal
    print ' woke at tsc 0x'
    mov eax, [key_tsc + esi * 8 + 4]
    call debug_hex
    mov eax, [key_tsc + esi * 8]
    call debug_hex
    print 10
    inc esi
    jmp .print_key
.printed:
    print 'gbench: keys='
    mov eax, [key_count]
    call debug_decimal
    print 10
    mov eax, -1
    int 0x40

; calibrate: tsc_khz = TSC cycles per millisecond, measured over
; CALIBRATION_TICKS hundredths of a second of function 26.9, from one
; change of its value to another (so both ends are tick edges).
calibrate:
    pushad
    call uptime
    mov esi, eax
.first_edge:
    call uptime
    cmp eax, esi
    je .first_edge
    mov esi, eax
    rdtsc
    mov [calibration_low], eax
    mov [calibration_high], edx
    add esi, CALIBRATION_TICKS
.second_edge:
    call uptime
    cmp eax, esi
    jb .second_edge
    rdtsc
    sub eax, [calibration_low]
    sbb edx, [calibration_high]
    mov ecx, CALIBRATION_TICKS * 10
    div ecx
    mov [tsc_khz], eax
    popad
    ret

uptime:
    push ebx
    mov eax, 26
    mov ebx, 9
    int 0x40
    pop ebx
    ret

; The benchmarks: each fills samples[0 .. BATCHES) with batch times in
; cycles (the low 32 bits of the TSC: a batch lasts far less than 2^32
; cycles) after a warm-up batch, and leaves the median in EAX.

bench_fill:
    mov edi, -1
.batch:
    call flush
    rdtsc
    mov [batch_start], eax
    xor esi, esi
.fill:
    mov eax, 13
    mov ebx, [client_w]         ; x = 0
    mov ecx, [client_h]         ; y = 0
    ; A different colour every call.
    lea edx, [esi + edi * 8 + 16]
    imul edx, 0x00050A0F
    and edx, 0xFFFFFF
    int 0x40
    inc esi
    cmp esi, FILLS
    jb .fill
    rdtsc
    sub eax, [batch_start]
    call store_sample
    inc edi
    cmp edi, BATCHES
    jb .batch
    call median
    mov [fill_cycles], eax
    ret

bench_text:
    mov edi, -1
.batch:
    ; A clean background first (not timed), so no batch draws over a
    ; different picture than the others.
    mov eax, 13
    mov ebx, [client_w]
    mov ecx, [client_h]
    mov edx, WORK_COLOR
    int 0x40
    call flush
    rdtsc
    mov [batch_start], eax
    xor esi, esi
.line:
    mov eax, esi
    xor edx, edx
    mov ecx, TEXT_ROWS
    div ecx
    imul ebx, edx, 18           ; y = row * 18, x = 4
    add ebx, 4 shl 16 + 2
    mov ecx, 0x10000000 + 0x1B2633 ; font 1 (8x16, cp866), length in ESI
    push esi
    mov edx, sample_text
    mov esi, TEXT_LENGTH
    mov eax, 4
    int 0x40
    pop esi
    inc esi
    cmp esi, TEXT_CALLS
    jb .line
    rdtsc
    sub eax, [batch_start]
    call store_sample
    inc edi
    cmp edi, BATCHES
    jb .batch
    call median
    mov [text_cycles], eax
    ret

bench_redraw:
    mov edi, -1
.batch:
    rdtsc
    mov [batch_start], eax
    call draw_window
    rdtsc
    sub eax, [batch_start]
    call store_sample
    inc edi
    cmp edi, BATCHES
    jb .batch
    call median
    mov [redraw_cycles], eax
    ret

; flush: function 11 (no event is waiting here) copies what was drawn to
; the screen, so that a batch starts with nothing left to copy.
flush:
    pushad
    mov eax, 11
    int 0x40
    popad
    ret

; store_sample: EAX = a batch's cycles, EDI = the batch (-1: warm-up).
store_sample:
    cmp edi, 0
    jl .skip
    mov [samples + edi * 4], eax
.skip:
    ret

include 'median.inc'

; draw_window: one full redraw of a typical program window: 12.1; function
; 0 (640x480, style 3, caption, client-relative coordinates; it paints the
; frame, the skin, the caption, the system buttons and the work area);
; REDRAW_LINES lines of TEXT_LENGTH characters (function 4, 8x16 font);
; REDRAW_BUTTONS buttons of 80x24 (function 8); 12.2.
draw_window:
    pushad
    mov eax, 12
    mov ebx, 1
    int 0x40
    xor eax, eax
    mov ebx, WIN_X shl 16 + WIN_W - 1
    mov ecx, WIN_Y shl 16 + WIN_H - 1
    mov edx, 0x33000000 + WORK_COLOR
    xor esi, esi
    mov edi, caption
    int 0x40
    xor edi, edi
.line:
    imul ebx, edi, 18
    add ebx, 4 shl 16 + 4
    mov ecx, 0x10000000 + 0x1B2633
    mov edx, sample_text
    mov esi, TEXT_LENGTH
    mov eax, 4
    int 0x40
    inc edi
    cmp edi, REDRAW_LINES
    jb .line
    xor edi, edi
.button:
    imul ebx, edi, 100
    add ebx, 4
    shl ebx, 16
    add ebx, 80
    mov ecx, 400 shl 16 + 24
    lea edx, [edi + 2]          ; ids 2, 3, ...
    mov esi, 0x4A86D0
    mov eax, 8
    int 0x40
    inc edi
    cmp edi, REDRAW_BUTTONS
    jb .button
    mov eax, 12
    mov ebx, 2
    int 0x40
    popad
    ret

caption db 'gbench', 0
sample_text db 'The quick brown fox jumps over the lazy dog 0123456789 !?#%&*()[]'

image_end:
align 4
skin_height dd ?
client_w dd ?
client_h dd ?
tsc_khz dd ?
calibration_low dd ?
calibration_high dd ?
batch_start dd ?
fill_cycles dd ?
text_cycles dd ?
redraw_cycles dd ?
wake_low dd ?
wake_high dd ?
key_count dd ?
samples rd BATCHES
key_tsc rd KEYS_MAX * 2
align 16
    rb 4096
stack_top:
memory_end:
