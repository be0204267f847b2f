"""Small typed readers over LDict/LList that record file:line problems instead of raising."""

from __future__ import annotations

import datetime as _dt
import re

from lint_notes.errors import Problem
from lint_notes.knowledge.yamlload import LDict, LList

ID_RE = re.compile(r"^[a-z0-9][a-z0-9.\-/]*$")


class Reader:
    """Collects problems for one file."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    # --- shapes ---------------------------------------------------------------
    def mapping(self, value, line: int, what: str) -> LDict | None:
        if isinstance(value, dict):
            return value  # type: ignore[return-value]
        self.error(line, f"{what} must be a mapping (key: value), not {_kind(value)}")
        return None

    def known_keys(self, data: LDict, allowed: set[str], what: str) -> None:
        for key in data:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.error(data.line_of(key), f"unknown field {key!r} in {what} (allowed: {hint})")

    def required(self, data: LDict, keys: list[str], what: str) -> bool:
        ok = True
        for key in keys:
            if key not in data or data[key] is None or data[key] == "":
                self.error(data.line, f"{what} is missing required field {key!r}")
                ok = False
        return ok

    def string(self, data: LDict, key: str, what: str, default: str = "") -> str:
        value = data.get(key, default)
        if value is None:
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()
        if not isinstance(value, str):
            self.error(data.line_of(key), f"{what}: field {key!r} must be text, not {_kind(value)}")
            return default
        return value.strip()

    def boolean(self, data: LDict, key: str, what: str, default: bool = False) -> bool:
        value = data.get(key)
        if value is None:
            return default
        if value in ("true", "false"):
            return value == "true"
        self.error(data.line_of(key), f"{what}: field {key!r} must be true or false, not {value!r}")
        return default

    def integer(self, data: LDict, key: str, what: str, minimum: int = 0) -> int:
        """A whole number (YAML int, or a string of digits), at least ``minimum``; 0 when absent."""
        value = data.get(key)
        if value is None:
            return 0
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.error(data.line_of(key), f"{what}: '{key}' must be a whole number >= {minimum}, not {value!r}")
            return 0
        return value

    def string_list(self, data: LDict, key: str, what: str, strip: bool = True) -> list[str]:
        """The text items of a list field (or one text), stripped unless ``strip`` is false (where spaces
        mean something: the cue " or " is a word, not the letters of "transformer")."""
        value = data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [value.strip() if strip else value]
        if not isinstance(value, list):
            self.error(data.line_of(key), f"{what}: field {key!r} must be a list of text, not {_kind(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                line = value.line_of(i) if isinstance(value, LList) else data.line_of(key)
                self.error(line, f"{what}: item {i + 1} of {key!r} must be non-empty text, not {_kind(item)}")
                continue
            out.append(item.strip() if strip else item)
        return out

    def identifier(self, data: LDict, key: str, what: str) -> str:
        value = self.string(data, key, what)
        if value and not ID_RE.match(value):
            self.error(
                data.line_of(key),
                f"{what}: {key} {value!r} is not a valid id (lower-case letters, digits, '-', '.', '/')",
            )
        return value

    def date(self, data: LDict, key: str, what: str) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if isinstance(value, _dt.datetime):
            return value.date().isoformat()
        if isinstance(value, _dt.date):
            return value.isoformat()
        text = str(value).strip()
        if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
            return text
        self.error(data.line_of(key), f"{what}: {key} {text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return ""


def _kind(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text {value!r}"
    return f"{type(value).__name__} {value!r}"
