"""Configuration: ``.lint-notes.yaml`` or ``[tool.lint-notes]`` in ``pyproject.toml``.

Found by walking up from the current directory (``--config FILE`` overrides, ``--no-config``
turns it off). Unknown keys are errors naming the key and the file. Folders a config names
(claims, rules, baseline, decisions) must lie inside the config's own directory: a cloned notes
repository cannot point lint-notes at files elsewhere on the machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lint_notes.errors import KnowledgeError, Problem
from lint_notes.knowledge.model import SEVERITIES

CONFIG_NAMES = (".lint-notes.yaml", ".lint-notes.yml")
FAIL_LEVELS = ("error", "warning", "info", "never")
KEYS = {
    "claims": "extra claims folders (list)",
    "rules": "extra rules folders (list)",
    "include": "glob patterns of files to lint (list)",
    "exclude": "glob patterns of files to skip (list)",
    "select": "only report these claim ids, topics or rules (list of glob patterns)",
    "ignore": "never report these claim ids, topics or rules (list of glob patterns)",
    "severity": "mapping of claim id, topic or rule -> error | warning | info | off",
    "fail-on": "error | warning | info | never",
    "max-review-age": "months after which `claims check` reports a claim as stale",
    "max-file-size": "files larger than this many bytes are skipped",
    "baseline": "baseline file to apply by default",
    "decisions": "review decisions file",
    "respect-gitignore": "skip files ignored by .gitignore (true/false)",
    "output-format": "layout of the text format: full | concise | grouped",
}
OUTPUT_FORMATS = ("full", "concise", "grouped")


@dataclass
class Config:
    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    claims: list[Path] = field(default_factory=list)
    rules: list[Path] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str = "error"
    max_review_age: int = 12
    max_file_size: int = 10 * 1024 * 1024
    baseline: Path | None = None
    decisions: Path | None = None
    respect_gitignore: bool = True
    output_format: str = "full"
    key_lines: dict[str, int] = field(default_factory=dict)  # option -> line in the file, for messages


def find_config(start: Path) -> Path | None:
    start = start.resolve()
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _pyproject_section(pyproject) is not None:
            return pyproject
    return None


def _pyproject_section(path: Path):
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return data.get("tool", {}).get("lint-notes")


def load_config(explicit: Path | None = None, use_config: bool = True, cwd: Path | None = None) -> Config:
    cwd = cwd or Path.cwd()
    if not use_config:
        return Config(root=cwd)
    path = explicit if explicit is not None else find_config(cwd)
    if path is None:
        return Config(root=cwd)
    if not path.is_file():
        raise KnowledgeError([Problem(str(path), 0, "config file not found")])
    return _read(path, explicitly_given=explicit is not None)


def _read(path: Path, explicitly_given: bool) -> Config:
    problems: list[Problem] = []
    lines: dict[str, int] = {}
    if path.name == "pyproject.toml":
        import tomllib

        try:
            text = path.read_text(encoding="utf-8")
            raw = tomllib.loads(text).get("tool", {}).get("lint-notes")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise KnowledgeError([Problem(str(path), 0, f"invalid TOML: {exc}")]) from None
        if raw is None:
            raise KnowledgeError([Problem(str(path), 0, "no [tool.lint-notes] section")])
        for i, line in enumerate(text.splitlines(), 1):
            key = line.split("=", 1)[0].strip().strip('"')
            if key in KEYS or (key and "=" in line):
                lines.setdefault(key, i)
    else:
        from lint_notes.knowledge.yamlload import YamlFileError, load_yaml_file

        try:
            raw = load_yaml_file(path)
        except YamlFileError as exc:
            raise KnowledgeError(exc.problems) from None
        if raw is None:
            raw = {}
        if hasattr(raw, "key_lines"):
            lines = dict(raw.key_lines)
    if not isinstance(raw, dict):
        raise KnowledgeError([Problem(str(path), 1, "the configuration must be a mapping of option: value")])
    root = path.parent.resolve()
    cfg = Config(path=path, root=root, key_lines=dict(lines))

    def err(key: str, message: str) -> None:
        problems.append(Problem(str(path), lines.get(key, 0), message))

    def str_list(key: str) -> list[str]:
        value = raw.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            err(key, f"'{key}' must be a list of text")
            return []
        return list(value)

    def inside(key: str, value: str) -> Path | None:
        p = Path(value)
        resolved = (root / p).resolve()
        if p.is_absolute() or (root != resolved and root not in resolved.parents):
            err(key, f"'{key}': {value!r} is outside the configuration's folder {root}; "
                     "give such folders on the command line instead")
            return None
        return resolved

    for key in raw:
        if key not in KEYS:
            close = [k for k in KEYS if k.replace("-", "_") == str(key).replace("-", "_")]
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(sorted(KEYS))})"
            err(key, f"unknown option {key!r}{hint}")
    for key in ("claims", "rules"):
        for value in str_list(key):
            p = inside(key, value)
            if p is not None:
                getattr(cfg, key).append(p)
    cfg.include = str_list("include")
    cfg.exclude = str_list("exclude")
    cfg.select = str_list("select")
    cfg.ignore = str_list("ignore")
    sev = raw.get("severity")
    if sev is not None:
        if not isinstance(sev, dict):
            err("severity", "'severity' must be a mapping of claim/topic/rule -> severity")
        else:
            for k, v in sev.items():
                if v not in (*SEVERITIES, "off"):
                    err("severity", f"severity for {k!r} must be one of {', '.join(SEVERITIES)}, off (got {v!r})")
                else:
                    cfg.severity[str(k)] = v
    if "fail-on" in raw:
        if raw["fail-on"] not in FAIL_LEVELS:
            err("fail-on", f"'fail-on' must be one of {', '.join(FAIL_LEVELS)} (got {raw['fail-on']!r})")
        else:
            cfg.fail_on = raw["fail-on"]
    for key, attr in (("max-review-age", "max_review_age"), ("max-file-size", "max_file_size")):
        if key in raw:
            value = raw[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                err(key, f"'{key}' must be a whole number >= 0 (got {value!r})")
            else:
                setattr(cfg, attr, value)
    for key in ("baseline", "decisions"):
        if key in raw:
            if not isinstance(raw[key], str):
                err(key, f"'{key}' must be a path")
            else:
                setattr(cfg, key, inside(key, raw[key]))
    if "output-format" in raw:
        if raw["output-format"] not in OUTPUT_FORMATS:
            err("output-format", f"'output-format' must be one of {', '.join(OUTPUT_FORMATS)} "
                                 f"(got {raw['output-format']!r})")
        else:
            cfg.output_format = raw["output-format"]
    if "respect-gitignore" in raw:
        value = raw["respect-gitignore"]
        if value in (True, "true"):
            cfg.respect_gitignore = True
        elif value in (False, "false"):
            cfg.respect_gitignore = False
        else:
            err("respect-gitignore", "'respect-gitignore' must be true or false")
    if problems:
        raise KnowledgeError(problems)
    del explicitly_given
    return cfg
