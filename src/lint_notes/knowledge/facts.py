"""Fact tables (claims/models.yaml, claims/facts/*.yaml): read them, then turn each cell into claims.

A fact table lists subjects and, per attribute, the cited values that are right for them:

- ``models``: each model is an entity of kind ``model``; a model may list ``sizes`` (each an entity of
  kind ``model`` too) whose cells override the model's (Llama-2-70B uses GQA, Llama-2-7B MHA). A size
  inherits every cell it does not override. Where the sizes of a model disagree, a value only some of
  them have is ``misleading`` for the model as a whole ("Llama 2 uses GQA": only the 70B does).
- ``families`` (LLaMA, ChatGLM) are judged by their newest member: values right only for an earlier
  member are ``outdated``.
- ``methods``: any entity (a method, a norm, a position encoding ...) with the same kind of cells.

For a categorical attribute the cell's values are right and the attribute's other values are wrong;
for a number attribute the cell lists the right numbers (one per size, or the defensible variants).
"""

from __future__ import annotations

import re
from dataclasses import replace

from lint_notes.knowledge.model import Citation, Claim, MatchSpec, ModelFact, Source
from lint_notes.knowledge.validate import Reader
from lint_notes.knowledge.yamlload import LDict

ATTRIBUTE_KEYS = {"name", "name_zh", "values", "type", "terms", "unit", "phrase", "phrase_zh"}
FAMILY_KEYS = {"aliases", "not", "members"}
MODEL_KEYS = {"aliases", "not", "released", "facts", "family", "sizes"}
SIZE_KEYS = {"aliases", "not", "released", "facts"}
METHOD_KEYS = {"aliases", "not", "kind", "facts"}
FACT_KEYS = {"value", "citation", "note"}
UNITS = ("count", "scaled")  # a plain count (layers, heads), or a magnitude (7B parameters, 2T tokens)
PREFIX = {"model": "model-facts", "method": "method-facts"}
ORIGIN = {"model": "model-table", "method": "method-table"}
_CJK = re.compile(r"[\u3400-\u9fff]")


def read_fact_file(b, data: LDict, r: Reader) -> None:
    """One file's attributes, models (with sizes), families and methods, into the builder."""
    _attributes(b, data, r)
    models = _section(data, "models", r)
    for mid, m, mline in models:
        r.known_keys(m, MODEL_KEYS, f"model {mid!r}")
        if "aliases" in m:
            _subject_entity(b, r, mid, m, mline, "model")
        elif "not" in m:
            r.error(m.line, f"model {mid!r}: 'not' defines an entity and needs 'aliases'")
        # without aliases, the model is an entity (kind model) defined in another file
        b.fact_subjects[mid] = {"table": "model", "parent": None, "source": Source(r.path, mline)}
        _released(b, r, mid, m)
        _facts(b, r, mid, m)
        sizes = m.get("sizes")
        if sizes is None:
            continue
        if not isinstance(sizes, dict):
            r.error(m.line_of("sizes"), f"model {mid!r}: 'sizes' must be a mapping of size id -> spec")
            continue
        for sid, spec in sizes.items():
            sid, sline = str(sid), sizes.line_of(sid)
            s = r.mapping(spec, sline, f"size {sid!r} of {mid!r}")
            if s is None:
                continue
            r.known_keys(s, SIZE_KEYS, f"size {sid!r}")
            if "aliases" in s:
                _subject_entity(b, r, sid, s, sline, "model")
            elif "not" in s:
                r.error(s.line, f"size {sid!r}: 'not' defines an entity and needs 'aliases'")
            # without aliases, the size is named in another table (that table gives its aliases); this one adds cells
            known = b.fact_subjects.get(sid)
            if known is not None and known["parent"] != mid:
                r.error(sline, f"size {sid!r} is already listed under {known['parent']!r} at {known['source']}")
                continue
            b.fact_subjects[sid] = {"table": "model", "parent": mid, "source": Source(r.path, sline)}
            _released(b, r, sid, s)
            _facts(b, r, sid, s)
    for fid, m, fline in _section(data, "families", r):
        r.known_keys(m, FAMILY_KEYS, f"family {fid!r}")
        _subject_entity(b, r, fid, m, fline, "model")
        members = r.string_list(m, "members", f"family {fid!r}")
        if not members:
            r.error(m.line, f"family {fid!r} needs 'members' (model ids, oldest first)")
        b.families[fid] = tuple(members)
        b.family_sources[fid] = Source(r.path, fline)
    for sid, m, sline in _section(data, "methods", r):
        r.known_keys(m, METHOD_KEYS, f"method {sid!r}")
        if "aliases" in m:
            _subject_entity(b, r, sid, m, sline, r.string(m, "kind", f"method {sid!r}") or "method")
        elif "kind" in m or "not" in m:
            r.error(m.line, f"method {sid!r}: 'kind' and 'not' define an entity and need 'aliases'")
        known = b.fact_subjects.get(sid)
        if known is not None and known["table"] != "method":
            r.error(sline, f"method {sid!r} is already listed as a model at {known['source']}")
            continue
        # several method tables may give cells for one method (a cell given twice is an error)
        b.fact_subjects.setdefault(sid, {"table": "method", "parent": None, "source": Source(r.path, sline)})
        _facts(b, r, sid, m)


def _section(data: LDict, key: str, r: Reader):
    raw = data.get(key)
    if raw is None:
        return []
    if not isinstance(raw, dict):
        r.error(data.line_of(key), f"'{key}' must be a mapping of id -> spec")
        return []
    out = []
    for sid, spec in raw.items():
        line = raw.line_of(sid)
        m = r.mapping(spec, line, f"{key[:-1]} {sid!r}")
        if m is not None:
            out.append((str(sid), m, line))
    return out


def _attributes(b, data: LDict, r: Reader) -> None:
    for aid, m, line in _section(data, "attributes", r):
        what = f"attribute {aid!r}"
        r.known_keys(m, ATTRIBUTE_KEYS, what)
        if aid in b.attributes:
            r.error(line, f"{what} is already defined at {b.attributes[aid]['source']}")
            continue
        kind = r.string(m, "type", what) or "category"
        if kind not in ("category", "number"):
            r.error(m.line_of("type"), f"{what}: type must be 'category' or 'number'")
        values = r.string_list(m, "values", what)
        if kind == "category" and not values:
            r.error(m.line, f"{what} needs 'values' (entity ids)")
        terms = r.string_list(m, "terms", what)
        unit = r.string(m, "unit", what) or "count"
        if unit not in UNITS:
            r.error(m.line_of("unit"), f"{what}: unit must be one of {', '.join(UNITS)}")
        if kind == "number" and not terms:
            r.error(m.line, f"{what}: a number attribute needs 'terms' (the entities that name it in a sentence)")
        b.attributes[aid] = {
            "name": r.string(m, "name", what) or aid,
            "name_zh": r.string(m, "name_zh", what),
            "type": kind,
            "values": tuple(values),
            "terms": tuple(terms),
            "unit": unit,
            "phrase": r.string(m, "phrase", what),
            "phrase_zh": r.string(m, "phrase_zh", what),
            "source": Source(r.path, line),
        }


def _subject_entity(b, r: Reader, eid: str, spec: LDict, line: int, kind: str) -> None:
    """A model, size, family or newly named method is an entity with the spec's aliases and near-misses."""
    entity_spec = LDict({k: spec[k] for k in ("aliases", "not") if k in spec})
    entity_spec.line, entity_spec.key_lines = spec.line, spec.key_lines
    b._entity(eid, entity_spec, line, r, kind=kind)


def _released(b, r: Reader, sid: str, m: LDict) -> None:
    raw = m.get("released")
    if raw is None:
        return
    if isinstance(raw, dict):  # {value: 2023-07, citation: {...}}
        cell = r.mapping(raw, m.line_of("released"), f"{sid!r}: released")
        if cell is None:
            return
        b.released[sid] = r.date(cell, "value", f"{sid!r}: released")
        _fact(b, r, sid, "release-date", cell, m.line_of("released"), keep_raw=True)
    else:
        b.released[sid] = r.date(m, "released", f"{sid!r}")


def _facts(b, r: Reader, sid: str, m: LDict) -> None:
    facts = m.get("facts")
    if facts is None:
        return
    if not isinstance(facts, dict):
        r.error(m.line_of("facts"), f"{sid!r}: 'facts' must be a mapping of attribute -> cell")
        return
    for aid, cell in facts.items():
        _fact(b, r, sid, str(aid), cell, facts.line_of(aid))


def _fact(b, r: Reader, sid: str, aid: str, cell, line: int, keep_raw: bool = False) -> None:
    what = f"{sid!r}: fact {aid!r}"
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
    if keep_raw:
        values = [str(v) for v in values]
    b.model_facts.append(ModelFact(sid, aid, tuple(values), citation, r.string(m, "note", what), Source(r.path, line)))


# --- names ------------------------------------------------------------------------------
def _name(b, eid: str) -> str:
    ent = b.entities.get(eid)
    return ent.aliases[0] if ent and ent.aliases else eid


def _name_zh(b, eid: str) -> str:
    """The first Chinese alias, else the first alias (names such as RoPE stay as written)."""
    ent = b.entities.get(eid)
    if ent is None:
        return eid
    return next((a for a in ent.aliases if _CJK.search(a)), ent.aliases[0] if ent.aliases else eid)


def _join(b, ids, zh: bool = False) -> str:
    return (" / " if not zh else "、").join((_name_zh if zh else _name)(b, i) for i in ids)


def _number_text(v) -> str:
    return f"{v:,}" if isinstance(v, int) or (isinstance(v, float) and v.is_integer()) else f"{v:g}"


def _says(b, attr: dict, subject: str, values, zh: bool) -> str:
    """"S uses V (attribute)" in the attribute's own words when it gives a phrase."""
    if attr["type"] == "number":
        show = _number_text if attr["unit"] == "count" else _magnitude
        shown = " / ".join(show(v) for v in values)
    else:
        shown = _join(b, values, zh)
    subj = _name(b, subject)
    phrase = attr["phrase_zh"] if zh else attr["phrase"]
    if phrase:
        return phrase.format(subject=subj, value=shown)
    if zh:
        name = attr["name_zh"] or attr["name"]
        return f"{subj} 的{name}是 {shown}"
    return f"The {attr['name']} of {subj} is {shown}"


# --- claims -----------------------------------------------------------------------------
def generate_claims(b) -> None:
    """Validate the tables' references and add one claim per cell (and per family and model)."""
    if not b.model_facts and not b.families:
        return
    attrs = b.attributes
    cells: dict[tuple[str, str], ModelFact] = {}
    for fact in b.model_facts:
        if fact.attribute == "release-date":
            continue  # recorded and cited; not matched in sentences
        attr = attrs.get(fact.attribute)
        where = fact.source
        if attr is None:
            b.problems.append(_p(where, f"{fact.model!r}: unknown attribute {fact.attribute!r} "
                                        f"(known: {', '.join(sorted(attrs))})"))
            continue
        if (fact.model, fact.attribute) in cells:
            b.problems.append(_p(where, f"{fact.model!r}: {fact.attribute} is given twice "
                                        f"(also at {cells[(fact.model, fact.attribute)].source})"))
            continue
        if attr["type"] == "number":
            numbers = [_to_number(v) for v in fact.values]
            if None in numbers:
                b.problems.append(_p(where, f"{fact.model!r}: {fact.attribute} must be a number "
                                            f"(such as 4096, 6.7e9 or 6.7B), not {list(fact.values)}"))
                continue
            fact = replace(fact, values=tuple(numbers))
        else:
            bad = [v for v in fact.values if not isinstance(v, str) or v not in attr["values"]]
            if bad:
                b.problems.append(_p(where, f"{fact.model!r}: {fact.attribute} value(s) {bad} not among "
                                            f"the attribute's values {list(attr['values'])}"))
                continue
        cells[(fact.model, fact.attribute)] = fact
    for aid, attr in attrs.items():
        for v in attr["values"] + attr["terms"]:
            if v not in b.entities:
                b.problems.append(_p(attr["source"], f"attribute {aid!r}: unknown entity {v!r}"))
    for sid, info in b.fact_subjects.items():
        if sid not in b.entities:
            b.problems.append(_p(info["source"], f"{info['table']} {sid!r}: unknown entity (give it 'aliases' "
                                                 "here, or define it in entities.yaml or a topic file)"))
        elif info["table"] == "model" and b.entities[sid].kind != "model":
            b.problems.append(_p(info["source"], f"model {sid!r}: the entity has kind "
                                                 f"{b.entities[sid].kind!r}, not 'model'"))
    for fid, members in b.families.items():
        for mid in members:
            if b.fact_subjects.get(mid, {}).get("table") != "model":
                b.problems.append(_p(b.family_sources[fid], f"family {fid!r}: unknown member model {mid!r}"))
    if b.problems:
        return

    sizes: dict[str, list[str]] = {}
    for sid, info in b.fact_subjects.items():
        if info["parent"]:
            sizes.setdefault(info["parent"], []).append(sid)
    effective = dict(cells)  # a size inherits the cells of its model it does not override
    for mid, members in sizes.items():
        for (subject, aid), fact in list(cells.items()):
            if subject == mid:
                for sid in members:
                    effective.setdefault((sid, aid), fact)
    for (sid, aid), fact in sorted(effective.items()):
        if sid in sizes and any((s, aid) in effective for s in sizes[sid]):
            continue  # a model with sizes is judged from its sizes (below)
        table = b.fact_subjects[sid]["table"]
        if attrs[aid]["type"] == "number":
            _number_claim(b, table, sid, aid, attrs[aid], fact.values, (fact.citation,), fact.note, fact.source)
        else:
            _cell_claim(b, table, sid, aid, attrs[aid], fact)
    _written_claims_cover_sizes(b, sizes)
    for mid, members in sorted(sizes.items()):
        for aid, attr in attrs.items():
            size_cells = [(s, effective[(s, aid)]) for s in members if (s, aid) in effective]
            if size_cells:
                _model_from_sizes(b, mid, aid, attr, size_cells, sizes)
    for fid, members in sorted(b.families.items()):
        for aid, attr in attrs.items():
            if attr["type"] == "category":
                _family_claims(b, fid, members, aid, attr, effective, sizes)
            else:
                _family_numbers(b, fid, members, aid, attr, effective, sizes)


def _written_claims_cover_sizes(b, sizes: dict[str, list[str]]) -> None:
    """A written claim about a model is about each of its sizes too ("LLaMA-7B 使用 LayerNorm")."""
    if not sizes:
        return

    def widen(ids: frozenset[str]) -> frozenset[str]:
        extra = [s for m in ids if m in sizes for s in sizes[m]]
        return ids | frozenset(extra) if extra else ids

    for cid, claim in list(b.claims.items()):
        if claim.origin != "claims":
            continue
        spec = claim.match
        new = replace(spec, subject=widen(spec.subject), none=widen(spec.none),
                      groups=tuple(widen(g) for g in spec.groups))
        if new != spec:
            b.claims[cid] = replace(claim, match=new)


def _claim(b, cid: str, statement: str, statement_zh: str, match: MatchSpec, citations, correction: str,
           correction_zh: str, flag, passing, source: Source, table: str = "model", **extra) -> None:
    """One generated claim: topic, origin and verdict (true unless given) are the table's."""
    _add(b, Claim(id=cid, topic=PREFIX[table], statement=statement, statement_zh=statement_zh,
                  verdict=extra.pop("verdict", "true"), match=match, citations=tuple(citations),
                  correction=correction, correction_zh=correction_zh, examples_flag=tuple(flag),
                  examples_pass=tuple(passing), origin=ORIGIN[table], source=source, **extra))


def _note(note: str) -> str:
    return f" {note}" if note else ""


def _number_claim(b, table: str, sid: str, aid: str, attr: dict, values, citations, note: str,
                  source: Source) -> None:
    """"S's vocabulary size is N": the attribute's terms must be read next to the number."""
    first = values[0]
    wrong = max(values) * 3 if first > 100 else max(values) + 7  # far from every right value
    term = _name(b, attr["terms"][0])
    en, zh = _says(b, attr, sid, values, False), _says(b, attr, sid, values, True)
    shown = _number_text(first) if attr["unit"] == "count" else _magnitude(first)
    shown_wrong = _number_text(wrong) if attr["unit"] == "count" else _magnitude(wrong)
    _claim(b, f"{PREFIX[table]}/{sid}/{aid}", en + ".", zh + "。",
           MatchSpec("number", subject=frozenset([sid]), property=aid, asserts=frozenset(attr["terms"]),
                     numbers=tuple(float(v) for v in values), unit=attr["unit"]),
           citations, en + "." + _note(note), zh + "。" + _note(note),
           [f"{_name(b, sid)} 的 {term} 是 {shown_wrong}。"], [f"{_name(b, sid)} 的 {term} 是 {shown}。"],
           source, table)


def _magnitude(v: float) -> str:
    for unit, size in (("T", 1e12), ("B", 1e9), ("M", 1e6)):
        if v >= size:
            return f"{v / size:g}{unit}"
    return f"{v:g}"


def _cell_claim(b, table: str, sid: str, aid: str, attr: dict, fact: ModelFact) -> None:
    """"S uses V": the cell's values are right, the attribute's other values are wrong."""
    right = frozenset(fact.values)
    wrong = frozenset(attr["values"]) - right
    first_wrong = sorted(wrong)[:1]
    en, zh = _says(b, attr, sid, fact.values, False), _says(b, attr, sid, fact.values, True)
    _claim(b, f"{PREFIX[table]}/{sid}/{aid}", en + ".", zh + "。",
           MatchSpec("slot", subject=frozenset([sid]), property=aid, asserts=right, contradicts=wrong),
           (fact.citation,), en + "." + _note(fact.note), zh + "。" + _note(fact.note),
           *_cell_examples(b, attr, sid, sorted(right)[0], first_wrong),
           fact.source, table)


def _cell_examples(b, attr: dict, sid: str, right: str, wrong: list[str]) -> tuple[list[str], list[str]]:
    """Flag and pass examples of a cell: "S uses W" / "S uses R", or the attribute's own phrase."""
    if attr["phrase_zh"]:
        return ([_says(b, attr, sid, [w], True) + "。" for w in wrong],
                [_says(b, attr, sid, [right], True) + "。", *(f"认为{_says(b, attr, sid, [w], True)}是错误的。" for w in wrong)])
    return ([f"{_name(b, sid)} 使用 {_name(b, w)}。" for w in wrong],
            [f"{_name(b, sid)} 使用 {_name(b, right)}。", *(f"{_name(b, sid)} 并没有使用 {_name(b, w)}。" for w in wrong)])


def _model_from_sizes(b, mid: str, aid: str, attr: dict, size_cells, sizes_of: dict) -> None:
    """A model is judged from its sizes: numbers of any size are right; a category value of only some
    sizes is misleading for the model as a whole."""
    citations = tuple(dict.fromkeys(c.citation for _, c in size_cells))
    source = size_cells[0][1].source
    if attr["type"] == "number":
        if len(size_cells) < len(sizes_of.get(mid, ())):
            return  # a number of the model as a whole is known only when every size has it
        values = sorted({v for _, c in size_cells for v in c.values})
        _number_claim(b, "model", mid, aid, attr, values, citations,
                      "(" + "; ".join(f"{_name(b, s)}: {' / '.join(_number_text(v) for v in c.values)}"
                                      for s, c in size_cells) + ")", source)
        return
    every = frozenset.intersection(*(frozenset(c.values) for _, c in size_cells))
    some = frozenset().union(*(frozenset(c.values) for _, c in size_cells))
    wrong = frozenset(attr["values"]) - some
    by_size = "; ".join(f"{_name(b, s)}: {_join(b, c.values)}" for s, c in size_cells)
    by_size_zh = "；".join(f"{_name(b, s)}：{_join(b, c.values, True)}" for s, c in size_cells)
    base = f"model-facts/{mid}/{aid}"
    en, zh = _says(b, attr, mid, sorted(some), False), _says(b, attr, mid, sorted(some), True)
    _claim(b, base, en + ".", zh + "。",
           MatchSpec("slot", subject=frozenset([mid]), property=aid, asserts=some, contradicts=wrong),
           citations, f"{en} ({by_size}).", f"{zh}（{by_size_zh}）。",
           [f"{_name(b, mid)} 使用 {_name(b, w)}。" for w in sorted(wrong)[:1]] or
           [f"{_name(b, mid)} 并没有使用 {_name(b, sorted(some)[0])}。"],
           [f"{_name(b, mid)} 使用 {_name(b, sorted(some)[0])}。", f"{_name(b, mid)} 的结构很常见。"],
           source, "model")
    for value in sorted(some - every):
        holders = [s for s, c in size_cells if value in c.values]
        en_v, zh_v = _says(b, attr, mid, [value], False), _says(b, attr, mid, [value], True)
        _claim(b, f"{base}/{value}", en_v + ".", zh_v + "。",
               MatchSpec("slot", subject=frozenset([mid]), property=aid, asserts=frozenset([value])),
               citations,
               f"Only {_join(b, holders)} use {_name(b, value)}; by size: {by_size}.",
               f"只有 {_join(b, holders, True)} 使用 {_name_zh(b, value)}；各尺寸：{by_size_zh}。",
               [f"{_name(b, mid)} 使用 {_name(b, value)}。", f"{_name(b, mid)} 采用了 {_name(b, value)}。"],
               [f"{_name(b, holders[0])} 使用 {_name(b, value)}。", f"{_name(b, mid)} 并没有使用 {_name(b, value)}。"],
               source, "model", verdict="misleading", suppresses=(base,))


def _family_claims(b, fid: str, members: tuple[str, ...], aid: str, attr: dict, cells: dict, sizes: dict) -> None:
    """A family is judged by its newest member; values only earlier members had are outdated."""
    member_cells = [(m, _member_values(m, aid, cells, sizes)) for m in members]
    member_cells = [(m, v) for m, v in member_cells if v[0]]
    if not member_cells or member_cells[-1][0] != members[-1]:
        return  # judge a family only when its newest member has the cell
    latest_id, (right, latest_cites) = member_cells[-1]
    latest_source = _member_source(latest_id, aid, cells, sizes)
    earlier: dict[str, list[str]] = {}
    for m, (vals, _) in member_cells[:-1]:
        for v in vals:
            if v not in right:
                earlier.setdefault(v, []).append(m)
    wrong = frozenset(attr["values"]) - right - set(earlier)
    fam, newest, now = _name(b, fid), _name(b, latest_id), _join(b, sorted(right))
    _claim(b, f"model-facts/{fid}/{aid}",
           f"{fam} (newest: {newest}) uses {now} ({attr['name']}).",
           f"{fam}（最新为 {newest}）使用 {_join(b, sorted(right), True)}（{attr['name_zh'] or attr['name']}）。",
           MatchSpec("slot", subject=frozenset([fid]), property=aid, asserts=right, contradicts=wrong),
           latest_cites,
           f"{newest}, the newest {fam} model, uses {now}.", f"{fam} 系列最新的 {newest} 使用 {_join(b, sorted(right), True)}。",
           [f"{fam} 使用 {_name(b, w)}。" for w in sorted(wrong)[:1]] or [f"{fam} 并没有使用 {_name(b, sorted(right)[0])}。"],
           [f"{fam} 使用 {_name(b, sorted(right)[0])}。", f"{fam} 的结构很常见。"],
           latest_source)
    for value, olds in sorted(earlier.items()):
        later = members[members.index(olds[-1]) + 1:]
        since = next((b.released.get(m, "") for m in later if b.released.get(m)), "")
        old_cites = _member_values(olds[-1], aid, cells, sizes)[1]
        _claim(b, f"model-facts/{fid}/{aid}/{value}",
               f"{fam} uses {_name(b, value)} ({attr['name']}).",
               f"{fam} 使用 {_name_zh(b, value)}（{attr['name_zh'] or attr['name']}）。",
               MatchSpec("slot", subject=frozenset([fid]), property=aid, asserts=frozenset([value])),
               tuple(dict.fromkeys(old_cites + latest_cites)),
               f"{_name(b, value)} was right for {_join(b, olds)}; {newest} uses {now}.",
               f"{_name_zh(b, value)} 只适用于 {_join(b, olds)}；{newest} 使用 {_join(b, sorted(right), True)}。",
               [f"{fam} 使用 {_name(b, value)}。"], [f"{_name(b, olds[-1])} 使用 {_name(b, value)}。"],
               _member_source(olds[-1], aid, cells, sizes),
               verdict="outdated", outdated_since=since or "unknown", replaced_by=now)


def _member_values(mid: str, aid: str, cells: dict, sizes: dict) -> tuple[frozenset, tuple]:
    """A family member's values for an attribute: its own cell, or all its sizes' values."""
    if mid in sizes and any((s, aid) in cells for s in sizes[mid]):
        found = [cells[(s, aid)] for s in sizes[mid] if (s, aid) in cells]
    elif (mid, aid) in cells:
        found = [cells[(mid, aid)]]
    else:
        return frozenset(), ()
    return frozenset(v for c in found for v in c.values), tuple(dict.fromkeys(c.citation for c in found))


def _member_source(mid: str, aid: str, cells: dict, sizes: dict) -> Source:
    for key in [(mid, aid), *((s, aid) for s in sizes.get(mid, ()))]:
        if key in cells:
            return cells[key].source
    return Source("", 0)


def _family_numbers(b, fid: str, members, aid: str, attr: dict, cells: dict, sizes: dict) -> None:
    """A number stated for a family is right when any member (or size) has it."""
    values, cites, source = set(), [], None
    for m in members:
        vals, c = _member_values(m, aid, cells, sizes)
        if not vals or (m in sizes and sum((s, aid) in cells for s in sizes[m]) < len(sizes[m])):
            return  # a number of the family is known only when every member (and size) has it
        values |= set(vals)
        cites.extend(c)
        source = source or (_member_source(m, aid, cells, sizes) if vals else None)
    if values:
        _number_claim(b, "model", fid, aid, attr, sorted(values), tuple(dict.fromkeys(cites)),
                      "(any model of the family)", source or Source("", 0))


_SCALE = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def _to_number(v) -> int | float | None:
    """A cell's number: YAML's int or float, or a string such as "6.7e9", "6.7B", "2T", "32,000"."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return v
    if not isinstance(v, str):
        return None
    text = v.strip().replace(",", "").replace("_", "")
    scale = _SCALE.get(text[-1:].upper(), 1) if text[-1:].isalpha() and text[-1:].upper() in _SCALE else 1
    if scale != 1:
        text = text[:-1]
    try:
        value = float(text) * scale
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


def _add(b, claim: Claim) -> None:
    if claim.id in b.claims:
        b.problems.append(_p(claim.source, f"claim id {claim.id!r} is generated twice"))
        return
    b.claims[claim.id] = claim


def _p(source: Source, message: str):
    from lint_notes.errors import Problem

    return Problem(source.path, source.line, message)
