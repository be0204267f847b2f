"""Command line: parse options, call the library, set the exit status. Nothing else.

Exit status: 0 no finding at or above --fail-on; 1 findings at or above it; 2 usage,
configuration or knowledge-base errors.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from lint_notes import __version__

FAIL_LEVELS = ("error", "warning", "info", "never")


def _load(claims: tuple[Path, ...], rules: tuple[Path, ...], bundled: bool = True):
    from lint_notes.errors import KnowledgeError
    from lint_notes.knowledge.load import load_knowledge

    try:
        return load_knowledge(list(claims), list(rules), include_bundled=bundled)
    except KnowledgeError as exc:
        click.echo("lint-notes: the knowledge base is invalid:", err=True)
        for p in exc.problems:
            click.echo(f"  {p}", err=True)
        sys.exit(2)


def _kb_options(f):
    f = click.option("--no-bundled", "no_bundled", is_flag=True,
                     help="Do not load the bundled claims and rules (only --claims/--rules).")(f)
    f = click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path),
                     help="Extra rules folder (repeatable), merged with the bundled rules.")(f)
    f = click.option("--claims", "claims", multiple=True, type=click.Path(path_type=Path),
                     help="Extra claims folder (repeatable), merged with the bundled claims.")(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lint-notes")
def main() -> None:
    """Fact-lint study notes about large language models."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_kb_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
@click.option("--fail-on", type=click.Choice(FAIL_LEVELS), default="error", show_default=True,
              help="Exit 1 when a finding has this severity or a higher one.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to a file.")
@click.option("--statistics", is_flag=True, help="Add counts by claim, verdict and severity.")
@click.option("--no-fuzzy", is_flag=True, help="Turn off typo-tolerant matching of names.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: when a terminal).")
def lint(paths, claims, rules, no_bundled, fmt, fail_on, output, statistics, no_fuzzy, color):
    """Lint Markdown and text notes under PATHS."""
    from lint_notes.engine import Linter, Options
    from lint_notes.files import discover
    from lint_notes.findings import FileResult
    from lint_notes.knowledge.model import SEVERITY_RANK
    from lint_notes.report import Report, render

    kb = _load(claims, rules, not no_bundled)
    files, missing = discover(list(paths))
    if missing and not files:
        for p, why in missing:
            click.echo(f"lint-notes: {p}: {why}", err=True)
        sys.exit(2)
    linter = Linter(kb, Options(fuzzy=not no_fuzzy))
    results = [FileResult(str(p), error=why) for p, why in missing]
    results += [linter.lint_file(p) for p in files]
    findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key())
    if color is None:
        color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    report = Report(results, findings, color=color, kb_version=kb.fingerprint, tool_version=__version__,
                    statistics=statistics)
    text = render(fmt, report)
    if output:
        from lint_notes.safewrite import write_text_atomic

        write_text_atomic(output, text)
    else:
        click.echo(text, nl=False)
    for r in results:
        if r.error:
            click.echo(f"lint-notes: skipped {r.path}: {r.error}", err=True)
    if fail_on != "never" and any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on] for f in findings):
        sys.exit(1)


@main.group()
def claims() -> None:
    """Check and browse the knowledge base."""


@claims.command("check")
@_kb_options
@click.option("--claim", "only", multiple=True, help="Only test the examples of this claim (repeatable).")
@click.option("--max-age", default=12, show_default=True, help="Report claims reviewed more than N months ago.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings (stale reviews, near-duplicates) too.")
def claims_check(claims, rules, no_bundled, only, max_age, strict):
    """Validate the knowledge base and run every claim's examples."""
    from lint_notes.engine import Linter
    from lint_notes.knowledge.check import check_examples, near_duplicates, stale_claims

    kb = _load(claims, rules, not no_bundled)
    unknown = [c for c in only if c not in kb.claims]
    if unknown:
        click.echo(f"lint-notes: unknown claim id(s): {', '.join(unknown)}", err=True)
        sys.exit(2)
    linter = Linter(kb)
    count, failures = check_examples(kb, linter, set(only) or None)
    for f in failures:
        click.echo(f"error: {f}")
    warnings = 0
    if not only:
        for a, b, score in near_duplicates(kb):
            warnings += 1
            click.echo(f"warning: {a.source}: claim {a.id!r} is a near-duplicate of {b.id!r} ({b.source}), "
                       f"similarity {score:.0f}")
        for c in stale_claims(kb, max_age):
            warnings += 1
            click.echo(f"warning: {c.source}: claim {c.id!r} was last reviewed {c.reviewed or 'never'} "
                       f"(older than {max_age} months)")
    hand = len(kb.hand_claims())
    click.echo(f"{len(kb.claims)} claims ({hand} written, {len(kb.claims) - hand} from the model table), "
               f"{len(kb.entities)} entities, {len(kb.rules)} rules; {count} examples run, "
               f"{len(failures)} failed; {warnings} warnings")
    if failures or (strict and warnings):
        sys.exit(1)


@claims.command("list")
@_kb_options
@click.option("--topic", help="Only claims of this topic.")
@click.option("--verdict", help="Only claims with this verdict.")
@click.option("--generated/--no-generated", default=False, help="Include claims generated from the model table.")
def claims_list(claims, rules, no_bundled, topic, verdict, generated):
    """List claims: id, verdict, topic and statement."""
    kb = _load(claims, rules, not no_bundled)
    for c in sorted(kb.claims.values(), key=lambda c: (c.topic, c.id)):
        if (c.origin != "claims" and not generated) or (topic and c.topic != topic) or \
                (verdict and c.verdict != verdict):
            continue
        click.echo(f"{c.id}\t{c.verdict}\t{c.topic}\t{c.statement}")


@claims.command("show")
@click.argument("claim_id")
@_kb_options
def claims_show(claim_id, claims, rules, no_bundled):
    """Show one claim in full."""
    kb = _load(claims, rules, not no_bundled)
    c = kb.claims.get(claim_id)
    if c is None:
        click.echo(f"lint-notes: no claim {claim_id!r}", err=True)
        sys.exit(2)
    click.echo(f"{c.id}  ({c.verdict}, topic {c.topic})  {c.source}")
    click.echo(f"  statement:     {c.statement}")
    click.echo(f"  statement_zh:  {c.statement_zh}")
    if c.correction:
        click.echo(f"  correction:    {c.correction}")
        click.echo(f"  correction_zh: {c.correction_zh}")
    if c.outdated_since:
        click.echo(f"  outdated since {c.outdated_since}; replaced by: {c.replaced_by}")
    for cit in c.citations:
        click.echo(f"  cite: {cit.title}, {cit.locator} <{cit.url}>" + (f' "{cit.quote}"' if cit.quote else ""))
    click.echo(f"  reviewed: {c.reviewed or '-'}")
    for s in c.examples_flag:
        click.echo(f"  flag: {s}")
    for s in c.examples_pass:
        click.echo(f"  pass: {s}")


if __name__ == "__main__":  # pragma: no cover
    main()
