; k_portf: started by k_ports while k_ports holds ports 0x378-0x37A. The
; ports are k_ports's alone (the I/O bitmap is per process), so this IN
; must end the program with a general-protection fault.
use32
org 0
    db 'MENUET01'
    dd 1, start, image_end, memory_end, stack_top, 0, 0

include 'ktest.inc'
test_name db 'k_portf', 0

start:
    print 'k_portf: reading port 0x379', 10
    mov dx, 0x379
    in al, dx
    print 'FAIL k_portf/port_of_another_process: the IN did not fault', 10
    call finish

image_end:
align 16
    rb 4096
stack_top:
memory_end:
