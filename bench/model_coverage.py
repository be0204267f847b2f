#!/usr/bin/env python3
"""How many models of the fact tables have at least N attributes (default 15).

    python bench/model_coverage.py [--min N] [-v]

Counts the attribute keys of each model across claims/models.yaml and claims/facts/models-*.yaml, the
model's own cells and its sizes' cells together, with ``released`` counted as the release date. -v lists
the models under N and the attributes they lack.
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def coverage() -> dict[str, set[str]]:
    attrs: dict[str, set[str]] = collections.defaultdict(set)
    files = [ROOT / "claims" / "models.yaml", *sorted((ROOT / "claims" / "facts").glob("models-*.yaml"))]
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, model in (data.get("models") or {}).items():
            model = model or {}
            if model.get("released"):
                attrs[name].add("release-date")
            attrs[name].update((model.get("facts") or {}).keys())
            for size in (model.get("sizes") or {}).values():
                attrs[name].update(((size or {}).get("facts") or {}).keys())
    return attrs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min", type=int, default=15)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    attrs = coverage()
    every = set().union(*attrs.values()) if attrs else set()
    full = sum(1 for a in attrs.values() if len(a) >= args.min)
    print(f"{full} of {len(attrs)} models have at least {args.min} attributes")
    if args.verbose:
        for name, a in sorted(attrs.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            if len(a) < args.min:
                print(f"  {name}: {len(a)}; lacks {', '.join(sorted(every - a))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
