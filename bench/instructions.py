#!/usr/bin/env python3
"""Instructions executed to lint a few corpus files, counted by valgrind (callgrind).

Wall-clock timings on shared machines vary by tens of percent from run to run; instruction
counts do not, so this is the measure to compare two versions of the hot path:

    python bench/instructions.py            # needs valgrind; prints e.g. "lint: 1267M instructions"

It lints the first six files of bench/out/corpus-1mb (built by bench.py if missing) and reports
the instructions of linting alone (a run that only loads the knowledge base is subtracted).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = 6


def child(lint: bool) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from lint_notes.engine import Linter
    from lint_notes.knowledge.load import load_knowledge

    linter = Linter(load_knowledge())
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "bench" / "out" / "corpus-1mb").glob("*.md"))[:FILES]]
    if lint:
        from lint_notes.runner import tuned_gc

        with tuned_gc():  # as the lint command runs
            for t in texts:
                linter.lint_text(t, "x.md")


def count(lint: bool) -> int:
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                          __file__, "--child", "lint" if lint else "load"], capture_output=True, text=True)
    m = re.search(r"Collected : (\d+)", out.stderr)
    if not m:
        raise SystemExit(out.stderr[-2000:])
    return int(m.group(1))


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2] == "lint")
        return
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed")
    sys.path.insert(0, str(ROOT / "bench"))
    import bench

    bench.build_corpus(1)
    os.environ.setdefault("LINT_NOTES_NO_CACHE", "1")
    print(f"lint: {(count(True) - count(False)) // 1_000_000}M instructions ({FILES} files of the 1 MB corpus)")


if __name__ == "__main__":
    main()
