"""Pagefind's index files, read and written: gzip of ``pagefind_dcd`` followed by CBOR (RFC
8949) — here only what Pagefind writes: integers, strings and definite-length arrays.

Pagefind's file format is not a public interface; pagefind_merge.py checks a bundle's version
and shape before it relies on it.
"""

from __future__ import annotations

import gzip
import hashlib
import struct
import zlib
from pathlib import Path
from typing import IO, Any

SIGNATURE = b"pagefind_dcd"


def decode(data: bytes, at: int) -> tuple[Any, int]:
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        value: Any = info
    elif info in (24, 25, 26, 27):
        width = 1 << (info - 24)
        value = int.from_bytes(data[at:at + width], "big")
        at += width
    else:
        raise ValueError(f"unsupported CBOR item {head:#x}")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        raw = data[at:at + value]
        return (raw.decode("utf-8") if major == 3 else bytes(raw)), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = decode(data, at)
            items.append(item)
        return items, at
    if major == 7 and info == 26:
        return struct.unpack(">f", value.to_bytes(4, "big"))[0], at
    if major == 7 and info < 24:
        return {20: False, 21: True, 22: None}[info], at
    raise ValueError(f"unsupported CBOR item {head:#x}")


def head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * width):
            return bytes([major << 5 | info]) + value.to_bytes(width, "big")
    raise ValueError("integer too large")


def encode_into(value: Any, out: bytearray) -> None:
    if isinstance(value, bool) or value is None:
        out.append({False: 0xF4, True: 0xF5, None: 0xF6}[value])
    elif isinstance(value, int):
        out += head(0, value) if value >= 0 else head(1, -1 - value)
    elif isinstance(value, str):
        raw = value.encode("utf-8")
        out += head(3, len(raw)) + raw
    elif isinstance(value, bytes):
        out += head(2, len(value)) + value
    elif isinstance(value, list):
        out += head(4, len(value))
        for item in value:
            encode_into(item, out)
    else:
        raise TypeError(f"cannot encode {type(value).__name__}")


def unpacked(path: Path) -> bytes:
    """The file's bytes, uncompressed, signature first."""
    data = path.read_bytes()
    if not data.startswith(SIGNATURE):
        data = gzip.decompress(data)
    return data


def read(path: Path) -> Any:
    data = path.read_bytes()
    if not data.startswith(SIGNATURE):
        data = gzip.decompress(data)
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name}: not a Pagefind file")
    value, end = decode(data, len(SIGNATURE))
    if end != len(data):
        raise ValueError(f"{path.name}: trailing bytes")
    return value


def encoded(value: Any) -> bytes:
    """The file's bytes, compressed as Pagefind compresses its own."""
    out = bytearray(SIGNATURE)
    encode_into(value, out)
    return gzip.compress(bytes(out), 6, mtime=0)


# --- writing files under Pagefind's names, in bounded memory -----------------------------------
class Taken:
    """The names taken in a folder (files ``<name><suffix>``), asked of the folder itself: no
    set of every fragment's name in memory. A name is taken once its file is written."""

    def __init__(self, folder: Path, suffix: str) -> None:
        self.folder, self.suffix = folder, suffix

    def __contains__(self, name: object) -> bool:
        return (self.folder / f"{name}{self.suffix}").exists()

    def add(self, name: str) -> None:
        """Nothing to note: the caller writes the file under this name next."""


def name_for(language: str, data: bytes, taken: set[str] | Taken, length: int = 7) -> str:
    return name_of(language, hashlib.sha256(data).hexdigest(), taken, length)


def name_of(language: str, digest: str, taken: set[str] | Taken, length: int = 7) -> str:
    while f"{language}_{digest[:length]}" in taken and length < len(digest):
        length += 1
    name = f"{language}_{digest[:length]}"
    taken.add(name)
    return name


class Compressed:
    """A file compressed as Pagefind compresses its own (what ``gzip.compress(data, 6,
    mtime=0)`` gives for the whole, byte for byte), written as it comes, with the SHA-256 of
    its compressed bytes (Pagefind names its files by it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._out = path.open("wb")
        self._zip = zlib.compressobj(6, zlib.DEFLATED, 31)
        self._digest = hashlib.sha256()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self._put(self._zip.compress(data))

    def copy(self, source: IO[bytes]) -> None:
        """The rest of an open file, in blocks."""
        while block := source.read(1 << 16):
            self.write(block)

    def close(self) -> str:
        """Finish the file; its hex digest."""
        self._put(self._zip.flush())
        self._out.close()
        return self._digest.hexdigest()

    def _put(self, data: bytes) -> None:
        self._digest.update(data)
        self._out.write(data)
