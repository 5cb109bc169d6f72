#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Writes malformed KolibriOS DLLs for the DLL VM test (tests/vm/test_kolibri_dll.py).

    mkbaddll.py T_MATH.OBJ OUTDIR
    mkbaddll.py --list         (the output names, ';'-separated, for CMake)

T_MATH.OBJ is the valid test DLL (user/tests/kolibri/lib/t_math.asm, an
MS COFF object from fasm); each case is a copy with one thing broken, or a
small file written from scratch. The names are lowercase 8.3 names: the
ramdisk rule copies them to /sys/lib. CASES says what the kernel's log line
must contain when 68.19 refuses the file (kernel/exec/CoffDll.cpp's
messages); user/tests/kolibri/lib/bad_names.inc lists the same names for
k_dll.asm, which tries each.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

CASES: dict[str, str] = {
    "bad_empt.obj": "shorter than its file header",
    "bad_trnc.obj": "past the end of the file",
    "bad_nsec.obj": "no sections",
    "bad_data.obj": "section data past the end of the file",
    "bad_rels.obj": "relocations past the end of the file",
    "bad_site.obj": "relocation site outside its section",
    "bad_strd.obj": "relocation site outside its section",
    "bad_symi.obj": "relocation symbol index past the symbol table",
    "bad_sect.obj": "symbol in a section that does not exist",
    "bad_strs.obj": "symbol name outside the string table",
    "bad_noex.obj": "no EXPORTS symbol",
    "bad_huge.obj": "image larger than 256 MiB",
    "bad_kpck.obj": "LZMA: ",  # a KPCK header over zeros: the unpacker refuses it
}

FILE_HEADER = 20
SECTION_HEADER = 40
SYMBOL = 18


def section_offset(index: int) -> int:
    return FILE_HEADER + SECTION_HEADER * index


def first_relocated_section(data: bytes) -> int:
    count = struct.unpack_from("<H", data, 2)[0]
    for index in range(count):
        if struct.unpack_from("<H", data, section_offset(index) + 32)[0]:
            return index
    raise SystemExit("mkbaddll: the sample object has no relocations")


def build(sample: bytes) -> dict[str, bytes]:
    symbols = struct.unpack_from("<I", sample, 8)[0]
    symbol_count = struct.unpack_from("<I", sample, 12)[0]
    relocated = first_relocated_section(sample)
    header = section_offset(relocated)
    size = struct.unpack_from("<I", sample, header + 16)[0]
    relocations = struct.unpack_from("<I", sample, header + 24)[0]

    def edit(offset: int, fmt: str, value: int) -> bytes:
        out = bytearray(sample)
        struct.pack_into(fmt, out, offset, value)
        return bytes(out)

    # The symbol called EXPORTS (short name), for the "no exports" case.
    exports = None
    index = 0
    while index < symbol_count:
        at = symbols + SYMBOL * index
        if sample[at:at + 8] == b"EXPORTS\0":
            exports = at
        index += 1 + sample[at + 17]
    if exports is None:
        raise SystemExit("mkbaddll: the sample object has no EXPORTS symbol")
    no_exports = bytearray(sample)
    no_exports[exports:exports + 8] = b"EXPORTX\0"

    long_name = bytearray(sample)
    struct.pack_into("<II", long_name, symbols, 0, 0x10000)

    return {
        "bad_empt.obj": b"",
        "bad_trnc.obj": sample[:symbols + 5],
        "bad_nsec.obj": edit(2, "<H", 0),
        "bad_data.obj": edit(section_offset(0) + 20, "<I", len(sample) - 2),
        "bad_rels.obj": edit(header + 32, "<H", 0xFFFF),
        "bad_site.obj": edit(relocations, "<I", 0x7FFFFFF0),
        "bad_strd.obj": edit(relocations, "<I", size - 2),
        "bad_symi.obj": edit(relocations + 4, "<I", symbol_count + 1000),
        "bad_sect.obj": edit(symbols + 12, "<H", 77),
        "bad_strs.obj": bytes(long_name),
        "bad_noex.obj": bytes(no_exports),
        "bad_huge.obj": edit(section_offset(struct.unpack_from("<H", sample, 2)[0] - 1) + 16, "<I", 0x20000000),
        "bad_kpck.obj": b"KPCK" + struct.pack("<III", 0x1000, 1, 0) + bytes(32),
    }


def main() -> None:
    if sys.argv[1:] == ["--list"]:
        print(";".join(CASES), end="")
        return
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    sample = Path(sys.argv[1]).read_bytes()
    out = Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    files = build(sample)
    assert set(files) == set(CASES), "CASES and build() disagree"
    for name, data in files.items():
        (out / name).write_bytes(data)


if __name__ == "__main__":
    main()
