"""Thin entry point: ``python cli.py ARGS`` behaves exactly as ``lint-notes ARGS``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from lint_notes.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
