#!/usr/bin/env python3
"""Pack a file into KolibriOS' KPCK format (method 1, LZMA), as the kernel
unpacks it when it loads an executable, a DLL or a file for 68.27.

Written here from the format facts (docs/kpck.md; KolibriOS
kernel/trunk/unpacker.inc and programs/other/kpack). The LZMA stream comes
from Python's lzma module (liblzma, raw LZMA1, lc=3 lp=0 pb=2); this script
decodes it again with its own small decoder to learn how many bytes the
kernel's decoder reads, cuts the stream there (liblzma ends it with an end
marker the kernel never reads) and checks that the result unpacks to the
input.

  kpack.py INPUT OUTPUT [--call-trick {none,1,2,best}]

--call-trick 1 turns the rel32 operands of E8 (call) and E9 (jmp) into
absolute big-endian targets behind a marker byte, 2 does the same also for
0F 80..8F (Jcc rel32); both compress x86 code better. 'best' (the default)
keeps the smallest of the three, as kpack does.
"""

import argparse
import lzma
import struct
import sys

METHOD_LZMA = 1
CALL_TRICK1 = 0x40
CALL_TRICK2 = 0x80
TARGET_LIMIT = 0x1000000  # targets are stored in three bytes


def is_opcode_at(data, i, n, with_jcc):
    """The opcode walk of the call tricks, from position i (the byte to look
    at): returns (is_operand_next, next_position), or (None, n) at the end."""
    b = data[i]
    i += 1
    if with_jcc:
        while b == 0x0F:
            if i >= n:
                return None, n
            b = data[i]
            i += 1
            if 0x80 <= b < 0x90:
                return True, i
    return b in (0xE8, 0xE9), i


def apply_call_trick(data, with_jcc):
    """Returns (converted data, count, marker) or None when every byte value
    follows some unconverted opcode (then no marker can be chosen)."""
    out = bytearray(data)
    n = len(out)
    follows_opcode = [False] * 256  # operand bytes of calls left alone
    converted = []
    i = 0
    while i < n:
        operand, i = is_opcode_at(out, i, n, with_jcc)
        if operand is None:
            break
        if not operand:
            continue
        if n - i < 4:
            break
        relative = struct.unpack_from("<I", out, i)[0]
        target = (relative + i + 4) & 0xFFFFFFFF
        if target < n and target < TARGET_LIMIT:
            out[i:i + 4] = struct.pack(">I", target)  # first byte 0: the marker goes there
            converted.append(i)
            i += 4
        else:
            # The walk goes on at this byte (the kernel's does too), and
            # its value must not be taken for the marker.
            follows_opcode[out[i]] = True
    free = [value for value in range(256) if not follows_opcode[value]]
    if not free:
        return None
    marker = free[0]
    for position in converted:
        out[position] = marker
    return bytes(out), len(converted), marker


def undo_call_trick(data, with_jcc, count, marker):
    """The kernel's undo (unpacker.inc), for the self-check."""
    out = bytearray(data)
    n = len(out)
    i = 0
    while count:
        if i >= n:
            raise ValueError("fewer calls than the count")
        operand, i = is_opcode_at(out, i, n, with_jcc)
        if operand is None:
            raise ValueError("fewer calls than the count")
        if not operand or i >= n or out[i] != marker:
            continue
        target = out[i + 1] << 16 | out[i + 2] << 8 | out[i + 3]
        i += 4
        out[i - 4:i] = struct.pack("<I", (target - i) & 0xFFFFFFFF)
        count -= 1
    return bytes(out)


class _RangeDecoder:
    def __init__(self, stream):
        self.stream = stream
        self.position = 5
        self.range = 0xFFFFFFFF
        self.code = int.from_bytes(stream[1:5], "big")

    def bit(self, probs, index):
        p = probs[index]
        bound = (self.range >> 11) * p
        if self.code < bound:
            self.range = bound
            probs[index] = p + ((2048 - p) >> 5)
            result = 0
        else:
            self.range -= bound
            self.code -= bound
            probs[index] = p - (p >> 5)
            result = 1
        self._normalize()
        return result

    def _normalize(self):
        # After the bit, as the kernel's decoder: the count of bytes read
        # is then exactly what the stream has to keep.
        if self.range < 1 << 24:
            self.range = (self.range << 8) & 0xFFFFFFFF
            if self.position >= len(self.stream):
                raise ValueError("LZMA stream truncated")
            self.code = ((self.code << 8) | self.stream[self.position]) & 0xFFFFFFFF
            self.position += 1

    def direct(self, count):
        result = 0
        for _ in range(count):
            self.range >>= 1
            bit = 1 if self.code >= self.range else 0
            if bit:
                self.code -= self.range
            result = result << 1 | bit
            self._normalize()
        return result

    def tree(self, probs, base, bits):
        node = 1
        for _ in range(bits):
            node = node << 1 | self.bit(probs, base + node)
        return node - (1 << bits)

    def reverse(self, probs, base, bits):
        node, symbol = 1, 0
        for i in range(bits):
            b = self.bit(probs, base + node)
            node = node << 1 | b
            symbol |= b << i
        return symbol


def lzma_consumed(stream, size):
    """Decodes `size` bytes of a raw lc3/lp0/pb2 stream; returns (data,
    bytes of the stream read)."""
    rc = _RangeDecoder(stream)
    half = 1024
    is_match = [half] * (12 * 4)
    is_rep = [half] * 12
    is_rep_g0 = [half] * 12
    is_rep_g1 = [half] * 12
    is_rep_g2 = [half] * 12
    is_rep0_long = [half] * (12 * 4)
    slot = [half] * (4 * 64)
    special = [half] * 115
    align = [half] * 16
    lengths = [[half] * (2 + 4 * 8 + 4 * 8 + 256) for _ in range(2)]
    literal = [half] * (8 * 0x300)
    out = bytearray()
    state = 0
    reps = [0, 0, 0, 0]

    def length(probs, pos_state):
        if not rc.bit(probs, 0):
            return rc.tree(probs, 2 + pos_state * 8, 3)
        if not rc.bit(probs, 1):
            return 8 + rc.tree(probs, 2 + 32 + pos_state * 8, 3)
        return 16 + rc.tree(probs, 2 + 64, 8)

    while len(out) < size:
        pos_state = len(out) & 3
        if not rc.bit(is_match, state * 4 + pos_state):
            base = (out[-1] >> 5 if out else 0) * 0x300
            symbol = 1
            if state >= 7:
                match_byte = out[-reps[0] - 1]
                while symbol < 0x100:
                    match_bit = (match_byte >> 7) & 1
                    match_byte = (match_byte << 1) & 0xFF
                    b = rc.bit(literal, base + ((1 + match_bit) << 8) + symbol)
                    symbol = symbol << 1 | b
                    if b != match_bit:
                        break
            while symbol < 0x100:
                symbol = symbol << 1 | rc.bit(literal, base + symbol)
            out.append(symbol & 0xFF)
            state = 0 if state < 4 else state - 3 if state < 10 else state - 6
            continue
        if rc.bit(is_rep, state):
            if not rc.bit(is_rep_g0, state):
                if not rc.bit(is_rep0_long, state * 4 + pos_state):
                    state = 9 if state < 7 else 11
                    out.append(out[-reps[0] - 1])
                    continue
            else:
                if not rc.bit(is_rep_g1, state):
                    distance = reps.pop(1)
                elif not rc.bit(is_rep_g2, state):
                    distance = reps.pop(2)
                else:
                    distance = reps.pop(3)
                reps.insert(0, distance)
            n = length(lengths[1], pos_state)
            state = 8 if state < 7 else 11
        else:
            n = length(lengths[0], pos_state)
            state = 7 if state < 7 else 10
            s = rc.tree(slot, min(n, 3) * 64, 6)
            if s < 4:
                distance = s
            else:
                direct = (s >> 1) - 1
                distance = (2 | (s & 1)) << direct
                if s < 14:
                    distance += rc.reverse(special, distance - s, direct)
                else:
                    distance += rc.direct(direct - 4) << 4
                    distance += rc.reverse(align, 0, 4)
            reps = [distance] + reps[:3]
        n += 2
        if reps[0] >= len(out) or n > size - len(out):
            raise ValueError("bad match in the LZMA stream")
        for _ in range(n):
            out.append(out[-reps[0] - 1])
    return bytes(out), rc.position


def lzma_stream(data):
    dictionary = 4096
    while dictionary < len(data):
        dictionary *= 2
    filters = [{"id": lzma.FILTER_LZMA1, "lc": 3, "lp": 0, "pb": 2, "dict_size": dictionary,
                "preset": 9 | lzma.PRESET_EXTREME}]
    stream = lzma.compress(data, format=lzma.FORMAT_RAW, filters=filters)
    decoded, consumed = lzma_consumed(stream, len(data))
    if decoded != data:
        raise RuntimeError("kpack.py: the LZMA stream does not decode to its input")
    # The end marker liblzma writes after the data is never read.
    return stream[:consumed]


def pack(data, call_trick="best"):
    """Returns the KPCK file for `data`; call_trick is 'none', '1', '2' or
    'best'."""
    if not data:
        raise ValueError("kpack.py: nothing to pack (KPCK has no empty files)")
    candidates = []
    for trick in ("none", "1", "2"):
        if call_trick not in (trick, "best"):
            continue
        flags, trailer, body = METHOD_LZMA, b"", data
        if trick != "none":
            converted = apply_call_trick(data, trick == "2")
            if converted is None:
                if call_trick != "best":
                    raise ValueError("kpack.py: no free marker byte for the call trick")
                continue
            body, count, marker = converted
            assert undo_call_trick(body, trick == "2", count, marker) == data
            flags |= CALL_TRICK1 if trick == "1" else CALL_TRICK2
            trailer = struct.pack("<IB", count, marker)
        stream = lzma_stream(body)
        code = int.from_bytes(stream[1:5], "big")
        packed = b"KPCK" + struct.pack("<III", len(data), flags, code) + stream[5:] + trailer
        candidates.append(packed)
    return min(candidates, key=len)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--call-trick", choices=("none", "1", "2", "best"), default="best")
    args = parser.parse_args()
    with open(args.input, "rb") as f:
        data = f.read()
    try:
        packed = pack(data, args.call_trick)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    with open(args.output, "wb") as f:
        f.write(packed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
