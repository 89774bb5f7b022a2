"""A really full disk for tests: a small tmpfs mounted in the test's folder and filled to the brim.
Mounting needs root (CI and this machine run tests as root); elsewhere the tests that need it skip."""

import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def small_disk(folder: Path, size_kb: int = 4096):
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here ({mounted.stderr.strip()})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> None:
    """Write until the disk says no more; what is already there stays intact."""
    for name, block in (("filler", 65536), ("filler-last", 512)):  # big blocks, then the last crumbs
        try:
            with open(folder / name, "wb", buffering=0) as filler:
                while True:
                    filler.write(b"\0" * block)
        except OSError:
            pass
