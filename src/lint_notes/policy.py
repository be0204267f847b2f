"""Configuration policy over findings: select / ignore and severity overrides."""

from __future__ import annotations

from dataclasses import replace
from fnmatch import fnmatchcase


def _hit(f, patterns) -> bool:
    keys = [k for k in (f.claim, f.rule, f.topic) if k]
    return any(fnmatchcase(k, p) for p in patterns for k in keys)


def apply(findings, select=(), ignore=(), severity=None) -> list:
    out = []
    severity = severity or {}
    for f in findings:
        if select and not _hit(f, select):
            continue
        if ignore and _hit(f, ignore):
            continue
        new_sev = None
        for key in (f.claim, f.topic, f.rule):  # most specific first
            if key and key in severity:
                new_sev = severity[key]
                break
        if new_sev == "off":
            continue
        if new_sev and new_sev != f.severity:
            f = replace(f, severity=new_sev)
        out.append(f)
    return out
