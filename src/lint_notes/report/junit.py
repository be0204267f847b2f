"""JUnit XML: a test suite per file, a failing test case per finding (a passing one if clean)."""

from __future__ import annotations

from xml.etree import ElementTree as ET


def render(report) -> str:
    suites = ET.Element("testsuites", name="lint-notes")
    by_path: dict[str, list] = {}
    for f in report.findings:
        by_path.setdefault(f.path, []).append(f)
    total = failures = 0
    for r in report.files:
        found = by_path.get(r.path, [])
        suite = ET.SubElement(suites, "testsuite", name=r.path)
        if r.error:
            case = ET.SubElement(suite, "testcase", classname=r.path, name="read")
            ET.SubElement(case, "skipped", message=r.error)
            suite.set("tests", "1")
            suite.set("failures", "0")
            suite.set("skipped", "1")
            total += 1
            continue
        if not found:
            ET.SubElement(suite, "testcase", classname=r.path, name="facts")
        for f in found:
            case = ET.SubElement(suite, "testcase", classname=r.path, name=f"{f.claim} (line {f.line})")
            kind = "failure" if f.severity != "info" else "skipped"
            el = ET.SubElement(case, kind, message=f"{f.verdict}: {f.text}", type=f.severity)
            el.text = f"{f.path}:{f.line}:{f.column}: {f.message}"
        n = max(1, len(found))
        nf = sum(1 for f in found if f.severity != "info")
        suite.set("tests", str(n))
        suite.set("failures", str(nf))
        total += n
        failures += nf
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
