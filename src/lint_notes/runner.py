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
_CACHE = None


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


def _init_worker(claims, rules, bundled, fuzzy, cache_root):
    """Set-up of a spawned (not forked) worker: its own linter, and the same result cache."""
    global _WORKER, _CACHE
    from lint_notes.engine import Options
    from lint_notes.knowledge.cache import load_linter

    _WORKER = load_linter(claims, rules, bundled, Options(fuzzy=fuzzy), resident=True)
    if cache_root is not None and _WORKER.cache_key:
        from lint_notes.resultcache import ResultCache

        _CACHE = ResultCache(cache_root, _WORKER.cache_key, _WORKER.kb.claims)


def _lint_one(path_str: str) -> FileResult:
    return lint_file(_WORKER, Path(path_str), _CACHE)


def lint_file(linter, path: Path, cache=None) -> FileResult:
    """Lint one file; with a ``ResultCache``, reuse the result of the same bytes (read once)."""
    if cache is None:
        return linter.lint_file(path)
    from lint_notes.engine import file_kind, unreadable
    from lint_notes.resultcache import file_key

    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return unreadable(name, exc)
    kind = file_kind(path.name)
    key = file_key(data, name, kind)
    result = cache.get(key, name)
    if result is None:
        result = linter.lint_bytes(data, name, kind)
        cache.put(key, result)
    return result


def lint_paths(linter, files: list[Path], opts: RunOptions, progress=None, cache=None) -> list[FileResult]:
    """Lint files in order; with jobs > 1, in worker processes (same output, same order).

    With a ``ResultCache``, a file whose bytes (and name) are unchanged since a run with the same
    linter takes its result from the cache; the others are linted and stored.
    """
    jobs = max(1, opts.jobs)
    if jobs == 1 or len(files) < 2 * jobs:
        results = []
        for p in files:
            results.append(lint_file(linter, p, cache))
            if progress:
                progress(1)
    else:
        results = _lint_parallel(linter, files, opts, jobs, progress, cache)
    if cache is not None:
        cache.prune()
    return results


def _lint_parallel(linter, files: list[Path], opts: RunOptions, jobs: int, progress, cache) -> list[FileResult]:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    global _WORKER, _CACHE
    _WORKER, _CACHE = linter, cache  # a forked worker inherits the compiled linter and the cache
    initargs = (opts.claims, opts.rules, opts.bundled, opts.fuzzy, cache.root if cache is not None else None)
    kwargs = {"mp_context": ctx} if ctx else {"initializer": _init_worker, "initargs": initargs}
    results = []
    try:
        with ProcessPoolExecutor(max_workers=jobs, **kwargs) as pool:
            for r in pool.map(_lint_one, [str(p) for p in files], chunksize=_chunksize(len(files), jobs)):
                results.append(r)
                if progress:
                    progress(1)
    finally:
        _CACHE = None
    return results


def _chunksize(n: int, jobs: int) -> int:
    """Files per task: small, so that no worker idles long at the end (a finding-dense file
    takes tens of milliseconds), yet more than one when there are thousands of files."""
    return max(1, min(4, n // (jobs * 64)))


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
