#!/usr/bin/env python3
"""Sanity-check the corpus answer keys (quotes unique, lengths, verdict/flag consistency)."""
import re, sys, pathlib, yaml

HERE = pathlib.Path(__file__).resolve().parent
VERDICTS = {"true", "false", "outdated", "misleading", "contested", "incomplete"}
MISC = "quoted as a misconception"


def count_sentences(text):
    n, in_code = 0, False
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("```"):
            in_code = not in_code
            continue
        if in_code or not s or s.startswith("#") or s.startswith(">") or s.startswith("|---") or s == "---":
            continue
        if s.startswith("|"):
            n += 1  # one table row = one statement
            continue
        parts = [p for p in re.split(r"(?<=[。！？])|(?<=[.?!])\s+(?=[A-Z\"“])", s) if p and p.strip()]
        n += max(1, len(parts))
    return n


ok = True
for key in sorted(HERE.glob("*.key.yaml")):
    notes = HERE / key.name.replace(".key.yaml", ".md")
    text = notes.read_text(encoding="utf-8")
    items = yaml.safe_load(key.read_text(encoding="utf-8"))
    seen = set()
    for it in items:
        q, v, f, w = it["quote"], str(it["verdict"]), it["flag"], it["why"]
        errs = []
        if not (8 <= len(q) <= 80): errs.append(f"length {len(q)}")
        if "\n" in q: errs.append("multi-line")
        c = text.count(q)
        if c != 1: errs.append(f"occurs {c} times")
        if v not in VERDICTS: errs.append(f"bad verdict {v}")
        expect = (v != "true")
        if w == MISC: expect = False
        if f is not expect: errs.append(f"flag {f} inconsistent with verdict {v}")
        if q in seen: errs.append("duplicate item")
        seen.add(q)
        if errs:
            ok = False
            print(f"{key.name}: {q!r}: {', '.join(errs)}")
    # overlapping quotes (one quote inside another) would make items ambiguous
    qs = [it["quote"] for it in items]
    for a in qs:
        for b in qs:
            if a != b and a in b:
                ok = False
                print(f"{key.name}: quote {a!r} is inside {b!r}")
    nf = sum(1 for it in items if it["flag"])
    nm = sum(1 for it in items if it["why"] == MISC)
    print(f"{notes.name}: ~{count_sentences(text)} sentences, {len(items)} items "
          f"(flag true {nf}, flag false {len(items) - nf}, of which {nm} misconception quotes)")
sys.exit(0 if ok else 1)
