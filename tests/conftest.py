from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from lint_notes.engine import Linter  # noqa: E402
from lint_notes.knowledge.load import load_knowledge  # noqa: E402

EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Tests never touch the user's cache of compiled knowledge bases."""
    import os

    os.environ["LINT_NOTES_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def kb():
    return load_knowledge()


@pytest.fixture(scope="session")
def linter(kb):
    return Linter(kb)


@pytest.fixture()
def run_cli():
    """Invoke the click app in-process; returns click's Result."""
    from click.testing import CliRunner

    from lint_notes.cli import main

    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


def findings_for(linter, text: str, markdown: bool = True):
    return linter.lint_text(text, "<test>", markdown=markdown).findings
