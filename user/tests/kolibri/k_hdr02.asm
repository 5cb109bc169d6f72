; k_hdr02: the same checks as k_header for a program with the MENUET02
; signature (the same header fields as MENUET01). Run it as
;     run /sys/k_hdr02 alpha beta
use32
org 0
    db 'MENUET02'
    dd 1, start, image_end, memory_end, stack_top, params, path

TEST_PREFIX equ 'k_hdr02'
PROGRAM_NAME equ 'k_hdr02'
test_name db TEST_PREFIX, 0
include 'k_header.inc'
