#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Writes malformed executables for the loader's VM test (tests/vm/test_loader.py).

    mkbadexe.py HELLO OUTDIR
    mkbadexe.py --list         (the output names, ';'-separated, for CMake)

HELLO is a valid native ELF32 program (build/cross/user/bin/hello); each ELF
case is a copy of it with one thing broken. The KolibriOS cases are small
MENUET01 images written from scratch. Every output name is a lowercase 8.3
name, so the ramdisk rule can copy them to /sys as they are. The expected
shell answer for each file is in CASES (the VM test imports this module).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import kpack

PT_LOAD = 1
PT_INTERP = 3
PF_X = 1
PF_W = 2

# name -> (the ErrorCode of lib/Error.h, words the kernel's context must
# contain). The VM test checks the shell's `run: /sys/NAME: <error>: <context>`
# line against it.
CASES: dict[str, tuple[str, str]] = {
    # Native ELF programs.
    "bad_shrt": ("Corrupt", "shorter than the ELF header"),
    "bad_trnc": ("Corrupt", "past the end of the file"),
    "bad_magc": ("Corrupt", "bad magic"),
    "bad_cls": ("Unsupported", "ELFCLASS32"),
    "bad_mach": ("Unsupported", "EM_386"),
    "bad_dyn": ("Unsupported", "dynamically linked"),
    "bad_kern": ("Corrupt", "kernel space"),
    "bad_wrap": ("Corrupt", "kernel space"),
    "bad_huge": ("Unsupported", "more than 1 GiB"),
    "bad_fsz": ("Corrupt", "file size exceeds its memory size"),
    "bad_algn": ("Corrupt", "congruent"),
    "bad_ovlp": ("Corrupt", "overlap"),
    "bad_entr": ("Corrupt", "entry point outside"),
    "bad_stck": ("Corrupt", "stack"),
    # KolibriOS flat images.
    "kb_short": ("Corrupt", "shorter than its header"),
    "kb_sig": ("Corrupt", "MENUET00/01/02 signature"),
    # KPCK-packed ones (the context names the layer: "KPCK: " or "LZMA: ").
    "kb_kpck": ("Corrupt", "LZMA: stream truncated"),
    "kb_kpmth": ("Corrupt", "KPCK: unknown packing method"),
    "kb_kpsz": ("Corrupt", "LZMA: match past the unpacked size"),
    "kb_kpct": ("Corrupt", "KPCK: fewer calls than the call-trick count"),
    "kb_kpbig": ("Unsupported", "KPCK: unpacked size above 64 MiB"),
    "kb_mem": ("Corrupt", "memory size smaller than the image"),
    "kb_entr": ("Corrupt", "entry point outside the image"),
    "kb_stack": ("Corrupt", "initial stack outside"),
    "kb_parm": ("Corrupt", "parameter buffer outside"),
    "kb_huge": ("Unsupported", "above 256 MiB"),
}

# Valid programs at the edge of what the loader has to handle, run by the
# same test: name -> what it checks.
ACCEPTED: dict[str, str] = {
    # A parameter buffer 4 bytes below the end of memory: the command line is
    # clipped there (MenuetImage.h), not refused.
    "kb_clip": "parameters clipped at the end of memory",
    # A KPCK-packed (tools/kpack.py) image that exits at once.
    "kb_kpok": "a packed program runs",
}


class Elf:
    """The fields of an ELF32 little-endian file that the cases change."""

    def __init__(self, data: bytes):
        if data[:4] != b"\x7fELF" or data[4] != 1 or data[5] != 1:
            raise SystemExit("mkbadexe: the input is not a little-endian ELF32 file")
        self.data = bytearray(data)
        self.phoff = struct.unpack_from("<I", data, 28)[0]
        self.phentsize, self.phnum = struct.unpack_from("<HH", data, 42)

    def copy(self) -> Elf:
        return Elf(bytes(self.data))

    def header_at(self, index: int) -> int:
        return self.phoff + index * self.phentsize

    def loads(self) -> list[int]:
        """Indexes of the PT_LOAD program headers, in file order."""
        return [i for i in range(self.phnum) if struct.unpack_from("<I", self.data, self.header_at(i))[0] == PT_LOAD]

    # Program header fields: p_type, p_offset, p_vaddr, p_paddr, p_filesz,
    # p_memsz, p_flags, p_align at 0, 4, ..., 28.
    FIELDS = {"type": 0, "offset": 4, "vaddr": 8, "paddr": 12, "filesz": 16, "memsz": 20, "flags": 24}

    def get(self, index: int, field: str) -> int:
        return struct.unpack_from("<I", self.data, self.header_at(index) + self.FIELDS[field])[0]

    def set(self, index: int, field: str, value: int) -> Elf:
        struct.pack_into("<I", self.data, self.header_at(index) + self.FIELDS[field], value & 0xFFFFFFFF)
        return self

    def set_header(self, offset: int, fmt: str, value: int) -> Elf:
        struct.pack_into(fmt, self.data, offset, value)
        return self

    @property
    def entry(self) -> int:
        return struct.unpack_from("<I", self.data, 24)[0]


def elf_cases(hello: bytes) -> dict[str, bytes]:
    elf = Elf(hello)
    loads = elf.loads()
    if len(loads) < 2:
        raise SystemExit("mkbadexe: the input needs at least two PT_LOAD segments")
    first, second, last = loads[0], loads[1], loads[-1]
    text = next((i for i in loads if elf.get(i, "flags") & PF_X), first)
    data = next((i for i in loads if elf.get(i, "flags") & PF_W), last)
    cases: dict[str, bytes] = {}

    cases["bad_shrt"] = bytes(elf.data[:40])
    # Headers intact, the segments' bytes cut off.
    table_end = elf.phoff + elf.phnum * elf.phentsize
    cases["bad_trnc"] = bytes(elf.data[:max(table_end, len(elf.data) // 3)])
    cases["bad_magc"] = bytes(elf.copy().set_header(1, "<B", ord("Q")).data)
    cases["bad_cls"] = bytes(elf.copy().set_header(4, "<B", 2).data)  # ELFCLASS64
    cases["bad_mach"] = bytes(elf.copy().set_header(18, "<H", 62).data)  # EM_X86_64
    cases["bad_dyn"] = bytes(elf.copy().set(second, "type", PT_INTERP).data)

    # The text segment moved to the first kernel address (offset congruence
    # kept, so that the address is the only fault).
    kernel = 0xC0000000 + elf.get(text, "vaddr") % 4096
    cases["bad_kern"] = bytes(elf.copy().set(text, "vaddr", kernel).set(text, "paddr", kernel).data)
    # A segment whose end wraps past 4 GiB back to small addresses.
    wrap = 0xFFFFF000 + elf.get(data, "vaddr") % 4096
    cases["bad_wrap"] = bytes(elf.copy().set(data, "vaddr", wrap).set(data, "memsz", 0x2000).data)
    cases["bad_huge"] = bytes(elf.copy().set(data, "memsz", 3 << 30).data)
    cases["bad_fsz"] = bytes(elf.copy().set(data, "memsz", max(elf.get(data, "filesz") - 1, 0)).data
                             if elf.get(data, "filesz") else
                             elf.copy().set(data, "filesz", elf.get(data, "memsz") + 1).data)
    cases["bad_algn"] = bytes(elf.copy().set(data, "vaddr", elf.get(data, "vaddr") + 1).data)
    # The second segment moved into the first one's first page.
    shared = (elf.get(first, "vaddr") & ~0xFFF) + elf.get(second, "offset") % 4096
    cases["bad_ovlp"] = bytes(elf.copy().set(second, "vaddr", shared).data)
    # The entry point in the (non-executable) data segment.
    cases["bad_entr"] = bytes(elf.copy().set_header(24, "<I", elf.get(data, "vaddr")).data)
    # The data segment where the loader puts the user stack, just below
    # 0xBFFFF000 (ProgramLoader.cpp).
    stack = 0xBFF00000 + elf.get(data, "vaddr") % 4096
    cases["bad_stck"] = bytes(elf.copy().set(data, "vaddr", stack).data)
    return cases


def menuet(signature: bytes = b"MENUET01", entry: int = 0x24, image_end: int = 0x40, memory: int = 0x1000,
           stack: int = 0x1000, params: int = 0, path: int = 0) -> bytes:
    """A MENUET01 image whose code exits at once (int 0x40, eax = -1)."""
    header = signature + struct.pack("<IIIIIII", 1, entry, image_end, memory, stack, params, path)
    code = b"\xb8\xff\xff\xff\xff\xcd\x40"  # mov eax, -1; int 0x40
    body = header + code
    return body + b"\x90" * max(0, image_end - len(body))


def set32(data: bytes, offset: int, value: int) -> bytes:
    out = bytearray(data)
    struct.pack_into("<I", out, offset, value & 0xFFFFFFFF)
    return bytes(out)


def kolibri_cases() -> dict[str, bytes]:
    packed = kpack.pack(menuet(), "none")
    tricked = kpack.pack(menuet(), "1")  # no call in it: the count is 0
    unpacked_size = struct.unpack_from("<I", packed, 4)[0]
    return {
        "kb_short": menuet()[:20],
        "kb_sig": menuet(signature=b"MENUET07"),
        # A stream of zeros, too short for 4 KiB.
        "kb_kpck": b"KPCK" + struct.pack("<II", 0x1000, 1) + bytes(52),
        "kb_kpmth": set32(packed, 8, 2),
        "kb_kpsz": set32(packed, 4, unpacked_size - 1),
        "kb_kpct": set32(tricked, len(tricked) - 5, 1),
        "kb_kpbig": set32(packed, 4, 0x7FFFFFFF),
        "kb_kpok": packed,
        "kb_mem": menuet(memory=0x20, stack=0x20),
        "kb_entr": menuet(entry=0x2000),
        "kb_stack": menuet(stack=0x10000),
        "kb_parm": menuet(params=8),
        "kb_huge": menuet(memory=1 << 30, stack=1 << 30),
        "kb_clip": menuet(memory=0x1000, stack=0xFF0, params=0xFFC),
    }


def main() -> None:
    if sys.argv[1:] == ["--list"]:
        print(";".join([*CASES, *ACCEPTED]), end="")
        return
    if len(sys.argv) != 3:
        raise SystemExit("usage: mkbadexe.py HELLO OUTDIR")
    hello = Path(sys.argv[1]).read_bytes()
    output = Path(sys.argv[2])
    output.mkdir(parents=True, exist_ok=True)
    cases = elf_cases(hello) | kolibri_cases()
    expected = set(CASES) | set(ACCEPTED)
    if set(cases) != expected:
        raise SystemExit(f"mkbadexe: cases and expectations differ: {sorted(set(cases) ^ expected)}")
    for name, data in cases.items():
        assert len(name) <= 8 and name == name.lower(), name
        (output / name).write_bytes(data)


if __name__ == "__main__":
    main()
