"""Bytes -> text, with encoding detection, and clear per-file errors for what cannot be read."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

# the encodings Chinese notes are commonly saved in, tried in order after UTF-8
_FALLBACKS = ("gb18030", "big5")


_LABELS = {"utf-32-le": "UTF-32 (little-endian)", "utf-32-be": "UTF-32 (big-endian)", "utf-8": "UTF-8",
           "utf-16-le": "UTF-16 (little-endian)", "utf-16-be": "UTF-16 (big-endian)"}


class UnreadableFile(Exception):
    """A notes file that cannot be linted (binary, undecodable); the message says why."""


@dataclass(frozen=True)
class Decoded:
    text: str  # with line endings kept as in the file
    encoding: str
    bom: bytes = b""


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control / len(head) > 0.1


def decode(data: bytes) -> Decoded:
    """Decode note bytes: BOMs first (UTF-8/16/32), then UTF-8, then GB18030/Big5, then detection."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(enc), enc, bom)
            except UnicodeDecodeError as exc:
                label = _LABELS[enc]
                raise UnreadableFile(f"starts with a {label} byte-order mark but is not valid {label} "
                                     f"(at byte {exc.start + len(bom)}); re-save it as UTF-8") from None
    if looks_binary(data):
        raise UnreadableFile("binary file (contains NUL or control bytes); not a text note")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    guess = _detect(data)
    if guess:
        return guess
    raise UnreadableFile("cannot decode: not UTF-8, UTF-16 with BOM, GB18030/GBK or Big5; re-save it as UTF-8")


def _detect(data: bytes) -> Decoded | None:
    for enc in _FALLBACKS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return Decoded(text, enc)
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover
        return None
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    text = str(best)
    return Decoded(text, best.encoding) if _plausible(text) else None


def _plausible(text: str) -> bool:
    """Reject decodings that produce mostly private-use or control characters."""
    if not text:
        return True
    bad = sum(1 for ch in text if (0xE000 <= ord(ch) <= 0xF8FF) or (ord(ch) < 32 and ch not in "\t\r\n\f"))
    return bad / len(text) < 0.01
