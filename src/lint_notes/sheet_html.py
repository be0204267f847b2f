"""The study sheet as one standalone HTML page: no external assets, readable on screen and in print."""

from __future__ import annotations

import html
import re

CSS = """
:root { --ink: #1d1d1f; --muted: #6e6e73; --fix: #e6f4ea; --fix-ink: #0b5c2a; --del: #9b1c1c; }
* { box-sizing: border-box; }
body { font: 16px/1.7 -apple-system, "Segoe UI", "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
       color: var(--ink); max-width: 52rem; margin: 2rem auto; padding: 0 1.2rem; }
header.sheet { border-bottom: 2px solid #ddd; margin-bottom: 1.5rem; }
nav.toc { background: #f5f5f7; padding: .8rem 1.2rem; border-radius: 8px; margin: 1rem 0 2rem; }
nav.toc ul { margin: .2rem 0; padding-left: 1.2rem; }
nav.toc a { color: inherit; text-decoration: none; }
del, s { color: var(--del); text-decoration: line-through; text-decoration-thickness: 2px; }
.lint-notes-correction { background: var(--fix); color: var(--fix-ink); padding: 0 .25rem; border-radius: 4px; }
.lint-notes-verified { color: #1a7f37; font-weight: bold; }
.lint-notes-sheet { color: var(--muted); }
blockquote { border-left: 4px solid #ddd; margin: 1rem 0; padding: .2rem 1rem; color: #333; }
pre, code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .92em; }
pre { background: #f5f5f7; padding: .8rem; overflow-x: auto; border-radius: 6px; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: .3rem .6rem; }
.footnote-definition { font-size: .9em; color: #333; border-top: 1px solid #eee; padding-top: .3rem; }
.footnote-definition p { display: inline; }
a { color: #0b57d0; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  nav.toc { break-after: page; }
  a { color: inherit; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: .8em; color: #555; }
  .lint-notes-correction { background: none; border: 1px solid #0b5c2a; }
}
"""


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^\w\u3400-\u9fff-]+", "-", text.strip().lower()).strip("-") or "section"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug


_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_ATX_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)


def page_title(markdown_text: str, fallback: str) -> str:
    """The page's title: ``title:`` in the YAML front matter, else the first level-1 heading, else
    ``fallback`` (the file's name)."""
    m = _FRONT_MATTER.match(markdown_text)
    if m:
        import yaml

        try:
            meta = yaml.safe_load(m.group(1))
        except yaml.YAMLError:
            meta = None
        if isinstance(meta, dict) and isinstance(meta.get("title"), (str, int, float)) and str(meta["title"]).strip():
            return str(meta["title"]).strip()
    body = markdown_text[m.end():] if m else markdown_text
    h = _ATX_H1.search(_TAGS.sub("", body.split("\n```", 1)[0]))
    if h:
        return " ".join(h.group(1).split())
    return fallback


_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_TAGS = re.compile(r"<[^>]+>")


def render_html(markdown_text: str, title: str) -> str:
    import pyromark

    from lint_notes.text.markdown import _options

    body = pyromark.html(markdown_text, options=_options() | pyromark.Options.ENABLE_FOOTNOTES)
    used: set[str] = set()
    toc: list[tuple[int, str, str]] = []

    def anchor(m: re.Match) -> str:
        level, inner = int(m.group(1)), m.group(2)
        text = html.unescape(_TAGS.sub("", inner)).strip()
        slug = _slug(text, used)
        toc.append((level, text, slug))
        return f'<h{level} id="{html.escape(slug)}">{inner}</h{level}>'

    body = _HEADING.sub(anchor, body)
    toc_html = ""
    if toc:
        items = "\n".join(f'<li style="margin-left:{(level - 1) * 1}rem"><a href="#{html.escape(slug)}">'
                          f"{html.escape(text)}</a></li>" for level, text, slug in toc)
        toc_html = f'<nav class="toc" aria-label="Contents"><strong>目录 / Contents</strong><ul>{items}</ul></nav>'
    return (
        "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<header class=\"sheet\"><h1>{html.escape(title)}</h1></header>\n{toc_html}\n<main>\n{body}</main>\n"
        "</body>\n</html>\n"
    )
