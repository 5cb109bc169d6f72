#!/usr/bin/env python3
"""Fails the build if the kernel executes an x87, MMX or SSE instruction
outside arch::fpu (kernel/arch/i386/Fpu.cpp). The kernel keeps no FPU state
of its own: user threads' registers are switched lazily (docs/fpu.md), so
such an instruction elsewhere would corrupt a program's registers or, with
CR0.TS set, raise #NM in kernel mode. The compile flags (-mno-sse -mno-mmx
-mno-80387, kernel/CMakeLists.txt) should make this impossible; this check
catches a dropped flag or new inline assembly.

    check_no_fpu.py OBJDUMP KERNEL_ELF
"""
import re
import subprocess
import sys

# Function headers of `objdump -d -C`: "c0113960 <arch::fpu::initialize(...)>:".
FUNCTION = re.compile(r"^[0-9a-f]+ <(.*)>:$")
# Operands naming FPU/MMX/SSE registers, or x87 and FPU-state mnemonics.
FPU_OPERAND = re.compile(r"%(xmm|ymm|st|mm)[0-9(]?")
FPU_MNEMONIC = re.compile(r"^(f[a-z0-9]+|fxsave|fxrstor|ldmxcsr|stmxcsr|emms|clts)$")
ALLOWED = "arch::fpu::"


def main() -> int:
    objdump, kernel = sys.argv[1], sys.argv[2]
    listing = subprocess.run([objdump, "-d", "-C", "--no-show-raw-insn", kernel], capture_output=True,
                             text=True, check=True).stdout
    function = "?"
    offenders = []
    for line in listing.splitlines():
        header = FUNCTION.match(line)
        if header:
            function = header.group(1)
            continue
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0].strip().endswith(":"):
            continue
        mnemonic = fields[1].strip()
        operands = fields[2] if len(fields) > 2 else ""
        if (FPU_MNEMONIC.match(mnemonic) or FPU_OPERAND.search(operands)) and not function.startswith(ALLOWED):
            offenders.append(f"{function}: {mnemonic} {operands}".strip())
    if offenders:
        print(f"check_no_fpu: {len(offenders)} x87/MMX/SSE instructions outside {ALLOWED}, e.g.:", file=sys.stderr)
        for offender in offenders[:5]:
            print("  " + offender, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
