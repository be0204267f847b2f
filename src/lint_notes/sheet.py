"""A corrected study sheet: the notes with every flagged statement corrected and cited.

Only the flagged sentences change; every other byte (code, links, tables, front matter, line
endings, encoding) is kept. Text the sheet adds is wrapped in ``<span class="lint-notes-...">``
and footnotes ``[^lint-notes-N]``, which lint-notes never reads as the author's, so a sheet linted
again has no finding for what it corrected, and running ``sheet`` on a sheet changes nothing.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from dataclasses import dataclass

from lint_notes.text.markdown import parse_markdown, parse_plain, to_lf
from lint_notes.text.read import decode

FOOTNOTE = re.compile(r"^\[\^lint-notes-(\d+)\]: \*\*([a-z-]+)\*\*", re.M)
HEADER = re.compile(r'<span class="lint-notes-sheet">.*?</span>')


@dataclass
class SheetResult:
    data: bytes  # the sheet, encoded like the original
    text: str  # the sheet as text (original line endings)
    corrected: Counter
    changed: bool
    language: str


def _eol(text: str) -> str:
    return "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"


def _lf_to_orig(orig: str):
    """Map an offset in the LF-normalised text to an offset in the original text."""
    removed = [i for i, ch in enumerate(orig) if ch == "\r" and orig[i + 1:i + 2] == "\n"]
    if not removed:
        return lambda k: k
    from bisect import bisect_right

    lf_positions = [r - n for n, r in enumerate(removed)]  # LF offset at which a \r was dropped

    def mapping(k: int) -> int:
        return k + bisect_right(lf_positions, k - 1) if k else 0

    return mapping


def _inline(text: str) -> str:
    """One line, no table pipes (corrections arrive with Chinese line breaks already joined)."""
    return " ".join(text.replace("|", "\\|").split())


def _cite(claim) -> str:
    parts = [f"[{c.title}]({c.url}), {c.locator}" for c in claim.citations]
    return "; ".join(parts)


def build_sheet(linter, data: bytes, name: str, kind: str = "markdown", style: str = "strike",
                mark_verified: bool = False, dismissed=None, kb_version: str = "",
                today: str | None = None) -> SheetResult:
    """Correct one note. ``dismissed(finding) -> bool`` drops findings a reviewer dismissed."""
    decoded = decode(data)
    orig = decoded.text
    lf = to_lf(orig)
    doc = parse_markdown(lf) if kind != "text" else parse_plain(lf)
    result = linter.lint_parsed(doc, name, markdown=kind != "text")
    zh = result.language == "zh"
    findings = [f for f in result.findings if not (dismissed and dismissed(f))]
    eol = _eol(orig)
    to_orig = _lf_to_orig(orig)
    existing = {int(n): v for n, v in FOOTNOTE.findall(lf)}
    next_no = max(existing, default=0) + 1
    groups: dict[tuple[int, int], list] = {}
    for f in findings:
        groups.setdefault((f.start, f.end), []).append(f)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in LF offsets
    notes: list[str] = []
    counts: Counter = Counter()
    for (start, end), group in sorted(groups.items()):
        refs = []
        texts = []
        for f in sorted(group, key=lambda f: f.claim):
            claim = linter.kb.claims.get(f.claim)
            if claim is None:
                continue
            n = next_no
            next_no += 1
            refs.append(f"[^lint-notes-{n}]")
            correction = f.correction or claim.statement
            texts.append(_inline(correction))
            # the correction itself is in the text; the footnote says what and where from
            label = "出处" if zh else "Sources"
            notes.append(f"[^lint-notes-{n}]: **{f.verdict}** · `{claim.id}` · {label}: {_cite(claim)}")
            counts[f.verdict] += 1
        if not refs:
            continue
        while start > 0 and lf[start - 1] == "\\":  # keep a Markdown escape with what it escapes
            start -= 1
        sentence = lf[start:end]
        block = _block_kind(doc, start)
        mark = "✎ 更正：" if zh else "✎ Correction: "
        if block == "heading":
            # a heading stays as it is; the note goes below it, and the heading line says that the
            # finding was handled, so the sheet linted again (or re-run) does not repeat it
            line_end = lf.find("\n", end)
            line_end = len(lf) if line_end == -1 else line_end
            prefix = "补充：" if zh else "Note: "
            ids = " ".join(sorted({f.claim for f in group}))
            edits.append((line_end, line_end,
                          f" <!-- lint-notes-disable-line {ids} -- corrected below by the study sheet -->"
                          f"\n\n> <span class=\"lint-notes-correction\">✎ {prefix}{' '.join(texts)}</span>"
                          f"{''.join(refs)}\n"))
        elif style == "replace":
            edits.append((start, end, f'<span class="lint-notes-correction">{" ".join(texts)}</span>{"".join(refs)}'))
        else:
            struck = f'<del class="lint-notes-struck">{sentence}</del>'
            edits.append((start, end, f'{struck} <span class="lint-notes-correction">{mark}'
                                      f'{" ".join(texts)}</span>{"".join(refs)}'))
    if mark_verified:
        for start, end, _cid in result.verified_spans:
            if any(a < end and start < b for a, b, _ in edits):
                continue
            if lf[end:end + 40].startswith(' <span class="lint-notes-verified">'):
                continue
            edits.append((end, end, ' <span class="lint-notes-verified">✓</span>'))
    if not edits:
        return SheetResult(data, orig, Counter(), False, result.language)
    out = orig
    for start, end, repl in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        out = out[:to_orig(start)] + repl.replace("\n", eol) + out[to_orig(end):]
    total = Counter(existing.values()) + counts
    out = _with_header(out, total, eol, zh, kb_version, today, style)
    if notes:
        tail = "" if out.endswith(eol) else eol
        out = out + tail + eol + eol.join(notes) + eol
    encoded = decoded.bom + out.encode(_codec(decoded.encoding), errors="xmlcharrefreplace")
    return SheetResult(encoded, out, counts, True, result.language)


def _codec(encoding: str) -> str:
    return {"utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be"}.get(encoding, encoding)


def _block_kind(doc, offset: int) -> str:
    for b in doc.blocks:
        if b.start <= offset < b.end:
            return b.kind
    return "paragraph"


def _with_header(text: str, counts: Counter, eol: str, zh: bool, kb_version: str, today: str | None,
                 style: str = "strike") -> str:
    today = today or _dt.date.today().isoformat()
    verdicts = ", ".join(f"{n} {v}" for v, n in sorted(counts.items()))
    total = sum(counts.values())
    if zh:
        how = "原文以删除线保留，其后是更正" if style != "replace" else "错误的原文已替换为更正"
        body = (f"lint-notes 校订版：共更正 {total} 处（{verdicts}），{today}，知识库版本 {kb_version}。"
                f"{how}，出处见脚注。")
    else:
        how = ("Original wording is struck through and followed by the correction" if style != "replace"
               else "Wrong statements are replaced by their corrections")
        body = (f"lint-notes study sheet: {total} statements corrected ({verdicts}) on {today}, "
                f"knowledge base {kb_version}. {how}; sources are in the footnotes.")
    line = f'> <span class="lint-notes-sheet">{body}</span>'
    if HEADER.search(text):
        return HEADER.sub(lambda m: line[2:], text, count=1)
    fm = re.match(r"---\r?\n.*?\r?\n(?:---|\.\.\.)\r?\n", text, re.S)
    at = fm.end() if fm else 0
    return text[:at] + line + eol + eol + text[at:]
