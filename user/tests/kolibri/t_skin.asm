; t_skin: a skin file (.skn) for g_skinf, in the layout that KolibriOS's
; skins/skin.inc writes and parse_skin_data (gui/skincode.inc) reads:
; header, parameters (height 20, margins, frame colours, a colour table),
; the close and minimize buttons, and six one-colour bitmaps of distinct
; colours (blue, green, red bytes per pixel, top row first):
;   active:   left 6x20 red, oper 30x20 green, base 4x20 blue
;   inactive: left 6x20 dark red, oper 30x20 dark green, base 4x20 navy
format binary

    dd 'SKIN', 1, params, buttons, bitmaps

params:
    dd 20                       ; header height (48.4)
    dw 50, 7, 3, 4              ; margins right, left, bottom, top (48.7)
    dd 0x102030, 0x405060, 0x708090   ; active inner, outer, frame
    dd 0x111111, 0x222222, 0x333333   ; inactive inner, outer, frame
    dd table_end - table        ; the colour table (48.3)
table:
    dd 0x00A1A2A3, 0x00B1B2B3, 0x00C1C2C3, 0x00D1D2D3, 0x00E1E2E3
    dd 0x00F1F2F3, 0x00010203, 0x00111213, 0x00212223, 0x00313233
table_end:

buttons:
    dd 1                        ; close: 20x16 at 24 from the right
    dw -24, 2, 20, 16
    dd 2                        ; minimize
    dw -46, 2, 20, 16
    dd 0

bitmaps:
    dw 1, 1
    dd left_active
    dw 2, 1
    dd oper_active
    dw 3, 1
    dd base_active
    dw 1, 0
    dd left_inactive
    dw 2, 0
    dd oper_inactive
    dw 3, 0
    dd base_inactive
    dd 0

macro bitmap name, width, height, red, green, blue
{
align 4
name:
    dd width, height
    times width * height db blue, green, red
}

bitmap left_active, 6, 20, 0xFF, 0x00, 0x00
bitmap oper_active, 30, 20, 0x00, 0xFF, 0x00
bitmap base_active, 4, 20, 0x00, 0x00, 0xFF
bitmap left_inactive, 6, 20, 0x80, 0x00, 0x00
bitmap oper_inactive, 30, 20, 0x00, 0x80, 0x00
bitmap base_inactive, 4, 20, 0x00, 0x00, 0x80
