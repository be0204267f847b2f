"""Constructions: small patterns over a sentence's mentions that decide how they are read.

A construction (rules/constructions.yaml) is a pattern over the folded sentence text in which every
mention stands as one placeholder character, with slots for mentions:

    (把|将) {A} (替换|换)(成|为) {B}        effect: {A: denies, B: asserts}

- ``{A}`` is one mention or a coordinated list of mentions ("A、B 和 C"); ``{A:model}`` only
  mentions of that kind (``{A:!model}``: of any other kind, or none); ``{{A}}`` a list whose items
  commas may also separate (inside parentheses: "（GPT-2，GPT-3）");
- ``[[X]]`` is a span up to the end of the clause, and takes every mention inside it;
- ``…`` is a short gap inside the clause; a space is optional white space; the rest is a regular
  expression, written in Simplified Chinese and lower case as the text is folded (a pattern that names
  a capital letter is matched without case, see case_flags).

Effects on slots: ``asserts`` (not negated, whatever cue words say), ``denies`` (negated),
``standard`` (a point of reference: the standard of a comparison, the model another is based on;
it binds no value), ``neutral`` (neither asserted nor denied: under a neutral verb, inside a
condition), ``scoped`` (binds only what this construction binds to it); ``bind: {V: S}`` ties the
values V to the subjects S, which are then scoped unless the construction gives S an effect of its own
(the subject of a main clause: "通过 V，S 可以…"); ``identity: [A, B]`` / ``distinct: [A, B]`` say A is (is not) B;
``same_kind: [A, B]`` asks that A and B be things of one kind. ``sentence: reported | hypothetical |
instance`` is the modality of the whole sentence (instance: the
author's own set-up, "我们使用 …"). The first construction
that gives a mention an effect wins; constructions are tried in file order.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field

from lint_notes.text.normalize import fold

SLOT_EFFECTS = ("asserts", "denies", "standard", "neutral", "scoped")
SENTENCE_EFFECTS = ("reported", "hypothetical", "instance")
_PLACEHOLDER = 0xE000
# the shadow is  <U+E000+i> mention text <U+E0FF>: a sentence marks at most 255 mentions, and the marks stay
# within one block of 256 code points, which keeps the character classes below cheap to compile
_END = "\ue0ff"
# (possessive where giving back characters can never let what follows match: the class stops before the end
# mark, and the words of a join start with no white space, as a mention starts with its mark)
_M = "[\ue000-\ue0fe][^\ue000-\ue0ff]*+\ue0ff"
# a list joins mentions with 、 / and 和 (a comma ends a Chinese clause, so it joins nothing); or they touch
_JOIN = r"(?:\s*+(?:、|/|&|和|与|及|以及|或|或者|还有|and|or|as well as)\s*+|)"
_GAP = r"[^,;:!?。；！？\n]{0,16}?"
_SPAN = r"[^,;!?。；！？\n]*"
# white space (taken whole), and at most two mention edges (start or end marks) when a pattern's words are
# the words of a mention; bounded so that a failing search stays linear
_SPACE = r"\s*+(?:[\ue000-\ue0ff]\s*+){0,2}?"
_SLOT = re.compile(r"\{(\{?)([A-Za-z][A-Za-z0-9_]*)(?::(!?)([a-z0-9|.-]+))?\}\}?")
_COMMA_JOIN = r"(?:\s*+(?:、|,|/|&|和|与|及|以及|或|或者|还有|and|or|as well as)\s*+|)"
_SPAN_SLOT = re.compile(r"\[\[([A-Za-z][A-Za-z0-9_]*)\]\]")


@dataclass(frozen=True)
class Construction:
    id: str
    pattern: str
    effect: dict  # slot -> effect name; "bind" -> {V: S}; "identity"/"distinct" -> [A, B]; "sentence" -> modality
    cues: tuple[str, ...]
    description: str = ""
    examples: tuple = ()  # ({"text": ..., "expect": {...}}, ...)
    source: object = None
    same_kind: tuple[str, ...] = ()  # two slots whose mentions must be things of one kind ("ReLU → SwiGLU")


@dataclass
class Compiled:
    construction: Construction
    source: str  # the regular expression (compiled with the knowledge base; after loading, made on first use)
    kinds: dict[str, tuple[bool, frozenset[str]]] = field(default_factory=dict)  # slot -> (negated, kinds)
    mentions: int = 0  # a match holds at least this many mentions (so a sentence with fewer is skipped)
    # per top-level alternative, the kind filters of the slots every match of it fills; empty when some
    # alternative has none. A sentence whose mentions cannot fill them in any alternative is skipped.
    needs: tuple[tuple[tuple[bool, frozenset[str]], ...], ...] = ()
    program: tuple | None = field(default=None, repr=False)  # the compiled expression (see _program)
    groups: tuple[tuple[str, str], ...] = ()  # (group, slot) for each named group, in the expression's order
    # strings of which every match contains one, per condition (see _literals): a shadow without any of a
    # condition's strings is not searched
    literals: tuple[tuple[str, ...], ...] = ()
    _regex: re.Pattern | None = field(default=None, repr=False, compare=False)

    @property
    def regex(self) -> re.Pattern:
        if self._regex is None:
            self._regex = _pattern(self.source, self.program)
        return self._regex

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_regex": None}

    def possible(self, kinds: set[str | None]) -> bool:
        """Whether mentions of these kinds can fill the kind-filtered slots of some alternative: each slot
        takes a mention of one of its kinds (of none of them, when negated)."""
        for alternative in self.needs:
            for negated, ks in alternative:
                if kinds.issubset(ks) if negated else kinds.isdisjoint(ks):
                    break
            else:
                return True
        return not self.needs


def compile_pattern(pattern: str) -> tuple[str, dict[str, tuple[bool, frozenset[str]]]]:
    """The pattern's regular expression and the kind filters of its slots (ValueError if invalid)."""
    kinds: dict[str, tuple[bool, frozenset[str]]] = {}
    uses: dict[str, int] = {}

    def group(name: str) -> str:  # a slot may occur in several alternatives: "B", "B__2", ...
        uses[name] = uses.get(name, 0) + 1
        return name if uses[name] == 1 else f"{name}__{uses[name]}"

    def slot(m: re.Match) -> str:
        listed, name, neg, ks = m.group(1), m.group(2), m.group(3), m.group(4)
        if ks:
            kinds[name] = (neg == "!", frozenset(ks.split("|")))
        join = _COMMA_JOIN if listed else _JOIN  # {{S}}: a list whose items commas may also separate
        return f"(?P<{group(name)}>{_M}(?:{join}{_M})*)"

    out = re.sub(r" *(\[\[[A-Za-z][A-Za-z0-9_]*\]\]|…) *", r"\1", pattern)  # spans and gaps take white space
    if out.lstrip().startswith("[["):  # a span that opens a pattern starts a clause (else the search is cubic)
        out = r"(?:^|(?<=[,;:!?。；：！？]))\s*" + out.lstrip()
    out = _SLOT.sub(slot, out)
    out = _SPAN_SLOT.sub(lambda m: f"(?P<{group(m.group(1))}>{_SPAN})", out)
    out = _spaces(out.replace("…", _GAP))
    re.compile(out)
    return out, kinds


def _spaces(regex: str) -> str:
    """A space of the pattern is optional white space, except inside a character class."""
    out, in_class, escaped = [], False, False
    for ch in regex:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            out.append(ch)
            in_class = ch != "]"
        elif ch == "[":
            out.append(ch)
            in_class = True
        elif ch == " ":
            out.append(_SPACE)
        else:
            out.append(ch)
    return "".join(out)


def compile_all(constructions) -> list[Compiled]:
    compiled = []
    for c in constructions:
        regex, kinds = compile_pattern(c.pattern)
        alternatives = required_slots(c.pattern)
        needs = tuple(tuple(kinds[name] for name in alt if name in kinds) for alt in alternatives)
        flags = case_flags(regex)
        pattern = re.compile(regex, flags)
        groups = tuple((name, name.split("__")[0]) for name in pattern.groupindex)
        cues = [fold(cue).replace("\x00", " ") for cue in c.cues]
        compiled.append(Compiled(c, regex, kinds, min(map(len, alternatives)), needs if all(needs) else (),
                                 _program(pattern), groups, _literals(regex, cues, flags), pattern))
    return compiled


def _literals(regex: str, cues: list[str], flags: int) -> tuple[tuple[str, ...], ...]:
    """Conditions that every match of the expression meets: each is strings of which a match contains one
    (a run of literal characters it needs, or one per alternative of a group it needs). Only characters that
    the expression matches only as themselves count: those without case (CJK, digits, punctuation) and, in
    an expression matched with case (see case_flags), the letters a-z. Left out: conditions that only name
    mention marks (every shadow has them) and those that each cue word meets with one of its characters (the
    sentence holds a cue word of the construction)."""
    try:
        import _sre  # type: ignore[import-not-found]
        from re import _constants as K, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(regex, flags)
    except Exception:  # another Python: no conditions, every shadow is searched
        return ()
    with_case = not flags & re.IGNORECASE

    def itself(code: int) -> bool:
        return not _sre.unicode_iscased(code) or with_case and 0x61 <= code <= 0x7A

    def mark_only(cond) -> bool:
        return all(len(x) == 1 and _PLACEHOLDER <= ord(x) <= 0xE0FF for x in cond)

    def sequence(items) -> list[frozenset[str]]:
        conds, run = [], []
        for op, av in list(items) + [(None, None)]:
            if op is K.LITERAL and itself(av):
                run.append(chr(av))
                continue
            if run:  # consecutive literal characters: the match holds them in a row
                conds.append(frozenset(["".join(run)]))
                run = []
            if op is not None:
                conds.extend(item(op, av))
        return [c for c in conds if not mark_only(c)]

    def item(op, av) -> list[frozenset[str]]:
        if op is K.IN:  # a small class of characters without case
            chars = set()
            for o, a in av:
                if o is K.LITERAL and itself(a):
                    chars.add(chr(a))
                elif o is K.RANGE and a[1] - a[0] < 16 and all(map(itself, range(a[0], a[1] + 1))):
                    chars.update(map(chr, range(a[0], a[1] + 1)))
                else:
                    return []
            return [frozenset(chars)] if chars else []
        if op is K.SUBPATTERN:
            return sequence(av[3])
        if op is K.ATOMIC_GROUP:
            return sequence(av)
        if op in (K.MAX_REPEAT, K.MIN_REPEAT, K.POSSESSIVE_REPEAT):
            return sequence(av[2]) if av[0] >= 1 else []
        if op is K.ASSERT:  # a lookahead or lookbehind that must hold: its text is in the shadow too
            return sequence(av[1])
        if op is K.BRANCH:  # one condition of each alternative (its longest strings); none if one has none
            out: set[str] = set()
            for alternative in av[1]:
                conds = sequence(alternative)
                if not conds:
                    return []
                out |= max(conds, key=lambda c: (min(map(len, c)), -len(c)))
            return [frozenset(out)]
        return []  # a character that has case, anchors, negative lookarounds, ...

    conds = []
    for cond in sequence(parsed.data):
        if all(any(len(x) == 1 and x in cue for x in cond) for cue in cues) and cues:
            continue
        key = tuple(sorted(cond, key=lambda x: (len(x), x)))
        if key not in conds:
            conds.append(key)
    return tuple(sorted(conds, key=len))


def case_flags(regex: str) -> int:
    """How to match the expression: with case (0), unless it names a letter with case other than a-z
    (re.IGNORECASE). The text it reads is folded to lower case, and folding also turns the three letters that
    only case-insensitive matching equates with a-z (İ, ı, ſ) into them (text.normalize), so that matching
    with case finds what matching without it would. Written as the constructions' header asks (lower case),
    an expression is matched with case, which is faster."""
    try:
        import _sre  # type: ignore[import-not-found]
        from re import _constants as K, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(regex, 0)
    except Exception:  # another Python: match without case, as the expression may need
        return re.IGNORECASE

    def cased(code: int) -> bool:
        return _sre.unicode_iscased(code) and not 0x61 <= code <= 0x7A

    todo = [list(parsed)]
    while todo:
        for op, av in todo.pop():
            if op in (K.LITERAL, K.NOT_LITERAL):
                if cased(av):
                    return re.IGNORECASE
            elif op is K.IN:
                for o, a in av:
                    if o is K.LITERAL and cased(a) or o is K.RANGE and any(map(cased, range(a[0], a[1] + 1))):
                        return re.IGNORECASE
            elif op is K.SUBPATTERN:
                todo.append(list(av[3]))
            elif op is K.BRANCH:
                todo.extend(list(x) for x in av[1])
            elif op in (K.MAX_REPEAT, K.MIN_REPEAT, K.POSSESSIVE_REPEAT):
                todo.append(list(av[2]))
            elif op in (K.ASSERT, K.ASSERT_NOT):
                todo.append(list(av[1]))
            elif op is K.ATOMIC_GROUP:
                todo.append(list(av))
            elif op is K.GROUPREF_EXISTS:
                todo.extend(list(x) for x in av[1:] if x is not None)
    return 0


def _program(pattern: re.Pattern) -> tuple | None:
    """What compiling an expression made (flags, code, groups), in a form that pickles: the compiled knowledge
    base keeps it, so that a run that loads it from the cache makes its patterns without compiling them again
    (compiling the constructions took longer than linting a small file). The code is made as CPython's
    ``re.compile`` makes it, and kept only if the pattern made from it equals ``pattern``; where the internals
    differ, None, and the pattern is compiled on first use."""
    source, flags = pattern.pattern, pattern.flags & re.IGNORECASE
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(source, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        program = (flags | parsed.state.flags, array("I", code).tobytes(), parsed.state.groups - 1, groupindex,
                   tuple(indexgroup))
        return program if _pattern(source, program) == pattern else None
    except Exception:  # another Python: compile as usual
        return None


def _pattern(source: str, program: tuple | None) -> re.Pattern:
    """The pattern of the expression, from its program when there is one (equal to ``re.compile``'s)."""
    if program is not None:
        try:
            import _sre  # type: ignore[import-not-found]

            flags, code, groups, groupindex, indexgroup = program
            return _sre.compile(source, flags, list(array("I", code)), groups, groupindex, indexgroup)
        except Exception:  # pragma: no cover - a program from another Python
            pass
    return re.compile(source, case_flags(source))


def min_mentions(pattern: str) -> int:
    """How many mentions any match of the pattern holds at least: the fewest mention slots outside
    parentheses over its top-level alternatives (a slot inside a group may be optional, so it counts 0)."""
    return min(map(len, required_slots(pattern)))


def required_slots(pattern: str) -> list[list[str]]:
    """The names of the mention slots outside parentheses of each top-level alternative of the pattern:
    every match of that alternative fills them."""
    alternatives: list[list[str]] = [[]]
    depth, escaped, in_class = 0, False, False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[" and not pattern.startswith("[[", i):
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            alternatives.append([])
        elif ch == "{" and depth == 0:
            m = _SLOT.match(pattern, i)
            if m:
                alternatives[-1].append(m.group(2))
                i = m.end()
                continue
        i += 1
    return alternatives


class ConstructionReader:
    """Applies the compiled constructions to a sentence view (changes its mentions in place)."""

    def __init__(self, constructions, kinds: dict[str, str | None]):
        self.compiled = compile_all(constructions)
        self.kinds = kinds
        self.by_cue: dict[str, list[int]] = {}  # a cue word (folded) -> the constructions it may start
        for i, c in enumerate(self.compiled):
            for cue in c.construction.cues:
                self.by_cue.setdefault(fold(cue).replace("\x00", " "), []).append(i)
        self._cues = None  # an Aho-Corasick automaton over the cue words, built on first use

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_cues"}  # rebuilt after unpickling

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._cues = None

    def _cue_automaton(self):
        import ahocorasick  # type: ignore[import-not-found]

        automaton = ahocorasick.Automaton()
        for cue, idxs in self.by_cue.items():  # each construction once, in file order
            automaton.add_word(cue, tuple(sorted(set(idxs))))
        if self.by_cue:
            automaton.make_automaton()
        self._cues = automaton
        return automaton

    def cues(self, sentence: str) -> list[tuple[int, tuple[int, ...]]]:
        """The cue words of a sentence folded like the aliases (separators as spaces), in the order of their
        ends: for each, (its last index in the sentence, the indexes of the constructions it cues)."""
        if not self.by_cue:
            return []
        automaton = self._cues or self._cue_automaton()
        return list(automaton.iter(sentence))

    def apply(self, view, folded: str, cued: list) -> list[str]:
        """Read the view's mentions through the constructions whose cue words occur; return the ids of
        the constructions that applied. ``folded`` is the sentence text folded like the aliases (separators
        as spaces); ``cued`` is the cues of the sentence (from ``cues``)."""
        if not self.by_cue or not view.mentions:
            return []
        if "\x00" in folded:
            folded = folded.replace("\x00", " ")
        start = view.start
        if len(cued) == 1:  # one cue word: its constructions are already in file order
            wanted = cued[0][1]
        else:
            wanted = sorted({i for _, idxs in cued for i in idxs})
        own = [m for m in view.mentions if not m.inherited]
        if not own:
            return []
        count = len(own)
        compiled = self.compiled
        kinds = None
        tried = []
        for i in wanted:
            c = compiled[i]
            if c.mentions > count:
                continue
            if c.needs:
                if kinds is None:
                    kinds = {self.kinds.get(m.entity) for m in own}
                if not c.possible(kinds):
                    continue  # no match could fill its kind-filtered slots
            # a string that every match needs is missing: nothing to search (the marks the shadow adds split
            # no string a match needs, so what the shadow holds the sentence holds)
            for strings in c.literals:
                for x in strings:
                    if x in folded:
                        break
                else:
                    break
            else:
                tried.append(c)
        if not tried:
            return []
        shadow = _shadow(folded, start, own)
        applied = []
        done: set[int] = set()  # mentions that already took an effect
        for c in tried:
            for m in (c._regex or c.regex).finditer(shadow):
                slots: dict[str, list] = {}
                for name, slot in c.groups:
                    text = m.group(name)
                    if text is not None:
                        slots.setdefault(slot, []).extend(_mentions_in(text, own))
                if not self._kinds_fit(c, slots) or not self._same_kind(c.construction, slots):
                    continue
                if self._effect(c.construction, slots, view, done):
                    applied.append(c.construction.id)
        view.constructions = applied
        return applied

    def _kinds_fit(self, c: Compiled, slots: dict) -> bool:
        """Keep in each kind-filtered slot the mentions of its kinds; the match holds if each keeps one."""
        for name, (negated, kinds) in c.kinds.items():
            if name not in slots:
                continue
            slots[name] = [m for m in slots[name] if (self.kinds.get(m.entity) in kinds) != negated]
            if not slots[name]:
                return False
        return True

    def _same_kind(self, c: Construction, slots: dict) -> bool:
        if not c.same_kind:
            return True
        a, b = (slots.get(x, ()) for x in c.same_kind)
        kinds_a = {self.kinds.get(m.entity) for m in a}
        return bool(a and b) and None not in kinds_a and kinds_a == {self.kinds.get(m.entity) for m in b}

    @staticmethod
    def _effect(c: Construction, slots: dict, view, done: set[int]) -> bool:
        changed = False
        for name, effect in c.effect.items():
            if name in ("bind", "identity", "distinct", "sentence"):
                continue
            for mention in slots.get(name, ()):
                if id(mention) in done:
                    continue
                done.add(id(mention))
                changed = True
                if effect == "asserts":
                    mention.negated = False
                elif effect == "denies":
                    mention.negated = True
                elif effect == "standard":
                    mention.standard = True
                elif effect == "neutral":
                    mention.neutral = True
                elif effect == "scoped":
                    mention.scoped = True
        for v_name, s_name in (c.effect.get("bind") or {}).items():
            subjects = frozenset(x.entity for x in slots.get(s_name, ()))
            for v in slots.get(v_name, ()):
                if subjects and v.bind is None:
                    v.bind = subjects
                    changed = True
            if s_name not in c.effect:  # a subject the construction gives an effect of its own stays free
                for s in slots.get(s_name, ()):
                    s.scoped = True
        for key, flag in (("identity", True), ("distinct", False)):
            pair = c.effect.get(key)
            if pair:
                a, b = slots.get(pair[0], ()), slots.get(pair[1], ())
                for x in a:
                    for y in b:
                        view.identities.append((x.entity, y.entity, flag))
                        changed = True
        modality = c.effect.get("sentence")
        if modality and not view.modality:
            view.modality = modality
            changed = True
        return changed


def _shadow(folded: str, base: int, mentions) -> str:
    """The folded sentence with each mention between a start mark (its index) and an end mark, so that a
    slot takes whole mentions and a pattern's words still match the words of a mention."""
    out, pos = "", 0
    for i, m in enumerate(mentions):
        if i == _END_INDEX:  # no marks left for the mentions after these
            break
        a = m.start - base
        if a >= pos:  # (a mention inside the one before has no marks)
            b = m.end - base
            out = f"{out}{folded[pos:a]}{_MARKS[i]}{folded[a:b]}{_END}"
            pos = b
    return out + folded[pos:]


_END_INDEX = 0xE0FF - _PLACEHOLDER
_MARKS = [chr(_PLACEHOLDER + i) for i in range(_END_INDEX)]


_MARK = re.compile(f"[{chr(_PLACEHOLDER)}-{chr(_PLACEHOLDER + _END_INDEX - 1)}]")


def _mentions_in(group: str, mentions) -> list:
    n = len(mentions)
    return [mentions[i] for i in (ord(ch) - _PLACEHOLDER for ch in _MARK.findall(group)) if i < n]
