"""One multi-pattern pass over a document finds every entity alias and lexicon cue.

All aliases of all entities and all lexicon words go into one Aho-Corasick automaton over
the normalised shadow text (leftmost-longest, non-overlapping). A Latin/digit edge of a match
must not touch another Latin letter or digit, nor continue a version number (``GPT-3`` is not
found in ``GPT-3.5``), and a separator the text has inside a match is allowed only where the
alias had one or where the script changes (so ``post ln`` matches ``Post-LN`` but ``pos tln``
does not).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from lint_notes.knowledge.model import KnowledgeBase
from lint_notes.text.normalize import SEPARATOR, alias_key, install_table, latin_or_digit, shadow, translate_table

LEX_PREFIX = "lex:"
BLOCKER = "!"
# lexicon categories, in order of precedence when one word is listed twice
LEX_ORDER = ("not_negation", "contrast_negation", "post_negation", "verb_negation", "negation", "hedge", "question",
             "misconception", "anaphora", "comparative", "unlike", "change", "scope_end", "clause_break",
             "opening_connective", "attribute_label", "application_label")
# "coordinator" words are not scanned for: only the gap between two subjects is checked for them


_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_VERSION_NEXT = frozenset((".", "-", SEPARATOR))  # what may continue a name into a version number
_CAPITAL_OR_DIGIT = re.compile(r"[A-Z0-9]")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]{4,}(?:[-.][A-Za-z0-9]+)*")
_NAME_AND_ABBREVIATION = re.compile(r"([^()（）]+?)\s*[(（]([^()（）]+)[)）]")  # "Rotary Position Embedding (RoPE)"


@dataclass(slots=True)
class Hit:
    target: str  # entity id, "lex:<category>" or "!..." (a blocker)
    start: int  # offsets in the document text
    end: int
    fuzzy: bool = False


@dataclass(frozen=True)
class _Entry:
    target: str
    seps: frozenset[int]
    latin_start: bool
    latin_end: bool


# a parameter count after a name ("-7B", "-340M", "-1.5B"), then the end of the word
_SIZE_SUFFIX = re.compile(r"\d+(?:\.\d+)?[bBmM](?![A-Za-z0-9])")


class AliasIndex:
    def __init__(self, kb: KnowledgeBase):
        self.entries: dict[str, _Entry] = {}
        for cat in reversed(LEX_ORDER):
            for word in kb.lexicon.words(cat):
                self._add(word, LEX_PREFIX + cat)
        for ent in kb.entities.values():
            for alias in ent.not_aliases:
                self._add(alias, BLOCKER + ent.id)
        for ent in kb.entities.values():
            for alias in ent.aliases:
                self._add(alias, ent.id)
        self._add_plurals(kb)
        self.automaton = self._build_automaton()
        self._fuzzy: dict[str, str | None] | None = None
        self._by_len: dict[int, list[str]] = {}  # word length -> the Latin keys a typo of it may be
        self._by_shape: dict[tuple[int, str], list[str]] = {}  # (length, digits) -> the Latin keys of that shape
        self.table = translate_table()
        named = {e.id for e in kb.entities.values() if e.kind}
        # aliases that are formulas (a LaTeX command and an operator: "x \\cdot \\sigma(x) + \\tanh(x)"; or a sum that
        # equals something: "2P + 8P + 2P = 12P"): math that holds one is read as prose
        self.formula_keys = tuple(sorted(
            k for k, e in self.entries.items() if not e.target.startswith((LEX_PREFIX, BLOCKER)) and
            (re.search(r"\\[a-z]", k) and re.search(r"[=+]|\\(?:cdot|otimes|odot|times)", k) or "=" in k and "+" in k)))
        self.latin_keys = sorted(k for k, e in self.entries.items()
                                 if e.target in named and len(k) >= 5
                                 and all(latin_or_digit(c) or c == "." for c in k))
        # from here on the automaton is the one table of keys (``_target`` looks a key up in it): the entries
        # are not kept, so that a cached index loads only the automaton
        del self.entries

    def _add_plurals(self, kb: KnowledgeBase) -> None:
        """English plurals of names that end in a Latin word ("post-norms", "attention heads", "MoEs"): the key
        plus "s", unless that key is already an alias or a near-miss of something."""
        for ent in kb.entities.values():
            for alias in ent.aliases:
                key, seps = alias_key(alias)
                if len(key) < 2 or not ("a" <= key[-1] <= "z") or key[-1] == "s":
                    continue
                plural = key + "s"
                if plural not in self.entries:
                    self.entries[plural] = _Entry(ent.id, seps, latin_or_digit(key[0]), True)

    def _build_automaton(self):
        import ahocorasick  # type: ignore[import-not-found]

        automaton = ahocorasick.Automaton()
        for key, entry in self.entries.items():
            # what scan needs of a match, derived once here rather than per match
            automaton.add_word(key, (len(key), entry.target, entry.latin_start, entry.latin_end, entry.seps))
        if self.entries:
            automaton.make_automaton()
        return automaton

    def _add(self, alias: str, target: str) -> None:
        key, seps = alias_key(alias)
        if not key:
            return
        prev = self.entries.get(key)
        if prev is not None and prev.target == target:
            seps = seps | prev.seps
        ls, le = latin_or_digit(key[0]), latin_or_digit(key[-1])
        self.entries[key] = _Entry(target, seps, ls, le)

    def scan(self, text: str, fuzzy: bool = True) -> list[Hit]:
        """All hits in ``text`` (already masked), in order."""
        if not len(self.automaton):
            return []
        sh, offsets, folded = shadow(text)
        self.last_folded = folded  # the readers reuse it (same length as ``text``)
        # every valid match first (a rejected long match must not hide a valid one inside the
        # same letters), then leftmost-longest: scanning left to right, the longest match that
        # starts at the first free position wins
        candidates: dict[int, tuple[int, str]] = {}  # start -> the longest valid match there (end, target)
        size = len(text)
        for end_idx, (n, target, latin_start, latin_end, seps) in self.automaton.iter(sh):
            start, end = offsets[end_idx - n + 1], offsets[end_idx] + 1
            if end - start != n and not _separators_allowed(folded, start, end, sh[end_idx - n + 1:end_idx + 1], seps):
                continue
            if latin_start and start > 0:
                if folded[start - 1] in _ALNUM:
                    continue
                if start > 1 and text[start - 1] in "-_" and folded[start - 2] in _ALNUM:
                    continue  # "blip2-opt-2.7b" is not OPT-2.7B, "Chinese-LLaMA" not LLaMA
            if latin_end and end < size:
                nxt = folded[end]
                if nxt in _ALNUM or nxt in _VERSION_NEXT and _continues_version(text, end):
                    continue
            # matches come in the order of their ends: a later one at the same start is longer
            candidates[start] = (end, target)
        hits = _select_longest(candidates)
        if fuzzy and self.latin_keys:
            hits = self._add_fuzzy(text, folded, hits)
        return hits

    def formula(self, text: str) -> bool:
        """Whether ``text`` (a math span) holds a formula alias."""
        if not self.formula_keys or ("\\" not in text and "=" not in text):
            return False
        key = alias_key(text)[0]
        return any(k in key for k in self.formula_keys)

    def names(self, text: str) -> bool:
        """Whether ``text`` is exactly one alias of an entity (not a lexicon word), or a name followed by
        another name of the same entity in parentheses ("Rotary Position Embedding (RoPE)")."""
        text = text.strip()
        key, _ = alias_key(text)
        target = self._target(key)
        if target is not None:
            return not target.startswith((LEX_PREFIX, BLOCKER))
        m = _NAME_AND_ABBREVIATION.fullmatch(text)
        if m is None:
            return False
        first, second = (self._target(alias_key(part)[0]) for part in m.groups())
        return first is not None and first == second and not first.startswith((LEX_PREFIX, BLOCKER))

    def _target(self, key: str) -> str | None:
        """What an alias key stands for (an entity id, a lexicon category or a blocker), or None."""
        value = self.automaton.get(key, None) if key else None
        return None if value is None else value[1]

    def __getstate__(self) -> dict:
        # the automaton is pickled as it is (it loads about three times faster than it is built)
        return {k: v for k, v in self.__dict__.items() if k not in ("last_folded", "_by_len", "_by_shape")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._by_len = {}
        self._by_shape = {}
        install_table(self.table)  # the normalisation table travels with a cached index

    def warm(self) -> None:
        """Compute what is otherwise computed lazily (before the index is cached)."""
        if self._fuzzy is None:
            self._fuzzy = {}

    # --- typo tolerance -----------------------------------------------------------
    def _add_fuzzy(self, text: str, folded: str, hits: list[Hit]) -> list[Hit]:
        starts = [h.start for h in hits]
        extra: list[Hit] = []
        for m in _WORD.finditer(text):
            if not _CAPITAL_OR_DIGIT.search(m.group()):
                continue  # names are written with capitals or digits; plain words are not typos of them
            s, e = m.start(), m.end()
            i = bisect_right(starts, s) - 1
            if i >= 0 and hits[i].end > s:
                continue  # inside a hit
            if i + 1 < len(hits) and hits[i + 1].start < e:
                continue  # overlaps the next hit
            word = "".join(ch for ch in folded[s:e] if ch != SEPARATOR)
            found = self._fuzzy_lookup(word)
            if found is None:
                continue
            extra.append(Hit(self._target(found), s, e, fuzzy=True))
        if not extra:
            return hits
        return sorted(hits + extra, key=lambda h: h.start)

    def _near_in_length(self, n: int) -> list[str]:
        """The Latin keys whose length lets them reach a ratio of 88 with a word of ``n`` characters (in the
        order of ``latin_keys``, so that ties resolve as over the whole list): 2·min/(n + len) ≥ 0.88."""
        near = self._by_len
        if n not in near:
            lo, hi = (88 * n) // 112, -(-112 * n // 88)
            near[n] = [k for k in self.latin_keys if lo <= len(k) <= hi]
        return near[n]

    def _fuzzy_lookup(self, word: str) -> str | None:
        if self._fuzzy is None:
            self._fuzzy = {}
        cache = self._fuzzy
        if word in cache:
            return cache[word]
        from rapidfuzz import fuzz, process

        result = None
        if self._target(word) is None:
            # the best key is accepted only with the word's digits and a length change of at most one (never a
            # different version number): when no such key comes near, whatever key is best is refused, so the
            # search over every key of a near length (three times as many) is needed only when one does
            n = len(word)
            digits_w = "".join(c for c in word if c.isdigit())
            shapes = self._by_shape
            if not shapes:
                for k in self.latin_keys:
                    shapes.setdefault((len(k), "".join(c for c in k if c.isdigit())), []).append(k)
            acceptable = [k for m in (n - 1, n, n + 1) for k in shapes.get((m, digits_w), ())]
            if acceptable and process.extractOne(word, acceptable, scorer=fuzz.ratio, score_cutoff=88) is not None:
                best = process.extractOne(word, self._near_in_length(n), scorer=fuzz.ratio, score_cutoff=88)
                key = best[0]
                digits_k = "".join(c for c in key if c.isdigit())
                if digits_w == digits_k and abs(len(key) - n) <= 1:
                    result = key
        cache[word] = result
        return result


_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")


def _separators_allowed(folded: str, start: int, end: int, key: str, seps: frozenset[int]) -> bool:
    """Whether the separators inside a match fall where the alias had one or where the script changes: a
    separator in the text must not split one Latin word or one number of the alias ("pos tln" is not "postln")."""
    before = 0  # separators before this one in the match
    i = folded.find(SEPARATOR, start, end)
    while i >= 0:
        k = i - start - before  # its position in the key: between key[k - 1] and key[k]
        if k not in seps:
            a, b = key[k - 1], key[k]
            if a in _LETTERS and b in _LETTERS or a in _DIGITS and b in _DIGITS:
                return False
        before += 1
        i = folded.find(SEPARATOR, i + 1, end)
    return True


def _continues_version(text: str, end: int) -> bool:
    """Whether a name ending at ``end`` goes on into a version number: GPT-3 is not inside GPT-3.5, nor Llama
    inside Llama-2; a size is no new version (R1-Distill-32B is R1-Distill, T5-11B is T5)."""
    j = end + 1
    return text[end] in ".-\u2010\u2011" and j < len(text) and text[j].isdigit() and \
        not (text[end] != "." and _SIZE_SUFFIX.match(text, j) is not None)


def _select_longest(candidates: dict[int, tuple[int, str]]) -> list[Hit]:
    """Leftmost-longest non-overlapping hits, in text order, from the longest valid match at each start."""
    hits: list[Hit] = []
    last_end = -1
    for start in sorted(candidates):
        if start >= last_end:
            end, target = candidates[start]
            hits.append(Hit(target, start, end))
            last_end = end
    return hits
