"""Cheap sanity checks on a .gguf file before handing it to llama.cpp, which would crash or print pages."""

import struct
from pathlib import Path

from coach.errors import InvalidModelFile, ModelNotFound

GGUF_MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
HEADER_BYTES = 24  # magic, version, tensor count, metadata count


def check_gguf(path: Path, expected_size: int | None = None) -> None:
    """Raise a one-sentence error unless `path` looks like a complete GGUF model file."""
    if not path.exists():
        raise ModelNotFound(
            f"No model file at {path}; run `coach models pull NAME` or `coach models use PATH.gguf`."
        )
    if not path.is_file():
        raise InvalidModelFile(f"{path} is a folder, not a .gguf file; point coach at the file itself.")
    size = path.stat().st_size
    if size == 0:
        raise InvalidModelFile(f"The model file {path} is empty (0 bytes); delete it and pull or copy it again.")
    with path.open("rb") as handle:
        header = handle.read(HEADER_BYTES)
    _check_header(path, header)
    if expected_size is not None and size != expected_size:
        raise InvalidModelFile(
            f"The model file {path} is {size:,} bytes but should be {expected_size:,} (truncated or "
            "corrupt); delete it and run `coach models pull` again."
        )


def _check_header(path: Path, header: bytes) -> None:
    if header[:4] != GGUF_MAGIC:
        hint = "it looks like a web page" if header.lstrip()[:1] == b"<" else "it does not start with GGUF"
        raise InvalidModelFile(
            f"{path} is not a GGUF model file ({hint}); download the model again or choose another file."
        )
    if len(header) < HEADER_BYTES:
        raise InvalidModelFile(f"{path} ends inside its GGUF header (truncated); copy or pull it again.")
    (version,) = struct.unpack("<I", header[4:8])
    if version not in SUPPORTED_VERSIONS:
        raise InvalidModelFile(
            f"{path} is GGUF version {version}, which this llama.cpp cannot read; use a GGUF v2 or v3 file."
        )
