"""A cache of per-file lint results, so that a run over an unchanged notes repository is quick.

A result depends only on the file's bytes, its name and kind, and the compiled linter (claims,
rules, lint-notes code and options). Entries live in a folder named after the linter's own key
(see ``knowledge.cache``), one small JSON file per entry named by a hash of the bytes, name and
kind. Any change to a claim or rule file, to lint-notes itself or to the options gives a new
folder; an entry that cannot be read is ignored. Policy (select, ignore, severity), baselines and
review decisions are applied after the cache, so changing them never needs a fresh lint.

Nothing in the cache is executed (JSON), every entry is written atomically, and one run only
reads the entries of the files it lints. Entries unused for 30 days, and folders of other
linter keys unused for 7 days, are deleted at most once a day.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import fields
from pathlib import Path

from lint_notes.findings import FileResult, Finding

FORMAT = 4  # 4: merged findings (also); 2: findings carry the reasons of their confidence; 3: statements checked
ENTRY_DAYS = 30
OTHER_KEY_DAYS = 7
_FINDING_FIELDS = tuple(f.name for f in fields(Finding) if f.name != "citations")
_DIRECTIVE_FIELDS = ("kind", "ids", "reason", "line", "end_line", "target", "used", "closes")
_DAY = 86400


def file_key(data: bytes, name: str, kind: str) -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{FORMAT}\0{name}\0{kind}\0".encode("utf-8", "surrogatepass"))
    h.update(data)
    return h.hexdigest()


class ResultCache:
    """Lint results by file key, for one compiled linter."""

    def __init__(self, root: Path, linter_key: str, claims: dict):
        self.root = root
        self.folder = root / f"results-{linter_key}"
        self.claims = claims  # claim id -> Claim: citations are rebuilt from the knowledge base

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str, name: str) -> FileResult | None:
        path = self._entry(key)
        try:
            entry = json.loads(path.read_bytes())
            result = self._decode(entry, name)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # none yet, or unreadable: lint again (and overwrite it)
        try:
            if path.stat().st_mtime < time.time() - _DAY:
                os.utime(path)  # used: keep it from being pruned
        except OSError:
            pass
        return result

    def put(self, key: str, result: FileResult) -> None:
        if result.error:
            return  # why a file was skipped may change without its bytes changing (permissions)
        from lint_notes.safewrite import write_bytes_atomic

        path = self._entry(key)
        data = json.dumps(self._encode(result), ensure_ascii=False, separators=(",", ":"))
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_bytes_atomic(path, data.encode("utf-8", "surrogatepass"), durable=False)
        except OSError:
            pass  # a read-only cache directory only costs speed

    def prune(self) -> None:
        """Delete old entries and other keys' folders, at most once a day."""
        marker = self.folder / ".pruned"
        now = time.time()
        try:
            if marker.exists() and marker.stat().st_mtime > now - _DAY:
                return
            if not self.folder.is_dir():
                return
            marker.touch()
            for sub in self.folder.iterdir():
                if sub.is_dir():
                    for entry in sub.glob("*.json"):
                        if entry.stat().st_mtime < now - ENTRY_DAYS * _DAY:
                            entry.unlink(missing_ok=True)
            for other in self.root.glob("results-*"):
                if other != self.folder and other.is_dir() and _newest(other) < now - OTHER_KEY_DAYS * _DAY:
                    shutil.rmtree(other, ignore_errors=True)
        except OSError:
            pass

    # --- (de)serialisation ------------------------------------------------------------
    def _encode(self, r: FileResult) -> dict:
        return {
            "format": FORMAT,
            "findings": [[getattr(f, n) for n in _FINDING_FIELDS] for f in r.findings],
            "statements": r.statements,
            "verified": r.verified,
            "checked": r.checked,
            "language": r.language,
            "suppressed": r.suppressed,
            "verified_spans": [list(s) for s in r.verified_spans],
            "verified_statements": r.verified_statements,
            "unused": [[getattr(d, n) for n in _DIRECTIVE_FIELDS] for d in r.unused_suppressions],
            "ids": [list(x) for x in r.suppression_ids],
        }

    def _decode(self, e: dict, name: str) -> FileResult:
        from lint_notes.suppress import Directive

        if e.get("format") != FORMAT:
            raise ValueError("another cache format")
        findings = []
        for row in e["findings"]:
            values = dict(zip(_FINDING_FIELDS, row, strict=True))
            values["path"] = name
            values["reasons"] = tuple(values.get("reasons") or ())
            values["also"] = tuple(values.get("also") or ())
            citations = tuple(dict.fromkeys(c for cid in (values["claim"], *values["also"]) if cid in self.claims
                                            for c in self.claims[cid].citations))
            findings.append(Finding(citations=citations, **values))
        unused = []
        for row in e["unused"]:
            values = dict(zip(_DIRECTIVE_FIELDS, row, strict=True))
            values["ids"] = tuple(values["ids"])
            unused.append(Directive(**values))
        return FileResult(
            path=name,
            findings=findings,
            statements=int(e["statements"]),
            verified=int(e["verified"]),
            checked=int(e.get("checked", 0)),
            language=str(e["language"]),
            suppressed=int(e["suppressed"]),
            verified_spans=[tuple(s) for s in e["verified_spans"]],
            verified_statements=list(e.get("verified_statements", [])),
            unused_suppressions=unused,
            suppression_ids=[(int(line), str(name)) for line, name in e.get("ids", [])],
        )


def _newest(folder: Path) -> float:
    marker = folder / ".pruned"
    try:
        return max(marker.stat().st_mtime if marker.exists() else 0.0, folder.stat().st_mtime)
    except OSError:
        return 0.0
