"""The keys of the records behind a submitted figure, kept compactly: sorted, as the gaps between
them in LEB128 varints, compressed. Consecutive keys cost about a byte before compression, so a
county's 300,000 workers keep in a few hundred kilobytes at most."""

from __future__ import annotations

import zlib
from collections.abc import Iterable


def encode(keys: Iterable[int]) -> bytes:
    out = bytearray()
    previous = 0
    for key in sorted(keys):
        gap = key - previous
        previous = key
        while True:
            byte = gap & 0x7F
            gap >>= 7
            if gap:
                out.append(byte | 0x80)
            else:
                out.append(byte)
                break
    return zlib.compress(bytes(out), 6)


def decode(data: bytes | memoryview | None) -> list[int]:
    if not data:
        return []
    raw = zlib.decompress(bytes(data))
    keys: list[int] = []
    value = shift = 0
    previous = 0
    for byte in raw:
        value |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
            continue
        previous += value
        keys.append(previous)
        value = shift = 0
    return keys
