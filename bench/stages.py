#!/usr/bin/env python3
"""Seconds per MB of each stage of linting, in-process, on the 10 MB benchmark corpus.

    python bench/stages.py            # builds bench/out/corpus-10mb first if it is missing
    python bench/stages.py --mb 1     # a smaller corpus

Every file is parsed once; then each stage is timed over all the parsed files (best of three),
with the cycle-collector settings of the lint command.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def best(fn, rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=int, default=10)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    import bench
    from lint_notes.engine import Linter
    from lint_notes.knowledge.load import load_knowledge
    from lint_notes.runner import tuned_gc
    from lint_notes.text.markdown import parse_markdown
    from lint_notes.text.segment import split_sentences

    folder = bench.build_corpus(args.mb)
    linter = Linter(load_knowledge())
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    with tuned_gc():
        docs = [parse_markdown(t) for t in texts]
        markdown = best(lambda: [parse_markdown(t) for t in texts])
        sentences = best(lambda: [split_sentences(d) for d in docs])
        scan = best(lambda: [linter.index.scan(d.masked, fuzzy=linter.options.fuzzy) for d in docs])
        lint = best(lambda: [linter.lint_parsed(d, "x.md") for d in docs])
    rows = [
        ("Markdown events and masking", markdown),
        ("sentence and clause splitting", sentences),
        ("alias scan (shadow text, automaton, boundaries, longest match, typo names)", scan),
        ("per-sentence reading and matching (the rest of linting a parsed file)", lint - sentences - scan),
        ("in all", markdown + lint),
    ]
    print(f"{mb:.2f} MB, {len(texts)} files")
    for name, seconds in rows:
        print(f"{seconds / mb:7.3f} s/MB  {name}")
    print(f"{mb / (markdown + lint):7.2f} MB/s in all")


if __name__ == "__main__":
    main()
