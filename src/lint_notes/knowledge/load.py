"""YAML files -> KnowledgeBase, validating everything and reporting file:line problems."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from lint_notes.errors import KnowledgeError, Problem
from lint_notes.knowledge.model import (
    SCOPES,
    SEVERITIES,
    VERDICTS,
    Citation,
    Claim,
    Entity,
    KnowledgeBase,
    Lexicon,
    MatchSpec,
    ModelFact,
    Rule,
    Source,
)
from lint_notes.knowledge.validate import Reader
from lint_notes.knowledge.yamlload import LDict, LList, YamlFileError, load_yaml_file
from lint_notes.knowledge.paths import bundled_dirs, yaml_files
from lint_notes.text.normalize import alias_key, join_cjk

CLAIM_FILE_KEYS = {"schema_version", "topic", "entities", "claims", "reviewed"}
FACT_FILE_KEYS = {"schema_version", "attributes", "entities", "families", "models", "methods", "reviewed"}
RULE_FILE_KEYS = {"schema_version", "rules"}
LEXICON_FILE_KEYS = {"schema_version", "lexicon", "kind_groups", "anaphora_kinds", "examples_terms"}
CONSTRUCTION_FILE_KEYS = {"schema_version", "constructions"}
CONSTRUCTION_KEYS = {"id", "description", "cue", "pattern", "effect", "examples", "same_kind"}
ENTITY_KEYS = {"aliases", "not", "kind"}
EXTEND_KEYS = {"extend", "aliases", "not"}
CLAIM_KEYS = {
    "id", "topic", "statement", "statement_zh", "verdict", "correction", "correction_zh",
    "citations", "reviewed", "outdated", "match", "examples", "suppresses", "contested", "seen_in_files",
}
CITATION_KEYS = {"title", "url", "locator", "quote"}
MATCH_KEYS = {"subject", "property", "asserts", "contradicts", "also", "all", "none", "scope",
              "section_all", "section_none", "via"}
VIA = ("identity",)
RULE_KEYS = {"id", "when", "severity", "message", "message_zh", "description"}
WHEN_KEYS = {"verdict", "relation", "confidence", "origin"}
LEXICON_CATEGORIES = {
    "negation", "contrast_negation", "clause_break", "unlike", "not_negation", "post_negation", "hedge",
    "question", "misconception", "anaphora", "comparative", "coordinator", "change", "verb_negation", "scope_end",
    "opening_connective", "attribute_label", "application_label",
}

class _Builder:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.entities: dict[str, Entity] = {}
        self.claims: dict[str, Claim] = {}
        self.rules: list[Rule] = []
        self.rule_sources: dict[str, Source] = {}
        self.lexicon_cats: dict[str, list[str]] = {}
        self.kind_groups: list[frozenset[str]] = []
        self.anaphora_kinds: dict[str, tuple[str, ...]] = {}
        self.examples_terms: list[tuple[str, Source]] = []
        self.lexicon_source: Source | None = None
        self.alias_owner: dict[str, tuple[str, Source]] = {}
        self.model_facts: list[ModelFact] = []  # every cell of every fact table
        self.attributes: dict[str, dict] = {}
        self.families: dict[str, tuple[str, ...]] = {}
        self.family_sources: dict[str, Source] = {}
        self.fact_subjects: dict[str, dict] = {}  # subject id -> {table: model|method, parent, source}
        self.released: dict[str, str] = {}
        self.files: list[str] = []
        self.hasher = hashlib.sha256()
        self.pending_claims: list[tuple[LDict, Reader, str]] = []
        self.pending_extensions: list[tuple[str, LDict, int, Reader]] = []
        self.constructions: list = []

    # --- files ----------------------------------------------------------------
    def read(self, path: Path):
        self.files.append(str(path))
        try:
            self.hasher.update(str(path).encode() + b"\0" + path.read_bytes())
        except OSError:
            pass
        try:
            data = load_yaml_file(path)
        except YamlFileError as exc:
            self.problems.extend(exc.problems)
            return None
        if data is None:
            self.problems.append(Problem(str(path), 1, "the file is empty; remove it or add content"))
            return None
        if not isinstance(data, dict):
            self.problems.append(Problem(str(path), getattr(data, "line", 1),
                                         "the file must be a mapping with schema_version and its sections"))
            return None
        version = data.get("schema_version")
        if version != 1:
            self.problems.append(Problem(str(path), data.line_of("schema_version"),
                                         f"schema_version must be 1, not {version!r}"))
        return data

    def load_claim_file(self, path: Path) -> None:
        data = self.read(path)
        if data is None:
            return
        r = Reader(str(path))
        if any(k in data for k in ("models", "attributes", "families", "methods")):
            self._fact_file(data, r)
        else:
            r.known_keys(data, CLAIM_FILE_KEYS, "a claims file")
            if "claims" not in data and "entities" not in data:
                r.error(data.line, "a claims file needs 'claims:' or 'entities:'")
            topic = r.string(data, "topic", "file")
            self._entities(data.get("entities"), data.line_of("entities"), r)
            claims = data.get("claims")
            if claims is not None:
                if not isinstance(claims, list):
                    r.error(data.line_of("claims"), "'claims' must be a list of claims")
                else:
                    for i, item in enumerate(claims):
                        c = r.mapping(item, claims.line_of(i), f"claim {i + 1}")
                        if c is not None:
                            self.pending_claims.append((c, r, topic or path.stem))
        self.problems.extend(r.problems)
        r.problems = self.problems  # later claim parsing appends directly

    def load_rule_file(self, path: Path) -> None:
        data = self.read(path)
        if data is None:
            return
        r = Reader(str(path))
        if "lexicon" in data:
            r.known_keys(data, LEXICON_FILE_KEYS, "a lexicon file")
            self._lexicon(data, r)
        elif "constructions" in data:
            r.known_keys(data, CONSTRUCTION_FILE_KEYS, "a constructions file")
            self._constructions(data, r)
        else:
            r.known_keys(data, RULE_FILE_KEYS, "a rules file")
            rules = data.get("rules")
            if not isinstance(rules, list):
                r.error(data.line_of("rules"), "'rules' must be a list of rules")
            else:
                for i, item in enumerate(rules):
                    m = r.mapping(item, rules.line_of(i), f"rule {i + 1}")
                    if m is not None:
                        self._rule(m, r)
        self.problems.extend(r.problems)

    # --- entities ---------------------------------------------------------------
    def _entities(self, entities, line: int, r: Reader) -> None:
        if entities is None:
            return
        if not isinstance(entities, dict):
            r.error(line, "'entities' must be a mapping of id -> {aliases: [...]}")
            return
        for eid, spec in entities.items():
            eline = entities.line_of(eid)
            if isinstance(spec, dict) and "extend" in spec:
                r.known_keys(spec, EXTEND_KEYS, f"entity {eid!r} (extend)")
                if r.boolean(spec, "extend", f"entity {eid!r}"):
                    self.pending_extensions.append((str(eid), spec, eline, r))
                    continue
            self._entity(str(eid), spec, eline, r)

    def _entity(self, eid: str, spec, eline: int, r: Reader, kind: str | None = None,
                extra_keys: set[str] = frozenset()) -> Entity | None:
        from lint_notes.knowledge.validate import ID_RE

        if not ID_RE.match(eid):
            r.error(eline, f"entity id {eid!r} is not a valid id (lower-case letters, digits, '-', '.')")
        if isinstance(spec, list):  # shorthand: id: [alias, ...]
            spec_d = LDict(aliases=spec)
            spec_d.line, spec_d.key_lines = eline, {"aliases": eline}
            spec = spec_d
        m = r.mapping(spec, eline, f"entity {eid!r}")
        if m is None:
            return None
        r.known_keys(m, ENTITY_KEYS | set(extra_keys), f"entity {eid!r}")
        aliases = r.string_list(m, "aliases", f"entity {eid!r}")
        if not aliases:
            r.error(m.line, f"entity {eid!r} needs at least one alias in 'aliases'")
        not_aliases = r.string_list(m, "not", f"entity {eid!r}")
        kind = r.string(m, "kind", f"entity {eid!r}") or kind
        source = Source(r.path, eline)
        if eid in self.entities:
            prev = self.entities[eid].source
            r.error(eline, f"duplicate entity id {eid!r} (also defined at {prev})")
            return None
        entity = Entity(eid, tuple(aliases), tuple(not_aliases), kind or None, source)
        self.entities[eid] = entity
        for i, alias in enumerate(aliases):
            self._own_alias(alias, eid, Source(r.path, _item_line(m, "aliases", i)), r)
        for i, alias in enumerate(not_aliases):
            self._own_alias(alias, f"!{eid}", Source(r.path, _item_line(m, "not", i)), r)
        return entity

    def _own_alias(self, alias: str, owner: str, source: Source, r: Reader) -> None:
        key, _ = alias_key(alias)
        if not key:
            r.error(source.line, f"alias {alias!r} is empty after normalisation")
            return
        prev = self.alias_owner.get(key)
        if prev is None:
            self.alias_owner[key] = (owner, source)
            return
        if prev[0] == owner:
            return  # the same entity lists two spellings that normalise alike
        if prev[0].startswith("!") or owner.startswith("!"):
            # a near-miss ("not:") of one entity may equal an alias of another: the alias wins
            if owner.startswith("!"):
                return
            self.alias_owner[key] = (owner, source)
            return
        r.error(source.line, f"alias {alias!r} of {owner!r} is already an alias of {prev[0]!r} ({prev[1]}); "
                             "an alias may belong to one entity only")

    def apply_extensions(self) -> None:
        """``extend: true`` adds aliases (and near-misses) to an entity defined in another file or folder,
        so that a user's claims folder can teach the bundled vocabulary new spellings."""
        for eid, spec, eline, r in self.pending_extensions:
            base = self.entities.get(eid)
            if base is None:
                r.error(eline, f"entity {eid!r}: 'extend: true' needs an entity {eid!r} defined elsewhere")
                continue
            aliases = r.string_list(spec, "aliases", f"entity {eid!r}")
            not_aliases = r.string_list(spec, "not", f"entity {eid!r}")
            if not aliases and not not_aliases:
                r.error(eline, f"entity {eid!r}: an extension needs 'aliases' or 'not'")
            for i, alias in enumerate(aliases):
                self._own_alias(alias, eid, Source(r.path, _item_line(spec, "aliases", i)), r)
            for i, alias in enumerate(not_aliases):
                self._own_alias(alias, f"!{eid}", Source(r.path, _item_line(spec, "not", i)), r)
            self.entities[eid] = replace(base, aliases=base.aliases + tuple(a for a in aliases if a not in base.aliases),
                                         not_aliases=base.not_aliases + tuple(not_aliases))

    # --- claims -------------------------------------------------------------------
    def build_claims(self) -> None:
        for data, r, topic in self.pending_claims:
            self._claim(data, r, topic)

    def _claim(self, c: LDict, r: Reader, file_topic: str) -> None:
        cid = r.identifier(c, "id", "claim")
        what = f"claim {cid!r}" if cid else "claim"
        r.known_keys(c, CLAIM_KEYS, what)
        if not r.required(c, ["id", "statement", "statement_zh", "verdict", "citations", "reviewed",
                              "match", "examples"], what):
            if not cid:
                return
        verdict = r.string(c, "verdict", what).lower()
        if verdict and verdict not in VERDICTS:
            r.error(c.line_of("verdict"), f"{what}: verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
        correction = r.string(c, "correction", what)
        correction_zh = join_cjk(r.string(c, "correction_zh", what))
        if verdict and verdict != "true":
            for key, value in (("correction", correction), ("correction_zh", correction_zh)):
                if not value:
                    r.error(c.line, f"{what}: a {verdict} claim needs {key!r}")
        citations = self._citations(c, r, what)
        since = replaced = ""
        outdated = c.get("outdated")
        if outdated is not None:
            o = r.mapping(outdated, c.line_of("outdated"), f"{what}: outdated")
            if o is not None:
                r.known_keys(o, {"since", "replaced_by"}, f"{what}: outdated")
                since = r.date(o, "since", f"{what}: outdated")
                replaced = r.string(o, "replaced_by", f"{what}: outdated")
        if verdict == "outdated" and not (since and replaced):
            r.error(c.line, f"{what}: an outdated claim needs 'outdated: {{since: YYYY-MM, replaced_by: ...}}'")
        match = self._match(c.get("match"), c.line_of("match"), r, what)
        flag, passing = self._examples(c.get("examples"), c.line_of("examples"), r, what)
        claim = Claim(
            id=cid,
            topic=r.string(c, "topic", what) or file_topic,
            statement=r.string(c, "statement", what),
            statement_zh=join_cjk(r.string(c, "statement_zh", what)),
            verdict=verdict,
            match=match or MatchSpec("group"),
            citations=tuple(citations),
            correction=correction,
            correction_zh=correction_zh,
            reviewed=r.date(c, "reviewed", what),
            outdated_since=since,
            replaced_by=replaced,
            examples_flag=tuple(flag),
            examples_pass=tuple(passing),
            suppresses=tuple(r.string_list(c, "suppresses", what)),
            seen_in_files=r.integer(c, "seen_in_files", what, minimum=1),
            source=Source(r.path, c.line),
        )
        if not cid or match is None:
            return
        if cid in self.claims:
            r.error(c.line, f"duplicate claim id {cid!r} (also defined at {self.claims[cid].source})")
            return
        self.claims[cid] = claim

    def _citations(self, c: LDict, r: Reader, what: str) -> list[Citation]:
        raw = c.get("citations")
        if raw is None:
            return []
        if not isinstance(raw, list) or not raw:
            r.error(c.line_of("citations"), f"{what}: 'citations' must be a non-empty list")
            return []
        out = []
        for i, item in enumerate(raw):
            m = r.mapping(item, raw.line_of(i), f"{what}: citation {i + 1}")
            if m is None:
                continue
            cw = f"{what}: citation {i + 1}"
            r.known_keys(m, CITATION_KEYS, cw)
            r.required(m, ["title", "url", "locator"], cw)
            url = r.string(m, "url", cw)
            if url and not url.startswith(("https://", "http://")):
                r.error(m.line_of("url"), f"{cw}: url must start with https:// (got {url!r})")
            out.append(Citation(r.string(m, "title", cw), url, r.string(m, "locator", cw),
                                r.string(m, "quote", cw) or None))
        return out

    def _groups(self, m: LDict, key: str, r: Reader, what: str) -> tuple[frozenset[str], ...]:
        raw = m.get(key)
        if raw is None:
            return ()
        if not isinstance(raw, list) or not raw:
            r.error(m.line_of(key), f"{what}: '{key}' must be a list of groups (lists of entity ids)")
            return ()
        groups = []
        for i, g in enumerate(raw):
            if isinstance(g, str):
                g = [g]
            if not isinstance(g, list) or not g or not all(isinstance(x, str) for x in g):
                r.error(raw.line_of(i), f"{what}: group {i + 1} of '{key}' must be a list of entity ids")
                continue
            groups.append(frozenset(x.strip() for x in g))
        return tuple(groups)

    def _match(self, raw, line: int, r: Reader, what: str) -> MatchSpec | None:
        if raw is None:
            return None
        m = r.mapping(raw, line, f"{what}: match")
        if m is None:
            return None
        mw = f"{what}: match"
        r.known_keys(m, MATCH_KEYS, mw)
        scope = r.string(m, "scope", mw) or "sentence"
        if scope not in SCOPES:
            r.error(m.line_of("scope"), f"{mw}: scope {scope!r} is not one of {', '.join(SCOPES)}")
        none = frozenset(r.string_list(m, "none", mw))
        if "subject" in m:
            for key in ("all", "section_all", "section_none"):
                if key in m:
                    r.error(m.line_of(key), f"{mw}: '{key}' cannot be combined with 'subject' (slot form)")
            asserts = frozenset(r.string_list(m, "asserts", mw))
            if not asserts:
                r.error(m.line, f"{mw}: the slot form needs 'asserts' (the value the statement asserts)")
            spec = MatchSpec(
                form="slot",
                subject=frozenset(r.string_list(m, "subject", mw)),
                property=r.string(m, "property", mw) or None,
                asserts=asserts,
                contradicts=frozenset(r.string_list(m, "contradicts", mw)),
                groups=self._groups(m, "also", r, mw),
                none=none,
                scope=scope,
                via=r.string(m, "via", mw),
            )
            if spec.via and spec.via not in VIA:
                r.error(m.line_of("via"), f"{mw}: via must be one of {', '.join(VIA)}")
            if scope == "section":
                r.error(m.line_of("scope"), f"{mw}: scope 'section' needs the section form (all/section_all)")
            return spec
        if "all" not in m:
            r.error(m.line, f"{mw}: needs either 'subject' + 'asserts' (slot form) or 'all' (group form)")
            return None
        for key in ("asserts", "contradicts", "property", "also", "via"):
            if key in m:
                r.error(m.line_of(key), f"{mw}: '{key}' belongs to the slot form (with 'subject')")
        groups = self._groups(m, "all", r, mw)
        section_all = self._groups(m, "section_all", r, mw)
        section_none = self._groups(m, "section_none", r, mw)
        if (section_all or section_none) and scope != "section":
            r.error(m.line, f"{mw}: section_all/section_none need scope: section")
        return MatchSpec(form="section" if scope == "section" else "group", groups=groups, none=none,
                         scope=scope, section_all=section_all, section_none=section_none)

    def _examples(self, raw, line: int, r: Reader, what: str) -> tuple[list[str], list[str]]:
        if raw is None:
            return [], []
        m = r.mapping(raw, line, f"{what}: examples")
        if m is None:
            return [], []
        r.known_keys(m, {"flag", "pass"}, f"{what}: examples")
        flag = r.string_list(m, "flag", f"{what}: examples")
        passing = r.string_list(m, "pass", f"{what}: examples")
        for key, items in (("flag", flag), ("pass", passing)):
            if len(items) < 2:
                r.error(m.line_of(key) if key in m else m.line,
                        f"{what}: examples need at least two '{key}' sentences (found {len(items)})")
        return flag, passing

    # --- references ---------------------------------------------------------------
    def check_references(self) -> None:
        for claim in self.claims.values():
            for eid in sorted(claim.match.referenced_entities()):
                if eid not in self.entities:
                    self.problems.append(Problem(claim.source.path, claim.source.line,
                                                 f"claim {claim.id!r}: unknown entity {eid!r} in match "
                                                 "(define it in entities.yaml or the file's 'entities:')"))
            for other in claim.suppresses:
                if other not in self.claims and not other.startswith(("model-facts/", "method-facts/")):
                    self.problems.append(Problem(claim.source.path, claim.source.line,
                                                 f"claim {claim.id!r}: 'suppresses' names unknown claim {other!r}"))
                if other == claim.id:
                    self.problems.append(Problem(claim.source.path, claim.source.line,
                                                 f"claim {claim.id!r}: a claim cannot suppress itself"))

    # --- rules and lexicon --------------------------------------------------------
    def _rule(self, m: LDict, r: Reader) -> None:
        rid = r.identifier(m, "id", "rule")
        what = f"rule {rid!r}" if rid else "rule"
        r.known_keys(m, RULE_KEYS, what)
        r.required(m, ["id", "when", "severity", "message"], what)
        severity = r.string(m, "severity", what)
        if severity and severity not in SEVERITIES:
            r.error(m.line_of("severity"), f"{what}: severity {severity!r} is not one of {', '.join(SEVERITIES)}")
        when = r.mapping(m.get("when"), m.line_of("when"), f"{what}: when") if "when" in m else None
        verdicts: list[str] = []
        relation, confidence, origin = "asserts", "any", "any"
        if when is not None:
            r.known_keys(when, WHEN_KEYS, f"{what}: when")
            verdicts = [v.lower() for v in r.string_list(when, "verdict", f"{what}: when")]
            for v in verdicts:
                if v not in VERDICTS:
                    r.error(when.line_of("verdict"), f"{what}: verdict {v!r} is not one of {', '.join(VERDICTS)}")
            relation = r.string(when, "relation", f"{what}: when") or "asserts"
            if relation not in ("asserts", "denies"):
                r.error(when.line_of("relation"), f"{what}: relation must be 'asserts' or 'denies'")
            confidence = r.string(when, "confidence", f"{what}: when") or "any"
            if confidence not in ("any", "high", "medium", "low"):
                r.error(when.line_of("confidence"), f"{what}: confidence must be 'high', 'medium', 'low' or 'any'")
            origin = r.string(when, "origin", f"{what}: when") or "any"
            if origin not in ("any", "claims", "model-table", "method-table"):
                r.error(when.line_of("origin"),
                        f"{what}: origin must be 'claims', 'model-table', 'method-table' or 'any'")
        message = r.string(m, "message", what)
        message_zh = r.string(m, "message_zh", what)
        for key, template in (("message", message), ("message_zh", message_zh)):
            if template:
                try:
                    template.format_map(_TemplateCheck())
                except (ValueError, KeyError) as exc:
                    r.error(m.line_of(key), f"{what}: {key} template is invalid: {exc}")
        if rid in self.rule_sources:
            r.error(m.line, f"duplicate rule id {rid!r} (also defined at {self.rule_sources[rid]})")
            return
        self.rule_sources[rid] = Source(r.path, m.line)
        self.rules.append(Rule(rid, frozenset(verdicts), relation, severity or "warning", message, confidence,
                               r.string(m, "description", what), Source(r.path, m.line), origin, message_zh))

    def _constructions(self, data: LDict, r: Reader) -> None:
        from lint_notes.read.constructions import SENTENCE_EFFECTS, SLOT_EFFECTS, Construction, compile_pattern

        items = data.get("constructions")
        if not isinstance(items, list):
            r.error(data.line_of("constructions"), "'constructions' must be a list")
            return
        seen = {c.id for c in self.constructions}
        for i, item in enumerate(items):
            m = r.mapping(item, items.line_of(i), f"construction {i + 1}")
            if m is None:
                continue
            cid = r.identifier(m, "id", "construction")
            what = f"construction {cid!r}"
            r.known_keys(m, CONSTRUCTION_KEYS, what)
            r.required(m, ["id", "cue", "pattern", "effect", "examples"], what)
            if cid in seen:
                r.error(m.line, f"duplicate construction id {cid!r}")
                continue
            seen.add(cid)
            pattern = r.string(m, "pattern", what)
            try:
                _, kinds = compile_pattern(pattern)
                import re as _re
                slots = set(_re.findall(r"\{([A-Za-z][A-Za-z0-9_]*)", pattern)) | \
                    set(_re.findall(r"\[\[([A-Za-z][A-Za-z0-9_]*)\]\]", pattern))
            except Exception as exc:  # re.error, or a slot named twice
                r.error(m.line_of("pattern"), f"{what}: the pattern is not valid: {exc}")
                continue
            effect = r.mapping(m.get("effect"), m.line_of("effect"), f"{what}: effect") or {}
            clean: dict = {}
            for key, value in effect.items():
                line = effect.line_of(key)
                if key == "bind":
                    if not isinstance(value, dict) or any(k not in slots or v not in slots for k, v in value.items()):
                        r.error(line, f"{what}: bind must map value slots to subject slots of the pattern")
                        continue
                    clean["bind"] = {str(k): str(v) for k, v in value.items()}
                elif key in ("identity", "distinct"):
                    if not isinstance(value, list) or len(value) != 2 or any(v not in slots for v in value):
                        r.error(line, f"{what}: {key} must name two slots of the pattern")
                        continue
                    clean[key] = [str(v) for v in value]
                elif key == "sentence":
                    if value not in SENTENCE_EFFECTS:
                        r.error(line, f"{what}: sentence must be one of {', '.join(SENTENCE_EFFECTS)}")
                        continue
                    clean[key] = value
                elif key in slots:
                    if value not in SLOT_EFFECTS:
                        r.error(line, f"{what}: effect {value!r} of {key} is not one of {', '.join(SLOT_EFFECTS)}")
                        continue
                    clean[key] = value
                else:
                    r.error(line, f"{what}: {key!r} is not a slot of the pattern (slots: {', '.join(sorted(slots))})")
            examples = m.get("examples")
            parsed = []
            if not isinstance(examples, list) or len(examples) < 2:
                r.error(m.line_of("examples") if "examples" in m else m.line,
                        f"{what}: needs at least two examples ({{text, expect}})")
            else:
                for j, ex in enumerate(examples):
                    e = r.mapping(ex, examples.line_of(j), f"{what}: example {j + 1}")
                    if e is None:
                        continue
                    r.known_keys(e, {"text", "expect"}, f"{what}: example {j + 1}")
                    exp = r.mapping(e.get("expect"), e.line_of("expect"), f"{what}: example {j + 1}: expect")
                    text = r.string(e, "text", f"{what}: example {j + 1}")
                    if exp is not None and text:
                        parsed.append({"text": text, "expect": {str(k): str(v) for k, v in exp.items()},
                                       "line": examples.line_of(j)})
            same = r.string_list(m, "same_kind", what)
            if same and (len(same) != 2 or any(x not in slots for x in same)):
                r.error(m.line_of("same_kind"), f"{what}: same_kind must name two slots of the pattern")
                same = []
            self.constructions.append(Construction(cid, pattern, clean, tuple(r.string_list(m, "cue", what, strip=False)),
                                                   r.string(m, "description", what), tuple(parsed),
                                                   Source(r.path, m.line), tuple(same)))

    def _lexicon(self, data: LDict, r: Reader) -> None:
        lex = r.mapping(data.get("lexicon"), data.line_of("lexicon"), "lexicon")
        if lex is None:
            return
        if self.lexicon_source is None:
            self.lexicon_source = Source(r.path, data.line)
        for cat in lex:
            if cat not in LEXICON_CATEGORIES:
                r.error(lex.line_of(cat), f"unknown lexicon category {cat!r} (known: {', '.join(sorted(LEXICON_CATEGORIES))})")
                continue
            words = r.string_list(lex, cat, f"lexicon {cat}")
            self.lexicon_cats.setdefault(cat, []).extend(words)
        kinded = data.get("anaphora_kinds")
        if kinded is not None:
            if not isinstance(kinded, list):
                r.error(data.line_of("anaphora_kinds"), "'anaphora_kinds' must be a list of {words, kinds}")
            else:
                from lint_notes.text.normalize import fold

                for i, item in enumerate(kinded):
                    m = r.mapping(item, kinded.line_of(i), f"anaphora_kinds {i + 1}")
                    if m is None:
                        continue
                    r.known_keys(m, {"words", "kinds"}, f"anaphora_kinds {i + 1}")
                    words = r.string_list(m, "words", f"anaphora_kinds {i + 1}")
                    kinds = tuple(r.string_list(m, "kinds", f"anaphora_kinds {i + 1}"))  # in order of preference
                    if not words or not kinds:
                        r.error(m.line, f"anaphora_kinds {i + 1}: needs 'words' and 'kinds'")
                    self.lexicon_cats.setdefault("anaphora", []).extend(words)
                    for w in words:
                        self.anaphora_kinds[fold(w).replace("\x00", "")] = kinds
        terms = data.get("examples_terms")
        if terms is not None:
            if not isinstance(terms, list) or not all(isinstance(x, str) for x in terms):
                r.error(data.line_of("examples_terms"), "'examples_terms' must be a list of entity ids")
            else:
                self.examples_terms.extend((t, Source(r.path, data.line_of("examples_terms"))) for t in terms)
        groups = data.get("kind_groups")
        if groups is not None:
            if not isinstance(groups, list):
                r.error(data.line_of("kind_groups"), "'kind_groups' must be a list of lists of kinds")
            else:
                for i, g in enumerate(groups):
                    if not isinstance(g, list) or not all(isinstance(x, str) for x in g):
                        r.error(groups.line_of(i), "each kind group must be a list of kind names")
                    else:
                        self.kind_groups.append(frozenset(g))

    # --- fact tables --------------------------------------------------------------
    def _fact_file(self, data: LDict, r: Reader) -> None:
        from lint_notes.knowledge import facts

        r.known_keys(data, FACT_FILE_KEYS, "a fact-table file")
        self._entities(data.get("entities"), data.line_of("entities"), r)
        facts.read_fact_file(self, data, r)


class _TemplateCheck(dict):
    def __missing__(self, key):
        allowed = {"verdict", "statement", "statement_zh", "correction", "correction_zh", "citation",
                   "claim", "rule", "relation", "text", "Verdict"}
        if key not in allowed:
            raise KeyError(f"unknown placeholder {{{key}}} (known: {', '.join(sorted(allowed))})")
        return ""


def _item_line(m: LDict, key: str, index: int) -> int:
    value = m.get(key)
    if isinstance(value, LList):
        return value.line_of(index)
    return m.line_of(key)


def load_knowledge(claim_dirs: list[Path] | None = None, rule_dirs: list[Path] | None = None,
                   include_bundled: bool = True) -> KnowledgeBase:
    """Load and validate the knowledge base; raise KnowledgeError listing every problem."""
    b = _Builder()
    bundled_claims, bundled_rules = bundled_dirs()
    cdirs = ([bundled_claims] if include_bundled else []) + list(claim_dirs or [])
    rdirs = ([bundled_rules] if include_bundled else []) + list(rule_dirs or [])
    for folder in cdirs:
        if not folder.exists():
            b.problems.append(Problem(str(folder), 0, "claims folder does not exist"))
            continue
        for path in yaml_files(folder):
            b.load_claim_file(path)
    for folder in rdirs:
        if not folder.exists():
            b.problems.append(Problem(str(folder), 0, "rules folder does not exist"))
            continue
        for path in yaml_files(folder):
            b.load_rule_file(path)
    b.apply_extensions()
    b.build_claims()
    from lint_notes.knowledge import facts

    facts.generate_claims(b)
    b.check_references()
    if not b.rules:
        b.problems.append(Problem(str(rdirs[0]) if rdirs else "rules", 0, "no rules were loaded"))
    if b.problems:
        raise KnowledgeError(b.problems)
    lexicon = Lexicon({k: tuple(v) for k, v in b.lexicon_cats.items()}, tuple(b.kind_groups),
                      b.lexicon_source or Source("", 0), b.anaphora_kinds,
                      frozenset(eid for eid, _ in b.examples_terms if eid in b.entities))  # rules may outlive a term
    return KnowledgeBase(
        entities=b.entities,
        claims=b.claims,
        rules=b.rules,
        lexicon=lexicon,
        model_facts=b.model_facts,
        constructions=tuple(b.constructions),
        attributes=b.attributes,
        families=b.families,
        files=tuple(b.files),
        fingerprint=b.hasher.hexdigest()[:16],
    )


def with_claims(kb: KnowledgeBase, claims: dict[str, Claim]) -> KnowledgeBase:
    return replace(kb, claims=claims)
