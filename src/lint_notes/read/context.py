"""Context beyond one sentence: what a sentence without a subject of its own is about.

- An anaphor that names a kind ("这种归一化", "该方法", "this model") refers to a mention of that kind in
  the sentences before it (same section, a few sentences back): the one the earlier sentence itself
  called by the anaphor's noun ("采用了 Post-LN 的结构。这种结构…"), else the one of the most preferred
  kind, the latest first.
- A label that opens a paragraph or list item ("causal LM：…") is what the whole item is about.
- An anaphor without a kind ("这样做", "doing so") refers to the previous sentence's topic.
- A sentence with no subject of its own continues the previous sentence's topic (its first subject,
  with those coordinated with it) within the same paragraph; such a subject binds only the first
  clause of the sentence.
- Under a question heading with exactly one subject ("RoPE 有什么优点？"), the answer's sentences
  without a subject (and without one carried from the sentence before) are about that subject.
Carried mentions are marked ``inherited`` with their ``source`` (anaphor, previous, heading).
"""

from __future__ import annotations

from lint_notes.match.polarity import Mention, SentenceView

HISTORY = 4  # sentences an anaphor looks back over


class Context:
    def __init__(self, kinds: dict[str, str | None], anaphora_kinds: dict[str, tuple[str, ...]]):
        self.kinds = kinds
        self.anaphora_kinds = anaphora_kinds
        self.section = -2
        self.block = -1
        self.recent: list[SentenceView] = []  # views of the current section, newest last
        self.heading_subject: Mention | None = None
        self.label: Mention | None = None  # "causal LM：" at the start of the current block

    def enter(self, block_index: int, section: int, heading: bool) -> None:
        """Move to the sentence's block; a new section forgets what came before."""
        if heading or section != self.section:
            self.recent = []
            self.heading_subject = None
            self.section = section if not heading else block_index
        if block_index != self.block:
            self.label = None
        self.block = block_index

    def opening_label(self, view: SentenceView, text: str) -> None:
        """Remember "X：" when the block's first sentence opens with a subject followed by a colon."""
        own = [m for m in view.mentions if not m.inherited and self.kinds.get(m.entity)]
        if own:
            first = own[0]
            before = text[:first.start - view.start].strip(" \t-*+#>0123456789.、)）(（")
            after = text[first.end - view.start:first.end - view.start + 3].lstrip(" *")
            if not before and after[:1] in (":", "："):
                self.label = first

    def heading(self, view: SentenceView) -> None:
        """A question heading with exactly one subject carries it into its answer."""
        subjects = {m.entity: m for m in view.mentions if self.kinds.get(m.entity) and not m.negated}
        self.heading_subject = next(iter(subjects.values())) if view.question and len(subjects) == 1 else None

    def carry(self, view: SentenceView, block_index: int, anaphor: str | None) -> None:
        """Add to ``view`` what it refers to, then remember it."""
        previous = self.recent[-1] if self.recent and self.recent[-1].block == block_index else None
        carried: list[tuple[Mention, str]] = []
        if anaphor is not None:
            wanted = self.anaphora_kinds.get(anaphor)
            if wanted:
                target = self._latest(wanted, view, _noun(anaphor))
                if target is not None:
                    carried = [(target, "anaphor")]
                if previous is not None:  # and what the sentence before was about ("ChatGLM 采用…。这种结构…")
                    carried += [(m, "previous") for m in _topic(previous, self.kinds)]
            elif previous is not None:
                carried = [(m, "anaphor") for m in _topic(previous, self.kinds)]
        elif not any(self.kinds.get(m.entity) and not m.negated for m in view.mentions):
            if self.label is not None and (previous is None or previous.start > self.label.start or
                                           any(m.entity == self.label.entity for m in previous.mentions)):
                carried = [(self.label, "label")]
            elif previous is not None:
                carried = [(m, "previous") for m in _topic(previous, self.kinds)]
            if not carried and self.heading_subject is not None:
                carried = [(self.heading_subject, "heading")]
        if carried:
            seen = {m.entity for m in view.mentions}
            extra = []
            for m, source in carried:
                if m.entity in seen:
                    continue
                seen.add(m.entity)
                extra.append(Mention(m.entity, view.start, view.start, 0, False, inherited=True, fuzzy=m.fuzzy,
                                     source=source))
            view.mentions = extra + view.mentions
        view.block = block_index
        self.recent.append(view)
        del self.recent[:-HISTORY]

    def _latest(self, wanted: tuple[str, ...], view: SentenceView, noun: str) -> Mention | None:
        """What an anaphor of these kinds refers to: earlier in this sentence, else in the sentences before;
        in each, the mention followed by the anaphor's own noun, else the one of the most preferred kind."""
        rank = {k: i for i, k in enumerate(wanted)}
        anchor = view.anaphor_start
        candidates = [[x for x in view.mentions if x.end <= anchor and not x.inherited]]
        candidates += [[x for x in v.mentions if not x.inherited] for v in reversed(self.recent)]
        sources = [view, *reversed(self.recent)]
        for mentions, source in zip(candidates, sources):
            fitting = [m for m in mentions if self.kinds.get(m.entity) in rank and not m.negated and not m.standard]
            if not fitting:
                continue
            if noun:
                named = [m for m in fitting if noun in source.text[m.end - source.start:m.end - source.start + 5]]
                if named:
                    return named[-1]
            return min(reversed(fitting), key=lambda m: rank[self.kinds.get(m.entity)])
        return None


def _noun(anaphor: str) -> str:
    """The noun of a Chinese anaphor ("这种结构" -> "结构"), which the referent may have been called by."""
    for prefix in ("这种", "这一", "这个", "该", "此"):
        if anaphor.startswith(prefix) and len(anaphor) > len(prefix):
            return anaphor[len(prefix):]
    return ""


def _topic(view: SentenceView, kinds: dict[str, str | None]) -> list[Mention]:
    """What a sentence is about: its first subject (of any kind) and the subjects coordinated with it,
    or what it itself carried."""
    own = [m for m in view.mentions if kinds.get(m.entity) and not m.negated and not m.standard and not m.neutral
           and not m.scoped]
    if not own:
        return []
    first = own[0]
    return [m for m in own if m.entity == first.entity or (m.clause == first.clause and kinds.get(m.entity) ==
                                                           kinds.get(first.entity) and m is not first
                                                           and _adjacent(view, first, m))] or [first]


def _adjacent(view: SentenceView, a: Mention, b: Mention) -> bool:
    gap = view.text[a.end - view.start:b.start - view.start]
    return len(gap.strip(" 、,，和与及/&andor")) == 0
