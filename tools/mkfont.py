#!/usr/bin/env python3
"""Generates the bitmaps of the two system fonts (kernel/gui/FontData.h).

Reads fonts installed by Debian packages and writes a C++ fragment that
kernel/gui/FontData.cpp includes:

  6x9   Misc-Fixed 6x9 (ISO 10646), /usr/share/fonts/X11/misc/6x9.pcf.gz from
        the package xfonts-base (font-misc-misc: "Public domain font.  Share
        and enjoy."). Only the 256 characters of code page 866 are kept.
  8x16  the VGA console font of console-setup-linux
        (/usr/share/consolefonts/{FullCyrSlav,Uni2,Uni1}-VGA16.psf.gz),
        built from u_vga16.bdf, (c) 2000, 2001 Dmitry Bolkhovityanov, under
        an MIT-style licence (see /usr/share/doc/console-setup-linux/
        copyright.fonts.gz). Every Unicode character those files map is kept.

Bitmaps are 1 bit per pixel, one byte per row, bit 7 = leftmost column.
Usage: mkfont.py --pcf6x9 FILE --psf8x16 FILE [FILE...] --output FILE.inc
"""
import argparse
import gzip
import struct
import sys

SMALL_WIDTH, SMALL_HEIGHT = 6, 9
LARGE_WIDTH, LARGE_HEIGHT = 8, 16

# The glyphs DOS showed for the control codes of code page 866 (the same as
# code page 437): 0x01-0x1F and 0x7F. 0x00 stays blank.
DOS_CONTROL_PICTURES = {
    0x01: 0x263A, 0x02: 0x263B, 0x03: 0x2665, 0x04: 0x2666, 0x05: 0x2663,
    0x06: 0x2660, 0x07: 0x2022, 0x08: 0x25D8, 0x09: 0x25CB, 0x0A: 0x25D9,
    0x0B: 0x2642, 0x0C: 0x2640, 0x0D: 0x266A, 0x0E: 0x266B, 0x0F: 0x263C,
    0x10: 0x25BA, 0x11: 0x25C4, 0x12: 0x2195, 0x13: 0x203C, 0x14: 0x00B6,
    0x15: 0x00A7, 0x16: 0x25AC, 0x17: 0x21A8, 0x18: 0x2191, 0x19: 0x2193,
    0x1A: 0x2192, 0x1B: 0x2190, 0x1C: 0x221F, 0x1D: 0x2194, 0x1E: 0x25B2,
    0x1F: 0x25BC, 0x7F: 0x2302,
}

# Characters a source lacks but draws under another code point of the same
# shape: the pointers of cp866 0x10 and 0x11 (U+25BA, U+25C4) are the
# console fonts' U+25B6 and U+25C0.
ALIASES = {0x25BA: 0x25B6, 0x25C4: 0x25C0}


def fail(message):
    sys.exit(f"mkfont.py: {message}")


def cp866_code_points():
    """Unicode code point shown for each cp866 byte (0x00 -> U+0000)."""
    table = []
    for byte in range(256):
        if byte in DOS_CONTROL_PICTURES:
            table.append(DOS_CONTROL_PICTURES[byte])
        else:
            table.append(ord(bytes([byte]).decode("cp866")))
    return table


def open_font(path, package):
    try:
        with gzip.open(path) as f:
            return f.read()
    except OSError as error:
        fail(f"cannot read {path} ({error}); install the Debian package {package}")


# ---------------------------------------------------------------- PCF reader
# X11 Portable Compiled Format: a table of contents, then tables that each
# start with a 32-bit little-endian format word (byte order, bit order and
# row padding of what follows).

PCF_PROPERTIES, PCF_ACCELERATORS, PCF_METRICS, PCF_BITMAPS, PCF_BDF_ENCODINGS = 1, 2, 4, 8, 32


def read_pcf(path):
    data = open_font(path, "xfonts-base")
    if data[:4] != b"\x01fcp":
        fail(f"{path} is not a PCF font")
    (table_count,) = struct.unpack_from("<I", data, 4)
    tables = {}
    for i in range(table_count):
        kind, fmt, size, offset = struct.unpack_from("<4I", data, 8 + 16 * i)
        tables[kind] = offset

    def table(kind):
        if kind not in tables:
            fail(f"{path} has no table {kind}")
        offset = tables[kind]
        (fmt,) = struct.unpack_from("<I", data, offset)
        return fmt, (">" if fmt & 4 else "<"), offset + 4

    fmt, order, at = table(PCF_PROPERTIES)
    (count,) = struct.unpack_from(order + "I", data, at)
    at += 4
    raw = []
    for _ in range(count):
        raw.append(struct.unpack_from(order + "IbI", data, at))
        at += 9
    at += (4 - (count & 3)) & 3
    (strings_size,) = struct.unpack_from(order + "I", data, at)
    strings = data[at + 4:at + 4 + strings_size]

    def string(offset):
        return strings[offset:strings.index(b"\0", offset)].decode("latin-1")

    properties = {string(name): (string(value) if is_string else value) for name, is_string, value in raw}

    # Accelerators: 8 flag bytes, then the font's ascent and descent.
    fmt, order, at = table(PCF_ACCELERATORS)
    properties["pcf ascent"], properties["pcf descent"] = struct.unpack_from(order + "2i", data, at + 8)

    fmt, order, at = table(PCF_METRICS)
    metrics = []  # (left bearing, right bearing, advance, ascent, descent)
    if fmt & 0x100:  # compressed: bytes biased by 0x80
        (count,) = struct.unpack_from(order + "H", data, at)
        at += 2
        for _ in range(count):
            metrics.append(tuple(b - 0x80 for b in data[at:at + 5]))
            at += 5
    else:
        (count,) = struct.unpack_from(order + "I", data, at)
        at += 4
        for _ in range(count):
            metrics.append(struct.unpack_from(order + "5h", data, at))
            at += 12

    fmt, order, at = table(PCF_BITMAPS)
    (count,) = struct.unpack_from(order + "I", data, at)
    offsets = struct.unpack_from(order + f"{count}I", data, at + 4)
    at += 4 + 4 * count + 16
    pad = 1 << (fmt & 3)
    msb_first = bool(fmt & 8)
    if (fmt >> 4) & 3 and bool(fmt & 4) != msb_first:
        fail(f"{path}: unsupported PCF bitmap layout {fmt:#x}")
    glyphs = []
    for index, (left, right, advance, ascent, descent) in enumerate(metrics):
        width = right - left
        stride = ((width + 7) // 8 + pad - 1) // pad * pad
        rows = []
        for y in range(ascent + descent):
            start = at + offsets[index] + y * stride
            line = data[start:start + stride]
            bits = 0
            for x in range(width):
                byte = line[x // 8]
                bit = (byte >> (7 - x % 8)) & 1 if msb_first else (byte >> (x % 8)) & 1
                bits |= bit << x
            rows.append(bits)
        glyphs.append(((left, right, advance, ascent, descent), rows))

    fmt, order, at = table(PCF_BDF_ENCODINGS)
    min2, max2, min1, max1, _default = struct.unpack_from(order + "5h", data, at)
    columns = max2 - min2 + 1
    count = columns * (max1 - min1 + 1)
    indices = struct.unpack_from(order + f"{count}H", data, at + 10)
    encoding = {}
    for i, glyph in enumerate(indices):
        if glyph != 0xFFFF:
            encoding[(min1 + i // columns) * 256 + min2 + i % columns] = glyph
    return properties, glyphs, encoding


def small_font(path):
    properties, glyphs, encoding = read_pcf(path)
    if (properties.get("CHARSET_REGISTRY"), properties.get("CHARSET_ENCODING")) != ("ISO10646", "1"):
        fail(f"{path} is not a Unicode (ISO10646-1) font")
    ascent = properties["pcf ascent"]
    if ascent + properties["pcf descent"] != SMALL_HEIGHT:
        fail(f"{path} is not {SMALL_HEIGHT} pixels high")
    result = []
    for byte, code_point in enumerate(cp866_code_points()):
        rows = [0] * SMALL_HEIGHT
        if byte != 0:
            if code_point not in encoding:
                fail(f"{path} has no glyph for U+{code_point:04X} (cp866 {byte:#04x})")
            (left, right, advance, glyph_ascent, _), bits = glyphs[encoding[code_point]]
            if advance != SMALL_WIDTH:
                fail(f"{path}: U+{code_point:04X} advances {advance} pixels, not {SMALL_WIDTH}")
            top = ascent - glyph_ascent
            for y, line in enumerate(bits):
                for x in range(right - left):
                    column, row = left + x, top + y
                    if line >> x & 1:
                        if not (0 <= column < SMALL_WIDTH and 0 <= row < SMALL_HEIGHT):
                            fail(f"{path}: U+{code_point:04X} leaves the 6x9 cell")
                        rows[row] |= 0x80 >> column
        result.append(rows)
    return result


# ---------------------------------------------------------------- PSF reader

def read_psf(path):
    """Returns (glyphs, {code point: (glyph, is_first_of_its_glyph)})."""
    data = open_font(path, "console-setup-linux")
    if data[:2] == b"\x36\x04":  # PSF1: 2 bytes magic, mode, height
        mode, height = data[2], data[3]
        count = 512 if mode & 1 else 256
        width, header, char_size = 8, 4, height
        if not mode & 2:
            fail(f"{path} has no Unicode table")
    elif data[:4] == b"\x72\xb5\x4a\x86":  # PSF2
        _, _, header, flags, count, char_size, height, width = struct.unpack_from("<8I", data)
        if not flags & 1:
            fail(f"{path} has no Unicode table")
    else:
        fail(f"{path} is not a PSF font")
    if (width, height) != (LARGE_WIDTH, LARGE_HEIGHT) or char_size != LARGE_HEIGHT:
        fail(f"{path} is {width}x{height}, not {LARGE_WIDTH}x{LARGE_HEIGHT}")
    glyphs = [list(data[header + i * char_size:header + (i + 1) * char_size]) for i in range(count)]
    mapping = {}
    at = header + count * char_size
    for glyph in range(count):
        in_sequence = False
        position = 0
        while True:
            if data[:2] == b"\x36\x04":
                (unit,) = struct.unpack_from("<H", data, at)
                at += 2
                if unit == 0xFFFF:
                    break
                if unit == 0xFFFE:
                    in_sequence = True
                    continue
                code_point = unit
            else:
                lead = data[at]
                if lead == 0xFF:
                    at += 1
                    break
                if lead == 0xFE:
                    at += 1
                    in_sequence = True
                    continue
                size = 1 if lead < 0x80 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
                code_point = ord(data[at:at + size].decode("utf-8"))
                at += size
            # Combining sequences (after 0xFFFE) are not single characters.
            if not in_sequence and code_point not in mapping:
                mapping[code_point] = (glyph, position == 0)
            position += 1
    return glyphs, mapping


def large_font(paths):
    """Merges PSF files: a code point takes the glyph of the first file
    that lists it first for that glyph (its own drawing); only when no file
    has one does it take a shared glyph (a console stand-in such as a
    single line for a double one)."""
    fonts = [read_psf(path) for path in paths]
    chosen = {}
    for want_own in (True, False):
        for glyphs, mapping in fonts:
            for code_point, (glyph, own) in mapping.items():
                if code_point in chosen or code_point > 0xFFFF or (want_own and not own):
                    continue
                chosen[code_point] = bytes(glyphs[glyph])
    for code_point, same_shape in ALIASES.items():
        if code_point not in chosen and same_shape in chosen:
            chosen[code_point] = chosen[same_shape]
    # Glyph 0 draws characters the font lacks: a box inside the cell.
    missing = [0, 0, 0x7E, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x7E, 0, 0, 0]
    bitmaps = [bytes(missing)]
    index_of = {bitmaps[0]: 0}
    mapping = []
    for code_point in sorted(chosen):
        if code_point == 0:
            continue
        bitmap = chosen[code_point]
        if bitmap not in index_of:
            index_of[bitmap] = len(bitmaps)
            bitmaps.append(bitmap)
        mapping.append((code_point, index_of[bitmap]))
    lookup = dict(mapping)
    blank = index_of.get(bytes(16))
    if blank is None:
        blank = len(bitmaps)
        bitmaps.append(bytes(16))
    cp866 = []
    for byte, code_point in enumerate(cp866_code_points()):
        if byte == 0:
            cp866.append(blank)
        elif code_point in lookup:
            cp866.append(lookup[code_point])
        else:
            fail(f"the 8x16 font has no glyph for U+{code_point:04X} (cp866 {byte:#04x})")
    return bitmaps, mapping, cp866


def hex_rows(rows):
    return ", ".join(f"0x{row:02X}" for row in rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pcf6x9", required=True)
    parser.add_argument("--psf8x16", required=True, nargs="+")
    parser.add_argument("--output", required=True)
    args = parser.parse_args()

    small = small_font(args.pcf6x9)
    bitmaps, mapping, cp866 = large_font(args.psf8x16)
    code_points = cp866_code_points()

    out = []
    out.append("// Generated by tools/mkfont.py; do not edit. Sources:")
    out.append(f"//   6x9:  {args.pcf6x9} (xfonts-base, public domain)")
    for path in args.psf8x16:
        out.append(f"//   8x16: {path} (console-setup-linux, u_vga16, MIT-style licence)")
    out.append("")
    out.append("const Glyph6x9 small_glyphs[256] = {")
    for byte, rows in enumerate(small):
        out.append(f"    {{ {{ {hex_rows(rows)} }} }}, // {byte:#04x} U+{code_points[byte]:04X}")
    out.append("};")
    out.append("")
    out.append("const u16 cp866_code_points[256] = {")
    for start in range(0, 256, 8):
        out.append("    " + ", ".join(f"0x{c:04X}" for c in code_points[start:start + 8]) + ",")
    out.append("};")
    out.append("")
    out.append(f"const Glyph8x16 large_glyphs[{len(bitmaps)}] = {{")
    for index, rows in enumerate(bitmaps):
        out.append(f"    {{ {{ {hex_rows(rows)} }} }}, // {index}")
    out.append("};")
    out.append(f"const size_t large_glyph_count = {len(bitmaps)};")
    out.append("")
    out.append(f"const CodePointGlyph large_code_points[{len(mapping)}] = {{")
    for start in range(0, len(mapping), 6):
        out.append("    " + " ".join(f"{{ 0x{c:04X}, {g} }}," for c, g in mapping[start:start + 6]))
    out.append("};")
    out.append(f"const size_t large_code_point_count = {len(mapping)};")
    out.append("")
    out.append("const u16 large_cp866_glyphs[256] = {")
    for start in range(0, 256, 16):
        out.append("    " + ", ".join(str(g) for g in cp866[start:start + 16]) + ",")
    out.append("};")
    text = "\n".join(out) + "\n"

    try:
        with open(args.output, encoding="utf-8") as f:
            if f.read() == text:
                return  # unchanged: keep the timestamp, avoid a rebuild
    except OSError:
        pass
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
