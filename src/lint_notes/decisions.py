"""Review decisions kept in the notes repository (``.lint-notes/decisions.yaml``).

A decision is keyed by the file (relative to the repository root), the claim id and the
fingerprint of the normalised sentence, so it survives edits elsewhere in the file. Writes are
atomic and made under a lock after re-reading the file, so concurrent reviews merge instead of
losing each other's decisions.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from lint_notes.errors import KnowledgeError, Problem

DECISIONS = ("accepted", "dismissed", "disputed")
DEFAULT_PATH = Path(".lint-notes") / "decisions.yaml"
HEADER = "# lint-notes review decisions: commit this file. Edit with `lint-notes review`.\n"


@dataclass
class Decision:
    claim: str
    file: str
    sentence: str
    fingerprint: str
    decision: str
    reason: str = ""
    reviewer: str = ""
    date: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.file, self.claim, self.fingerprint)


def finding_id(file: str, claim: str, fingerprint: str) -> str:
    """A short, stable id for a finding, used by ``review --decide``."""
    return hashlib.sha256(f"{file}\0{claim}\0{fingerprint}".encode()).hexdigest()[:10]


def repo_root(start: Path) -> Path:
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists() or (folder / ".lint-notes.yaml").exists():
            return folder
    return start


def relative(path: str, root: Path) -> str:
    p = Path(path)
    try:
        return p.resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return p.as_posix()


class DecisionStore:
    def __init__(self, path: Path, root: Path):
        self.path = Path(path)
        self.root = root
        self.decisions: dict[tuple[str, str, str], Decision] = {}
        self.reload()

    def reload(self) -> None:
        self.decisions = {d.key: d for d in read(self.path)}

    def store_for(self, path: str) -> DecisionStore:
        return self

    def file_key(self, path: str) -> str:
        """How a note is named in this store: its path relative to the repository root."""
        return relative(path, self.root)

    def get(self, file: str, claim: str, fingerprint: str) -> Decision | None:
        return self.decisions.get((relative(file, self.root), claim, fingerprint))

    def for_finding(self, f) -> Decision | None:
        return self.get(f.path, f.claim, f.fingerprint)

    def record(self, f, decision: str, reason: str, reviewer: str, today: str | None = None) -> Decision:
        if decision not in DECISIONS:
            raise ValueError(decision)
        d = Decision(f.claim, relative(f.path, self.root), f.text, f.fingerprint, decision, reason, reviewer,
                     today or _dt.date.today().isoformat())
        self._update(lambda current: current.__setitem__(d.key, d))
        return d

    def forget(self, key: tuple[str, str, str]) -> None:
        self._update(lambda current: current.pop(key, None))

    def _update(self, change) -> None:
        with _locked(self.path):
            current = {d.key: d for d in read(self.path)}  # merge with what others wrote meanwhile
            change(current)
            write(self.path, list(current.values()))
            self.decisions = current


class DecisionSet:
    """The decisions of notes from one or more repositories: each note's decisions are those of the
    repository it lies in (found from the note, not from the current folder), unless one decisions
    file is given for all (``fixed``)."""

    def __init__(self, fixed: DecisionStore | None = None, default_root: Path | None = None,
                 config_root: Path | None = None):
        self.fixed = fixed
        self.default_root = (default_root or Path.cwd()).resolve()
        self.config_root = config_root.resolve() if config_root is not None else None
        self.stores: dict[Path, DecisionStore] = {}
        self._roots: dict[str, Path] = {}  # folder as written -> its repository root

    def root_for(self, path: str) -> Path:
        folder = os.path.dirname(path) or "."
        root = self._roots.get(folder)
        if root is None:
            root = self._roots[folder] = self._find_root(Path(folder))
        return root

    def _find_root(self, folder: Path) -> Path:
        if str(folder).startswith("<") or not folder.is_dir():
            return self.default_root
        folder = folder.resolve()
        if self.config_root is not None and (folder == self.config_root or self.config_root in folder.parents):
            return self.config_root
        return repo_root(folder)

    def store_for(self, path: str) -> DecisionStore:
        if self.fixed is not None:
            return self.fixed
        root = self.root_for(path)
        store = self.stores.get(root)
        if store is None:
            store = self.stores[root] = DecisionStore(root / DEFAULT_PATH, root)
        return store

    def for_finding(self, f) -> Decision | None:
        return self.store_for(f.path).for_finding(f)

    def file_key(self, path: str) -> str:
        return self.store_for(path).file_key(path)

    def record(self, f, decision: str, reason: str, reviewer: str, today: str | None = None) -> Decision:
        return self.store_for(f.path).record(f, decision, reason, reviewer, today)

    def _all(self) -> list[DecisionStore]:
        return [self.fixed] if self.fixed is not None else list(self.stores.values())

    @property
    def decisions(self) -> dict:
        out: dict = {}
        for store in self._all():
            out.update({(str(store.root), *k): d for k, d in store.decisions.items()})
        return out

    @property
    def path(self) -> str:
        paths = [str(s.path) for s in self._all()] or [str(self.default_root / DEFAULT_PATH)]
        return ", ".join(paths)


def read(path: Path) -> list[Decision]:
    if not path.exists():
        return []
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise KnowledgeError([Problem(str(path), 0, f"cannot read the decisions file: {exc}")]) from None
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("decisions", []), list):
        raise KnowledgeError([Problem(str(path), 1, "not a lint-notes decisions file (expected 'decisions: [...]')")])
    out = []
    for i, item in enumerate(data.get("decisions") or []):
        if not isinstance(item, dict) or item.get("decision") not in DECISIONS:
            raise KnowledgeError([Problem(str(path), 0, f"decision {i + 1} is malformed (decision must be one of "
                                                        f"{', '.join(DECISIONS)})")])
        fields = {k: str(item.get(k, "") or "") for k in Decision.__dataclass_fields__}
        out.append(Decision(**fields))
    return out


def write(path: Path, decisions: list[Decision]) -> None:
    import yaml

    from lint_notes.safewrite import write_text_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    items = [asdict(d) for d in sorted(decisions, key=lambda d: (d.file, d.claim, d.fingerprint))]
    text = HEADER + yaml.safe_dump({"version": 1, "decisions": items}, allow_unicode=True, sort_keys=False,
                                   width=100)
    write_text_atomic(path, text)


@contextmanager
def _locked(path: Path):
    """Hold an exclusive lock on the decisions file's folder while it is read and rewritten.

    The folder is locked rather than a lock file beside the decisions (which would be left behind
    in the repository) or the file itself (which is replaced on every write)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - a platform that cannot open folders: no lock
        yield
        return
    try:
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - not POSIX
            pass
        yield
    finally:
        os.close(fd)


def reviewer_name(explicit: str | None) -> str:
    if explicit:
        return explicit
    import subprocess

    try:
        out = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, timeout=5)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return os.environ.get("USER", "unknown")
