"""Normalisation for matching, with an offset map back to the original text.

The shadow string is NFKC-folded (full-width letters and punctuation, Kangxi radicals; CJK radical
supplement forms by a table), case-folded (with İ, ı and ſ as i, i and s),
Traditional Chinese is mapped to Simplified character by character, and separators
(spaces, hyphens, underscores, dashes) are dropped, so that ``Post-LN``, ``PostLN`` and
``post LN`` all read ``postln``. ``offsets[i]`` is the index in the original text of the
shadow's character ``i``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SEPARATOR = "\x00"
# characters removed from the shadow string (and allowed inside aliases)
_SEPARATORS = " \t\u00a0\u3000-_\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00b7\u30fb\u200b\u2009\u202f\u2002\u2003"
# CJK Radicals Supplement characters that PDF-to-text tools put where the unified ideograph belongs ("任意⻓度");
# NFKC folds the Kangxi radicals (U+2F00-2FDF, in the ranges below) but not these.
_RADICALS = {"\u2ea0": "民", "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角", "\u2ec9": "贝", "\u2ecb": "车",
             "\u2ed3": "长", "\u2ed4": "门", "\u2ed8": "青", "\u2ed9": "韦", "\u2eda": "页", "\u2edb": "风",
             "\u2edc": "飞", "\u2edd": "食", "\u2ee2": "马", "\u2ee3": "骨", "\u2ee5": "鱼", "\u2ee6": "鸟",
             "\u2ee8": "麦", "\u2ee9": "黄", "\u2eec": "齐", "\u2eee": "齿", "\u2ef0": "龙"}
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"'}
# the letters that case-insensitive matching equates with a-z and that lowering keeps (dotted capital I, dotless
# i, long s): folded to those letters, so that what reads the folded text may match with case
_CASE_ONLY = {"\u0130": "i", "\u0131": "i", "\u017f": "s"}


def _is_latin_or_digit(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("0" <= ch <= "9") or ("A" <= ch <= "Z")


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FFFF


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    """Traditional -> Simplified, one character to one character (OpenCC's table)."""
    table: dict[int, str] = {}
    try:  # read the data file without importing the package (its import is slow)
        from importlib.util import find_spec
        from pathlib import Path

        spec = find_spec("opencc_purepy")
        folder = Path(next(iter(spec.submodule_search_locations or ())))  # type: ignore[union-attr]
        data = (folder / "dicts" / "TSCharacters.txt").read_text("utf-8")
    except Exception:  # pragma: no cover - the dependency is declared; degrade gracefully
        return table
    for line in data.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        trad, simp = parts[0], parts[1].split(" ")[0]
        if len(trad) == 1 and len(simp) == 1 and trad != simp:
            table[ord(trad)] = simp
    return table


_TABLE: dict[int, str] | None = None


def install_table(table: dict[int, str]) -> None:
    """Use a table built earlier (e.g. loaded with a cached index) instead of building it."""
    global _TABLE, _DENSE
    _TABLE, _DENSE = table, None


def translate_table() -> dict[int, str]:
    """A 1:1 character table applied after str.lower()."""
    global _TABLE
    if _TABLE is None:
        _TABLE = _build_table()
    return _TABLE


def _build_table() -> dict[int, str]:
    table: dict[int, str] = dict(_t2s_table())
    ranges = [(0x00A0, 0x00BF), (0xFF01, 0xFF5E), (0xF900, 0xFAFF), (0x2000, 0x209F), (0x2100, 0x214F),
              (0x3000, 0x303F), (0x2460, 0x24FF), (0x2E80, 0x2EFF), (0x2F00, 0x2FDF)]
    for lo, hi in ranges:
        for code in range(lo, hi + 1):
            ch = chr(code)
            folded = unicodedata.normalize("NFKC", ch).lower()
            if len(folded) == 1 and folded != ch:
                table[code] = SEPARATOR if folded in _SEPARATORS else _t2s_table().get(ord(folded), folded)
    for ch, rep in _RADICALS.items():
        table[ord(ch)] = rep
    for ch, rep in {**_QUOTES, **_CASE_ONLY}.items():
        table[ord(ch)] = rep
    for ch in _SEPARATORS:
        table[ord(ch)] = SEPARATOR
    return table


# str.translate looks each character up in its table; a list indexed by code point (every character up to
# the largest mapped one, unmapped ones to themselves) is looked up about twice as fast as the dict. Building
# it costs about as much as folding half a megabyte with the dict, so it is built once that much was folded.
_DENSE: list[str] | None = None
_DENSE_AFTER = 500_000
_folded_chars = 0


def _dense_table() -> list[str]:
    global _DENSE
    table = translate_table()
    dense = [chr(i) for i in range(max(table) + 1)]
    for code, rep in table.items():
        dense[code] = rep
    _DENSE = dense
    return dense


def fold(text: str) -> str:
    """Same-length folding: lower case, full width, Simplified, separators -> NUL."""
    global _folded_chars
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters (e.g. 'İ') grow when lowered
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    if _DENSE is not None:
        return lowered.translate(_DENSE)
    _folded_chars += len(text)
    if _folded_chars > _DENSE_AFTER:
        return lowered.translate(_dense_table())
    return lowered.translate(translate_table())


def shadow(text: str) -> tuple[str, list[int], str]:
    """Return (shadow, offsets, folded) for ``text``.

    ``folded`` has the same length as ``text``; ``shadow`` is ``folded`` without separators.
    """
    folded = fold(text)
    if SEPARATOR not in folded:
        return folded, list(range(len(text))), folded
    offsets: list[int] = []
    extend = offsets.extend
    pos = 0
    for piece in folded.split(SEPARATOR):
        if piece:
            extend(range(pos, pos + len(piece)))
        pos += len(piece) + 1
    return folded.replace(SEPARATOR, ""), offsets, folded


def alias_key(alias: str) -> tuple[str, frozenset[int]]:
    """Normalised key of an alias, and the key positions where it had a separator."""
    folded = fold(unicodedata.normalize("NFKC", alias))
    key_chars: list[str] = []
    seps: set[int] = set()
    for ch in folded:
        if ch == SEPARATOR:
            seps.add(len(key_chars))
        else:
            key_chars.append(ch)
    return "".join(key_chars), frozenset(seps)


def sentence_fingerprint_text(text: str) -> str:
    """Normalised sentence text for fingerprints: folded, separators and punctuation dropped."""
    return _NOT_ALNUM.sub("", fold(unicodedata.normalize("NFKC", text)))


_NOT_ALNUM = re.compile(r"[\W_]+")  # (\w is exactly str.isalnum plus the underscore)


def latin_or_digit(ch: str) -> bool:
    return _is_latin_or_digit(ch)


_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t\n]+(?=[\u3000-\u9fff\uff00-\uffef])")


def join_cjk(text: str) -> str:
    """Drop white space between Chinese characters and punctuation (YAML folding, templates)."""
    return _CJK_GAP.sub("", text)


_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")


def sentence_language(text: str, document_zh: bool) -> bool:
    """Whether a sentence is Chinese (True) or English: by its own characters, else its document's."""
    first = _CJK_CHAR.search(text)
    if first is not None and _CJK_CHAR.search(text, first.end()) is not None:
        return True  # two Chinese characters
    latin = 0
    for w in text.split():
        if w[:1].isascii() and w[:1].isalpha():
            latin += 1
            if latin == 3:
                return False
    return document_zh


def is_traditional(text: str) -> bool:
    """Whether the text is written in Traditional characters (two or more that Simplified writes otherwise)."""
    return len(text) - len(text.translate(_without_traditional())) >= 2


@lru_cache(maxsize=1)
def _without_traditional() -> dict[int, None]:
    """A translation table that drops the characters Simplified writes otherwise."""
    return dict.fromkeys(_t2s_table())


@lru_cache(maxsize=1)
def _s2t():
    from opencc_purepy import OpenCC

    return OpenCC("s2t")


@lru_cache(maxsize=4096)
def to_traditional(text: str) -> str:
    try:
        return _s2t().convert(text)
    except Exception:  # pragma: no cover - the dependency is declared; keep the Simplified text
        return text
