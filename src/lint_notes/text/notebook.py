"""Jupyter notebooks: the Markdown cells are linted; findings carry the cell and its line.

A finding's ``line`` is the line of the .ipynb file that holds that source line where the
notebook is stored one source line per JSON line (as Jupyter writes it), so that annotations
land on the right line; ``cell`` and ``cell_line`` say where it is in the notebook.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

from lint_notes.findings import FileResult


class NotebookError(Exception):
    pass


def _source_lines(raw: str) -> list[int]:
    """1-based file line of each cell's "source" key, in order."""
    return [raw.count("\n", 0, m.start()) + 1 for m in re.finditer(r'"source"\s*:', raw)]


def lint_notebook(linter, raw: str, name: str) -> FileResult:
    try:
        nb = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"not a valid notebook (JSON error at line {exc.lineno})") from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        raise NotebookError("not a Jupyter notebook (no 'cells' list)")
    result = FileResult(name)
    source_at = _source_lines(raw)
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
            continue
        src = cell.get("source", "")
        listed = isinstance(src, list)
        text = "".join(src) if listed else str(src)
        sub = linter.lint_text(text, name, markdown=True)
        result.statements += sub.statements
        result.verified += sub.verified
        result.suppressed += sub.suppressed
        base = source_at[index] if index < len(source_at) else 0
        one_per_line = listed and base and raw.count("\n") > len(cells)
        result.suppression_ids += [(base + line if one_per_line else base or 1, name)
                                   for line, name in sub.suppression_ids]
        for f in sub.findings:
            if listed and base and raw.count("\n") > len(cells):
                line = base + f.line  # one source line per JSON line, after "source": [
                end = base + f.end_line
            else:
                line = end = base or 1
            result.findings.append(replace(f, line=line, end_line=end, cell=index + 1, cell_line=f.line))
    return result
