"""Triage of findings: one at a time in a terminal, or by id from a script."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lint_notes.decisions import DecisionStore, finding_id, relative

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
        out.append(Item(finding_id(relative(f.path, store.root), f.claim, f.fingerprint), f))
    return out


def context(path: str, line: int, end_line: int) -> list[tuple[int, str, bool]]:
    try:
        from lint_notes.text.markdown import to_lf
        from lint_notes.text.read import decode

        lines = to_lf(decode(Path(path).read_bytes()).text).split("\n")
    except Exception:
        return []
    lo, hi = max(1, line - 1), min(len(lines), end_line + 1)
    return [(n, lines[n - 1], line <= n <= end_line) for n in range(lo, hi + 1)]


def describe(item: Item, index: int, total: int, claim) -> str:
    f = item.finding
    out = [f"[{index}/{total}] {f.path}:{f.line}:{f.column}  {f.severity} [{f.claim}] {f.verdict}  (id {item.id})"]
    for n, text, hit in context(f.path, f.line, f.end_line):
        out.append(f"{'>' if hit else ' '} {n:>4} | {text}")
    if claim is not None:
        out.append(f"Claim:      {claim.statement} ({claim.verdict})")
    out.append(f"Correction: {f.correction}")
    for c in f.citations:
        out.append(f"Source:     {c.title}, {c.locator} <{c.url}>")
    return "\n".join(out)


def run_interactive(found: list[Item], store: DecisionStore, reviewer: str, claims: dict, ask, say) -> dict:
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
        say(describe(item, i + 1, len(found), claims.get(item.finding.claim)))
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
        store.forget(decided.key)
        counts[decided.decision] -= 1
        say(f"Undid the decision on {prev.path}:{prev.line} [{prev.claim}].")
    else:
        counts["skipped"] -= 1
        say(f"Back to {prev.path}:{prev.line} [{prev.claim}].")
    return i
