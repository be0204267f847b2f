"""Where the knowledge files are (no YAML parsing here, so that a cached start stays light)."""

from __future__ import annotations

from pathlib import Path


def bundled_dirs() -> tuple[Path, Path]:
    """The claims/ and rules/ folders shipped with the package (wheel) or the source tree."""
    here = Path(__file__).resolve().parent.parent
    data = here / "_data"
    if (data / "claims").is_dir():
        return data / "claims", data / "rules"
    root = here.parent.parent  # src/lint_notes -> repository root
    return root / "claims", root / "rules"


def yaml_files(folder: Path) -> list[Path]:
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
