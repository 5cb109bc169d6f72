# SPDX-License-Identifier: BSD-2-Clause
"""The display: every boot path ends up with a framebuffer, what the kernel
draws into its back buffer reaches the screen in 32, 24, 16 and 15 bits per
pixel, the text console stays when there is no graphics, and
`run --screenshot` writes a valid PNG.

The screen is read with QEMU's `screendump` and compared, at a grid of
points, with the kernel's back buffer read from guest memory (the display
line of the kernel log says where it is). That checks the pixel conversion
whatever the desktop shows (the kernel's default gradient, or the window
manager's desktop and panel)."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

from vmlib import BANNER, BOOT_TIMEOUT, PROMPT

ROOT = Path(__file__).resolve().parents[2]

DISPLAY_LINE = (r"display: (?P<width>\d+)x(?P<height>\d+)x(?P<depth>\d+) from (?P<source>\S+) "
                r"at 0x[0-9a-f]+, pitch \d+, back buffer at 0x(?P<back>[0-9a-f]+)\r?\n")  # whole line: output comes in pieces
GRID = 16  # compare every 16th pixel in both directions


class Display:
    def __init__(self, machine, match: re.Match):
        self.machine = machine
        self.width = int(match.group("width"))
        self.height = int(match.group("height"))
        self.depth = int(match.group("depth"))
        self.source = match.group("source")
        self.back_buffer = int(match.group("back"), 16)

    def mode(self) -> tuple[int, int, int, str]:
        return self.width, self.height, self.depth, self.source

    def read_back_buffer(self) -> bytes:
        return self.machine.physical_memory(self.back_buffer, self.width * self.height * 4)


def boot_with_display(t, **machine_options) -> Display:
    """Boot to the prompt; returns what the kernel's display line says."""
    machine = t.machine(**machine_options)
    machine.expect(BANNER, BOOT_TIMEOUT)
    match = machine.expect(DISPLAY_LINE, BOOT_TIMEOUT)
    machine.expect(re.escape(PROMPT), BOOT_TIMEOUT)
    return Display(machine, match)


def expect_mode(t, display: Display, width: int, height: int, depth: int, source: str) -> None:
    t.check(display.mode() == (width, height, depth, source),
        "display is {}x{}x{} from {}".format(*display.mode()) + f", expected {width}x{height}x{depth} from {source}")


def check_screen(t, display: Display, tolerance: int) -> None:
    """The screen has the mode's size, is not black, and shows the back
    buffer: each channel within `tolerance` (the precision the depth loses)."""
    before = display.read_back_buffer()
    screen = display.machine.screen()
    after = display.read_back_buffer()
    t.check((screen.width, screen.height) == (display.width, display.height),
        f"screendump is {screen.width}x{screen.height}, expected {display.width}x{display.height}")
    compared = mismatched = black = 0
    first_mismatch = ""
    for y in range(0, display.height, GRID):
        for x in range(0, display.width, GRID):
            offset = (y * display.width + x) * 4
            pixel = before[offset:offset + 4]
            if pixel != after[offset:offset + 4]:
                continue  # changing while we looked (a clock, say)
            expected = (pixel[2], pixel[1], pixel[0])  # 0x00RRGGBB, little-endian
            actual = screen.pixel(x, y)
            compared += 1
            black += max(actual) == 0
            if any(abs(a - e) > tolerance for a, e in zip(actual, expected)):
                mismatched += 1
                if not first_mismatch:
                    first_mismatch = f"({x}, {y}) is #{bytes(actual).hex()}, back buffer #{bytes(expected).hex()}"
    samples = len(range(0, display.height, GRID)) * len(range(0, display.width, GRID))
    t.check(compared >= samples * 9 // 10, f"the back buffer kept changing: only {compared} of {samples} points stable")
    # A mouse pointer may be drawn on the screen only; a conversion error
    # shows everywhere.
    t.check(mismatched <= compared // 200,
        f"{mismatched} of {compared} points differ from the back buffer (tolerance {tolerance}), first {first_mismatch}")
    t.check(black <= compared // 2, f"{black} of {compared} points are black: no desktop on the screen")


def test_default_mode(t):
    """QEMU's standard VGA, no loader framebuffer: the kernel programs the
    Bochs adapter at 1024x768x32."""
    display = boot_with_display(t)
    expect_mode(t, display, 1024, 768, 32, "bochs-dispi")
    check_screen(t, display, tolerance=0)


def test_video_16bpp(t):
    """video=800x600x16: RGB 5:6:5, so each channel is within 7 of the 8-bit colour."""
    display = boot_with_display(t, append="video=800x600x16")
    expect_mode(t, display, 800, 600, 16, "bochs-dispi")
    check_screen(t, display, tolerance=7)


def test_video_15bpp(t):
    """video=640x480x15: RGB 5:5:5 in 16-bit pixels."""
    display = boot_with_display(t, append="video=640x480x15")
    expect_mode(t, display, 640, 480, 15, "bochs-dispi")
    check_screen(t, display, tolerance=7)


def test_video_24bpp(t):
    """video=640x480x24: three bytes per pixel, exact colours."""
    display = boot_with_display(t, append="video=640x480x24")
    expect_mode(t, display, 640, 480, 24, "bochs-dispi")
    check_screen(t, display, tolerance=0)


def test_bad_video_option(t):
    """An unreadable video= is reported and the default mode is used."""
    machine = t.machine(append="video=huge")
    machine.expect(r"warning: display: cannot read video=huge", BOOT_TIMEOUT)
    display = Display(machine, machine.expect(DISPLAY_LINE, BOOT_TIMEOUT))
    expect_mode(t, display, 1024, 768, 32, "bochs-dispi")
    machine.expect(re.escape(PROMPT), BOOT_TIMEOUT)


def test_video_off_keeps_text_console(t):
    """video=off: no graphics; the kernel log stays on the VGA text screen."""
    machine = t.machine(append="video=off")
    machine.expect(r"display: none \(video=off\)", BOOT_TIMEOUT)
    machine.expect(re.escape(PROMPT), BOOT_TIMEOUT)
    screen = "\n".join(machine.vga_text())
    t.check(re.search(BANNER, screen) is not None, "the banner is not on the VGA text screen:\n" + screen)
    t.check("display: none" in screen, "the display line is not on the VGA text screen:\n" + screen)


def test_floppy_vbe_framebuffer(t):
    """Colibri's own loader sets a VBE mode and passes it through Multiboot."""
    display = boot_with_display(t, boot="floppy")
    t.check(display.source == "multiboot", f"the framebuffer came from {display.source}, not from the loader")
    t.check(display.depth in (15, 16, 24, 32), f"unexpected depth {display.depth}")
    check_screen(t, display, tolerance=7 if display.depth <= 16 else 0)


test_floppy_vbe_framebuffer.timeout = 180.0


def test_iso_framebuffer(t):
    """GRUB honours the video mode the kernel's Multiboot header asks for
    (the boot report shows the loader's framebuffer), and the screen works
    at 1024x768x32."""
    machine = t.machine(boot="iso")
    machine.expect(BANNER, BOOT_TIMEOUT)
    offered = machine.expect(r"display: \d+x\d+x\d+ framebuffer at 0x[0-9a-f]+", BOOT_TIMEOUT)
    t.check(offered.group(0).startswith("display: 1024x768x32 "), f"GRUB set '{offered.group(0)}', not 1024x768x32")
    display = Display(machine, machine.expect(DISPLAY_LINE, BOOT_TIMEOUT))
    machine.expect(re.escape(PROMPT), BOOT_TIMEOUT)
    # The loader's framebuffer is preferred; the Bochs adapter is the
    # fallback when the kernel cannot use it.
    t.check(display.mode()[:3] == (1024, 768, 32) and display.source in ("multiboot", "bochs-dispi"),
        "display is {}x{}x{} from {}".format(*display.mode()))
    check_screen(t, display, tolerance=0)


test_iso_framebuffer.timeout = 180.0


def read_png(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and RGB bytes of an 8-bit RGB PNG without filtering,
    which is what tools/qemu.py writes. Checks the structure and CRCs."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "no PNG signature"
    position = 8
    chunks = []
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        payload = data[position + 8:position + 8 + length]
        crc, = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
        assert zlib.crc32(kind + payload) & 0xFFFFFFFF == crc, f"bad CRC in the {kind!r} chunk"
        chunks.append((kind, payload))
        position += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND", "IHDR must come first and IEND last"
    width, height, bit_depth, colour_type, compression, filtering, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (bit_depth, colour_type, compression, filtering, interlace) == (8, 2, 0, 0, 0), "not 8-bit RGB"
    raw = zlib.decompress(b"".join(payload for kind, payload in chunks if kind == b"IDAT"))
    stride = width * 3 + 1
    assert len(raw) == stride * height, "image data has the wrong size"
    assert all(raw[row * stride] == 0 for row in range(height)), "unexpected scanline filter"
    return width, height, b"".join(raw[row * stride + 1:(row + 1) * stride] for row in range(height))


def test_run_screenshot_png(t):
    """`colibri run --screenshot out.png --timeout 5 --headless` writes the screen as a PNG."""
    output = t.work_dir / "out.png"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "run.py"), "--build-dir", str(t.build_dir),
        "--headless", "--timeout", "5", "--screenshot", str(output)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=90)
    t.check(result.returncode == 0, f"run.py exited with {result.returncode}:\n{result.stderr[-2000:]}")
    t.check(output.is_file(), "no screenshot written")
    try:
        width, height, rgb = read_png(output.read_bytes())
    except (AssertionError, IndexError, struct.error, zlib.error) as error:
        t.fail(f"invalid PNG: {error or type(error).__name__}")
    t.check((width, height) == (1024, 768), f"the screenshot is {width}x{height}, expected 1024x768")
    black = sum(1 for offset in range(0, len(rgb), 3 * 997) if rgb[offset:offset + 3] == b"\0\0\0")
    t.check(black < len(range(0, len(rgb), 3 * 997)) // 2, "the screenshot is mostly black")


test_run_screenshot_png.timeout = 120.0
