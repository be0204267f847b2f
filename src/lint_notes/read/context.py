"""Context beyond one sentence: what a sentence without a subject of its own is about.

- An anaphor that names a kind ("这种归一化", "该方法", "this model") refers to a mention of that kind in
  the sentences before it (same section, a few sentences back): the one the earlier sentence itself
  called by the anaphor's noun ("采用了 Post-LN 的结构。这种结构…"), else the one of the most preferred
  kind, the latest first; with nothing of its kind there, the subject of the question heading above, if it
  is of that kind ("什么是混合精度训练？ … 这种方法…").
- An anaphor without a kind ("这样做", a sentence that opens with "它") refers to the previous
  sentence's topic.
- A label that opens a paragraph or list item ("causal LM：…") is what the whole item is about.
- A lead line that ends with a colon and names one subject ("LLaMA 的改进有：") is what the list
  items below it are about.
- A table cell is about the one subject its row label names, with its column header as the property
  ("| LLaMA | RMSNorm |" under "| 模型 | 归一化 |"); or, in a table of one column per subject, about
  its column header's subject with its row label (if it names a term) as the property. A value a cell
  takes from its header is said of every subject the cell lists (match.claims). Under a header that
  names no term, a cell is about its row label's one subject, which is then its subject only.
- A sentence with no subject of its own continues the previous sentence's topic (its first subject,
  with those coordinated with it) within the same paragraph; under a heading that names exactly one
  subject, the first sentences without a subject are about it. Such subjects bind only the first
  clause of the sentence.
- A sentence that opens with a term listing examples (lexicon examples_terms: "Used in: A, B", "代表模型有 A、B")
  is of the topic carried into it (the heading's subject first): that topic is read as a value of each thing
  listed (source "examples").
Carried mentions are marked ``inherited`` with their ``source``: anaphor, label, lead, table, row (which
bind anywhere in the sentence), previous and heading (first clause only).
"""

from __future__ import annotations

import re

from lint_notes.match.polarity import Mention, SentenceView
from lint_notes.text.markdown import Block

HISTORY = 4  # sentences an anaphor looks back over
# what a table row or column can be about: a model or a method, not a value such as a norm placement
_TABLE_SUBJECTS = frozenset({"model", "method", "rl-algorithm", "quant-method", "parallelism", "attention",
                             "position-encoding", "norm", "activation", "tokenizer", "architecture"})
_COLONS = (":", "：")
_GLOSS = re.compile(r"^\s*[(（][^()（）:：]{1,50}[)）]")
_GLOSSES = re.compile(r"[(（][^()（）]*[)）]")  # a gloss in parentheses anywhere: "RoPE（旋转位置编码）"
# what may stand around a bare name: numbering ("1.", "（1）", "c.", "2️⃣"), emphasis, list markers, a colon
_BARE_PUNCT = r"[\s\-*+>#_`:：.、)）(（\[\]【】0-9\ufe0f\u20e3]"
# ... or a Chinese numeral before its comma ("二、GELU")
_BARE_REST = re.compile(rf"{_BARE_PUNCT}*(?:(?:[a-zA-Z][.)）、]|[一二三四五六七八九十]{{1,3}}、){_BARE_PUNCT}*)?")
_OPENERS = " \t-*+>#0123456789.、)）(（“”\"'【】[]"  # list markers, emphasis and quotes before a sentence's first word


def _opens(view: SentenceView, pos: int, after: int | None = None) -> bool:
    """Whether only list markers, emphasis and quotes stand before ``pos`` in the sentence (or after ``after``)."""
    return not view.text[(view.start if after is None else after) - view.start:pos - view.start].strip(_OPENERS)


def _after_gloss(text: str) -> str:
    """The text after a name, without a gloss in parentheses that opens it and the emphasis after that."""
    if text.lstrip()[:1] in ("(", "（"):  # what _GLOSS needs (\s is what str.strip takes)
        text = _GLOSS.sub("", text, count=1)
    return text.lstrip(" *")


class Context:
    def __init__(self, kinds: dict[str, str | None], anaphora_kinds: dict[str, tuple[str, ...]],
                 kind_groups: tuple[frozenset[str], ...] = (), examples_terms: frozenset[str] = frozenset()):
        self.kinds = kinds
        self.examples_terms = examples_terms
        self.peers: dict[str, frozenset[str]] = {}  # kinds that compete for one subject (lexicon kind_groups)
        for group in kind_groups:
            for k in group:
                self.peers[k] = self.peers.get(k, frozenset()) | group
        self.anaphora_kinds = anaphora_kinds
        self.section = -2
        self.block = -1
        self.recent: list[SentenceView] = []  # views of the current section, newest last
        self.heading_subject: Mention | None = None
        self.heading_named = False  # the heading is only the name of its subject ("#### RoPE（旋转位置编码）")
        self.label: Mention | None = None  # "causal LM：" at the start of the current block
        self.lead: Mention | None = None  # "LLaMA 的改进有：" before a list
        self.lead_depth = -1
        self.cells: dict[tuple[int, int, int], list[Mention]] = {}  # (table, row, col) -> its mentions

    # --- where we are -------------------------------------------------------------------
    def enter(self, block_index: int, block: Block) -> None:
        """Move to a sentence's block; a new section forgets what came before."""
        heading = block.kind == "heading"
        if heading or block.section != self.section:
            self.recent = []
            self.heading_subject = None
            self.lead = None
            self.section = block.section if not heading else block_index
        if block_index != self.block:
            self.label = None
            if self.lead is not None and block.item <= self.lead_depth:
                self.lead = None  # the list the lead line introduced has ended
        self.block = block_index

    def opening_label(self, view: SentenceView, text: str) -> None:
        """Remember "X：" when the block's first sentence opens with a subject followed by a colon."""
        kinds = self.kinds
        for first in view.mentions:  # the first of its own mentions that names a subject
            if not first.inherited and kinds.get(first.entity):
                break
        else:
            first = None
        if first is not None:
            if text[:first.start - view.start].strip(" \t-*+#>0123456789.、)）(（"):
                return  # something stands before it
            # a gloss in parentheses may stand between the name and its colon: "**Noam 调度（Noam scheme）**："
            if _after_gloss(text[first.end - view.start:first.end - view.start + 60])[:1] in _COLONS:
                self.label = first

    def closing_colon(self, view: SentenceView, text: str, block: Block) -> None:
        """A sentence that ends its block with a colon and names one subject leads the list below it."""
        if not text.rstrip(" \t*").endswith(_COLONS):
            return
        named = self._subjects(view)
        subjects = {m.entity: m for m in named}
        if len(subjects) == 1:
            self.lead = next(iter(subjects.values()))
            self.lead_depth = block.item
        elif named and _opens(view, named[0].start) and self._opens_with(view, text, named):
            self.lead = named[0]
            self.lead_depth = block.item

    def _opens_with(self, view: SentenceView, text: str, named: list[Mention]) -> bool:
        """Whether a lead line that opens with a subject is about it whatever else it names: the subject is the
        line's label ("Activation Checkpointing：通过重算激活来省显存：") or the only subject of its first clause
        ("LLaVA 最初采用这种方法，用线性投影连接 CLIP 和 Vicuna：")."""
        first = named[0]
        if _after_gloss(text[first.end - view.start:first.end - view.start + 60])[:1] in _COLONS:
            return True
        return all(m.clause > first.clause for m in named[1:])

    def bare_name(self, view: SentenceView, text: str, block: Block) -> None:
        """A paragraph or list item that is only a name ("**RoPE（旋转位置编码）**", "- GRPO") leads the list
        nested below it, as a lead line does."""
        if block.table >= 0 or not self._is_bare_name(view, text):
            return
        self.lead = self._subjects(view)[0]
        self.lead_depth = block.item

    def _is_bare_name(self, view: SentenceView, text: str) -> bool:
        """Whether a sentence is one subject's name and nothing else (numbering, emphasis and a gloss in
        parentheses aside)."""
        # the sentence's own mentions all name one thing, and at least one of them as a subject
        entity = None
        subject = False
        for m in view.mentions:
            if m.inherited:
                continue
            if entity is None:
                entity = m.entity
            elif m.entity != entity:
                return False
            if not (m.negated or m.standard or m.scoped):
                subject = True
        if entity is None or not subject or not self.kinds.get(entity):
            return False
        rest = list(text)
        for m in view.mentions:
            for i in range(m.start - view.start, m.end - view.start):
                rest[i] = " "
        return bool(_BARE_REST.fullmatch(_GLOSSES.sub("", "".join(rest))))

    def heading(self, view: SentenceView) -> None:
        """A question heading that names exactly one subject carries it into its answer; a heading that is only
        a name carries it into the items below it that open with an attribute label ("- **优点**：…")."""
        subjects = {m.entity: m for m in self._subjects(view)}
        self.heading_named = not view.question and len(subjects) == 1 and self._is_bare_name(view, view.text)
        one = len(subjects) == 1 and (view.question or self.heading_named)
        self.heading_subject = next(iter(subjects.values())) if one else None

    def _subjects(self, view: SentenceView) -> list[Mention]:
        return [m for m in view.mentions if not m.inherited and self.kinds.get(m.entity) and not m.negated
                and not m.standard and not m.scoped]

    # --- what a sentence refers to ---------------------------------------------------------
    def carry(self, view: SentenceView, block_index: int, block: Block, anaphor: str | None) -> None:
        """Add to ``view`` what it refers to, then remember it."""
        carried: list[tuple[Mention, str]] = []
        examples = self._lists_examples(view)
        if block.table >= 0:
            own = [m for m in view.mentions if not m.inherited]
            self.cells[(block.table, block.row, block.col)] = own
            if block.row > 0 and block.col > 0:
                carried = self._cell(block, own, examples)
        else:
            carried = self._refers_to(view, block_index, block, anaphor, examples)
        if examples:
            # "Used in: A, B" / "代表模型有 A、B": the topic carried in is what the listed things have
            carried = [(m, "examples" if source != "table" else source) for m, source in carried]
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
        if len(self.recent) > HISTORY:  # it grows one view at a time
            del self.recent[0]

    def _lists_examples(self, view: SentenceView) -> bool:
        """Whether the sentence opens with a term that lists examples ("Used in: …", "代表模型有 …")."""
        for first in view.mentions:
            if not first.inherited:
                return first.entity in self.examples_terms and _opens(view, first.start)
        return False

    def _cell(self, block: Block, own: list[Mention], examples: bool = False) -> list[tuple[Mention, str]]:
        """A cell's subject and property: one subject named by its row label and the column header's
        terms, or one subject named by its column header and the row label's terms."""
        header = self.cells.get((block.table, 0, block.col), [])
        label = self.cells.get((block.table, block.row, 0), [])
        for subject_cell, property_cell in ((label, header), (header, label)):
            # the examples a header gives in parentheses ("MQA (T5/ChatGLM)") are not its subject
            named = [m for m in subject_cell if self.kinds.get(m.entity) in _TABLE_SUBJECTS and not m.scoped]
            subjects = {m.entity for m in named}
            # a table of one column per subject speaks of its column's subject even where the row label names
            # no known term ("| 速度 | 较慢 | 快 7 倍 |" under "| | LayerNorm | RMSNorm |"); a row label may name a
            # thing that is no table subject ("| KV cache | … |": a property of the column's subject)
            if len(subjects) == 1 and (property_cell or subject_cell is header) and \
                    not any(self.kinds.get(m.entity) in _TABLE_SUBJECTS for m in property_cell):
                return [(m, "table") for m in named[:1] + [x for x in property_cell if not x.scoped]]
        # under a header that names no term ("| Key Idea |") a cell still speaks of its row's one subject, but the
        # row label is then only the subject: never a value for what the cell names ("| LayerNorm | LLaMA2 之前 |"),
        # and a cell that names another thing a row could be about is not read so ("| Llama-2-7B | 必须量化 + GQA |")
        if not header and (examples or not any(self.kinds.get(m.entity) in _TABLE_SUBJECTS for m in own)):
            named = {m.entity: m for m in label if self.kinds.get(m.entity) in _TABLE_SUBJECTS and not m.scoped}
            if len(named) == 1:
                return [(next(iter(named.values())), "row")]
        return []

    def _refers_to(self, view: SentenceView, block_index: int, block: Block,
                   anaphor: str | None, examples: bool = False) -> list[tuple[Mention, str]]:
        previous = self.recent[-1] if self.recent and self.recent[-1].block == block_index else None
        if anaphor is not None:
            wanted = self.anaphora_kinds.get(anaphor)
            if not wanted:
                if previous is None and self.recent and self.recent[-1].block != block_index and \
                        _opens(view, view.anaphor_start):
                    previous = self.recent[-1]  # "这样一来，…" opening a paragraph: what the paragraph before ended on
                return [(m, "anaphor") for m in _topic(previous, self.kinds)] if previous is not None else []
            carried = []
            target = self._latest(wanted, view, _noun(anaphor))
            head = self.heading_subject
            if target is None and head is not None and self.kinds.get(head.entity) in wanted:
                target = head  # nothing of its kind since the question heading: the heading's subject
            if target is not None:
                carried = [(target, "anaphor")]
            if previous is not None:  # and what the sentence before was about ("ChatGLM 采用…。这种结构…")
                carried += [(m, "previous") for m in _topic(previous, self.kinds)]
            return carried
        # a subject carries on until the sentence names another thing of its kind, or opens with a subject
        kinds = self.kinds
        own_kinds = set()
        for m in view.mentions:
            if not m.inherited and not m.negated:
                kind = kinds.get(m.entity)
                if kind:
                    if not own_kinds and _opens(view, m.start):
                        return []
                    own_kinds.add(kind)
        if view.opener_end >= 0 and any(not m.inherited and _opens(view, m.start, view.opener_end) for m in view.mentions):
            return []  # "同时，LLM 大多…": after its connective the sentence names what it is about

        def free(m: Mention) -> bool:
            kind = self.kinds.get(m.entity)
            return kind not in own_kinds and not (self.peers.get(kind, frozenset()) & own_kinds)

        head = self.heading_subject
        if examples and head is not None and free(head):
            return [(head, "heading")]  # a list of examples under a heading that names one subject is of that subject
        if self.label is not None and free(self.label) and (
                previous is None or previous.start > self.label.start or
                any(m.entity == self.label.entity for m in previous.mentions)):
            return [(self.label, "label")]
        if self.lead is not None and block.item > self.lead_depth and free(self.lead):
            return [(self.lead, "lead")]
        if previous is not None:
            carried = [(m, "previous") for m in _topic(previous, self.kinds) if free(m)]
            if carried:
                return carried
        if self.heading_subject is not None and free(self.heading_subject) and not self.recent_subject() and \
                (view.attribute_label or not self.heading_named):
            # "应用：LLaMA、RWKV" under "### RMSNorm": the heading's subject is what the listed names use
            return [(self.heading_subject, "listed" if view.application_label else "heading")]
        return []

    def recent_subject(self) -> bool:
        """Whether a sentence of this section has already named a subject other than the heading's."""
        head = self.heading_subject.entity if self.heading_subject else None
        return any(self.kinds.get(m.entity) and m.entity != head and not m.inherited and not m.negated
                   for v in self.recent for m in v.mentions)

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


def _topic(view: SentenceView | None, kinds: dict[str, str | None]) -> list[Mention]:
    """What a sentence is about: its first subject (of any kind) and the subjects coordinated with it,
    or what it itself carried."""
    if view is None:
        return []
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
