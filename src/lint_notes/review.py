"""Triage of findings: one at a time in a terminal, or by id from a script."""

from __future__ import annotations

from dataclasses import dataclass

from lint_notes.decisions import DecisionStore, finding_id

CHOICES = {"a": "accepted", "f": "dismissed", "d": "disputed"}
PROMPT = "(a)ccept  (f)alse positive: dismiss  (d)ispute the claim  (s)kip  (u)ndo  (q)uit"


@dataclass
class Item:
    id: str
    finding: object


def items(findings, store: DecisionStore, include_decided: bool = False) -> list[Item]:
    out = []
    for f in findings:
        if not include_decided and store.for_finding(f) is not None:
            continue
        out.append(Item(finding_id(store.file_key(f.path), f.claim, f.fingerprint), f))
    return out


def paragraph(src, start: int, end: int) -> tuple[int, int]:
    """The lines around ``[start, end)`` up to the blank lines that bound its paragraph (at most
    six lines either side), as (lines before, lines after)."""
    lo, hi = src.line_of(start), src.line_of(max(start, end - 1))
    before = after = 0
    while before < 6 and lo - before - 1 >= 0 and src.line(lo - before - 1)[1].strip():
        before += 1
    while after < 6 and hi + after + 1 < len(src.line_starts) and src.line(hi + after + 1)[1].strip():
        after += 1
    return before, after


def describe(item: Item, index: int, total: int, claim, width: int = 100, color: bool = False) -> str:
    """A finding with its paragraph, the flagged sentence marked (``>`` in the gutter, ``^`` under
    it, and highlighted when ``color``), then the claim, the correction and the sources."""
    from lint_notes.report.frame import labelled, read_source
    from lint_notes.report.text import claim_text, where

    f = item.finding
    out = [f"[{index}/{total}] {f.path}:{f.line}:{f.column}{where(f)}  {f.severity} [{f.claim}] {f.verdict}  "
           f"(id {item.id})"]
    src = read_source(f.path) if not f.cell else None
    ok = src is not None and src.text[f.start:f.end] == f.text
    before, after = paragraph(src, f.start, f.end) if ok else (0, 0)
    mark = (lambda s: f"\033[1;4m{s}\033[0m") if color else None
    out += _paragraph_frame(src if ok else None, f, width, before, after, mark)
    if claim is not None:
        out += labelled("Claim", f"{claim_text(f, claim)} ({claim.verdict})", width, indent=0)
    out += labelled("Correction", f.correction, width, indent=0)
    for c in f.citations:
        out += labelled("Source", f"{c.title}, {c.locator} <{c.url}>", width, indent=0)
    return "\n".join(out)


def _paragraph_frame(src, f, width: int, before: int, after: int, mark) -> list[str]:
    from lint_notes.report.frame import code_frame

    if src is None:
        return code_frame(None, f.start, f.end, f.text, width, line_label=f.cell_line or f.line, mark=mark,
                          gutter_mark=True)
    return code_frame(src, f.start, f.end, f.text, width, context=(before, after), mark=mark, gutter_mark=True)


def run_interactive(found: list[Item], store: DecisionStore, reviewer: str, claims: dict, ask, say,
                    width: int = 100, color: bool = False) -> dict:
    """Ask about each item; ``ask(prompt) -> str`` and ``say(text)`` do the I/O. Returns counts."""
    history: list[int] = []
    counts = {"accepted": 0, "dismissed": 0, "disputed": 0, "skipped": 0}
    i = 0
    while True:
        if i >= len(found):
            if not history:
                break
            say("")
            say("All findings answered. (u)ndo the last answer, or press Enter to finish.")
            if (ask("> ") or "").strip().lower()[:1] != "u":
                break
            i = _undo(found, history, store, counts, say)
            continue
        item = found[i]
        say("")
        say(describe(item, i + 1, len(found), claims.get(item.finding.claim), width, color))
        say(PROMPT)
        answer = (ask("> ") or "").strip().lower()[:1]
        if answer == "q":
            break
        if answer == "u":
            if not history:
                say("Nothing to undo.")
                continue
            i = _undo(found, history, store, counts, say)
            continue
        if answer == "s":
            counts["skipped"] += 1
            history.append(i)
            i += 1
            continue
        if answer not in CHOICES:
            say("Please answer a, f, d, s, u or q.")
            continue
        decision = CHOICES[answer]
        reason = ""
        if decision != "accepted":
            reason = (ask("Reason: ") or "").strip()
            if not reason:
                say("A reason is needed to dismiss or dispute.")
                continue
        store.record(item.finding, decision, reason, reviewer)
        counts[decision] += 1
        history.append(i)
        i += 1
    return counts


def _undo(found: list[Item], history: list[int], store: DecisionStore, counts: dict, say) -> int:
    """Take back the previous answer; returns the index to ask about again."""
    i = history.pop()
    prev = found[i].finding
    decided = store.for_finding(prev)
    if decided is not None:
        store.store_for(prev.path).forget(decided.key)
        counts[decided.decision] -= 1
        say(f"Undid the decision on {prev.path}:{prev.line} [{prev.claim}].")
    else:
        counts["skipped"] -= 1
        say(f"Back to {prev.path}:{prev.line} [{prev.claim}].")
    return i
