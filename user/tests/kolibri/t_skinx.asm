; t_skinx: a hostile skin for g_skinf: the 'SKIN' magic, then parameters
; and bitmap offsets far outside the file. 48.8 must refuse it (2) and
; keep the skin in use.
format binary

    dd 'SKIN', 1, 0x7FFFFFF0, 0xFFFFFFF8, 0x00100000
    dd 20, 0, 0, 0
