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
FORMATS = ("text", "json", "sarif", "github", "junit")
OUTPUT_FORMATS = ("full", "concise", "grouped")


def _load(claims: tuple[Path, ...], rules: tuple[Path, ...], bundled: bool = True):
    from lint_notes.errors import KnowledgeError
    from lint_notes.knowledge.load import load_knowledge

    try:
        return load_knowledge(list(claims), list(rules), include_bundled=bundled)
    except KnowledgeError as exc:
        _stop("the knowledge base is invalid", exc)


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
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_kb_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format: text for people, the others for machines.")
@click.option("--output-format", "style", type=click.Choice(OUTPUT_FORMATS), default=None,
              help="Layout of the text format: full (code frames, the default), concise (one line per "
                   "finding) or grouped (by file).")
@click.option("--fail-on", type=click.Choice(FAIL_LEVELS), default=None,
              help="Exit 1 when a finding has this severity or a higher one (default: error).")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to a file.")
@click.option("--statistics", is_flag=True, help="Add counts by claim, verdict and severity.")
@click.option("--select", multiple=True, help="Only report these claim ids, topics or rules (glob; repeatable).")
@click.option("--ignore", multiple=True, help="Do not report these claim ids, topics or rules (glob; repeatable).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Use this config file.")
@click.option("--no-config", is_flag=True, help="Ignore .lint-notes.yaml and pyproject.toml.")
@click.option("--baseline", type=click.Path(path_type=Path), help="Report only findings not in this baseline.")
@click.option("--write-baseline", type=click.Path(path_type=Path), help="Record today's findings as a baseline.")
@click.option("--report-unused-suppressions", is_flag=True, help="Report suppression comments that suppress nothing.")
@click.option("--stdin-filename", help="Name (and type) of the file read from standard input ('-').")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0,
              help="Parallel processes (default: the number of cores; 1 = serial).")
@click.option("--quiet", "-q", is_flag=True, help="Only the findings: no summary, no progress.")
@click.option("--no-fuzzy", is_flag=True, help="Turn off typo-tolerant matching of names.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: when a terminal).")
@click.option("--decisions", "decisions_path", type=click.Path(path_type=Path),
              help="Review decisions file (default: .lint-notes/decisions.yaml at the repository root).")
@click.option("--show-dismissed", is_flag=True, help="Also report findings a reviewer dismissed.")
@click.option("--no-cache", is_flag=True,
              help="Neither read nor write cached results of unchanged files (lint every file afresh).")
def lint(paths, claims, rules, no_bundled, fmt, style, fail_on, output, statistics, select, ignore, config_path,
         no_config, baseline, write_baseline, report_unused_suppressions, stdin_filename, jobs, quiet,
         no_fuzzy, color, decisions_path, show_dismissed, no_cache):
    """Lint Markdown, text and notebook files under PATHS ('-' reads standard input)."""
    from lint_notes import baseline as baseline_mod
    from lint_notes.config import load_config
    from lint_notes.engine import file_kind
    from lint_notes.errors import KnowledgeError
    from lint_notes.files import Selection, discover
    from lint_notes.findings import FileResult
    from lint_notes.knowledge.model import SEVERITY_RANK
    from lint_notes.report import Report, render
    from lint_notes.runner import RunOptions, default_jobs, finalize, lint_paths, relabel, tuned_gc

    if not paths:
        raise click.UsageError("give at least one file or folder (or '-' for standard input)")
    if style is not None and fmt != "text":
        raise click.UsageError(f"--output-format {style} lays out the text format; it cannot be used with "
                               f"--format {fmt}")
    try:
        cfg = load_config(config_path, not no_config)
    except KnowledgeError as exc:
        _fail_config(exc)
    opts = RunOptions(claims=[*cfg.claims, *claims], rules=[*cfg.rules, *rules], bundled=not no_bundled,
                      fuzzy=not no_fuzzy, jobs=jobs or default_jobs(), select=(*cfg.select, *select),
                      ignore=(*cfg.ignore, *ignore), severity=cfg.severity,
                      report_unused=report_unused_suppressions, cache=not no_cache)
    linter = _linter(opts)
    kb = linter.kb
    vocab = _check_names(kb, cfg, select, ignore)
    cache = None
    if opts.cache and linter.cache_key:
        from lint_notes.knowledge.cache import cache_dir
        from lint_notes.resultcache import ResultCache

        cache = ResultCache(cache_dir(), linter.cache_key, kb.claims)
    results: list[FileResult] = []
    sources: dict[str, str] = {}
    file_paths = [p for p in paths if str(p) != "-"]
    if len(file_paths) != len(paths):
        name = stdin_filename or "<stdin>"
        data = sys.stdin.buffer.read()
        results.append(relabel(linter.lint_bytes(data, name, file_kind(name)), name))
        sources[name] = _decoded_text(data)
    sel = Selection(tuple(cfg.include), tuple(cfg.exclude), cfg.respect_gitignore, cfg.max_file_size, cfg.root)
    files, skipped = discover(file_paths, sel)
    if file_paths and not files and skipped and all(s.reason.startswith("no such") for s in skipped):
        for s in skipped:
            click.echo(f"lint-notes: {s.path}: {s.reason}", err=True)
        sys.exit(2)
    results += [FileResult(s.path, error=s.reason) for s in skipped]
    show_progress = not quiet and sys.stderr.isatty() and len(files) >= 50
    with tuned_gc():
        if show_progress:
            with click.progressbar(length=len(files), label="linting", file=sys.stderr) as bar:
                results += lint_paths(linter, files, opts, bar.update, cache)
        else:
            results += lint_paths(linter, files, opts, cache=cache)
    _check_suppressions(vocab, results)
    findings = finalize(results, opts)
    dismissed = 0
    if not show_dismissed:
        store = _decisions(cfg, decisions_path, [r.path for r in results if r.error is None])
        if store.decisions:
            kept = [f for f in findings
                    if not ((d := store.for_finding(f)) is not None and d.decision == "dismissed")]
            dismissed, findings = len(findings) - len(kept), kept
    matched = 0
    if write_baseline:
        n = baseline_mod.write(write_baseline, findings)
        if not quiet:
            click.echo(f"lint-notes: wrote {n} findings to the baseline {write_baseline}", err=True)
        findings, matched = [], n  # recorded, so none of them is new: the run passes
    baseline = baseline or cfg.baseline
    if baseline and not write_baseline:
        try:
            findings, matched = baseline_mod.filter_new(findings, baseline_mod.load(baseline))
        except KnowledgeError as exc:
            _fail_config(exc)
    if color is None:
        color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    from lint_notes.report.frame import terminal_width

    report = Report(results, findings, color=color, kb_version=kb.fingerprint, tool_version=__version__,
                    statistics=statistics, claims=kb.claims, quiet=quiet, baseline_matched=matched,
                    dismissed=dismissed,
                    output_format=style or cfg.output_format, sources=sources,
                    width=terminal_width(None if output else sys.stdout))
    if output:
        from lint_notes.report import write as write_report
        from lint_notes.safewrite import AtomicWriter

        with AtomicWriter(output) as fh:
            write_report(fmt, report, fh)
    else:
        click.echo(render(fmt, report), nl=False, color=color)
    if not quiet:
        for r in results:
            if r.error:
                click.echo(f"lint-notes: skipped {r.path}: {r.error}", err=True)
    fail_on = fail_on or cfg.fail_on
    if fail_on != "never" and any(SEVERITY_RANK.get(f.severity, 0) >= SEVERITY_RANK[fail_on] for f in findings):
        sys.exit(1)
    if any(r.error for r in results):
        sys.exit(3 if fail_on != "never" else 0)


def _check_names(kb, cfg, select=(), ignore=()):
    """Stop (exit 2) when --select, --ignore or the configuration names no claim, topic or rule."""
    from lint_notes.selectors import Vocabulary, check_config, check_options

    vocab = Vocabulary(kb)
    problems = check_options(vocab, select, ignore) + check_config(vocab, cfg)
    if problems:
        _report_names(problems)
    return vocab


def _check_suppressions(vocab, results) -> None:
    from lint_notes.selectors import check_suppressions

    problems = check_suppressions(vocab, results)
    if problems:
        _report_names(problems)


def _report_names(problems) -> None:
    click.echo("lint-notes: unknown claim ids, topics or rules (a typo here would silently turn a check "
               "off or on):", err=True)
    for p in problems:
        click.echo(f"  {p}", err=True)
    sys.exit(2)


def _decoded_text(data: bytes) -> str | None:
    from lint_notes.text.read import UnreadableFile, decode

    try:
        return decode(data).text
    except UnreadableFile:
        return None


def _linter(opts):
    from lint_notes.engine import Options
    from lint_notes.errors import KnowledgeError
    from lint_notes.knowledge.cache import load_linter

    try:
        return load_linter(list(opts.claims), list(opts.rules), opts.bundled, Options(fuzzy=opts.fuzzy),
                           resident=True)
    except KnowledgeError as exc:
        _stop("the knowledge base is invalid", exc)


def _decision_store_here(cfg, explicit: Path | None):
    """The decisions of the repository of the current folder (for `claims disputes`)."""
    from lint_notes.decisions import DEFAULT_PATH, DecisionStore, repo_root
    from lint_notes.errors import KnowledgeError

    root = cfg.root if cfg.path is not None else repo_root(Path.cwd())
    path = explicit or cfg.decisions or root / DEFAULT_PATH
    try:
        return DecisionStore(path, root)
    except KnowledgeError as exc:
        _fail_config(exc)


def _decisions(cfg, explicit: Path | None, paths=()):
    """Review decisions for the notes being linted: one file when given (--decisions, or
    `decisions:` in the configuration), else each note's own repository's
    `.lint-notes/decisions.yaml`, wherever lint-notes runs from. ``paths`` are loaded up front, so
    that a broken decisions file stops the run before any work (exit 2)."""
    from lint_notes.decisions import DecisionSet, DecisionStore, repo_root
    from lint_notes.errors import KnowledgeError

    try:
        if explicit or cfg.decisions:
            root = cfg.root if cfg.path is not None else repo_root(Path.cwd())
            return DecisionSet(DecisionStore(explicit or cfg.decisions, root))
        found = DecisionSet(default_root=repo_root(Path.cwd()), config_root=cfg.root if cfg.path else None)
        for p in paths:
            found.store_for(str(p))
        return found
    except KnowledgeError as exc:
        _fail_config(exc)


def _lint_for_tools(paths, claims, rules, no_bundled, config_path, no_config):
    """Shared set-up of review and sheet: config, knowledge base, files, findings."""
    from lint_notes.config import load_config
    from lint_notes.errors import KnowledgeError
    from lint_notes.files import Selection, discover
    from lint_notes.runner import RunOptions

    try:
        cfg = load_config(config_path, not no_config)
    except KnowledgeError as exc:
        _fail_config(exc)
    opts = RunOptions(claims=[*cfg.claims, *claims], rules=[*cfg.rules, *rules], bundled=not no_bundled,
                      select=tuple(cfg.select), ignore=tuple(cfg.ignore), severity=cfg.severity)
    linter = _linter(opts)
    kb = linter.kb
    _check_names(kb, cfg)
    sel = Selection(tuple(cfg.include), tuple(cfg.exclude), cfg.respect_gitignore, cfg.max_file_size, cfg.root)
    files, skipped = discover(list(paths), sel)
    for s in skipped:
        click.echo(f"lint-notes: skipped {s.path}: {s.reason}", err=True)
    if not files:
        click.echo("lint-notes: no files to work on", err=True)
        sys.exit(2)
    return cfg, kb, linter, files, opts


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_kb_options
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Use this config file.")
@click.option("--no-config", is_flag=True, help="Ignore .lint-notes.yaml and pyproject.toml.")
@click.option("--decisions", "decisions_path", type=click.Path(path_type=Path),
              help="Decisions file (default: .lint-notes/decisions.yaml at the repository root).")
@click.option("--reviewer", help="Your name in the decisions (default: git config user.name).")
@click.option("--all", "review_all", is_flag=True, help="Ask again about findings already decided.")
@click.option("--list", "list_only", is_flag=True, help="List pending findings with their ids and exit.")
@click.option("--decide", multiple=True, metavar="ID=accept|dismiss|dispute",
              help="Record a decision without asking (repeatable).")
@click.option("--reason", default="", help="Reason for --decide dismiss/dispute.")
def review(paths, claims, rules, no_bundled, config_path, no_config, decisions_path, reviewer, review_all,
           list_only, decide, reason):
    """Triage findings: accept, dismiss as a false positive, or dispute the claim."""
    from lint_notes import review as rv
    from lint_notes.decisions import reviewer_name

    if not list_only and not decide and not sys.stdin.isatty():
        click.echo("lint-notes review: standard input is not a terminal. Use --list to see pending findings "
                   "and --decide ID=accept|dismiss|dispute --reason TEXT to record decisions from a script.",
                   err=True)
        sys.exit(2)
    cfg, kb, linter, files, opts = _lint_for_tools(paths, claims, rules, no_bundled, config_path, no_config)
    from lint_notes.runner import finalize, lint_paths

    results = lint_paths(linter, files, opts)
    from lint_notes.selectors import Vocabulary

    _check_suppressions(Vocabulary(kb), results)
    findings = finalize(results, opts)
    store = _decisions(cfg, decisions_path, files)
    name = reviewer_name(reviewer)
    if decide:
        by_id = {it.id: it for it in rv.items(findings, store, include_decided=True)}
        plan = [_decision(spec, by_id, reason) for spec in decide]  # all checked before any is recorded
        for fid, word in plan:
            store.record(by_id[fid].finding, word, reason, name)
            click.echo(f"{fid}: {word}")
        return
    pending = rv.items(findings, store, include_decided=review_all)
    if list_only:
        from lint_notes.report.text import where

        for it in pending:
            f = it.finding
            click.echo(f"{it.id}  {f.path}:{f.line}{where(f)}  {f.severity} [{f.claim}] {f.verdict}  {f.text}")
        click.echo(f"{len(pending)} pending, {len(store.decisions)} decided ({store.path})")
        return
    if not pending:
        click.echo(f"Nothing to review: all {len(findings)} findings are decided ({store.path}).")
        return
    from lint_notes.report.frame import terminal_width

    counts = rv.run_interactive(pending, store, name, kb.claims,
                                ask=lambda p: click.prompt(p, default="", show_default=False, prompt_suffix=""),
                                say=click.echo, width=terminal_width(sys.stdout),
                                color=sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    click.echo(f"Saved to {store.path}: {counts['accepted']} accepted, {counts['dismissed']} dismissed, "
               f"{counts['disputed']} disputed, {counts['skipped']} skipped.")


def _decision(spec: str, by_id: dict, reason: str) -> tuple[str, str]:
    """``ID=accept|dismiss|dispute`` -> (id, decision), or stop (exit 2) saying what is wrong."""
    from lint_notes.selectors import did_you_mean, suggest

    words = {"accept": "accepted", "dismiss": "dismissed", "dispute": "disputed"}
    fid, eq, what = spec.partition("=")
    fid, what = fid.strip(), what.strip()
    problem = None
    if not eq:
        problem = f"{spec!r} has no decision: write ID=accept, ID=dismiss or ID=dispute"
    elif fid not in by_id:
        hint = did_you_mean(suggest(fid, sorted(by_id))) if by_id else ""
        problem = (f"no pending finding has the id {fid!r}{hint}; `lint-notes review --list PATHS` shows the "
                   f"ids of the {len(by_id)} finding{'s' if len(by_id) != 1 else ''} in these notes")
    elif what not in words:
        problem = (f"{what!r} is not a decision{did_you_mean(suggest(what, list(words)))}: use accept, dismiss "
                   "or dispute")
    elif what != "accept" and not reason.strip():
        problem = f"{spec!r}: --reason TEXT is required to {what} (say why, for the next reviewer)"
    if problem:
        click.echo(f"lint-notes review: {problem}", err=True)
        sys.exit(2)
    return fid, words[what]


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_kb_options
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Output file (one input) or folder (several inputs).")
@click.option("--format", "fmt", type=click.Choice(["markdown", "html"]), default="markdown", show_default=True)
@click.option("--style", type=click.Choice(["strike", "replace"]), default="strike", show_default=True,
              help="strike: keep the wrong sentence struck through; replace: substitute the correction.")
@click.option("--mark-verified", is_flag=True, help="Mark statements the knowledge base verified with ✓.")
@click.option("--in-place", is_flag=True, help="Rewrite the notes themselves (atomically, keeping a .bak copy).")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Use this config file.")
@click.option("--no-config", is_flag=True, help="Ignore .lint-notes.yaml and pyproject.toml.")
@click.option("--decisions", "decisions_path", type=click.Path(path_type=Path), help="Review decisions file.")
def sheet(paths, claims, rules, no_bundled, output, fmt, style, mark_verified, in_place, force, config_path,
          no_config, decisions_path):
    """Write a corrected study sheet: each flagged statement corrected and cited."""
    from lint_notes.engine import file_kind
    from lint_notes.safewrite import write_bytes_atomic
    from lint_notes.sheet import build_sheet
    from lint_notes.sheet_html import render_html
    from lint_notes.text.read import UnreadableFile

    if in_place and (output or fmt != "markdown"):
        raise click.UsageError("--in-place rewrites the Markdown notes themselves; it takes no --output or --format")
    if not in_place and output is None:
        raise click.UsageError("give --output FILE (or --in-place)")
    cfg, kb, linter, files, opts = _lint_for_tools(paths, claims, rules, no_bundled, config_path, no_config)
    store = _decisions(cfg, decisions_path, files)

    def dismissed(f):
        d = store.for_finding(f)
        return d is not None and d.decision == "dismissed"

    several = len(files) > 1 or any(p.is_dir() for p in paths)
    if output is not None and several and output.exists() and not output.is_dir():
        raise click.UsageError(f"{output} must be a folder when several notes are given")
    base = Path(os.path.commonpath([str(p.resolve().parent) for p in files])) if several else None
    total = 0
    for path in files:
        kind = file_kind(path.name)
        if kind == "notebook":
            click.echo(f"lint-notes sheet: skipped {path}: notebooks are not rewritten", err=True)
            continue
        try:
            data = path.read_bytes()
            result = build_sheet(linter, data, str(path), kind, style, mark_verified, dismissed, kb.fingerprint)
        except (OSError, UnreadableFile) as exc:
            click.echo(f"lint-notes sheet: skipped {path}: {exc}", err=True)
            continue
        total += sum(result.corrected.values())
        if in_place:
            if result.changed:
                backup = path.with_name(path.name + ".bak")
                write_bytes_atomic(backup, data)
                write_bytes_atomic(path, result.data)
            click.echo(f"{path}: {sum(result.corrected.values())} corrected")
            continue
        target = output if not several else output / path.resolve().relative_to(base)
        if fmt == "html":
            target = target.with_suffix(".html") if several else target
            from lint_notes.sheet_html import page_title

            text = result.text.replace("\r\n", "\n")
            payload = render_html(text, page_title(text, path.stem)).encode("utf-8")
        else:
            payload = result.data
        if target.resolve() == path.resolve():
            raise click.UsageError(f"{target} is the input itself; use --in-place to rewrite notes")
        if target.exists() and not force:
            click.echo(f"lint-notes sheet: {target} exists; use --force to overwrite it", err=True)
            sys.exit(2)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(target, payload)
        click.echo(f"{target}: {sum(result.corrected.values())} corrected")
    click.echo(f"{total} statements corrected in {len(files)} file{'s' if len(files) != 1 else ''}.")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--add", is_flag=True, help="Add a suppression comment for every current finding.")
@click.option("--reason", default="", help="Reason written into each comment (after '--').")
@_kb_options
@click.option("--select", multiple=True, help="Only suppress these claim ids, topics or rules (glob; repeatable).")
@click.option("--ignore", multiple=True, help="Do not suppress these claim ids, topics or rules (glob; repeatable).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Use this config file.")
@click.option("--no-config", is_flag=True, help="Ignore .lint-notes.yaml and pyproject.toml.")
@click.option("--decisions", "decisions_path", type=click.Path(path_type=Path), help="Review decisions file.")
@click.option("--dry-run", is_flag=True, help="Say what would be added; change no file.")
def suppress(paths, add, reason, claims, rules, no_bundled, select, ignore, config_path, no_config,
             decisions_path, dry_run):
    """Write suppression comments for the current findings (as `lint` reports them), so that the
    notes lint clean; each file is rewritten atomically and nothing else in it changes."""
    from lint_notes.engine import file_kind
    from lint_notes.runner import finalize
    from lint_notes.safewrite import write_bytes_atomic
    from lint_notes.suppress_add import add_to_bytes
    from lint_notes.text.read import UnreadableFile

    if not add:
        raise click.UsageError("nothing to do: give --add to write a suppression comment for every finding")
    cfg, kb, linter, files, opts = _lint_for_tools(paths, claims, rules, no_bundled, config_path, no_config)
    vocab = _check_names(kb, None, select, ignore)
    opts.select, opts.ignore = (*opts.select, *select), (*opts.ignore, *ignore)
    store = _decisions(cfg, decisions_path, files)
    total = changed = 0
    for path in files:
        kind = file_kind(path.name)
        if kind == "notebook":
            click.echo(f"lint-notes suppress: skipped {path}: notebooks are not rewritten", err=True)
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            click.echo(f"lint-notes suppress: skipped {path}: {exc.strerror or exc}", err=True)
            continue
        result = linter.lint_bytes(data, str(path), kind)
        if result.error:
            click.echo(f"lint-notes suppress: skipped {path}: {result.error}", err=True)
            continue
        _check_suppressions(vocab, [result])
        findings = [f for f in finalize([result], opts)
                    if f.rule != "unused-suppression"
                    and not ((d := store.for_finding(f)) is not None and d.decision == "dismissed")]
        try:
            new, n = add_to_bytes(data, findings, kind != "text", reason)
        except UnreadableFile as exc:  # pragma: no cover - lint_bytes would have said so
            click.echo(f"lint-notes suppress: skipped {path}: {exc}", err=True)
            continue
        if not n:
            continue
        if not dry_run:
            write_bytes_atomic(path, new)
        total += n
        changed += 1
        click.echo(f"{path}: {'would add' if dry_run else 'added'} {n} suppression comment{'s' if n != 1 else ''} "
                   f"({len(findings)} finding{'s' if len(findings) != 1 else ''})")
    click.echo(f"{total} suppression comment{'s' if total != 1 else ''} {'would be ' if dry_run else ''}added "
               f"in {changed} file{'s' if changed != 1 else ''}.")


@main.command()
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default; accepted for "
                                           "editors that pass it).")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Write the server's log to this file.")
def server(stdio, log_file):
    """Run the language server (LSP over standard input/output) for editors: diagnostics while you
    type, hover with corrections and sources, quick fixes. See docs/editors.md."""
    try:
        from lint_notes.server import main as serve
    except ImportError as exc:  # pragma: no cover - pygls is a dependency
        click.echo(f"lint-notes server: cannot start: {exc} (pip install pygls)", err=True)
        sys.exit(2)
    serve(log_file)


def _fail_config(exc) -> None:
    _stop("configuration error", exc)


def _stop(title: str, exc) -> None:
    """Report every file:line problem and exit with status 2."""
    click.echo(f"lint-notes: {title}:", err=True)
    for p in exc.problems:
        click.echo(f"  {p}", err=True)
    sys.exit(2)


@main.command()
def clean() -> None:
    """Delete the cache: compiled knowledge bases and the results of linted files."""
    from lint_notes.knowledge.cache import clear_cache

    try:
        folder, bases, results = clear_cache()
    except OSError as exc:
        click.echo(f"lint-notes: cannot clear the cache: {exc}", err=True)
        sys.exit(2)
    click.echo(f"lint-notes: removed {bases} compiled knowledge base(s) and {results} cached file result(s) "
               f"from {folder}")


@main.group()
def claims() -> None:
    """Check and browse the knowledge base."""


@claims.command("check")
@_kb_options
@click.option("--claim", "only", multiple=True, help="Only test the examples of this claim (repeatable).")
@click.option("--max-age", type=int, default=None,
              help="Report claims reviewed more than N months ago (default: max-review-age, or 12).")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings (stale reviews, near-duplicates) too.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Use this config file.")
@click.option("--no-config", is_flag=True, help="Ignore .lint-notes.yaml and pyproject.toml.")
def claims_check(claims, rules, no_bundled, only, max_age, strict, config_path, no_config):
    """Validate the knowledge base and run every claim's examples."""
    from lint_notes.config import load_config
    from lint_notes.engine import Linter
    from lint_notes.errors import KnowledgeError
    from lint_notes.knowledge.check import (
        check_constructions,
        check_examples,
        near_duplicates,
        future_reviews,
        stale_claims,
        uncovered_twin_values,
        without_negated_example,
    )

    try:
        cfg = load_config(config_path, not no_config)
    except KnowledgeError as exc:
        _fail_config(exc)
    max_age = cfg.max_review_age if max_age is None else max_age
    kb = _load((*cfg.claims, *claims), (*cfg.rules, *rules), not no_bundled)
    unknown = [c for c in only if c not in kb.claims]
    if unknown:
        click.echo(f"lint-notes: unknown claim id(s): {', '.join(unknown)}", err=True)
        sys.exit(2)
    linter = Linter(kb)
    count, failures = check_examples(kb, linter, set(only) or None)
    failures = [str(f) for f in failures]
    if not only:
        n, problems = check_constructions(kb, linter)
        count += n
        failures += problems
        failures += [f"{c.source}: claim {c.id!r}: no example shows a negation or contrast being read "
                     "(add a pass example such as \"X 并不是 …\" or \"用 A 而不是 B\")"
                     for c in without_negated_example(kb, linter)]
        failures += [f"{c.source}: claim {c.id!r} contradicts {', '.join(missing)}, which none of its false twins "
                     f"({', '.join(f'{t.id} at {t.source}' for t in twins)}) asserts: add the value to a twin's "
                     "'asserts' (and its examples) or write that misconception as a false claim of its own"
                     for c, twins, missing in uncovered_twin_values(kb)]
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
    for c in future_reviews(kb):
        warnings += 1
        click.echo(f"warning: {c.source}: claim {c.id!r} says it was reviewed {c.reviewed}, which is after today")
    hand = len(kb.hand_claims())
    click.echo(f"{len(kb.claims)} claims ({hand} written, {len(kb.claims) - hand} from the model table), "
               f"{len(kb.entities)} entities, {len(kb.rules)} rules, {len(kb.constructions)} constructions; "
               f"{count} examples run, "
               f"{len(failures)} failed; {warnings} warnings")
    if failures or (strict and warnings):
        sys.exit(1)


@claims.command("list")
@_kb_options
@click.option("--topic", help="Only claims of this topic (see `lint-notes claims topics`).")
@click.option("--verdict", help="Only claims with this verdict (true, false, outdated, contested, misleading, "
                                "incomplete, unverified).")
@click.option("--generated/--no-generated", default=False, help="Include claims generated from the model table.")
def claims_list(claims, rules, no_bundled, topic, verdict, generated):
    """List claims: id, verdict, topic and statement."""
    from lint_notes.knowledge.model import VERDICTS
    from lint_notes.selectors import did_you_mean, suggest

    kb = _load(claims, rules, not no_bundled)
    topics = sorted({c.topic for c in kb.claims.values()})
    if topic is not None and topic not in topics:
        click.echo(f"lint-notes: no topic {topic!r}{did_you_mean(suggest(topic, topics))}; "
                   "`lint-notes claims topics` lists them", err=True)
        sys.exit(2)
    if verdict is not None and verdict not in VERDICTS:
        click.echo(f"lint-notes: no verdict {verdict!r}{did_you_mean(suggest(verdict, VERDICTS))}; "
                   f"verdicts are {', '.join(VERDICTS)}", err=True)
        sys.exit(2)
    for c in sorted(kb.claims.values(), key=lambda c: (c.topic, c.id)):
        if (c.origin != "claims" and not generated) or (topic and c.topic != topic) or \
                (verdict and c.verdict != verdict):
            continue
        click.echo(f"{c.id}\t{c.verdict}\t{c.topic}\t{c.statement}")


@claims.command("topics")
@_kb_options
def claims_topics(claims, rules, no_bundled):
    """List topics: name, number of claims (written + from the tables) and the files they come from."""
    kb = _load(claims, rules, not no_bundled)
    by_topic: dict[str, list] = {}
    for c in kb.claims.values():
        by_topic.setdefault(c.topic, []).append(c)
    for topic in sorted(by_topic):
        found = by_topic[topic]
        written = sum(1 for c in found if c.origin == "claims")
        files = sorted({Path(c.source.path).name for c in found if c.source.path})
        click.echo(f"{topic}\t{written} written\t{len(found) - written} generated\t{', '.join(files)}")
    click.echo(f"{len(by_topic)} topics, {len(kb.claims)} claims")


@claims.command("search")
@click.argument("text", nargs=-1, required=True)
@_kb_options
@click.option("--generated/--no-generated", default=False, help="Include claims generated from the model table.")
def claims_search(text, claims, rules, no_bundled, generated):
    """Find claims whose statement, correction or entity names contain TEXT (any language; case,
    width, hyphens and spaces, Traditional or Simplified do not matter)."""
    from lint_notes.knowledge.search import search

    kb = _load(claims, rules, not no_bundled)
    query = " ".join(text)
    hits = search(kb, query, generated=generated)
    for c, where in hits:
        click.echo(f"{c.id}\t{c.verdict}\t{c.topic}\t{c.statement}\t({where})")
    click.echo(f"{len(hits)} claim{'s' if len(hits) != 1 else ''} match {query!r}", err=True)
    if not hits:
        sys.exit(1)


@claims.command("disputes")
@click.option("--decisions", "decisions_path", type=click.Path(path_type=Path), help="Review decisions file.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Use this config file.")
@click.option("--no-config", is_flag=True, help="Ignore .lint-notes.yaml and pyproject.toml.")
def claims_disputes(decisions_path, config_path, no_config):
    """List claims that reviewers disputed (the knowledge base may be wrong)."""
    from lint_notes.config import load_config
    from lint_notes.errors import KnowledgeError

    try:
        cfg = load_config(config_path, not no_config)
    except KnowledgeError as exc:
        _fail_config(exc)
    store = _decision_store_here(cfg, decisions_path)
    disputed = [d for d in store.decisions.values() if d.decision == "disputed"]
    for d in sorted(disputed, key=lambda d: (d.claim, d.file)):
        click.echo(f"{d.claim}\t{d.file}\t{d.reviewer}\t{d.date}\t{d.reason}\t{d.sentence}")
    click.echo(f"{len(disputed)} disputed ({store.path})")


@claims.command("show")
@click.argument("claim_id")
@_kb_options
def claims_show(claim_id, claims, rules, no_bundled):
    """Show one claim in full."""
    from lint_notes.selectors import did_you_mean, suggest

    kb = _load(claims, rules, not no_bundled)
    c = kb.claims.get(claim_id)
    if c is None:
        hint = did_you_mean(suggest(claim_id, sorted(kb.claims)))
        click.echo(f"lint-notes: no claim {claim_id!r}{hint}; `lint-notes claims search WORDS` finds claims "
                   "by their content", err=True)
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
