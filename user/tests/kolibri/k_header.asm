; k_header: the loader honours the MENUET01 header. Run it as
;     run /sys/k_header alpha beta
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, params, path

TEST_PREFIX equ 'k_header'
PROGRAM_NAME equ 'k_header'
test_name db TEST_PREFIX, 0
include 'k_header.inc'
