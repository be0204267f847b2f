#!/usr/bin/env python3
"""Precision and recall of lint-notes on real third-party study notes (the development corpus).

The corpus is public notes pinned to commits (bench/realnotes/sources/*.yaml); it is restored
outside this repository and never committed. Labels (bench/realnotes/labels/*.yaml) point at a
file and line, carry the line's hash and say in our own words what is right there.

    python bench/realnotes.py restore GITDIR...      # write the pinned files to ~/realnotes
    python bench/realnotes.py                        # lint the corpus and score it (the default)
    python bench/realnotes.py score --repo NAME -v   # one repository; list every finding
    python bench/realnotes.py line FILE N            # the sha1 (and text) of a line, to write a label
    python bench/realnotes.py check                  # validate the labels against the corpus
    python bench/realnotes.py pin --file F OWNER/NAME GITDIR PATH...  # pin files of a new repository

Scoring. A finding is judged by the labels whose lines it covers: a label may judge a claim's
finding on its line explicitly (``findings: {claim-id: right|wrong}``); otherwise a finding on a
``flag`` label is right and one on a ``pass`` label is wrong; a finding that touches no label is
unjudged and listed (label it). Precision = right / (right + wrong) over warning and error
findings (info findings are reported apart). A flag label is found when a finding that is not
judged wrong covers it. ``kb: [claim ids]`` on a flag label says which claims cover its error, for
the recall of labels whose error has a claim. Repositories with ``purpose: fresh`` in their sources file
are a held-out sample and are scored only with ``--repo`` or ``--all``.

CI has no corpus: this is run by hand. Needs PyYAML (a dependency of lint-notes).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent / "realnotes"
ROOT = HERE.parent.parent
DEFAULT_CORPUS = Path(os.environ.get("REALNOTES_DIR", "~/realnotes")).expanduser()
LABEL_KEYS = {"id", "file", "line", "lines", "sha1", "expect", "verdict", "topic", "fact", "source", "kb",
              "findings", "why_not", "note", "audit"}
REQUIRED = ("id", "file", "sha1", "expect", "verdict", "topic", "fact", "source")
VERDICTS = {"false", "outdated", "misleading", "contested", "incomplete", "true"}


# --- corpus -------------------------------------------------------------------------------
def load_sources(only: str | None = None) -> list[dict]:
    """Every pinned source (bench/realnotes/sources/*.yaml), or those of one file."""
    out = []
    for path in sorted((HERE / "sources").glob("*.yaml")):
        if only is None or path.stem == only:
            out.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return out


def corpus_dirname(repo: str) -> str:
    return repo.replace("/", "__")


def git(gitdir: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", f"--git-dir={gitdir}", *args], capture_output=True)


def blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def inside_git_worktree(path: Path) -> bool:
    p = path.resolve()
    for parent in (p, *p.parents):
        if (parent / ".git").exists():
            return True
    return False


def cmd_restore(args) -> int:
    out = Path(args.corpus).expanduser().resolve()
    if inside_git_worktree(out):
        print(f"refusing to restore third-party notes inside a git work tree: {out}", file=sys.stderr)
        return 2
    status = 0
    used: set[str] = set()
    for src in load_sources():
        gitdir = next((g for g in args.gitdirs if git(g, "cat-file", "-e", src["commit"] + "^{commit}").returncode == 0),
                      None)
        if gitdir is None:
            print(f"{src['repo']}: not restored (fetch github:{src['repo']} and pass its git dir)")
            continue
        used.add(gitdir)
        n = 0
        for f in src.get("files", []):
            r = git(gitdir, "cat-file", "blob", f["blob"])
            if r.returncode != 0 or blob_sha(r.stdout) != f["blob"]:
                print(f"  {src['repo']}: cannot restore {f['path']}", file=sys.stderr)
                status = 1
                continue
            target = out / corpus_dirname(src["repo"]) / f["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".tmp")
            tmp.write_bytes(r.stdout)
            os.replace(tmp, target)
            n += 1
        print(f"{src['repo']}@{src['commit'][:12]}: {n}/{len(src.get('files', []))} files")
    for g in args.gitdirs:
        if g not in used:
            print(f"{g}: matches no pinned source", file=sys.stderr)
            status = 1
    return status


def cmd_pin(args) -> int:
    """Append (or extend) a source entry with the blobs of PATHs at the repository's HEAD."""
    head = args.commit or git(args.gitdir, "rev-parse", "HEAD").stdout.decode().strip()
    if any(s["repo"] == args.repo for s in load_sources()) and not any(
            s["repo"] == args.repo for s in load_sources(args.file)):
        print(f"{args.repo} is already pinned in another sources file", file=sys.stderr)
        return 2
    sources = load_sources(args.file)
    entry = next((s for s in sources if s["repo"] == args.repo), None)
    if entry is None:
        entry = {"repo": args.repo, "commit": head, "licence": args.licence or "see the repository",
                 "note": args.note or "", "purpose": args.purpose, "files": []}
        sources.append(entry)
    elif entry["commit"] != head:
        print(f"{args.repo} is pinned at {entry['commit']}, not {head}", file=sys.stderr)
        return 2
    have = {f["path"] for f in entry["files"]}
    tree = git(args.gitdir, "ls-tree", "-r", "-l", "-z", entry["commit"]).stdout.decode("utf-8", "replace").split("\0")
    blobs = {}
    for row in filter(None, tree):
        meta, path = row.split("\t", 1)
        _mode, kind, sha, size = meta.split()
        if kind == "blob" and size.isdigit():  # a snapshot may lack its largest files
            blobs[path] = (sha, int(size))
    overlap = _overlap_checker()
    if overlap is None:
        print("warning: reserved_overlap.py not found (set REALNOTES_KIT); files are pinned unchecked", file=sys.stderr)
    added = 0
    for p in args.paths:
        matches = [k for k in blobs if k == p or k.startswith(p.rstrip("/") + "/")]
        for k in sorted(matches):
            if k in have or not k.lower().endswith((".md", ".markdown", ".txt")):
                continue
            if overlap is not None:
                share = overlap(git(args.gitdir, "cat-file", "blob", blobs[k][0]).stdout)
                if share > 0.05:
                    print(f"  left out {k}: {share:.0%} of its lines repeat reserved evaluation notes")
                    continue
            entry["files"].append({"path": k, "blob": blobs[k][0], "bytes": blobs[k][1]})
            have.add(k)
            added += 1
    (HERE / "sources" / f"{args.file}.yaml").write_text(
        "# Pinned sources of the development corpus (restore: python bench/realnotes.py restore GITDIR...).\n"
        + yaml.safe_dump(sources, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    print(f"{args.repo}: {added} file(s) pinned at {entry['commit'][:12]}; run restore, then check overlap")
    return 0


def _overlap_checker():
    """share(bytes) -> fraction of lines found in the reserved evaluation notes (the kit's hashes)."""
    kits = [Path(os.environ["REALNOTES_KIT"])] if "REALNOTES_KIT" in os.environ else \
        [p / "shared" / "realnotes" for p in ROOT.parents]
    kit = next((k for k in kits if (k / "reserved_overlap.py").is_file()), None)
    if kit is None:
        return None
    import importlib.util
    import tempfile

    spec = importlib.util.spec_from_file_location("reserved_overlap", kit / "reserved_overlap.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    reserved = mod.load(str(kit / "reserved-lines.txt"))

    def share(data: bytes) -> float:
        with tempfile.NamedTemporaryFile(suffix=".md") as fh:
            fh.write(data)
            fh.flush()
            hit, total = mod.share(fh.name, reserved)
        return hit / total if total else 0.0

    return share


def corpus_files(corpus: Path, repos: set[str] | None) -> list[str]:
    keys = []
    for src in load_sources():
        name = corpus_dirname(src["repo"])
        if repos is not None and name not in repos:
            continue
        for f in src.get("files", []):
            key = f"{name}/{f['path']}"
            if (corpus / key).is_file():
                keys.append(key)
    return keys


def line_text(lines: list[str], n: int) -> str | None:
    if n < 1 or n > len(lines):
        return None
    text = lines[n - 1]
    return text[:-1] if text.endswith("\r") else text


def sha12(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


# --- labels -------------------------------------------------------------------------------
def load_labels() -> list[dict]:
    out = []
    for path in sorted((HERE / "labels").glob("*.yaml")):
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for item in items:
            item["_from"] = path.name
            out.append(item)
    return out


def validate(labels: list[dict], corpus: Path) -> tuple[list[dict], list[str]]:
    problems, good, seen = [], [], set()
    cache: dict[str, list[str] | None] = {}
    for lab in labels:
        where = f"{lab.get('_from')}: {lab.get('id', '?')}"
        unknown = set(lab) - LABEL_KEYS - {"_from"}
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        missing = [k for k in REQUIRED if k not in lab]
        if missing:
            problems.append(f"{where}: missing {missing}")
            continue
        if lab["id"] in seen:
            problems.append(f"{where}: duplicate id")
            continue
        seen.add(lab["id"])
        if lab["expect"] not in ("flag", "pass") or str(lab["verdict"]) not in VERDICTS:
            problems.append(f"{where}: expect must be flag|pass and verdict one of {sorted(VERDICTS)}")
            continue
        if (lab["expect"] == "pass") != (str(lab["verdict"]) == "true"):
            problems.append(f"{where}: a pass label has verdict true, a flag label any other verdict")
        a, b = (lab["lines"] if "lines" in lab else (lab.get("line"), lab.get("line")))
        if not isinstance(a, int) or not isinstance(b, int) or b < a:
            problems.append(f"{where}: needs line: N or lines: [a, b]")
            continue
        judged = lab.get("findings") or {}
        if not isinstance(judged, dict) or any(v not in ("right", "wrong") for v in judged.values()):
            problems.append(f"{where}: findings must map claim ids to right|wrong")
            judged = {}
        if lab["file"] not in cache:
            try:
                cache[lab["file"]] = (corpus / lab["file"]).read_bytes().decode("utf-8", "replace").split("\n")
            except OSError:
                cache[lab["file"]] = None
        lines = cache[lab["file"]]
        if lines is None:
            problems.append(f"{where}: {lab['file']} is not restored")
            continue
        text = line_text(lines, a)
        if text is None or sha12(text) != str(lab["sha1"]):
            problems.append(f"{where}: line {a} does not hash to {lab['sha1']} (file changed or wrong line)")
            continue
        good.append({**lab, "_a": a, "_b": b, "_judged": judged, "_repo": lab["file"].split("/", 1)[0]})
    return good, problems


def cmd_line(args) -> int:
    path = Path(args.file)
    if not path.is_absolute() and not path.exists():
        path = Path(args.corpus).expanduser() / args.file
    lines = path.read_bytes().decode("utf-8", "replace").split("\n")
    for n in range(args.n, (args.to or args.n) + 1):
        text = line_text(lines, n)
        if text is None:
            print(f"{n}: no such line", file=sys.stderr)
            return 2
        print(f"{n}\t{sha12(text)}\t{text[:args.width]}")
    return 0


def cmd_check(args) -> int:
    labels, problems = validate(load_labels(), Path(args.corpus).expanduser())
    for p in problems:
        print(p)
    flag = sum(1 for lab in labels if lab["expect"] == "flag")
    repos = Counter(lab["_repo"] for lab in labels)
    print(f"{len(labels)} labels usable ({flag} flag, {len(labels) - flag} pass) from {len(repos)} repositories; "
          f"{len(problems)} problem(s)")
    for r, n in sorted(repos.items()):
        print(f"  {r:<48} {n}")
    return 1 if problems else 0


# --- scoring ------------------------------------------------------------------------------
def run_lint(corpus: Path, keys: list[str], extra: list[str]) -> list[dict]:
    argv = [sys.executable, str(ROOT / "cli.py"), "lint", "--format", "json", "--no-config", "--fail-on", "never",
            "--no-cache", *extra, *[str(corpus / k) for k in keys]]
    r = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
    if r.returncode not in (0, 3):
        sys.exit(f"lint-notes failed ({r.returncode}):\n{r.stderr[-3000:]}")
    findings = json.loads(r.stdout)["findings"]
    base = str(corpus) + os.sep
    for f in findings:
        f["_key"] = f["path"][len(base):] if f["path"].startswith(base) else f["path"]
        f["_repo"] = f["_key"].split("/", 1)[0]
    return findings


def ratio(n: int, d: int) -> str:
    return f"{n / d:.3f}" if d else "n/a"


def score(findings: list[dict], labels: list[dict], keys: list[str], corpus: Path, verbose: bool, out=sys.stdout):
    by_file: dict[str, list[dict]] = defaultdict(list)
    for lab in labels:
        by_file[lab["file"]].append(lab)
    found: set[str] = set()
    tally = Counter()  # (severity class, judgement)
    per_repo = defaultdict(Counter)
    judged_findings = []
    for f in findings:
        a, b = f["line"], max(f["line"], f.get("end_line") or f["line"])
        touched = [lab for lab in by_file.get(f["_key"], ()) if a <= lab["_b"] and lab["_a"] <= b]
        explicit = [lab["_judged"][f["claim"]] for lab in touched if f["claim"] in lab["_judged"]]
        if explicit:
            judgement = "right" if "right" in explicit else "wrong"
        elif any(lab["expect"] == "flag" for lab in touched):
            judgement = "right"
        elif touched:
            judgement = "wrong"
        else:
            judgement = "unjudged"
        if judgement != "wrong":
            for lab in touched:
                if lab["expect"] == "flag" and lab["_judged"].get(f["claim"]) != "wrong":
                    found.add(lab["id"])
        cls = "info" if f["severity"] == "info" else "warn+error"
        tally[(cls, judgement)] += 1
        per_repo[f["_repo"]][(cls, judgement)] += 1
        judged_findings.append((f, judgement, touched))

    flag = [lab for lab in labels if lab["expect"] == "flag"]
    with_kb = [lab for lab in flag if lab.get("kb")]
    right, wrong = tally[("warn+error", "right")], tally[("warn+error", "wrong")]
    unjudged = tally[("warn+error", "unjudged")]
    size = {}
    for k in keys:
        size[k.split("/", 1)[0]] = size.get(k.split("/", 1)[0], 0) + (corpus / k).stat().st_size

    p = lambda *a: print(*a, file=out)  # noqa: E731
    p(f"corpus: {len(keys)} files, {sum(size.values()) / 1e6:.2f} MB; labels: {len(labels)} "
      f"({len(flag)} flag, {len(labels) - len(flag)} pass); findings: {len(findings)} "
      f"({sum(v for (c, _), v in tally.items() if c == 'warn+error')} warning/error, "
      f"{sum(v for (c, _), v in tally.items() if c == 'info')} info)")
    p("\nper repository                                  MB  findings right wrong unjudged  recall      FA/100KB")
    for repo in sorted(size):
        t = per_repo[repo]
        fl = [lab for lab in flag if lab["_repo"] == repo]
        hit = sum(lab["id"] in found for lab in fl)
        wr = t[("warn+error", "wrong")]
        p(f"  {repo:<44} {size[repo] / 1e6:5.2f} {sum(t.values()):>6} {t[('warn+error', 'right')]:>6} {wr:>5}"
          f" {t[('warn+error', 'unjudged')]:>6}   {hit:>3}/{len(fl):<4} {ratio(hit, len(fl)):>6}"
          f"  {wr / (size[repo] / 1e5):.2f}")
    p("\nper topic (flag labels found / flag labels; with a claim)")
    for topic in sorted({lab["topic"] for lab in flag}):
        fl = [lab for lab in flag if lab["topic"] == topic]
        kb = [lab for lab in fl if lab.get("kb")]
        p(f"  {topic:<26} {sum(l['id'] in found for l in fl):>3}/{len(fl):<4}"
          f"  {sum(l['id'] in found for l in kb):>3}/{len(kb):<4}")
    missed = [lab for lab in flag if lab["id"] not in found]
    p(f"\nmissed flag labels ({len(missed)}; {sum(1 for l in missed if l.get('kb'))} have a claim)")
    for lab in missed:
        kb = f"  kb={','.join(lab['kb'])}" if lab.get("kb") else ""
        p(f"  {lab['id']:<22} {lab['file']}:{lab['_a']}  [{lab['topic']}]{kb}")
    p("\nwrong findings (warning/error)")
    for f, j, touched in judged_findings:
        if j == "wrong" and f["severity"] != "info":
            p(f"  {f['_key']}:{f['line']}  {f['claim']}  ({', '.join(l['id'] for l in touched)})")
    p("\nunjudged findings (touch no label: label them)")
    for f, j, _ in judged_findings:
        if j == "unjudged":
            p(f"  {f['_key']}:{f['line']}  {f['severity']}  {f['claim']}  {f.get('confidence', '')}")
    if verbose:
        p("\nall findings")
        for f, j, _ in judged_findings:
            p(f"  {j:<8} {f['_key']}:{f['line']}  {f['severity']:<7} {f['claim']}  "
              f"{' '.join(f['text'].split())[:80]}")
    fa_sl = [(r, per_repo[r][("warn+error", "wrong")], size[r]) for r in size if "so-large-lm" in r]
    p("")
    p(f"precision={ratio(right, right + wrong)} ({right}/{right + wrong}, {unjudged} unjudged) "
      f"recall={ratio(len(found & {l['id'] for l in flag}), len(flag))} ({sum(l['id'] in found for l in flag)}/{len(flag)}) "
      f"recall_with_claim={ratio(sum(l['id'] in found for l in with_kb), len(with_kb))} "
      f"({sum(l['id'] in found for l in with_kb)}/{len(with_kb)})"
      + "".join(f" so-large-lm_FA/100KB={w / (s / 1e5):.2f}" for _, w, s in fa_sl))
    rows = sorted(f"{j}\t{f['_key']}:{f['line']}\t{f['severity']}\t{f['claim']}" for f, j, _ in judged_findings)
    return {"findings": rows,
            "precision": right / (right + wrong) if right + wrong else None, "right": right, "wrong": wrong,
            "unjudged": unjudged, "found": len(found), "flag": len(flag),
            "found_with_claim": sum(l["id"] in found for l in with_kb), "with_claim": len(with_kb)}


def cmd_score(args) -> int:
    corpus = Path(args.corpus).expanduser().resolve()
    fresh = {corpus_dirname(s["repo"]) for s in load_sources() if s.get("purpose") == "fresh"}
    if args.repo:
        repos = {r for r in (corpus_dirname(s["repo"]) for s in load_sources()) if any(x in r for x in args.repo)}
    else:
        repos = {corpus_dirname(s["repo"]) for s in load_sources()} - (set() if args.all else fresh)
    keys = corpus_files(corpus, repos)
    if not keys:
        print(f"no corpus files under {corpus}: run  python bench/realnotes.py restore GITDIR...", file=sys.stderr)
        return 2
    labels, problems = validate(load_labels(), corpus)
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)
    labels = [lab for lab in labels if lab["_repo"] in repos]
    findings = run_lint(corpus, keys, args.extra)
    result = score(findings, labels, keys, corpus, args.verbose)
    if args.against:
        before = set(json.loads(Path(args.against).read_text(encoding="utf-8"))["findings"])
        now = set(result["findings"])
        print(f"\nagainst {args.against}: {len(now - before)} new, {len(before - now)} gone")
        for row in sorted(now - before):
            print("  +", row)
        for row in sorted(before - now):
            print("  -", row)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    sub = ap.add_subparsers(dest="cmd")
    s = sub.add_parser("score")
    for parser in (ap, s):
        parser.add_argument("--repo", action="append", help="only repositories whose name contains this")
        parser.add_argument("--all", action="store_true", help="include the held-out (fresh) repositories")
        parser.add_argument("-v", "--verbose", action="store_true")
        parser.add_argument("--json", help="write the figures (and every judged finding) to this file")
        parser.add_argument("--against", help="list the findings that differ from a file written by --json")
        parser.add_argument("--extra", nargs="*", default=[], help="extra arguments for lint-notes lint")
    r = sub.add_parser("restore")
    r.add_argument("gitdirs", nargs="+")
    ln = sub.add_parser("line")
    ln.add_argument("file")
    ln.add_argument("n", type=int)
    ln.add_argument("to", type=int, nargs="?")
    ln.add_argument("--width", type=int, default=200)
    sub.add_parser("check")
    pn = sub.add_parser("pin")
    pn.add_argument("repo")
    pn.add_argument("gitdir")
    pn.add_argument("paths", nargs="+")
    pn.add_argument("--file", required=True, help="the sources file to write: bench/realnotes/sources/FILE.yaml")
    pn.add_argument("--commit")
    pn.add_argument("--licence")
    pn.add_argument("--note")
    pn.add_argument("--purpose", default="dev", choices=("dev", "fresh"))
    args = ap.parse_args(argv)
    return {"restore": cmd_restore, "line": cmd_line, "check": cmd_check, "pin": cmd_pin}.get(
        args.cmd, cmd_score)(args)


if __name__ == "__main__":
    sys.exit(main())
