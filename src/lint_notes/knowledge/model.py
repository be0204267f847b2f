"""Plain dataclasses for the knowledge base. No I/O here."""

from __future__ import annotations

import pickle
import sys
from dataclasses import dataclass, field

VERDICTS = ("true", "false", "outdated", "contested", "misleading", "incomplete", "unverified")
SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
SCOPES = ("sentence", "clause", "section")


class _Packed:
    """Pickled (in the cached linter), the fields named in ``_PACKED`` travel as one blob that is unpickled the
    first time one of them is read; the other fields load as objects. Loading stays fast when most of what is
    packed is never read by a lint."""

    _PACKED: tuple[str, ...] = ()

    def __reduce__(self):
        state = self.__dict__
        if "_details" in state:  # still packed: pass the blob on as it is
            return _unpack, (type(self), {k: v for k, v in state.items() if k != "_details"}, state["_details"])
        packed = {k: state[k] for k in self._PACKED if k in state}
        core = {k: v for k, v in state.items() if k not in packed}
        return _unpack, (type(self), core, pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL))

    def __getattr__(self, name: str):  # called only for a field that is not (yet) in the instance
        state = self.__dict__
        blob = state.pop("_details", None)
        if blob is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        state.update(pickle.loads(blob))
        return getattr(self, name)


def _unpack(cls: type, core: dict, blob: bytes):
    obj = object.__new__(cls)
    obj.__dict__.update(core)
    obj.__dict__["_details"] = blob
    return obj


@dataclass(frozen=True)
class Source:
    """Where something was defined: used in every error message."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Entity:
    id: str
    aliases: tuple[str, ...]
    not_aliases: tuple[str, ...] = ()
    kind: str | None = None
    source: Source = Source("", 0)


@dataclass(frozen=True)
class Citation:
    title: str
    url: str
    locator: str
    quote: str | None = None

    def short(self) -> str:
        return f"{self.title}, {self.locator} <{self.url}>"


@dataclass(frozen=True)
class MatchSpec:
    """How a note asserts a claim.

    form ``slot``: ``subject`` + values in ``asserts`` / ``contradicts``;
    form ``group``: every group of ``groups`` present (the first is the subject);
    form ``section``: ``groups`` in a heading, ``section_all`` / ``section_none`` in its body.
    """

    form: str
    subject: frozenset[str] = frozenset()
    property: str | None = None
    asserts: frozenset[str] = frozenset()
    contradicts: frozenset[str] = frozenset()
    groups: tuple[frozenset[str], ...] = ()
    none: frozenset[str] = frozenset()
    scope: str = "sentence"
    section_all: tuple[frozenset[str], ...] = ()
    section_none: tuple[frozenset[str], ...] = ()
    numbers: tuple[float, ...] = ()  # form "number": accepted values of a numeric slot
    via: str = ""  # slot form: "identity" = only when a construction says the subject is (is not) the value
    unit: str = "count"  # form "number": "count" (layers, heads) or "scaled" (7B parameters, 2T tokens)

    def __post_init__(self):
        # one string object per entity id across all specs (they come from many YAML files and tables): the
        # cached linter then stores and loads each id once
        for name in ("subject", "asserts", "contradicts", "none"):
            ids = getattr(self, name)
            if ids:
                object.__setattr__(self, name, frozenset(map(sys.intern, ids)))
        for name in ("groups", "section_all", "section_none"):
            groups = getattr(self, name)
            if groups:
                object.__setattr__(self, name, tuple(frozenset(map(sys.intern, g)) for g in groups))

    def trigger_entities(self) -> frozenset[str]:
        """Entities whose mention makes this claim a candidate."""
        if self.form in ("slot", "number"):
            return self.subject
        return self.groups[0] if self.groups else frozenset()

    def referenced_entities(self) -> set[str]:
        ids = set(self.subject) | self.asserts | self.contradicts | self.none
        for group in (*self.groups, *self.section_all, *self.section_none):
            ids |= group
        return ids


@dataclass(frozen=True)
class Claim(_Packed):
    id: str
    topic: str
    statement: str
    statement_zh: str
    verdict: str
    match: MatchSpec
    citations: tuple[Citation, ...]
    correction: str = ""
    correction_zh: str = ""
    reviewed: str = ""
    outdated_since: str = ""
    replaced_by: str = ""
    examples_flag: tuple[str, ...] = ()
    examples_pass: tuple[str, ...] = ()
    suppresses: tuple[str, ...] = ()
    seen_in_files: int = 0  # in how many real notes files the statement was seen (mined claims)
    origin: str = "claims"  # "claims" (hand-written), "model-table" or "method-table" (generated)
    source: Source = Source("", 0)

    @property
    def priority(self) -> int:
        """Hand-written claims win over generated ones on the same sentence and slot."""
        return 1 if self.origin == "claims" else 0

    # packed in the cached linter: linting a file reads these only for the claims it reports
    _PACKED = ("statement", "statement_zh", "citations", "correction", "correction_zh", "reviewed", "replaced_by",
               "examples_flag", "examples_pass", "seen_in_files", "source")


# a default value is a class attribute, which would answer for a packed field before __getattr__ is asked (the
# generated __init__ keeps its own copy of each default)
for _name in Claim._PACKED:
    if _name in Claim.__dict__:
        delattr(Claim, _name)


@dataclass(frozen=True)
class Rule:
    """Maps a (verdict, relation, confidence) to a severity and a message template."""

    id: str
    verdicts: frozenset[str]
    relation: str  # "asserts" or "denies"
    severity: str
    message: str
    confidence: str = "any"  # "high", "low" or "any"
    description: str = ""
    source: Source = Source("", 0)
    origin: str = "any"  # "claims", "model-table", "method-table" or "any"
    message_zh: str = ""  # the template for findings on Chinese sentences (else ``message``)

    def applies(self, verdict: str, relation: str, confidence: str, origin: str = "claims") -> bool:
        return (
            verdict in self.verdicts
            and relation == self.relation
            and (self.confidence == "any" or self.confidence == confidence)
            and (self.origin == "any" or self.origin == origin)
        )


@dataclass(frozen=True)
class Lexicon:
    """Word lists that drive polarity and context detection (rules/lexicon.yaml)."""

    categories: dict[str, tuple[str, ...]]
    kind_groups: tuple[frozenset[str], ...] = ()
    source: Source = Source("", 0)
    anaphora_kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)  # folded anaphor -> kinds, preferred first
    # terms that, opening a sentence ("Used in: A, B", "代表模型有 A、B"), list the things the topic carried into the
    # sentence is said of
    examples_terms: frozenset[str] = frozenset()

    def words(self, category: str) -> tuple[str, ...]:
        return self.categories.get(category, ())


@dataclass(frozen=True)
class ModelFact:
    model: str
    attribute: str
    values: tuple  # entity ids or numbers
    citation: Citation
    note: str = ""
    source: Source = Source("", 0)


@dataclass
class KnowledgeBase(_Packed):
    entities: dict[str, Entity] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    lexicon: Lexicon = field(default_factory=lambda: Lexicon({}))
    model_facts: list[ModelFact] = field(default_factory=list)
    attributes: dict[str, dict] = field(default_factory=dict)
    families: dict[str, tuple[str, ...]] = field(default_factory=dict)
    constructions: tuple = ()  # read.constructions.Construction, in file order
    files: tuple[str, ...] = ()
    fingerprint: str = ""

    def hand_claims(self) -> list[Claim]:
        return [c for c in self.claims.values() if c.origin == "claims"]

    # packed in the cached linter: a lint reads neither (the alias automaton and the claims were built from them),
    # and they are a quarter of the objects that loading it would otherwise create
    _PACKED = ("entities", "model_facts")
