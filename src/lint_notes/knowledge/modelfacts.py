"""The model-facts table (claims/models.yaml): read it, then turn each cell into claims.

Each model is an entity of kind ``model``. For a categorical attribute the cell's values are
right; the attribute's other values are wrong. A family (e.g. ChatGLM) is judged by its newest
member: its values are right, values right only for an earlier member are ``outdated``.
"""

from __future__ import annotations

from lint_notes.knowledge.model import Citation, Claim, MatchSpec, ModelFact, Source
from lint_notes.knowledge.validate import Reader
from lint_notes.knowledge.yamlload import LDict

ATTRIBUTE_KEYS = {"name", "values", "type", "terms"}
FAMILY_KEYS = {"aliases", "not", "members"}
MODEL_KEYS = {"aliases", "not", "released", "facts", "family"}
FACT_KEYS = {"value", "citation", "note"}
PREFIX = "model-facts"


def read_model_file(b, data: LDict, r: Reader) -> None:
    attrs = data.get("attributes")
    if attrs is not None:
        if not isinstance(attrs, dict):
            r.error(data.line_of("attributes"), "'attributes' must be a mapping of attribute id -> spec")
        else:
            for aid, spec in attrs.items():
                m = r.mapping(spec, attrs.line_of(aid), f"attribute {aid!r}")
                if m is None:
                    continue
                r.known_keys(m, ATTRIBUTE_KEYS, f"attribute {aid!r}")
                kind = r.string(m, "type", f"attribute {aid!r}") or "category"
                if kind not in ("category", "number"):
                    r.error(m.line_of("type"), f"attribute {aid!r}: type must be 'category' or 'number'")
                values = r.string_list(m, "values", f"attribute {aid!r}")
                if kind == "category" and not values:
                    r.error(m.line, f"attribute {aid!r} needs 'values' (entity ids)")
                b.attributes[str(aid)] = {
                    "name": r.string(m, "name", f"attribute {aid!r}") or str(aid),
                    "type": kind,
                    "values": tuple(values),
                    "terms": tuple(r.string_list(m, "terms", f"attribute {aid!r}")),
                    "source": Source(r.path, attrs.line_of(aid)),
                }
    models = data.get("models")
    if models is not None:
        if not isinstance(models, dict):
            r.error(data.line_of("models"), "'models' must be a mapping of model id -> spec")
        else:
            for mid, spec in models.items():
                mid = str(mid)
                mline = models.line_of(mid)
                m = r.mapping(spec, mline, f"model {mid!r}")
                if m is None:
                    continue
                r.known_keys(m, MODEL_KEYS, f"model {mid!r}")
                _model_entity(b, r, mid, m, mline)
                b.model_sources.append((mid, Source(r.path, mline)))
                released = r.date(m, "released", f"model {mid!r}")
                b.attributes.setdefault("__released__", {})[mid] = released
                facts = m.get("facts")
                if facts is None:
                    continue
                if not isinstance(facts, dict):
                    r.error(m.line_of("facts"), f"model {mid!r}: 'facts' must be a mapping of attribute -> cell")
                    continue
                for aid, cell in facts.items():
                    _fact(b, r, mid, str(aid), cell, facts.line_of(aid))
    families = data.get("families")
    if families is not None:
        if not isinstance(families, dict):
            r.error(data.line_of("families"), "'families' must be a mapping of family id -> spec")
        else:
            for fid, spec in families.items():
                fid = str(fid)
                fline = families.line_of(fid)
                m = r.mapping(spec, fline, f"family {fid!r}")
                if m is None:
                    continue
                r.known_keys(m, FAMILY_KEYS, f"family {fid!r}")
                _model_entity(b, r, fid, m, fline)
                members = r.string_list(m, "members", f"family {fid!r}")
                if not members:
                    r.error(m.line, f"family {fid!r} needs 'members' (model ids, oldest first)")
                b.families[fid] = tuple(members)
                b.family_entities.add(fid)
                b.attributes.setdefault("__family_source__", {})[fid] = Source(r.path, fline)


def _model_entity(b, r: Reader, eid: str, spec: LDict, line: int) -> None:
    """A model or a family is an entity of kind ``model`` with the spec's aliases and near-misses."""
    entity_spec = LDict({k: spec[k] for k in ("aliases", "not") if k in spec})
    entity_spec.line, entity_spec.key_lines = spec.line, spec.key_lines
    b._entity(eid, entity_spec, line, r, kind="model")


def _fact(b, r: Reader, mid: str, aid: str, cell, line: int) -> None:
    what = f"model {mid!r}: fact {aid!r}"
    m = r.mapping(cell, line, what)
    if m is None:
        return
    r.known_keys(m, FACT_KEYS, what)
    r.required(m, ["value", "citation"], what)
    raw = m.get("value")
    values = raw if isinstance(raw, list) else [raw]
    values = [v for v in values if v is not None]
    cit = m.get("citation")
    citation = None
    cm = r.mapping(cit, m.line_of("citation"), f"{what}: citation") if cit is not None else None
    if cm is not None:
        r.known_keys(cm, {"title", "url", "locator", "quote"}, f"{what}: citation")
        r.required(cm, ["title", "url", "locator"], f"{what}: citation")
        url = r.string(cm, "url", what)
        if url and not url.startswith(("https://", "http://")):
            r.error(cm.line_of("url"), f"{what}: citation url must start with https://")
        citation = Citation(r.string(cm, "title", what), url, r.string(cm, "locator", what),
                            r.string(cm, "quote", what) or None)
    if citation is None or not values:
        return
    b.model_facts.append(ModelFact(mid, aid, tuple(values), citation, r.string(m, "note", what), Source(r.path, line)))


def _name(b, eid: str) -> str:
    ent = b.entities.get(eid)
    return ent.aliases[0] if ent and ent.aliases else eid


def _join(b, ids) -> str:
    return " / ".join(_name(b, i) for i in ids)


def generate_claims(b) -> None:
    """Validate the table's references and add one claim per cell (and per family)."""
    if not b.model_facts and not b.families:
        return
    attrs = {k: v for k, v in b.attributes.items() if not k.startswith("__")}
    released = b.attributes.get("__released__", {})
    cells: dict[tuple[str, str], ModelFact] = {}
    for fact in b.model_facts:
        attr = attrs.get(fact.attribute)
        where = fact.source
        if attr is None:
            b.problems.append(_p(where, f"model {fact.model!r}: unknown attribute {fact.attribute!r} "
                                        f"(known: {', '.join(sorted(attrs))})"))
            continue
        if attr["type"] == "number":
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in fact.values):
                b.problems.append(_p(where, f"model {fact.model!r}: {fact.attribute} must be a number"))
            cells[(fact.model, fact.attribute)] = fact
            continue
        bad = [v for v in fact.values if not isinstance(v, str) or v not in attr["values"]]
        if bad:
            b.problems.append(_p(where, f"model {fact.model!r}: {fact.attribute} value(s) {bad} not among "
                                        f"the attribute's values {list(attr['values'])}"))
            continue
        cells[(fact.model, fact.attribute)] = fact
    for aid, attr in attrs.items():
        for v in attr["values"] + attr["terms"]:
            if v not in b.entities:
                b.problems.append(_p(attr["source"], f"attribute {aid!r}: unknown entity {v!r}"))
    model_ids = {mid for mid, _ in b.model_sources}
    for fid, members in b.families.items():
        src = b.attributes.get("__family_source__", {}).get(fid, Source("", 0))
        for mid in members:
            if mid not in model_ids:
                b.problems.append(_p(src, f"family {fid!r}: unknown member model {mid!r}"))
    if b.problems:
        return

    for (mid, aid), fact in sorted(cells.items()):
        if attrs[aid]["type"] == "number":
            _number_claim(b, mid, aid, attrs[aid], fact)
        else:
            _cell_claim(b, mid, aid, attrs[aid], fact)
    for fid, members in sorted(b.families.items()):
        for aid, attr in attrs.items():
            if attr["type"] == "category":
                _family_claims(b, fid, members, aid, attr, cells, released)


def _claim(b, cid: str, statement: str, statement_zh: str, match: MatchSpec, citations, correction: str,
           correction_zh: str, flag, passing, source: Source, **extra) -> None:
    """One generated claim: topic, origin and verdict (true unless given) are the table's."""
    _add(b, Claim(id=cid, topic="model-facts", statement=statement, statement_zh=statement_zh,
                  verdict=extra.pop("verdict", "true"), match=match, citations=tuple(citations),
                  correction=correction, correction_zh=correction_zh, examples_flag=tuple(flag),
                  examples_pass=tuple(passing), origin="model-table", source=source, **extra))


def _note(fact: ModelFact) -> str:
    return f" {fact.note}" if fact.note else ""


def _number_claim(b, mid: str, aid: str, attr: dict, fact: ModelFact) -> None:
    """"M's vocabulary size is N": needs the attribute's property terms to be matched at all."""
    if not attr["terms"]:
        return
    shown = " / ".join(f"{v:,}" for v in fact.values)
    first = fact.values[0]
    wrong = first * 2 if first > 100 else first + 7
    term = _name(b, attr["terms"][0])
    _claim(b, f"{PREFIX}/{mid}/{aid}",
           f"The {attr['name']} of {_name(b, mid)} is {shown}.", f"{_name(b, mid)} 的{attr['name']}是 {shown}。",
           MatchSpec("number", subject=frozenset([mid]), property=aid, asserts=frozenset(attr["terms"]),
                     numbers=tuple(float(v) for v in fact.values)),
           (fact.citation,),
           f"The {attr['name']} of {_name(b, mid)} is {shown}." + _note(fact),
           f"{_name(b, mid)} 的{attr['name']}是 {shown}。" + _note(fact),
           [f"{_name(b, mid)} 的 {term} 是 {wrong:g}。"], [f"{_name(b, mid)} 的 {term} 是 {first:g}。"],
           fact.source)


def _cell_claim(b, mid: str, aid: str, attr: dict, fact: ModelFact) -> None:
    """"M uses V": the cell's values are right, the attribute's other values are wrong."""
    right = frozenset(fact.values)
    wrong = frozenset(attr["values"]) - right
    first_wrong = sorted(wrong)[:1]
    _claim(b, f"{PREFIX}/{mid}/{aid}",
           f"{_name(b, mid)} uses {_join(b, fact.values)} ({attr['name']}).",
           f"{_name(b, mid)} 使用 {_join(b, fact.values)}（{attr['name']}）。",
           MatchSpec("slot", subject=frozenset([mid]), property=aid, asserts=right, contradicts=wrong),
           (fact.citation,),
           f"{_name(b, mid)} uses {_join(b, fact.values)}." + _note(fact),
           f"{_name(b, mid)} 使用的是 {_join(b, fact.values)}。" + _note(fact),
           [f"{_name(b, mid)} 使用 {_name(b, w)}。" for w in first_wrong],
           [f"{_name(b, mid)} 使用 {_name(b, sorted(right)[0])}。",
            *(f"{_name(b, mid)} 并没有使用 {_name(b, w)}。" for w in first_wrong)],
           fact.source)


def _family_claims(b, fid: str, members: tuple[str, ...], aid: str, attr: dict, cells: dict, released: dict) -> None:
    """A family is judged by its newest member; values only earlier members had are outdated."""
    member_cells = [(m, cells[(m, aid)]) for m in members if (m, aid) in cells]
    if not member_cells or member_cells[-1][0] != members[-1]:
        return  # judge a family only when its newest member has the cell
    latest_id, latest = member_cells[-1]
    right = frozenset(latest.values)
    earlier: dict[str, list[str]] = {}
    for m, cell in member_cells[:-1]:
        for v in cell.values:
            if v not in right:
                earlier.setdefault(v, []).append(m)
    wrong = frozenset(attr["values"]) - right - set(earlier)
    fam, newest, now = _name(b, fid), _name(b, latest_id), _join(b, latest.values)
    _claim(b, f"{PREFIX}/{fid}/{aid}",
           f"{fam} (newest: {newest}) uses {now} ({attr['name']}).",
           f"{fam}（最新为 {newest}）使用 {now}（{attr['name']}）。",
           MatchSpec("slot", subject=frozenset([fid]), property=aid, asserts=right, contradicts=wrong),
           (latest.citation,),
           f"{newest}, the newest {fam} model, uses {now}.", f"{fam} 系列最新的 {newest} 使用 {now}。",
           [f"{fam} 使用 {_name(b, w)}。" for w in sorted(wrong)[:1]],
           [f"{fam} 使用 {_name(b, sorted(right)[0])}。", f"{fam} 的结构很常见。"],
           latest.source)
    for value, olds in sorted(earlier.items()):
        later = members[members.index(olds[-1]) + 1:]
        since = next((released.get(m, "") for m in later if released.get(m)), "")
        cites = tuple(dict.fromkeys([cells[(olds[-1], aid)].citation, latest.citation]))
        _claim(b, f"{PREFIX}/{fid}/{aid}/{value}",
               f"{fam} uses {_name(b, value)} ({attr['name']}).", f"{fam} 使用 {_name(b, value)}（{attr['name']}）。",
               MatchSpec("slot", subject=frozenset([fid]), property=aid, asserts=frozenset([value])),
               cites,
               f"{_name(b, value)} was right for {_join(b, olds)}; {newest} uses {now}.",
               f"{_name(b, value)} 只适用于 {_join(b, olds)}；{newest} 使用 {now}。",
               [f"{fam} 使用 {_name(b, value)}。"], [f"{_name(b, olds[-1])} 使用 {_name(b, value)}。"],
               cells[(olds[-1], aid)].source,
               verdict="outdated", outdated_since=since or "unknown", replaced_by=now)


def _add(b, claim: Claim) -> None:
    if claim.id in b.claims:
        b.problems.append(_p(claim.source, f"claim id {claim.id!r} is generated twice"))
        return
    b.claims[claim.id] = claim


def _p(source: Source, message: str):
    from lint_notes.errors import Problem

    return Problem(source.path, source.line, message)
