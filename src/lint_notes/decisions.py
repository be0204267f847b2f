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
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(path.name + ".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
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
