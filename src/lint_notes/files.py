"""Which files to lint: paths and folders -> note files, and the paths that must be skipped.

Folders are walked recursively for Markdown, text and notebook files; hidden folders and files
ignored by .gitignore are skipped. Anything that cannot be linted (missing, not a regular
file, a broken link or a link loop, permission denied, too large) is reported once with the
reason, never raised.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from lint_notes.engine import LINTABLE_SUFFIXES


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass
class Selection:
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    max_file_size: int = 10 * 1024 * 1024
    root: Path | None = None  # patterns are matched against paths relative to this folder


def _rel(path: Path, root: Path | None) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix() if root else path.as_posix()
    except ValueError:
        return path.as_posix()


def _matches(rel: str, patterns) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch(rel, p) or fnmatch(name, p) or fnmatch(rel, p.rstrip("/") + "/*") for p in patterns)


def discover(paths: list[Path], sel: Selection | None = None) -> tuple[list[Path], list[Skipped]]:
    sel = sel or Selection()
    found: list[Path] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()

    def add(p: Path, explicit: bool) -> None:
        key = os.path.normpath(str(p))
        if key in seen:
            return
        seen.add(key)
        reason = check_file(p, sel.max_file_size)
        if reason:
            skipped.append(Skipped(str(p), reason))
            return
        rel = _rel(p, sel.root)
        if not explicit and sel.include and not _matches(rel, sel.include):
            return
        if sel.exclude and _matches(rel, sel.exclude):
            return
        found.append(p)

    for p in paths:
        try:
            st = p.lstat()
        except FileNotFoundError:
            skipped.append(Skipped(str(p), "no such file or directory"))
            continue
        except OSError as exc:
            skipped.append(Skipped(str(p), f"cannot access: {exc.strerror or exc}"))
            continue
        if stat.S_ISLNK(st.st_mode) and not p.exists():
            skipped.append(Skipped(str(p), _link_problem(p)))
            continue
        if p.is_dir():
            for child, why in _walk(p, sel, set()):
                if why:
                    skipped.append(Skipped(str(child), why))
                else:
                    add(child, explicit=False)
        else:
            add(p, explicit=True)
    return found, skipped


def _link_problem(p: Path) -> str:
    """Why a symbolic link leads nowhere: a loop, or a missing target."""
    try:
        os.stat(p)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
    return "broken symbolic link"


def check_file(p: Path, max_size: int) -> str | None:
    """Why a path cannot be linted as a file, or None."""
    try:
        st = p.stat()
    except FileNotFoundError:
        return "broken symbolic link" if p.is_symlink() else "no such file"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        return f"cannot access: {exc.strerror or exc}"
    if stat.S_ISDIR(st.st_mode):
        return "is a directory"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (device, socket or pipe)"
    if max_size and st.st_size > max_size:
        return f"larger than the size limit ({st.st_size} > {max_size} bytes; see max-file-size)"
    if not os.access(p, os.R_OK):
        return "permission denied"
    return None


def _gitignore(folder: Path):
    f = folder / ".gitignore"
    if not f.is_file():
        return None
    try:
        import pathspec

        lines = f.read_text(encoding="utf-8", errors="replace").splitlines()
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except Exception:  # a broken .gitignore never stops linting
        return None


def _walk(folder: Path, sel: Selection, visiting: set[str], specs=()):
    try:
        real = str(folder.resolve())
    except (OSError, RuntimeError):
        yield folder, "symbolic link loop"
        return
    if real in visiting:
        yield folder, "symbolic link loop"
        return
    visiting = visiting | {real}
    if sel.respect_gitignore:
        spec = _gitignore(folder)
        if spec is not None:
            specs = (*specs, (folder, spec))
    try:
        children = sorted(folder.iterdir(), key=lambda c: c.name)
    except PermissionError:
        yield folder, "permission denied"
        return
    except OSError as exc:
        yield folder, f"cannot read folder: {exc.strerror or exc}"
        return
    for child in children:
        if child.name.startswith("."):
            continue
        if _ignored(child, specs):
            continue
        try:
            is_dir = child.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(child, sel, visiting, specs)
        elif child.suffix.lower() in LINTABLE_SUFFIXES:
            yield child, None


def _ignored(path: Path, specs) -> bool:
    for base, spec in specs:
        try:
            rel = path.relative_to(base).as_posix()
        except ValueError:
            continue
        if path.is_dir():
            rel += "/"
        if spec.match_file(rel):
            return True
    return False
