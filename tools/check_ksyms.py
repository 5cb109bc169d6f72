#!/usr/bin/env python3
"""Fails the build if the final kernel's functions moved relative to the
first link: the symbol table would then name the wrong functions."""
import sys


def code_symbols(path):
    result = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split(" ", 2)
            if len(parts) == 3 and parts[1] in "tTwW":
                result[parts[2].strip()] = parts[0]
    return result


first, final = code_symbols(sys.argv[1]), code_symbols(sys.argv[2])
moved = [name for name, address in first.items() if final.get(name) != address]
if moved:
    print(f"check_ksyms: {len(moved)} functions moved between links, e.g. {moved[:3]}", file=sys.stderr)
    sys.exit(1)
