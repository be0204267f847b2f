"""Precision and recall of lint-notes on the independent corpus in tests/corpus/ (see its README).

    python tests/corpus_eval.py          # prints a table; used by tests/test_corpus.py

A finding counts as correct when its line holds a statement the key flags; it is a false
positive when every statement the key lists on its line is correct (lines without key items are
not scored). An item is recalled when a finding is reported on its line.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"


def evaluate(linter) -> dict:
    rows = {}
    for notes in sorted(CORPUS.glob("*.md")):
        if notes.name == "README.md":
            continue
        key_file = notes.with_name(notes.stem + ".key.yaml")
        items = yaml.safe_load(key_file.read_text(encoding="utf-8"))
        lines = notes.read_text(encoding="utf-8").split("\n")
        by_line: dict[int, list] = {}
        for it in items:
            hits = [i + 1 for i, line in enumerate(lines) if it["quote"] in line]
            by_line.setdefault(hits[0], []).append(it)
        result = linter.lint_file(notes)
        tp = fp = 0
        false_positives = []
        for f in result.findings:
            its = by_line.get(f.line)
            if not its:
                continue
            if any(i["flag"] for i in its):
                tp += 1
            else:
                fp += 1
                false_positives.append((f.line, f.claim, lines[f.line - 1][:60]))
        flagged = [(ln, it) for ln, its in by_line.items() for it in its if it["flag"]]
        found_lines = {f.line for f in result.findings}
        recalled = [it for ln, it in flagged if ln in found_lines]
        missed = [(ln, it["quote"]) for ln, it in flagged if ln not in found_lines]
        rows[notes.name] = {"findings_scored": tp + fp, "true_positive": tp, "false_positive": fp,
                            "flagged_items": len(flagged), "recalled": len(recalled),
                            "false_positives": false_positives, "missed": missed}
    tp = sum(r["true_positive"] for r in rows.values())
    fp = sum(r["false_positive"] for r in rows.values())
    n = sum(r["flagged_items"] for r in rows.values())
    rec = sum(r["recalled"] for r in rows.values())
    return {"files": rows, "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": rec / n if n else 0.0,
            "true_positive": tp, "false_positive": fp, "flagged_items": n, "recalled": rec}


def main() -> None:
    sys.path.insert(0, str(HERE.parent / "src"))
    from lint_notes.engine import Linter
    from lint_notes.knowledge.load import load_knowledge

    res = evaluate(Linter(load_knowledge()))
    print(f"{'file':<24} {'findings':>8} {'TP':>4} {'FP':>4} {'items':>6} {'recalled':>8}")
    for name, r in res["files"].items():
        print(f"{name:<24} {r['findings_scored']:>8} {r['true_positive']:>4} {r['false_positive']:>4} "
              f"{r['flagged_items']:>6} {r['recalled']:>8}")
    print(f"precision {res['precision']:.3f} ({res['true_positive']}/{res['true_positive'] + res['false_positive']}), "
          f"recall {res['recall']:.3f} ({res['recalled']}/{res['flagged_items']})")
    if "-v" in sys.argv:
        for name, r in res["files"].items():
            for fp in r["false_positives"]:
                print("FP", name, fp)
            for m in r["missed"]:
                print("MISS", name, m)


if __name__ == "__main__":
    main()
