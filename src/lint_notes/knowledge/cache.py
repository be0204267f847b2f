"""A cache of the compiled knowledge base, so that linting one small file starts fast.

The compiled linter (knowledge base, alias automaton, claim index) is pickled into the user's
cache directory, keyed by the content hash of every claim and rule file plus the lint-notes and
Python versions. Any change to those files gives a new key; a cache file that cannot be read is
ignored and rebuilt. The directory is private to the user (0700) and only lint-notes writes it.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
from contextlib import contextmanager
from pathlib import Path

from lint_notes import __version__


def cache_dir() -> Path:
    base = os.environ.get("LINT_NOTES_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "lint-notes" if not os.environ.get("LINT_NOTES_CACHE_DIR") else root


def _key(folders: list[Path], options) -> str:
    from lint_notes.knowledge.paths import yaml_files

    h = hashlib.sha256()
    h.update(f"{__version__}\0{sys.version}\0{options!r}".encode())
    package = Path(__file__).resolve().parent.parent
    for src in sorted(package.rglob("*.py")):  # the compiled objects belong to this exact code
        try:
            h.update(src.read_bytes())
        except OSError:
            pass
    for folder in folders:
        h.update(b"\1" + str(folder.resolve()).encode())
        if not folder.exists():
            continue
        for path in yaml_files(folder):
            h.update(str(path).encode() + b"\0")
            try:
                h.update(hashlib.sha256(path.read_bytes()).digest())
            except OSError:
                h.update(b"unreadable")
    return h.hexdigest()[:32]


@contextmanager
def _collector_paused(resident: bool = False):
    """Unpickling creates many objects and no garbage: the cycle collector would only slow it
    down (by 2-3 times for a large knowledge base, as every collection walks what is loaded).
    ``resident``: what was loaded stays for the rest of the process, so it is moved out of the
    collector's sight (``gc.freeze``, as a lint run does) before the collector runs again, which
    would otherwise walk all of it once more (about a tenth of linting one small file)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
        if resident:
            gc.freeze()
    finally:
        if was:
            gc.enable()


def load_linter(claim_dirs: list[Path], rule_dirs: list[Path], bundled: bool = True, options=None,
                use_cache: bool = True, resident: bool = False):
    """The compiled linter for these folders, from the cache when it is current. ``resident``: the
    linter serves the rest of the process (a command, a worker), so the cycle collector need not
    walk it (see ``_collector_paused``)."""
    from lint_notes.engine import Linter, Options
    from lint_notes.knowledge.paths import bundled_dirs

    options = options or Options()
    if not use_cache or os.environ.get("LINT_NOTES_NO_CACHE"):
        from lint_notes.knowledge.load import load_knowledge

        return Linter(load_knowledge(claim_dirs, rule_dirs, include_bundled=bundled), options)
    bc, br = bundled_dirs()
    folders = ([bc] if bundled else []) + list(claim_dirs) + [Path("--rules--")] + ([br] if bundled else []) \
        + list(rule_dirs)
    key = _key(folders, options)
    path = cache_dir() / f"kb-{key}.pickle"
    try:
        with open(path, "rb") as fh, _collector_paused(resident):
            linter = pickle.load(fh)
        if isinstance(linter, Linter):
            linter.cache_key = key
            return linter
    except Exception:  # missing, stale format, truncated: rebuild
        pass
    from lint_notes.knowledge.load import load_knowledge

    linter = Linter(load_knowledge(claim_dirs, rule_dirs, include_bundled=bundled), options)
    linter.index.warm()
    linter.cache_key = key
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        from lint_notes.safewrite import write_bytes_atomic

        write_bytes_atomic(path, pickle.dumps(linter, protocol=pickle.HIGHEST_PROTOCOL))
        os.chmod(path, 0o600)
        for old in folder.glob("kb-*.pickle"):  # keep the cache small
            if old != path and old.stat().st_mtime < path.stat().st_mtime - 7 * 86400:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home is fine: just no cache
    return linter


def clear_cache() -> tuple[Path, int, int]:
    """Delete what lint-notes cached (and nothing else in the folder).

    Returns the folder, the number of compiled knowledge bases and of cached file results removed.
    """
    import shutil

    folder = cache_dir()
    bases = results = 0
    if not folder.is_dir():
        return folder, 0, 0
    for path in folder.glob("kb-*.pickle"):
        path.unlink(missing_ok=True)
        bases += 1
    for path in folder.glob("results-*"):
        if path.is_dir() and not path.is_symlink():
            results += sum(1 for _ in path.glob("*/*.json"))
            shutil.rmtree(path, ignore_errors=True)
    return folder, bases, results
