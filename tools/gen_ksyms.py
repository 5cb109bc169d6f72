#!/usr/bin/env python3
"""Builds the kernel symbol table used for symbolized backtraces.

Reads `llvm-nm -n -C --defined-only` output of the first kernel link and
writes the binary table that kernel/debug/Symbols.cpp reads:
  u32 magic 'KSYM', u32 count, count x (u32 address, u32 name_offset), names.
Only code symbols (t/T/w/W) inside the kernel's higher half are kept.
"""
import argparse
import struct
import sys

MAGIC = 0x4D59534B
KERNEL_BASE = 0xC0000000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("nm_output")
    parser.add_argument("output")
    args = parser.parse_args()

    symbols = {}
    with open(args.nm_output, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 2)
            if len(parts) != 3:
                continue
            address_text, kind, name = parts
            if kind not in "tTwW":
                continue
            try:
                address = int(address_text, 16)
            except ValueError:
                continue
            if address < KERNEL_BASE or name.startswith(".L"):
                continue
            # Keep the first name seen for an address (aliases add nothing).
            symbols.setdefault(address, name)

    entries = sorted(symbols.items())
    header_size = 8 + 8 * len(entries)
    names = bytearray()
    table = bytearray(struct.pack("<II", MAGIC, len(entries)))
    for address, name in entries:
        table += struct.pack("<II", address, header_size + len(names))
        names += name.encode("utf-8") + b"\0"
    with open(args.output, "wb") as f:
        f.write(table + names)
    return 0


if __name__ == "__main__":
    sys.exit(main())
