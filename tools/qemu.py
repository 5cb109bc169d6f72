# SPDX-License-Identifier: BSD-2-Clause
"""Start Colibri under QEMU and talk to it.

Used by tools/run.py (interactive), tools/vmtest.py (scenarios) and
tools/bench.py (boot timing). Python 3 standard library only.

The pieces:

* `QemuConfig` says which machine to build (boot kind, memory, accelerator,
  kernel command line, ...) and turns itself into a QEMU argument list.
* `Machine` starts that configuration headless with the serial port (COM1)
  and a QMP control socket connected to this process, and gives a test
  `expect(regex)` / `send(text)` / `monitor(command)` / `wait_exit()`.
  Everything read from the serial port is kept in `transcript`.

Exit statuses: the kernel powers off through the isa-debug-exit device at
port 0xf4; writing value v makes QEMU exit with status (v << 1) | 1. So a
clean `halt` (v = 0) gives 1, a failed self-test run (v = 1) gives 3 and a
panic with panic=poweroff (v = 0x7f) gives 255.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
import zlib
from pathlib import Path

QEMU_BINARY = "qemu-system-i386"
BOOT_KINDS = ("kernel", "floppy", "iso")
DISK_BUSES = ("ide", "virtio")
DEFAULT_MEMORY_MB = 128

# QEMU exit statuses produced by the isa-debug-exit device.
EXIT_CLEAN_POWEROFF = 1  # guest wrote 0
EXIT_KTEST_FAILED = 3  # guest wrote 1
EXIT_PANIC = 255  # guest wrote 0x7f

# How long expect() waits for the rest of a match that may be cut short
# (see Machine._complete); the rest of a line normally follows within
# milliseconds, and the wait ends as soon as a byte arrives.
EXPECT_COMPLETION_GRACE = 0.5

# Lines QEMU prints that are no error of ours: its -kernel Multiboot loader
# cannot set the video mode the kernel's header asks for (hw/i386/multiboot.c)
# and says so, then boots anyway; the kernel programs the display itself.
HARMLESS_QEMU_MESSAGES = ("multiboot knows VBE",)


def is_harmless_qemu_message(line: str) -> bool:
    return any(message in line for message in HARMLESS_QEMU_MESSAGES)


# Artefacts each boot kind needs, relative to the build directory.
ARTEFACTS = {
    "kernel": ("kernel.elf", "ramdisk.img"),
    "floppy": ("colibri.img",),
    "iso": ("colibri.iso",),
}


class QemuError(Exception):
    """QEMU could not be started or controlled."""


class ExpectTimeout(Exception):
    """`Machine.expect` did not see its pattern in time (or QEMU exited)."""


@dataclasses.dataclass
class QemuConfig:
    boot: str = "kernel"
    build_dir: Path = Path("build")
    memory_mb: int = DEFAULT_MEMORY_MB
    append: str = ""  # kernel command line, kernel boot only
    accel: str = "tcg"  # or "kvm"
    headless: bool = True
    no_reboot: bool = True  # a guest reset (or triple fault) ends QEMU
    # Replace the -kernel/-initrd of a kernel boot (e.g. a chain loader).
    kernel_override: Path | None = None
    initrd_override: Path | None = None
    # Boot from a throw-away overlay of writable disk images: the guest's
    # writes vanish and several QEMUs may share one image (no write lock).
    snapshot: bool = True
    # Raw disk images, the first becoming the guest's hd0, on the IDE or the
    # virtio bus. They follow `snapshot` like the boot floppy does.
    disks: list[Path] = dataclasses.field(default_factory=list)
    disk_bus: str = "ide"
    extra_args: list[str] = dataclasses.field(default_factory=list)

    def artefacts(self) -> list[Path]:
        """The build artefacts this configuration boots from."""
        if self.boot not in ARTEFACTS:
            raise QemuError(f"unknown boot kind {self.boot!r} (expected one of {', '.join(BOOT_KINDS)})")
        paths = [Path(self.build_dir) / name for name in ARTEFACTS[self.boot]]
        if self.boot == "kernel":
            if self.kernel_override is not None:
                paths[0] = Path(self.kernel_override)
            if self.initrd_override is not None:
                paths[1] = Path(self.initrd_override)
        return paths

    def missing_artefacts(self) -> list[Path]:
        return [path for path in self.artefacts() if not path.is_file()]

    def boot_args(self) -> list[str]:
        """The QEMU arguments that select what is booted."""
        paths = self.artefacts()
        if self.boot == "kernel":
            # QEMU loads a Multiboot v1 ELF itself (hw/i386/multiboot.c):
            # -initrd becomes the module list, -append the command line.
            args = ["-kernel", str(paths[0]), "-initrd", str(paths[1])]
            if self.append:
                args += ["-append", self.append]
            return args
        if self.append:
            raise QemuError("--append only works with the kernel boot (the loader on the image decides the command line)")
        if self.boot == "floppy":
            drive = f"file={paths[0]},if=floppy,format=raw" + (",snapshot=on" if self.snapshot else "")
            return ["-drive", drive, "-boot", "a"]
        return ["-cdrom", str(paths[0]), "-boot", "d"]

    def disk_args(self) -> list[str]:
        """The QEMU arguments that attach `disks`."""
        if self.disk_bus not in DISK_BUSES:
            raise QemuError(f"unknown disk bus {self.disk_bus!r} (expected one of {', '.join(DISK_BUSES)})")
        # IDE positions 0-3 are primary master/slave, secondary master/slave;
        # the ISO's -cdrom takes the secondary master (2). The boot order
        # (-boot a / -boot d, or -kernel) does not change with more disks.
        positions = [index for index in range(4) if not (self.boot == "iso" and index == 2)]
        if self.disk_bus == "ide" and len(self.disks) > len(positions):
            raise QemuError(f"at most {len(positions)} IDE disks with the {self.boot} boot")
        args = []
        for number, disk in enumerate(self.disks):
            drive = "file=" + str(disk).replace(",", ",,") + f",format=raw,if={self.disk_bus}"
            if self.disk_bus == "ide":
                drive += f",index={positions[number]}"
            if self.snapshot:
                drive += ",snapshot=on"
            args += ["-drive", drive]
        return args

    def base_args(self) -> list[str]:
        """Everything except the serial port, the control socket and the display."""
        if self.accel not in ("tcg", "kvm"):
            raise QemuError(f"unknown accelerator {self.accel!r}")
        args = [QEMU_BINARY, "-accel", self.accel, "-m", str(self.memory_mb)]
        args += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        if self.no_reboot:
            args.append("-no-reboot")
        args += self.boot_args()
        args += self.disk_args()
        args += self.extra_args
        return args


def decode_exit_status(status: int | None) -> str:
    """A human description of a QEMU exit status."""
    if status is None:
        return "still running"
    if status < 0:
        return f"killed by signal {-status}"
    if status & 1:
        value = status >> 1
        meaning = {0: "clean power-off", 1: "self-tests failed", 0x7F: "kernel panic"}.get(value, "")
        return f"status {status} (isa-debug-exit value {value:#x}{', ' + meaning if meaning else ''})"
    return f"status {status}"


def qemu_version() -> str:
    """The version of qemu-system-i386, e.g. '7.2.22'."""
    output = subprocess.run([QEMU_BINARY, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"version (\d+\.\d+\.\d+)", output)
    return match.group(1) if match else output.strip()


def display_available() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _death_signal_prefix() -> list[str]:
    # setpriv --pdeathsig makes the kernel kill QEMU when the Python thread
    # that started it goes away, so even a SIGKILLed test runner leaves no
    # QEMU behind. Callers therefore start and finish a Machine in one thread.
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL", "--"] if setpriv else []


_live_lock = threading.Lock()
_live_machines: set["Machine"] = set()


def kill_all_machines() -> None:
    """Stop every Machine still running (for signal handlers)."""
    with _live_lock:
        machines = list(_live_machines)
    for machine in machines:
        machine.kill()


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


class Machine:
    """One headless QEMU whose COM1 and QMP socket are connected to us.

    Use as a context manager; leaving the block always stops QEMU and removes
    the temporary directory.
    """

    def __init__(self, config: QemuConfig, name: str = "vm"):
        self.config = config
        self.name = name
        self.transcript_bytes = bytearray()
        self.cursor = 0  # expect() searches the transcript from here
        self.process: subprocess.Popen | None = None
        self.exit_status: int | None = None
        self.start_time: float | None = None
        self._condition = threading.Condition()
        self._serial_eof = False
        self._serial: socket.socket | None = None
        self._qmp: socket.socket | None = None
        self._qmp_buffer = b""
        self._qmp_lock = threading.Lock()
        self._reader: threading.Thread | None = None
        self._directory: str | None = None
        self._stderr_file = None
        self._kill_lock = threading.Lock()

    # -- life cycle --------------------------------------------------------

    def command_line(self, serial_path: str, qmp_path: str) -> list[str]:
        args = self.config.base_args()
        args += ["-display", "none"]
        args += ["-chardev", f"socket,id=serial0,path={serial_path}", "-serial", "chardev:serial0"]
        args += ["-qmp", f"unix:{qmp_path}"]
        return args

    def start(self, connect_timeout: float = 20.0) -> "Machine":
        missing = self.config.missing_artefacts()
        if missing:
            raise QemuError("missing build artefact(s): " + ", ".join(str(path) for path in missing))
        self._directory = tempfile.mkdtemp(prefix="colibri-qemu-")
        serial_path = os.path.join(self._directory, "serial")
        qmp_path = os.path.join(self._directory, "qmp")
        # We listen, QEMU connects as a client: no polling for socket files and
        # no serial output can be lost before we are connected, because QEMU
        # connects its character devices before the guest runs.
        listeners = []
        for path in (serial_path, qmp_path):
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(path)
            listener.listen(1)
            listener.settimeout(0.1)
            listeners.append(listener)
        self._stderr_file = open(os.path.join(self._directory, "stderr"), "w+b")
        arguments = _death_signal_prefix() + self.command_line(serial_path, qmp_path)
        with _live_lock:
            _live_machines.add(self)
        self.start_time = time.monotonic()
        try:
            self.process = subprocess.Popen(arguments, stdin=subprocess.DEVNULL, stdout=self._stderr_file,
                stderr=subprocess.STDOUT)
            deadline = time.monotonic() + connect_timeout
            self._serial = self._accept(listeners[0], deadline)
            self._qmp = self._accept(listeners[1], deadline)
        except BaseException:
            self.kill()
            raise
        finally:
            for listener in listeners:
                listener.close()
        self._qmp.settimeout(30)
        self._qmp_greeting()
        self._reader = threading.Thread(target=self._read_serial, name=f"{self.name}-serial", daemon=True)
        self._reader.start()
        return self

    def _accept(self, listener: socket.socket, deadline: float) -> socket.socket:
        """Wait for QEMU to connect, giving up early if it exits."""
        while True:
            try:
                connection, _ = listener.accept()
                connection.settimeout(None)
                return connection
            except socket.timeout:
                pass
            if self.process.poll() is not None:
                raise QemuError(f"QEMU exited with {decode_exit_status(self.process.returncode)}: "
                                f"{self.qemu_output() or 'no output'}")
            if time.monotonic() > deadline:
                raise QemuError(f"QEMU did not connect its sockets: {self.qemu_output() or 'no output'}")

    def __enter__(self) -> "Machine":
        if self.process is None:
            self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.kill()

    def kill(self) -> None:
        """Stop QEMU (if running) and clean up. Safe to call many times, from
        any thread (a test's watchdog calls it while the test waits)."""
        with self._kill_lock:
            self._kill_locked()

    def _kill_locked(self) -> None:
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()  # QEMU exits cleanly on SIGTERM
            try:
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process is not None:
            self.exit_status = process.returncode
        for connection in (self._serial, self._qmp):
            if connection is not None:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        if self._reader is not None and self._reader is not threading.current_thread():
            self._reader.join(timeout=2)
        for connection in (self._serial, self._qmp):
            if connection is not None:
                connection.close()
        self._serial = self._qmp = None
        if self._stderr_file is not None:
            self._stderr_output = self.qemu_output()
            self._stderr_file.close()
            self._stderr_file = None
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None
        with _live_lock:
            _live_machines.discard(self)

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_exit(self, timeout: float) -> int:
        """Wait for QEMU to exit by itself; return its exit status.

        Raises ExpectTimeout (after killing nothing) when it is still running.
        """
        if self.process is None:
            raise QemuError("machine not started")
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ExpectTimeout(f"QEMU still running after {timeout:g} s") from None
        self.exit_status = status
        if self._reader is not None:
            self._reader.join(timeout=2)  # collect the last serial bytes
        return status

    def qemu_output(self) -> str:
        """What QEMU itself printed (warnings, errors)."""
        if self._stderr_file is None:
            return getattr(self, "_stderr_output", "")
        self._stderr_file.flush()
        self._stderr_file.seek(0)
        text = self._stderr_file.read().decode("utf-8", "replace")
        return "\n".join(line for line in text.splitlines() if not is_harmless_qemu_message(line)).strip()

    # -- serial port -------------------------------------------------------

    def _read_serial(self) -> None:
        connection = self._serial
        while True:
            try:
                data = connection.recv(4096)
            except OSError:
                data = b""
            with self._condition:
                if not data:
                    self._serial_eof = True
                    self._condition.notify_all()
                    return
                self.transcript_bytes.extend(data)
                self._condition.notify_all()

    @property
    def transcript(self) -> str:
        """Everything read from COM1 so far (latin-1, so offsets are bytes)."""
        with self._condition:
            return self.transcript_bytes.decode("latin-1")

    def transcript_tail(self, lines: int = 25) -> str:
        text = self.transcript.replace("\r\n", "\n").replace("\r", "\n")
        return "\n".join(text.split("\n")[-lines:])

    def expect(self, pattern: str | re.Pattern, timeout: float = 30.0) -> re.Match:
        """Wait until `pattern` appears in the serial output after the cursor.

        Returns the match and moves the cursor past it, so consecutive calls
        see consecutive output. Raises ExpectTimeout when the pattern does not
        appear in time or QEMU closed the port without printing it.
        """
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                text = self.transcript_bytes.decode("latin-1")
                match = regex.search(text, self.cursor)
                if match:
                    match = self._complete(regex, match)
                    self.cursor = match.end()
                    return match
                if self._serial_eof:
                    raise ExpectTimeout(f"QEMU closed the serial port ({self._describe_exit()}) "
                                        f"before {regex.pattern!r} appeared")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ExpectTimeout(f"{regex.pattern!r} did not appear within {timeout:g} s")
                self._condition.wait(remaining)

    def _complete(self, regex: re.Pattern, match: re.Match) -> re.Match:
        """A match that ends in a letter or digit at the very end of what has
        arrived may be cut short: the guest prints a line a few bytes at a
        time, so "target 210 1" can be all there is of "target 210 180" yet.
        Wait (briefly) for the next byte and match again. Called with the
        condition held."""
        grace = time.monotonic() + EXPECT_COMPLETION_GRACE
        while (match.end() == len(self.transcript_bytes) and match.end() > match.start()
               and chr(self.transcript_bytes[match.end() - 1]).isalnum() and not self._serial_eof):
            remaining = grace - time.monotonic()
            if remaining <= 0:
                break
            self._condition.wait(remaining)
            match = regex.search(self.transcript_bytes.decode("latin-1"), match.start()) or match
        return match

    def _describe_exit(self) -> str:
        if self.process is None:
            return "not started"
        try:
            status = self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return "still running"
        return "QEMU exited with " + decode_exit_status(status)

    def send(self, text: str | bytes) -> None:
        """Write raw characters to COM1 (add the line ending yourself)."""
        data = text.encode("latin-1") if isinstance(text, str) else text
        if self._serial is None:
            raise QemuError("machine not running")
        self._serial.sendall(data)

    def send_slowly(self, text: str | bytes, delay: float = 0.01) -> None:
        """Write one character at a time, for guests without a receive FIFO."""
        data = text.encode("latin-1") if isinstance(text, str) else text
        for byte in data:
            self.send(bytes([byte]))
            time.sleep(delay)

    # -- QMP / human monitor -------------------------------------------------

    def _qmp_read_message(self) -> dict:
        while b"\n" not in self._qmp_buffer:
            chunk = self._qmp.recv(65536)
            if not chunk:
                raise QemuError("QEMU closed the QMP socket")
            self._qmp_buffer += chunk
        line, self._qmp_buffer = self._qmp_buffer.split(b"\n", 1)
        return json.loads(line)

    def _qmp_greeting(self) -> None:
        greeting = self._qmp_read_message()
        if "QMP" not in greeting:
            raise QemuError(f"unexpected QMP greeting: {greeting}")
        self.qmp("qmp_capabilities")

    def qmp(self, command: str, **arguments) -> object:
        """Run one QMP command and return its "return" value."""
        with self._qmp_lock:
            if self._qmp is None:
                raise QemuError("machine not running")
            request = {"execute": command}
            if arguments:
                request["arguments"] = arguments
            self._qmp.sendall(json.dumps(request).encode() + b"\n")
            while True:
                reply = self._qmp_read_message()
                if "event" in reply:
                    continue  # asynchronous events (RESET, SHUTDOWN, ...)
                if "error" in reply:
                    raise QemuError(f"QMP {command}: {reply['error'].get('desc', reply['error'])}")
                return reply.get("return")

    def monitor(self, command: str) -> str:
        """Run a human-monitor (HMP) command such as `xp /16bx 0xb8000`."""
        return _strip_ansi(str(self.qmp("human-monitor-command", **{"command-line": command})))

    def read_physical(self, address: int, length: int) -> bytes:
        """Read guest physical memory through the monitor's `xp` command."""
        output = self.monitor(f"xp /{length}bx {address:#x}")
        values = []
        for line in output.splitlines():
            if ":" not in line:
                continue
            values += [int(token, 16) for token in line.split(":", 1)[1].split()]
        return bytes(values[:length])

    def physical_memory(self, address: int, length: int) -> bytes:
        """Read a block of guest physical memory (QMP pmemsave; fast for megabytes)."""
        with tempfile.TemporaryDirectory(prefix="colibri-memory-") as directory:
            path = Path(directory) / "memory.bin"
            self.qmp("pmemsave", val=address, size=length, filename=str(path))
            return path.read_bytes()

    def vga_text(self, rows: int = 25, columns: int = 80) -> list[str]:
        """The VGA text screen at 0xB8000 as lines (characters only)."""
        raw = self.read_physical(0xB8000, rows * columns * 2)
        characters = raw[0::2]
        return [characters[row * columns:(row + 1) * columns].decode("cp437", "replace").rstrip("\x00 ")
                for row in range(rows)]

    def screendump(self, path: str | Path) -> None:
        """Save the display as a PPM file."""
        self.qmp("screendump", filename=str(path))

    def screen(self) -> "Screen":
        """The display as it is now, decoded."""
        with tempfile.TemporaryDirectory(prefix="colibri-screen-") as directory:
            path = Path(directory) / "screen.ppm"
            self.screendump(path)
            return Screen.from_ppm(path.read_bytes())

    def screenshot(self, path: str | Path) -> "Screen":
        """Save the display as a PNG file; returns what was saved."""
        screen = self.screen()
        Path(path).write_bytes(screen.to_png())
        return screen

    def quit(self) -> None:
        """Ask QEMU to exit (like closing the window)."""
        try:
            self.qmp("quit")
        except (QemuError, OSError):
            pass


@dataclasses.dataclass
class Screen:
    """A picture of the display: `rgb` holds width * height R, G, B bytes."""

    width: int
    height: int
    rgb: bytes

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        offset = (y * self.width + x) * 3
        return self.rgb[offset], self.rgb[offset + 1], self.rgb[offset + 2]

    @classmethod
    def from_ppm(cls, data: bytes) -> "Screen":
        """Decode a binary PPM (P6, maxval 255), what QEMU's screendump writes."""
        fields: list[bytes] = []
        position = 0
        # Header: magic, width, height, maxval, separated by whitespace and
        # '#' comments, then exactly one whitespace byte before the pixels.
        while len(fields) < 4:
            while position < len(data) and data[position:position + 1].isspace():
                position += 1
            if data[position:position + 1] == b"#":
                while position < len(data) and data[position] not in b"\r\n":
                    position += 1
                continue
            start = position
            while position < len(data) and not data[position:position + 1].isspace():
                position += 1
            if start == position:
                raise QemuError("screendump: truncated PPM header")
            fields.append(data[start:position])
        position += 1
        if fields[0] != b"P6" or fields[3] != b"255":
            raise QemuError(f"screendump: unsupported PPM ({fields[0]!r}, maxval {fields[3]!r})")
        width, height = int(fields[1]), int(fields[2])
        rgb = data[position:position + width * height * 3]
        if len(rgb) != width * height * 3:
            raise QemuError("screendump: PPM shorter than its size")
        return cls(width, height, rgb)

    def to_png(self) -> bytes:
        """Encode as PNG (ISO/IEC 15948): 8-bit RGB, no filtering, one IDAT."""

        def chunk(kind: bytes, payload: bytes) -> bytes:
            return (struct.pack(">I", len(payload)) + kind + payload
                    + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))

        stride = self.width * 3
        # Each scanline starts with its filter type, 0 = none.
        raw = b"".join(b"\x00" + self.rgb[row * stride:(row + 1) * stride] for row in range(self.height))
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6))
                + chunk(b"IEND", b""))


def qmp_execute(socket_path: str, commands: list[tuple[str, dict]], timeout: float = 3.0) -> list[object]:
    """Connect to a QMP server socket, run `commands` and disconnect.

    Returns each command's "return" value; raises QemuError on an error
    reply and OSError when the socket is not there."""
    results = []
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(socket_path)
        reader = connection.makefile("rb")
        reader.readline()  # greeting
        for command, arguments in [("qmp_capabilities", {})] + commands:
            request = {"execute": command}
            if arguments:
                request["arguments"] = arguments
            connection.sendall(json.dumps(request).encode() + b"\n")
            while True:
                line = reader.readline()
                if not line:
                    raise QemuError(f"QMP {command}: QEMU closed the socket")
                reply = json.loads(line)
                if "event" in reply:
                    continue
                if "error" in reply:
                    raise QemuError(f"QMP {command}: {reply['error'].get('desc', reply['error'])}")
                if command != "qmp_capabilities":
                    results.append(reply.get("return"))
                break
    return results


def copy_image(source: Path, directory: Path) -> Path:
    """Copy a disk image into `directory` so a test may write to it."""
    target = Path(directory) / Path(source).name
    shutil.copyfile(source, target)
    return target


def install_signal_cleanup() -> None:
    """Make SIGINT/SIGTERM stop every running Machine before exiting."""

    def handler(signum, frame):
        kill_all_machines()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
