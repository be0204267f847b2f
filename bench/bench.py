#!/usr/bin/env python3
"""Benchmark lint-notes: throughput, memory, start-up, scaling with notes, knowledge base and cores.

    python bench/bench.py                 # 1, 10 and 50 MB corpora; real and x10 knowledge bases
    python bench/bench.py --sizes 1 10    # smaller run
    python bench/bench.py --profile       # also a cProfile of one 1 MB run

Corpora are built from the bundled and test notes by sampling their paragraphs into files of
about 32 KB (varied documents, not one file repeated). The x10 knowledge base adds nine synthetic
variants of every written claim: half about new synthetic entities, half about the real subjects
with synthetic values, so that candidate lookup and the alias automaton both grow. Peers, when
installed: textlint + textlint-rule-prh with a prh dictionary made from the same aliases (Node.js),
and ripgrep -F -f over the same aliases (the floor of a multi-pattern literal search).

Everything is written under bench/out/ (ignored by git); results go to bench/out/results.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SOURCES = [ROOT / "examples", ROOT / "tests" / "corpus"]
FILE_SIZE = 32 * 1024


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --- corpora -------------------------------------------------------------------------
def paragraphs() -> list[str]:
    out = []
    for folder in SOURCES:
        for p in sorted(folder.glob("*.md")):
            out += [x.strip("\n") for x in re.split(r"\n\s*\n", p.read_text(encoding="utf-8")) if x.strip()]
    return out


def build_corpus(mb: int, seed: int = 7) -> Path:
    folder = OUT / f"corpus-{mb}mb"
    if folder.exists() and (folder / ".done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(seed + mb)
    paras = paragraphs()
    total, n = 0, 0
    target = mb * 1_000_000
    while total < target:
        parts, size = [f"# 笔记 {n}"], 0
        while size < FILE_SIZE:
            p = rng.choice(paras)
            parts.append(p)
            size += len(p.encode("utf-8")) + 2
        data = ("\n\n".join(parts) + "\n").encode("utf-8")
        (folder / f"notes-{n:05d}.md").write_bytes(data)
        total += len(data)
        n += 1
    (folder / ".done").write_text(str(total))
    return folder


def corpus_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.md"))


# --- a knowledge base ten times larger ------------------------------------------------
def build_kb10() -> Path:
    """Nine synthetic variants of each written claim, with their own entities."""
    sys.path.insert(0, str(ROOT / "src"))
    import yaml

    from lint_notes.knowledge.load import load_knowledge

    folder = OUT / "kb10"
    h = hashlib.blake2b(digest_size=16)
    for f in sorted((ROOT / "claims").rglob("*.yaml")):
        h.update(f.read_bytes())
    source = h.hexdigest()  # made again when the real knowledge base changes
    done = folder / ".done"
    if done.exists() and done.read_text().split()[-1:] == [source]:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    kb = load_knowledge()
    entities, claims = {}, []
    for i in range(1, 10):
        for c in kb.hand_claims():
            m = c.match
            rename = {}
            real_subject = i % 2 == 0  # half keep the real subject: more candidates per sentence
            for eid in sorted(m.referenced_entities()):
                if real_subject and (eid in m.subject or (m.groups and eid in m.groups[0])):
                    continue
                new = f"syn{i}-{eid}".replace("/", "-")
                rename[eid] = new
                if new not in entities:
                    src = kb.entities[eid]
                    entities[new] = {"kind": src.kind, "aliases": [f"{a}·{i}号" for a in src.aliases]} \
                        if src.kind else {"aliases": [f"{a}·{i}号" for a in src.aliases]}

            def r(ids):
                return sorted(rename.get(x, x) for x in ids)

            if m.form in ("slot",):
                match = {"subject": r(m.subject), "asserts": r(m.asserts)}
                if m.contradicts:
                    match["contradicts"] = r(m.contradicts)
                if m.groups:
                    match["also"] = [r(g) for g in m.groups]
            elif m.form == "section":
                match = {"scope": "section", "all": [r(g) for g in m.groups]}
                if m.section_all:
                    match["section_all"] = [r(g) for g in m.section_all]
                if m.section_none:
                    match["section_none"] = [r(g) for g in m.section_none]
            else:
                match = {"all": [r(g) for g in m.groups]}
            if m.none:
                match["none"] = r(m.none)
            item = {
                "id": f"syn{i}-{c.id}", "topic": c.topic, "statement": c.statement, "statement_zh": c.statement_zh,
                "verdict": c.verdict, "citations": [{"title": x.title, "url": x.url, "locator": x.locator}
                                                    for x in c.citations],
                "reviewed": c.reviewed, "match": match,
                "examples": {"flag": list(c.examples_flag), "pass": list(c.examples_pass)},
            }
            if c.verdict != "true":
                item["correction"], item["correction_zh"] = c.correction, c.correction_zh
            if c.verdict == "outdated":
                item["outdated"] = {"since": c.outdated_since, "replaced_by": c.replaced_by}
            claims.append(item)
    (folder / "synthetic.yaml").write_text(
        yaml.safe_dump({"schema_version": 1, "topic": "synthetic", "entities": entities, "claims": claims},
                       allow_unicode=True, sort_keys=False), encoding="utf-8")
    (folder / ".done").write_text(f"{len(claims)} {source}")
    return folder


# --- running ---------------------------------------------------------------------------
# On Linux a child's peak RSS starts from its parent's at the fork (the kernel keeps the larger
# of the two across exec), so the benchmark, which holds knowledge bases and corpora in memory,
# would inflate every figure. Commands are therefore started by this small launcher process.
_LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def _env() -> dict:
    return dict(os.environ, LINT_NOTES_CACHE_DIR=str(OUT / "cache"))  # never the user's cache


def run(args: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (MB) and exit status of one command."""
    out = subprocess.run([sys.executable, "-S", "-c", _LAUNCHER, *args], capture_output=True, text=True,
                         env=_env(), check=True).stdout.split()
    return float(out[0]), int(out[1]) // 1024, int(out[2])


def lint_cmd(paths: list[Path], extra=(), cached: bool = False) -> list[str]:
    """The lint command; without ``cached``, every file is linted afresh (--no-cache)."""
    return [sys.executable, str(ROOT / "cli.py"), "lint", "--format", "json", "--output", os.devnull,
            "--fail-on", "never", *([] if cached else ["--no-cache"]), *extra, *map(str, paths)]


def warm_cache(extra=()) -> None:
    small = ROOT / "examples" / "correct-notes.md"
    run(lint_cmd([small], extra))


def bench_lint(folder: Path, extra=(), cached: bool = False) -> dict:
    """One lint run over a folder: wall time, throughput and peak memory."""
    wall, rss, code = run(lint_cmd([folder], extra, cached))
    if code not in (0, 3):
        raise SystemExit(f"lint-notes failed ({code}) on {folder}")
    size = corpus_bytes(folder) / 1e6
    return {"mb": round(size, 2), "seconds": round(wall, 3), "mb_per_s": round(size / wall, 2), "peak_rss_mb": rss}


def run_together(commands: list[list[str]]) -> float:
    """Wall seconds until every one of several commands, started together, has finished."""
    start = time.perf_counter()
    procs = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env()) for c in commands]
    for proc in procs:
        if proc.wait() not in (0, 3):
            raise SystemExit(f"lint-notes failed ({proc.returncode})")
    return time.perf_counter() - start


def jobs_scaling(folder: Path, rounds: int = 3) -> dict:
    """The --jobs 2 speed-up, from interleaved rounds (this machine's speed drifts by tens of
    percent over minutes, so --jobs 1 and --jobs 2 are timed back to back and the median ratio is
    reported). Each round also times two independent --jobs 1 processes, each on half of the files:
    the most two processes gain on this machine when they share nothing."""
    files = sorted(folder.glob("*.md"))
    halves = [files[: len(files) // 2], files[len(files) // 2:]]
    one, two, apart = [], [], []
    for _ in range(rounds):
        one.append(bench_lint(folder, ["--jobs", "1"])["seconds"])
        two.append(bench_lint(folder, ["--jobs", "2"])["seconds"])
        apart.append(run_together([lint_cmd(h, ["--jobs", "1"]) for h in halves]))
    ratios = [a / b for a, b in zip(one, two)]
    ceilings = [a / b for a, b in zip(one, apart)]
    return {"rounds": rounds, "jobs1_s": one, "jobs2_s": two, "two_independent_halves_s": [round(x, 3) for x in apart],
            "speedup_median": round(statistics.median(ratios), 2), "speedups": [round(x, 2) for x in ratios],
            "independent_halves_speedup_median": round(statistics.median(ceilings), 2)}


def linearity(small: Path, large: Path, first: tuple[float, float], rounds: int = 2) -> dict:
    """Time growth from the 10 MB to the 50 MB corpus, from the fastest of several interleaved runs
    (wall time only ever gains from a slow moment of the machine, never loses)."""
    a, b = [first[0]], [first[1]]
    for _ in range(rounds):
        a.append(bench_lint(small, ["--jobs", "1"])["seconds"])
        b.append(bench_lint(large, ["--jobs", "1"])["seconds"])
    return {"small_s": a, "large_s": b, "ratio_of_fastest": round(min(b) / min(a), 2),
            "small_mb_per_s_fastest": round(corpus_bytes(small) / 1e6 / min(a), 2),
            "large_mb_per_s_fastest": round(corpus_bytes(large) / 1e6 / min(b), 2)}


def single_file(extra=()) -> dict:
    small = ROOT / "examples" / "correct-notes.md"
    warm_cache(extra)
    walls = [run(lint_cmd([small], extra))[0] for _ in range(7)]
    run(lint_cmd([small], extra, cached=True))
    cached = [run(lint_cmd([small], extra, cached=True))[0] for _ in range(7)]
    return {"file": small.name, "bytes": small.stat().st_size, "median_s": round(statistics.median(walls), 3),
            "min_s": round(min(walls), 3), "result_cached_median_s": round(statistics.median(cached), 3)}


def bench_result_cache(folder: Path, label: str) -> list[dict]:
    """A repeat run over unchanged notes, and one after editing a single file (as on a commit)."""
    run(lint_cmd([folder], ["--jobs", "1"], cached=True))  # fill the result cache
    warm = bench_lint(folder, ["--jobs", "1"], cached=True)
    warm.update(corpus=label, kb="real", jobs=1, mode="unchanged, cached")
    victim = sorted(folder.glob("*.md"))[0]
    original = victim.read_bytes()
    try:
        victim.write_bytes(original + "\n\nGPT-3 采用 Post-LN 结构。\n".encode())
        one = bench_lint(folder, ["--jobs", "1"], cached=True)
    finally:
        victim.write_bytes(original)
    one.update(corpus=label, kb="real", jobs=1, mode="one file edited, cached")
    return [warm, one]


# --- peers -----------------------------------------------------------------------------
def aliases() -> list[tuple[str, list[str]]]:
    sys.path.insert(0, str(ROOT / "src"))
    from lint_notes.knowledge.load import load_knowledge

    kb = load_knowledge()
    return [(e.aliases[0], list(e.aliases)) for e in kb.entities.values()]


def peer_ripgrep(folder: Path) -> tuple[str, list[str]] | None:
    rg = shutil.which("rg")
    if not rg:
        return None
    pats = OUT / "aliases.txt"
    pats.write_text("\n".join(sorted({a for _, al in aliases() for a in al})) + "\n", encoding="utf-8")
    return "ripgrep -F -f (1 thread)", [rg, "-F", "-i", "-c", "-j", "1", "-f", str(pats), str(folder)]


def peer_textlint(folder: Path) -> tuple[str, list[str]] | None:
    node_dir = OUT / "node"
    textlint = node_dir / "node_modules" / ".bin" / "textlint"
    if not textlint.exists():
        if not shutil.which("npm"):
            return None
        node_dir.mkdir(parents=True, exist_ok=True)
        log("installing textlint and textlint-rule-prh from npm ...")
        subprocess.run(["npm", "init", "-y"], cwd=node_dir, capture_output=True)
        r = subprocess.run(["npm", "install", "--silent", "textlint", "textlint-rule-prh"], cwd=node_dir,
                           capture_output=True, timeout=600)
        if r.returncode != 0 or not textlint.exists():
            log("textlint could not be installed; skipping the peer")
            return None
    import yaml

    rules = [{"expected": canon, "patterns": sorted(set(al) - {canon})} for canon, al in aliases()
             if len(set(al) - {canon}) > 0]
    (node_dir / "prh.yml").write_text(yaml.safe_dump({"version": 1, "rules": rules}, allow_unicode=True),
                                      encoding="utf-8")
    (node_dir / ".textlintrc.json").write_text(json.dumps({"rules": {"prh": {"rulePaths": ["./prh.yml"]}}}))
    files = sorted(folder.glob("*.md"))
    return f"textlint + textlint-rule-prh ({len(rules)} rules)", [
        str(textlint), "--config", str(node_dir / ".textlintrc.json"), "--format", "json",
        "--output-file", os.devnull, *map(str, files)]


def compare_peer(folder: Path, peer: tuple[str, list[str]], rounds: int = 3) -> dict:
    """A peer and lint-notes (--jobs 1, every file linted) on the same corpus, in interleaved
    rounds; the ratio is of the fastest runs of each (noise only ever adds time)."""
    tool, cmd = peer
    ours, theirs, rss = [], [], 0
    for _ in range(rounds):
        ours.append(bench_lint(folder, ["--jobs", "1"])["seconds"])
        wall, peak, _ = run(cmd)
        theirs.append(wall)
        rss = max(rss, peak)
    size = corpus_bytes(folder) / 1e6
    return {"tool": tool, "mb": round(size, 2), "seconds": round(min(theirs), 3),
            "mb_per_s": round(size / min(theirs), 2), "peak_rss_mb": rss,
            "lint_notes_seconds": round(min(ours), 3), "rounds": rounds,
            "lint_notes_speed_ratio": round(min(theirs) / min(ours), 2)}


# --- profile ---------------------------------------------------------------------------
def profile(folder: Path) -> str:
    import cProfile
    import io
    import pstats

    sys.path.insert(0, str(ROOT / "src"))
    from lint_notes.engine import Linter
    from lint_notes.knowledge.load import load_knowledge

    linter = Linter(load_knowledge())
    files = sorted(folder.glob("*.md"))
    from lint_notes.runner import tuned_gc

    pr = cProfile.Profile()
    with tuned_gc():  # as the lint command runs
        pr.enable()
        for f in files:
            linter.lint_file(f)
        pr.disable()
    buf = io.StringIO()
    pstats.Stats(pr, stream=buf).sort_stats("tottime").print_stats(15)
    return buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 50], help="corpus sizes in MB")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    env_note = {"python": sys.version.split()[0], "cores": os.cpu_count(), "platform": sys.platform}
    results: dict = {"environment": env_note, "runs": [], "peers": []}
    corpora = {mb: build_corpus(mb) for mb in args.sizes}
    kb10 = build_kb10()
    log("warming the knowledge-base caches ...")
    warm_cache()
    warm_cache(["--claims", str(kb10)])
    for mb, folder in corpora.items():
        for kb_name, extra in (("real", []), ("x10", ["--claims", str(kb10)])):
            r = bench_lint(folder, ["--jobs", "1", *extra])
            r.update(corpus=f"{mb} MB", kb=kb_name, jobs=1)
            results["runs"].append(r)
            log(f"{mb:>3} MB  kb={kb_name:<4} jobs=1  {r['seconds']:>7.2f} s  {r['mb_per_s']:>5.2f} MB/s  "
                f"{r['peak_rss_mb']} MB")
    mid = 10 if 10 in corpora else args.sizes[-1]
    r2 = bench_lint(corpora[mid], ["--jobs", "2"])
    r2.update(corpus=f"{mid} MB", kb="real", jobs=2)
    results["runs"].append(r2)
    log(f"{mid:>3} MB  kb=real jobs=2  {r2['seconds']:>7.2f} s  {r2['mb_per_s']:>5.2f} MB/s")
    scaling = results["jobs_scaling"] = jobs_scaling(corpora[mid])
    log(f"{mid:>3} MB  --jobs 2 speed-up, median of {scaling['rounds']} interleaved rounds: "
        f"{scaling['speedup_median']} {scaling['speedups']}; two independent halves: "
        f"{scaling['independent_halves_speedup_median']}")
    for r in bench_result_cache(corpora[mid], f"{mid} MB"):
        results["runs"].append(r)
        log(f"{mid:>3} MB  kb=real jobs=1  {r['seconds']:>7.2f} s  {r['mb_per_s']:>5.2f} MB/s  ({r['mode']})")
    if 10 in corpora and 50 in corpora:
        by_size = {r["corpus"]: r["seconds"] for r in results["runs"] if r["kb"] == "real" and r["jobs"] == 1
                   and "mode" not in r}
        lin = results["linearity"] = linearity(corpora[10], corpora[50], (by_size["10 MB"], by_size["50 MB"]))
        log(f"50 MB / 10 MB, fastest of {len(lin['small_s'])} interleaved runs each: {lin['ratio_of_fastest']} "
            f"({lin['small_mb_per_s_fastest']} and {lin['large_mb_per_s_fastest']} MB/s)")
    results["single_file"] = single_file()
    if not args.no_peers:
        small = corpora[min(corpora)]
        for peer in (peer_textlint(small), peer_ripgrep(small)):
            if peer:
                results["peers"].append(compare_peer(small, peer))
                p = results["peers"][-1]
                log(f"peer {p['tool']}: {p['mb_per_s']} MB/s; lint-notes {p['lint_notes_speed_ratio']}x its speed")
    by = {(r["corpus"], r["kb"], r["jobs"]): r for r in results["runs"] if "mode" not in r}
    summary = {}
    for peer in results["peers"]:
        summary[f"speed vs {peer['tool']} (fastest of {peer['rounds']} interleaved runs each)"] = \
            peer["lint_notes_speed_ratio"]
    for mb in corpora:
        a, b = by.get((f"{mb} MB", "real", 1)), by.get((f"{mb} MB", "x10", 1))
        if a and b:
            summary[f"x10 knowledge base cost at {mb} MB (time ratio)"] = round(b["seconds"] / a["seconds"], 2)
    if 10 in corpora and 50 in corpora:
        summary["50 MB / 10 MB time ratio (this table)"] = round(by[("50 MB", "real", 1)]["seconds"]
                                                                  / by[("10 MB", "real", 1)]["seconds"], 2)
        summary["50 MB / 10 MB time ratio (fastest of interleaved runs)"] = results["linearity"]["ratio_of_fastest"]
    if (f"{mid} MB", "real", 1) in by:
        summary[f"--jobs 2 speed-up at {mid} MB (this table)"] = round(by[(f"{mid} MB", "real", 1)]["seconds"]
                                                                   / r2["seconds"], 2)
    summary[f"--jobs 2 speed-up at {mid} MB (median of interleaved rounds)"] = scaling["speedup_median"]
    summary[f"two independent processes on halves at {mid} MB (median)"] = scaling["independent_halves_speedup_median"]
    results["summary"] = summary
    if args.profile:
        results["profile"] = profile(corpora[min(corpora)])
    (OUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"{'corpus':>7} {'kb':>4} {'jobs':>4} {'seconds':>8} {'MB/s':>6} {'peak MB':>8}  mode")
    for r in results["runs"]:
        print(f"{r['corpus']:>7} {r['kb']:>4} {r['jobs']:>4} {r['seconds']:>8.2f} {r['mb_per_s']:>6.2f} "
              f"{r['peak_rss_mb']:>8}  {r.get('mode', 'every file linted')}")
    for p in results["peers"]:
        print(f"peer: {p['tool']}: {p['mb']} MB in {p['seconds']} s = {p['mb_per_s']} MB/s "
              f"(lint-notes {p['lint_notes_seconds']} s in the same rounds)")
    s = results["single_file"]
    print(f"single small file ({s['bytes']} bytes), start-up included: median {s['median_s']} s, min {s['min_s']} s; "
          f"unchanged since the last run (result cache): median {s['result_cached_median_s']} s")
    for k, v in summary.items():
        print(f"{k}: {v}")
    if args.profile:
        print(results["profile"])
    print(f"(written to {OUT / 'results.json'})")


if __name__ == "__main__":
    main()
