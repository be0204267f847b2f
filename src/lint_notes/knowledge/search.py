"""``claims search``: claims whose wording or entity names contain some text.

Text is compared folded as names are matched in notes (case, full width, Traditional/Simplified,
hyphens and spaces do not matter), so ``post ln`` finds ``Post-LN`` and ``後標準化`` finds ``后标准化``.
"""

from __future__ import annotations

from lint_notes.text.normalize import alias_key

FIELDS = (("id", "id"), ("statement", "statement"), ("statement_zh", "statement"),
          ("correction", "correction"), ("correction_zh", "correction"))


def _key(text: str) -> str:
    return alias_key(text)[0]


def search(kb, query: str, generated: bool = False) -> list[tuple[object, str]]:
    """(claim, where it matched) for every claim containing each word of ``query``; best first:
    a match in the id or statement before one in a correction, one in an entity name last."""
    words = [_key(w) for w in query.split() if _key(w)]
    if not words:
        return []
    names: dict[str, list[str]] = {}
    for e in kb.entities.values():
        names[e.id] = [_key(a) for a in (e.id, *e.aliases)]
    rank = {"id": 0, "statement": 1, "correction": 2, "alias": 3}
    hits = []
    for c in kb.claims.values():
        if c.origin != "claims" and not generated:
            continue
        texts = [(where, _key(getattr(c, attr) or "")) for attr, where in FIELDS]
        aliases = [a for ent in sorted(c.match.referenced_entities()) for a in names.get(ent, ())]
        found = []
        for w in words:
            place = next((where for where, t in texts if w in t), None)
            if place is None and any(w in a for a in aliases):
                place = "alias"
            if place is None:
                break
            found.append(place)
        else:
            best = min(found, key=rank.__getitem__)
            hits.append((rank[best], c.topic, c.id, c, best if best != "alias" else "entity name"))
    hits.sort(key=lambda h: h[:3])
    return [(h[3], h[4]) for h in hits]
