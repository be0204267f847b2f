"""A lint run over many files: discovery, (parallel) linting, policy, suppressions, baseline.

The CLI calls this; it returns plain results and never prints.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from lint_notes.findings import FileResult, Finding

_WORKER = None


@dataclass
class RunOptions:
    claims: list[Path] = field(default_factory=list)
    rules: list[Path] = field(default_factory=list)
    bundled: bool = True
    fuzzy: bool = True
    jobs: int = 1
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict = field(default_factory=dict)
    report_unused: bool = False
    cache: bool = True  # take the results of unchanged files from the cache


def _init_worker(claims, rules, bundled, fuzzy):
    global _WORKER
    from lint_notes.engine import Linter, Options
    from lint_notes.knowledge.load import load_knowledge

    _WORKER = Linter(load_knowledge(claims, rules, include_bundled=bundled), Options(fuzzy=fuzzy))


def _lint_one(path_str: str) -> FileResult:
    return _WORKER.lint_file(Path(path_str))


def _lint_keyed(path_str: str) -> tuple[str | None, FileResult]:
    """Lint one file in a worker, with the cache key of the very bytes it linted."""
    return lint_keyed(_WORKER, Path(path_str))


def lint_keyed(linter, path: Path) -> tuple[str | None, FileResult]:
    from lint_notes.engine import file_kind, unreadable
    from lint_notes.resultcache import file_key

    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, unreadable(name, exc)
    kind = file_kind(path.name)
    return file_key(data, name, kind), linter.lint_bytes(data, name, kind)


def lint_paths(linter, files: list[Path], opts: RunOptions, progress=None, cache=None) -> list[FileResult]:
    """Lint files in order; with jobs > 1, in worker processes (same output, same order).

    With a ``ResultCache``, a file whose bytes (and name) are unchanged since a run with the same
    linter takes its result from the cache; the others are linted and stored.
    """
    if cache is None:
        return _lint_all(linter, files, opts, progress, _lint_one, lambda p: linter.lint_file(p))
    from lint_notes.engine import file_kind
    from lint_notes.resultcache import file_key

    results: list[FileResult | None] = [None] * len(files)
    todo: list[int] = []
    for i, p in enumerate(files):
        try:
            data = p.read_bytes()
        except OSError:
            todo.append(i)  # reported by the lint below
            continue
        name = str(p)
        hit = cache.get(file_key(data, name, file_kind(p.name)), name)
        if hit is None:
            todo.append(i)
        else:
            results[i] = hit
            if progress:
                progress(1)
    linted = _lint_all(linter, [files[i] for i in todo], opts, progress, _lint_keyed, lambda p: lint_keyed(linter, p))
    for i, (key, result) in zip(todo, linted):
        if key is not None:
            cache.put(key, result)
        results[i] = result
    cache.prune()
    return results  # type: ignore[return-value]


def _lint_all(linter, files: list[Path], opts: RunOptions, progress, in_worker, in_process) -> list:
    jobs = max(1, opts.jobs)
    if jobs == 1 or len(files) < 2 * jobs:
        results = []
        for p in files:
            results.append(in_process(p))
            if progress:
                progress(1)
        return results
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    global _WORKER
    _WORKER = linter  # a forked worker inherits the compiled linter
    initargs = (opts.claims, opts.rules, opts.bundled, opts.fuzzy)
    kwargs = {"mp_context": ctx} if ctx else {"initializer": _init_worker, "initargs": initargs}
    results = []
    with ProcessPoolExecutor(max_workers=jobs, **kwargs) as pool:
        for r in pool.map(in_worker, [str(p) for p in files], chunksize=max(1, len(files) // (jobs * 8))):
            results.append(r)
            if progress:
                progress(1)
    return results


def unused_suppression_findings(results: list[FileResult]) -> list[Finding]:
    out = []
    for r in results:
        for d in r.unused_suppressions:
            what = ", ".join(d.ids) if d.ids else "all findings"
            out.append(Finding(
                path=r.path, line=d.line, column=1, end_line=d.end_line, end_column=1,
                rule="unused-suppression", claim="unused-suppression", verdict="unused-suppression",
                severity="warning", message=f"Unused suppression: lint-notes-{d.kind} ({what}) suppresses nothing",
                text="", correction="Remove the comment.", citations=(),
            ))
    return out


def finalize(results: list[FileResult], opts: RunOptions) -> list[Finding]:
    from lint_notes import policy

    findings = [f for r in results for f in r.findings]
    findings = policy.apply(findings, opts.select, opts.ignore, opts.severity)
    if opts.report_unused:
        findings += unused_suppression_findings(results)
    return sorted(findings, key=lambda f: f.sort_key())


@contextmanager
def tuned_gc():
    """Tune the cycle collector for a lint run (10-15% of the run time otherwise).

    The compiled knowledge base lives as long as the run, so it is moved out of the collector's
    sight (``gc.freeze``); the per-sentence objects are freed by reference counting, so the
    collector runs less often. Forked workers inherit both settings; both are undone on exit.
    """
    import gc

    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover
        return os.cpu_count() or 1


def relabel(result: FileResult, name: str) -> FileResult:
    result.path = name
    result.findings = [replace(f, path=name) for f in result.findings]
    return result
