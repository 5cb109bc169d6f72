#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Boot Colibri under QEMU with the serial console on this terminal.

    tools/run.py [--headless] [--boot kernel|floppy|iso] [--timeout SECONDS]
                 [--memory MB] [--append CMDLINE] [--build-dir DIR] [--kvm]
                 [--gdb] [--no-reboot] [--snapshot] [--screenshot OUT.png]
                 [--disk IMG ...] [--disk-bus ide|virtio] [--ramdisk IMG] [--app FILE ...]
                 [-- EXTRA QEMU ARGS]

COM1 is multiplexed with the QEMU monitor on stdio (`-serial mon:stdio`):
type shell commands directly; Ctrl-A X quits QEMU, Ctrl-A C toggles the
monitor. (Started as a background job of an interactive shell, the serial
output still goes to the terminal but input is not read.) With --gdb QEMU
waits halted for a debugger on localhost:1234. A QEMU window opens when a display is available and --headless is
not given. --screenshot saves the screen as a PNG when the run ends: at the
timeout, or (the guest powering off ends QEMU at once) the last picture
taken while it ran, at most half a second old.

Exit status: 0 when the guest powered off cleanly (isa-debug-exit value 0,
which QEMU reports as 1), otherwise QEMU's own status (e.g. 3 when kernel
self-tests failed, 255 after a panic with panic=poweroff, 0 after a quit).
"""

from __future__ import annotations

import argparse
import atexit
import shutil
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, str(Path(__file__).resolve().parent))
import qemu  # noqa: E402


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="colibri run", description="Boot Colibri under QEMU.")
    parser.add_argument("--headless", action="store_true", help="no QEMU window, serial console only")
    parser.add_argument("--boot", choices=qemu.BOOT_KINDS, default="kernel",
        help="kernel: QEMU -kernel (fastest); floppy: Colibri's own loader; iso: GRUB")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help="power the VM off after this long")
    parser.add_argument("--memory", type=int, default=qemu.DEFAULT_MEMORY_MB, metavar="MB")
    parser.add_argument("--append", default="", metavar="CMDLINE", help="kernel command line (kernel boot only)")
    parser.add_argument("--build-dir", default=str(Path(__file__).resolve().parent.parent / "build"), metavar="DIR")
    parser.add_argument("--kvm", action="store_true", help="use KVM instead of TCG")
    parser.add_argument("--no-reboot", action="store_true", help="exit QEMU instead of rebooting the guest")
    parser.add_argument("--gdb", action="store_true",
        help="start halted with QEMU's GDB stub on tcp::1234 (used by ./colibri debug)")
    parser.add_argument("--snapshot", action="store_true",
        help="discard the guest's writes to the floppy and --disk images")
    parser.add_argument("--disk", action="append", default=[], metavar="IMG",
        help="attach a raw disk image; the first is the guest's hd0 (repeatable)")
    parser.add_argument("--disk-bus", choices=qemu.DISK_BUSES, default="ide",
        help="where the --disk images go: IDE (default) or virtio-blk")
    parser.add_argument("--app", action="append", default=[], metavar="FILE",
        help="copy FILE onto the ramdisk as /sys/<name> and start it after boot (repeatable)")
    parser.add_argument("--ramdisk", metavar="IMG",
        help="boot with IMG (a FAT12 floppy image, e.g. KolibriOS's kolibri.img) as the ramdisk, /sys and /rd/1;"
            " IMG itself is never written")
    parser.add_argument("--screenshot", metavar="OUT.png",
        help="save the screen as a PNG file when the run ends (timeout, power-off or quit)")
    parser.add_argument("qemu_args", nargs="*", help="extra QEMU arguments (after --)")
    return parser.parse_args(argv)


def in_background() -> bool:
    """True when stdin is a terminal that belongs to another process group
    (we run as a background job): reading it would stop us with SIGTTIN."""
    try:
        return os.isatty(0) and os.tcgetpgrp(0) != os.getpgrp()
    except OSError:
        return False


def serial_arguments() -> list[str]:
    if in_background():
        # Output only; someone else (e.g. gdb) owns the keyboard.
        return ["-chardev", "file,id=serial0,path=/dev/stdout,append=on", "-serial", "chardev:serial0"]
    return ["-serial", "mon:stdio"]


def relay_qemu_stderr(stream, errors: list[str]) -> None:
    """Copy QEMU's stderr to ours, collecting its error messages."""
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace")
        if qemu.is_harmless_qemu_message(line):
            continue
        sys.stderr.write(line)
        sys.stderr.flush()
        text = line.strip()
        if text.startswith(qemu.QEMU_BINARY + ":") and "warning:" not in text and "terminating on signal" not in text:
            errors.append(text)


def quit_through_qmp(path: str) -> bool:
    """Send `quit` on the QMP socket; False when that did not work."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(3)
            connection.connect(path)
            reader = connection.makefile("rb")
            reader.readline()  # greeting
            for command in ("qmp_capabilities", "quit"):
                connection.sendall(json.dumps({"execute": command}).encode() + b"\n")
                while True:
                    reply = json.loads(reader.readline() or b"{}")
                    if not reply or "event" not in reply:
                        break
        return True
    except (OSError, ValueError):
        return False


class ScreenRecorder:
    """Keeps the latest screendump of a running QEMU.

    A guest power-off ends QEMU at once, so a picture taken "at the end"
    must be the last of a series taken while it ran."""

    INTERVAL = 0.5

    def __init__(self, qmp_path: str, directory: str):
        self.qmp_path = qmp_path
        self.latest = os.path.join(directory, "screen.ppm")
        self._partial = os.path.join(directory, "screen.partial.ppm")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="screen-recorder", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.INTERVAL):
            self.capture()

    def capture(self) -> bool:
        """Take one picture; False when QEMU is not (or no longer) there."""
        try:
            qemu.qmp_execute(self.qmp_path, [("screendump", {"filename": self._partial})])
            os.replace(self._partial, self.latest)
            return True
        except (OSError, ValueError, qemu.QemuError):
            return False

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def save_png(self, path: str) -> str | None:
        """Write the latest picture as PNG; returns its description, or None."""
        try:
            with open(self.latest, "rb") as ppm:
                screen = qemu.Screen.from_ppm(ppm.read())
            Path(path).write_bytes(screen.to_png())
        except (OSError, ValueError, qemu.QemuError):
            return None
        return f"{screen.width}x{screen.height}"


def free_bytes(image: Path) -> int | None:
    """The free space of a FAT image as mtools counts it, or None."""
    result = subprocess.run(["mdir", "-i", str(image), "::"], capture_output=True, text=True)
    for line in reversed(result.stdout.splitlines()):
        if line.strip().endswith("bytes free"):
            digits = "".join(c for c in line if c.isdigit())
            return int(digits) if digits else None
    return None


def copy_app(image: Path, app: Path, name: str, ramdisk_label: str) -> None:
    """Copies one --app file onto `image` as ::name; a file that does not
    fit is a clear error (mcopy says only "Disk full" and removes what it
    wrote)."""
    free = free_bytes(image)
    result = subprocess.run(["mcopy", "-o", "-i", str(image), str(app), f"::{name}"],
        capture_output=True, text=True)
    if result.returncode == 0:
        return
    message = result.stderr.strip()
    if "disk full" in message.lower() or "no free" in message.lower():
        room = f"{free // 1024} KiB free" if free is not None else "too little room"
        raise qemu.QemuError(f"--app {app}: does not fit on {ramdisk_label}: the program is "
            f"{app.stat().st_size // 1024} KiB, the ramdisk has {room} (remove files from a copy of the image, "
            "or leave out other --app files)")
    raise qemu.QemuError(f"--app {app}: cannot copy onto the ramdisk: {message}")


def check_ramdisk(path: Path) -> None:
    """A --ramdisk image must be a FAT volume the kernel can mount."""
    if not path.is_file():
        raise qemu.QemuError(f"--ramdisk {path}: no such file")
    size = path.stat().st_size
    if size < 512 or size > 256 * 1024 * 1024:
        raise qemu.QemuError(f"--ramdisk {path}: {size} bytes is not a floppy or small disk image")
    with path.open("rb") as image:
        sector = image.read(512)
    if sector[510:512] != b"\x55\xaa" and sector[0] not in (0xEB, 0xE9):
        raise qemu.QemuError(f"--ramdisk {path}: no FAT boot sector (no jump, no 55 AA signature)")


def add_apps(options: argparse.Namespace, scratch: Path) -> tuple[Path | None, str]:
    """Copies the --app files onto a scratch copy of the boot image.

    Returns the image to boot instead of the built one (or None) and the
    kernel command-line words that start the apps. With --ramdisk the
    copy is made of that image (the user's file is never changed)."""
    build = Path(options.build_dir)
    ramdisk = Path(options.ramdisk) if options.ramdisk else None
    if ramdisk is not None:
        check_ramdisk(ramdisk)
        if options.boot == "iso":
            raise qemu.QemuError("--ramdisk works with --boot kernel (the default) or floppy: the ISO "
                "carries Colibri's own ramdisk")
    if options.boot == "floppy" and ramdisk is not None:
        # Colibri's loader on a copy of IMG: its boot sector (keeping
        # IMG's BPB), STAGE2.BIN and KERNEL.ELF (tools/mkfloppy.py).
        image = scratch / "floppy.img"
        result = subprocess.run([sys.executable, str(Path(__file__).resolve().parent / "mkfloppy.py"),
            "--base", str(ramdisk), "--bootsector", str(build / "cross" / "bootsector.bin"),
            "--stage2", str(build / "cross" / "stage2.bin"),
            "--kernel", str(build / "cross" / "kernel.stripped.elf"), "--output", str(image)],
            capture_output=True, text=True)
        if result.returncode != 0:
            raise qemu.QemuError(f"--ramdisk {ramdisk} --boot floppy: {result.stderr.strip()}")
        label = f"the ramdisk {ramdisk} (with Colibri's loader and kernel)"
    elif not options.app:
        return ramdisk, ""
    elif options.boot == "iso":
        raise qemu.QemuError("--app works with --boot kernel or floppy")
    else:
        if ramdisk is not None:
            source, label = ramdisk, f"the ramdisk {ramdisk}"
        else:
            source = build / ("ramdisk.img" if options.boot == "kernel" else "colibri.img")
            label = "Colibri's ramdisk"
        image = scratch / source.name
        shutil.copyfile(source, image)
    names = []
    for app in options.app:
        path = Path(app)
        if not path.is_file():
            raise qemu.QemuError(f"--app {app}: no such file")
        name = path.name.lower()
        copy_app(image, path, name, label)
        names.append(f"/sys/{name}")
    words = "run=" + ",".join(names) if names else ""
    if options.boot == "floppy" and (words or options.append):
        # Colibri's stage 2 reads its command line from CMDLINE.TXT.
        cmdline = scratch / "cmdline.txt"
        cmdline.write_text((options.append + " " + words).strip() + "\n")
        subprocess.run(["mcopy", "-o", "-i", str(image), str(cmdline), "::CMDLINE.TXT"], check=True)
    return image, words


def main(argv: list[str]) -> int:
    options = parse_arguments(argv)
    scratch = Path(tempfile.mkdtemp(prefix="colibri-apps-"))
    atexit.register(shutil.rmtree, scratch, True)
    try:
        app_image, app_words = add_apps(options, scratch)
    except (qemu.QemuError, OSError) as error:
        print(f"run: {error}", file=sys.stderr)
        return 2
    append = (options.append + " " + app_words).strip()
    build_dir = Path(options.build_dir)
    if app_image is not None and options.boot == "floppy":
        # Boot a scratch build directory whose floppy carries the apps;
        # the command line went into its CMDLINE.TXT.
        build_dir = scratch
        app_image.rename(scratch / "colibri.img")
        append = ""
    config = qemu.QemuConfig(boot=options.boot, build_dir=build_dir, memory_mb=options.memory,
        append=append, accel="kvm" if options.kvm else "tcg", no_reboot=options.no_reboot,
        snapshot=options.snapshot, initrd_override=app_image if options.boot == "kernel" else None,
        disks=[Path(disk) for disk in options.disk], disk_bus=options.disk_bus,
        extra_args=list(options.qemu_args))
    try:
        missing = config.missing_artefacts()
        arguments = config.base_args()
    except qemu.QemuError as error:
        print(f"run: {error}", file=sys.stderr)
        return 2
    for disk in config.disks:
        if not disk.is_file():
            print(f"run: --disk {disk}: no such file", file=sys.stderr)
            return 2
    if missing:
        print("run: missing " + ", ".join(str(path) for path in missing) + " (run ./colibri build first)",
            file=sys.stderr)
        return 2

    headless = options.headless or not qemu.display_available()
    if headless:
        arguments += ["-display", "none"]
    arguments += serial_arguments()
    if options.gdb:
        arguments += ["-gdb", "tcp::1234", "-S"]

    with tempfile.TemporaryDirectory(prefix="colibri-run-") as directory:
        qmp_path = os.path.join(directory, "qmp")
        arguments += ["-qmp", f"unix:{qmp_path},server=on,wait=off"]
        print(f"run: {shlex.join(arguments)}", file=sys.stderr)
        # While QEMU owns the terminal, Ctrl-C is a character for the guest;
        # a SIGINT/SIGTERM sent to us (e.g. from a script) stops QEMU cleanly.
        process = subprocess.Popen(arguments, stderr=subprocess.PIPE)
        # QEMU reports its own errors with status 1, the same status as a
        # clean guest power-off: watch its stderr to tell them apart.
        qemu_errors: list[str] = []
        relay = threading.Thread(target=relay_qemu_stderr, args=(process.stderr, qemu_errors), daemon=True)
        relay.start()
        recorder = ScreenRecorder(qmp_path, directory) if options.screenshot else None
        if recorder is not None:
            recorder.start()

        def forward(signum, frame):
            if process.poll() is None:
                process.terminate()

        signal.signal(signal.SIGINT, forward)
        signal.signal(signal.SIGTERM, forward)
        try:
            status = process.wait(timeout=options.timeout)
        except subprocess.TimeoutExpired:
            print(f"\r\nrun: timeout after {options.timeout:g} s, powering the VM off", file=sys.stderr)
            if recorder is not None:
                recorder.stop()
                recorder.capture()
            # `quit` lets QEMU restore the terminal; SIGTERM does too, SIGKILL not.
            if not quit_through_qmp(qmp_path):
                process.terminate()
            try:
                status = process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                status = process.wait()

        relay.join(timeout=2)
        screenshot_saved = None
        if recorder is not None:
            recorder.stop()
            screenshot_saved = recorder.save_png(options.screenshot)
            if screenshot_saved:
                print(f"run: screenshot {screenshot_saved} saved to {options.screenshot}", file=sys.stderr)
            else:
                print("run: no screenshot taken (QEMU ended before the first one)", file=sys.stderr)

    if options.screenshot and not screenshot_saved:
        return 1

    if status == qemu.EXIT_CLEAN_POWEROFF and not qemu_errors:
        return 0
    if qemu_errors:
        print("run: QEMU failed: " + qemu_errors[0], file=sys.stderr)
        return 1
    if status != 0:
        print(f"run: QEMU exited with {qemu.decode_exit_status(status)}", file=sys.stderr)
    return status if status >= 0 else 128 - status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
