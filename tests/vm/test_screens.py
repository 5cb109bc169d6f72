# SPDX-License-Identifier: BSD-2-Clause
"""Screen reference tests: g_gallery (user/tests/kolibri/g_gallery.asm)
draws a window of each style (0-4) with text in both fonts, buttons,
lines, rectangles, numbers, pixels and an image; each window is cut out of
QEMU's screendump and compared with a reference picture,
tests/vm/reference/<name>.png.

Tolerance: a pixel matches when each of its channels is within
CHANNEL_TOLERANCE of the reference; a window matches when at most
MAX_DIFFERING_PIXELS of its pixels do not. Drawing is deterministic, so
this only absorbs rounding (e.g. a gradient computed another way), not a
glyph or a line in the wrong place.

References are made, not hand-written: after a change that is meant to
alter the pictures, look at them (the test saves what it saw to
<build>/screens/<name>.actual.png, with <name>.diff.png marking the
differing pixels in red), then run

    COLIBRI_UPDATE_REFERENCES=1 tools/vmtest.py -k screens

which writes the screens as the new references (and passes). A missing
reference fails the test (with the actual picture saved) until then.

PNG files are read and written here in pure Python (zlib): 8-bit RGB or
RGBA, any of the five scanline filters, no interlacing."""

from __future__ import annotations

import os
import struct
import time
import zlib
from pathlib import Path

from test_programs import resync, start
from vmlib import REPLY_TIMEOUT, boot_to_prompt, run_command

TIMEOUT = 180.0
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
UPDATE_VARIABLE = "COLIBRI_UPDATE_REFERENCES"
CHANNEL_TOLERANCE = 8
MAX_DIFFERING_PIXELS = 16

# g_gallery's windows: name -> (x, y, width, height) on the screen.
GALLERY_WINDOWS = {
    "gallery_style0": (8, 8, 330, 240),
    "gallery_style1": (346, 8, 330, 240),
    "gallery_style2": (684, 8, 330, 240),
    "gallery_style3": (8, 256, 330, 240),
    "gallery_style4": (684, 256, 330, 240),
}


# --- Pictures and PNG ---------------------------------------------------------------

class Picture:
    """width x height RGB pixels, row by row (3 bytes each)."""

    def __init__(self, width: int, height: int, rgb: bytes):
        if len(rgb) != width * height * 3:
            raise ValueError(f"{width}x{height} picture needs {width * height * 3} bytes, got {len(rgb)}")
        self.width, self.height, self.rgb = width, height, bytes(rgb)

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        offset = (y * self.width + x) * 3
        return self.rgb[offset], self.rgb[offset + 1], self.rgb[offset + 2]

    def crop(self, x: int, y: int, width: int, height: int) -> "Picture":
        if x < 0 or y < 0 or x + width > self.width or y + height > self.height:
            raise ValueError(f"crop ({x}, {y}, {width}, {height}) is outside the {self.width}x{self.height} picture")
        rows = [self.rgb[((y + row) * self.width + x) * 3:((y + row) * self.width + x + width) * 3]
                for row in range(height)]
        return Picture(width, height, b"".join(rows))


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)


def write_png(picture: Picture) -> bytes:
    """8-bit RGB, filter 0 (none) on every row, one IDAT."""
    stride = picture.width * 3
    raw = b"".join(b"\x00" + picture.rgb[row * stride:(row + 1) * stride] for row in range(picture.height))
    header = struct.pack(">IIBBBBB", picture.width, picture.height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b"")


def _paeth(left: int, up: int, up_left: int) -> int:
    estimate = left + up - up_left
    distance_left, distance_up, distance_up_left = abs(estimate - left), abs(estimate - up), abs(estimate - up_left)
    if distance_left <= distance_up and distance_left <= distance_up_left:
        return left
    return up if distance_up <= distance_up_left else up_left


def read_png(data: bytes) -> Picture:
    """Decodes 8-bit RGB (colour type 2) or RGBA (6, alpha dropped), not
    interlaced, with any scanline filter. Checks signature and CRCs."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("no PNG signature")
    position, header, compressed = 8, None, []
    while position < len(data):
        if position + 12 > len(data):
            raise ValueError("truncated chunk")
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        payload = data[position + 8:position + 8 + length]
        crc, = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
        if zlib.crc32(kind + payload) & 0xFFFFFFFF != crc:
            raise ValueError(f"bad CRC in the {kind!r} chunk")
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", payload)
        elif kind == b"IDAT":
            compressed.append(payload)
        elif kind == b"IEND":
            break
        position += 12 + length
    if header is None:
        raise ValueError("no IHDR chunk")
    width, height, depth, colour_type, method, filtering, interlace = header
    if depth != 8 or colour_type not in (2, 6) or method or filtering or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour_type}, interlace {interlace}")
    channels = 3 if colour_type == 2 else 4
    stride = width * channels
    raw = zlib.decompress(b"".join(compressed))
    if len(raw) != (stride + 1) * height:
        raise ValueError("image data has the wrong size")
    rows, previous = [], bytearray(stride)
    for row in range(height):
        kind = raw[row * (stride + 1)]
        line = bytearray(raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                line[i] = (line[i] + _paeth(left, up, up_left)) & 0xFF
            elif kind != 0:
                raise ValueError(f"unknown scanline filter {kind}")
        rows.append(bytes(line))
        previous = line
    pixels = b"".join(rows)
    if channels == 4:
        pixels = b"".join(pixels[i:i + 3] for i in range(0, len(pixels), 4))
    return Picture(width, height, pixels)


# --- Comparison ---------------------------------------------------------------------

def differing_pixels(actual: Picture, reference: Picture, tolerance: int) -> list[tuple[int, int]]:
    """The (x, y) whose channels differ by more than `tolerance`."""
    if (actual.width, actual.height) != (reference.width, reference.height):
        raise ValueError(f"size {actual.width}x{actual.height} differs from the reference's "
                         f"{reference.width}x{reference.height}")
    found = []
    a, r = actual.rgb, reference.rgb
    for index in range(0, len(a), 3):
        if a[index:index + 3] != r[index:index + 3] and any(
                abs(a[index + c] - r[index + c]) > tolerance for c in range(3)):
            pixel = index // 3
            found.append((pixel % actual.width, pixel // actual.width))
    return found


def diff_picture(actual: Picture, differing: list[tuple[int, int]]) -> Picture:
    """The actual picture, dimmed, with the differing pixels in red."""
    dimmed = bytearray(value // 3 + 100 for value in actual.rgb)
    for x, y in differing:
        offset = (y * actual.width + x) * 3
        dimmed[offset:offset + 3] = b"\xff\x00\x00"
    return Picture(actual.width, actual.height, bytes(dimmed))


def compare_with_reference(t, name: str, actual: Picture) -> tuple[bool, str]:
    """Compares (or, with COLIBRI_UPDATE_REFERENCES=1, writes) the
    reference `name`; returns (passed, reason)."""
    reference_path = REFERENCE_DIR / f"{name}.png"
    if os.environ.get(UPDATE_VARIABLE) == "1":
        REFERENCE_DIR.mkdir(parents=True, exist_ok=True)
        reference_path.write_bytes(write_png(actual))
        return True, f"reference written: {reference_path}"
    output_dir = Path(t.build_dir) / "screens"
    output_dir.mkdir(parents=True, exist_ok=True)
    actual_path = output_dir / f"{name}.actual.png"
    actual_path.write_bytes(write_png(actual))
    if not reference_path.is_file():
        return False, (f"no reference {reference_path}; the screen is in {actual_path}: look at it, then "
                       f"run with {UPDATE_VARIABLE}=1 to make it the reference")
    try:
        reference = read_png(reference_path.read_bytes())
        differing = differing_pixels(actual, reference, CHANNEL_TOLERANCE)
    except ValueError as error:
        return False, f"{reference_path}: {error} (the screen is in {actual_path})"
    if len(differing) > MAX_DIFFERING_PIXELS:
        diff_path = output_dir / f"{name}.diff.png"
        diff_path.write_bytes(write_png(diff_picture(actual, differing)))
        x, y = differing[0]
        return False, (f"{len(differing)} pixels differ from {reference_path} (at most {MAX_DIFFERING_PIXELS} may, "
                       f"each channel within {CHANNEL_TOLERANCE}); first at ({x}, {y}): "
                       f"{bytes(actual.pixel(x, y)).hex()} instead of {bytes(reference.pixel(x, y)).hex()}; "
                       f"see {actual_path} and {diff_path}")
    return True, ""


def stable_screen(t, machine, timeout: float = 20.0) -> Picture:
    """Two screendumps half a second apart that are the same (no redraw
    under way)."""
    deadline = time.monotonic() + timeout
    previous = machine.screen()
    while True:
        time.sleep(0.5)
        current = machine.screen()
        if current.rgb == previous.rgb:
            return Picture(current.width, current.height, current.rgb)
        if time.monotonic() > deadline:
            t.fail(f"the screen kept changing for {timeout:g} s")
        previous = current


# --- Tests ------------------------------------------------------------------------------

def test_png_round_trip(t):
    """The PNG code itself: a picture written and read back is the same,
    and every scanline filter decodes (a hand-made filtered PNG)."""
    picture = Picture(3, 2, bytes(range(18)))
    back = read_png(write_png(picture))
    t.check((back.width, back.height, back.rgb) == (3, 2, picture.rgb), "write_png/read_png round trip differs")
    # Rows filtered with Sub, Up, Average and Paeth (RGBA, alpha dropped).
    rgba = [bytes([10 * x + y, 20 + x, 200 - y, 255]) for y in range(4) for x in range(3)]
    rows, previous = [], bytes(12)
    for y, kind in enumerate((1, 2, 3, 4)):
        line = b"".join(rgba[y * 3:(y + 1) * 3])
        encoded = bytearray()
        for i in range(12):
            left = line[i - 4] if i >= 4 else 0
            up = previous[i]
            up_left = previous[i - 4] if i >= 4 else 0
            predictor = {1: left, 2: up, 3: (left + up) // 2, 4: _paeth(left, up, up_left)}[kind]
            encoded.append((line[i] - predictor) & 0xFF)
        rows.append(bytes([kind]) + bytes(encoded))
        previous = line
    data = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 3, 4, 8, 6, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(b"".join(rows))) + _chunk(b"IEND", b""))
    decoded = read_png(data)
    expected = b"".join(pixel[:3] for pixel in rgba)
    t.check(decoded.rgb == expected, "a PNG with Sub/Up/Average/Paeth rows did not decode")
    crop = Picture(3, 4, expected).crop(1, 1, 2, 2)
    t.check(crop.pixel(0, 0) == tuple(rgba[4][:3]), "crop picks the wrong pixels")


test_png_round_trip.timeout = 30.0


def test_gallery(t):
    """g_gallery's five windows (styles 0-4: frames, headers, captions,
    text in both fonts, numbers, buttons, lines, rectangles, pixels, an
    image) match their reference pictures."""
    machine = boot_to_prompt(t)
    pid, _ = start(t, machine, "run /sys/g_gallery")
    machine.expect(r"INFO g_gallery: ready", 60.0)
    screen = stable_screen(t, machine)
    t.check((screen.width, screen.height) == (1024, 768),
        f"the screen is {screen.width}x{screen.height}, the gallery is laid out for 1024x768")
    failures = []
    for name, (x, y, width, height) in GALLERY_WINDOWS.items():
        passed, reason = compare_with_reference(t, name, screen.crop(x, y, width, height))
        t.case(name, passed, reason)
        if not passed:
            failures.append(f"{name}: {reason}")
    resync(machine)
    reply = run_command(machine, f"kill {pid}")
    t.check(not failures, "\n".join(failures))
    t.check(f"killed process {pid}" in reply or "no process" in reply, f"kill of g_gallery: {reply!r}")


test_gallery.timeout = 180.0
