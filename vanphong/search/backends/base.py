"""The search port. The workflow sees `SearchBackend` only: SQLite FTS5 (development and tests) and PostgreSQL
(production) are adapters, chosen by the database Django uses (`get_backend`)."""

import datetime
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..folding import WORD, fold, fold_map
from ..models import SearchEntry

_PHRASE = re.compile(r'"([^"]*)"')
SNIPPET_CHARS = 240


@dataclass(frozen=True)
class Query:
    text: str = ""
    kind: str = ""  # "incoming", "outgoing" or "" for both
    document_type: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    issuer: str = ""

    @property
    def phrases(self) -> list[str]:
        """Quoted parts, each matched as a phrase; multi-token words ("2491/STC-BCTC") are phrases too."""
        quoted = [p.strip() for p in _PHRASE.findall(self.text) if p.strip()]
        loose = _PHRASE.sub(" ", self.text).replace('"', " ").split()
        return quoted + [w for w in loose if len(WORD.findall(fold(w))) > 1]

    @property
    def words(self) -> list[str]:
        """Unquoted single-token words."""
        loose = _PHRASE.sub(" ", self.text).replace('"', " ").split()
        return [w for w in loose if len(WORD.findall(fold(w))) == 1]

    @property
    def is_empty(self) -> bool:
        return not (self.phrases or self.words)


@dataclass
class Hit:
    kind: str
    pk: int
    title: str
    reference: str
    date: datetime.date | None
    rank: float = 0.0
    exact: bool = False
    body: str = field(default="", repr=False)
    query: Query = field(default_factory=Query, repr=False)

    @cached_property
    def snippet(self) -> SafeString:
        """Made when a page shows it: a search keeps up to 200 hits, a page shows 20."""
        return snippet(self.body, self.query)


class SearchBackend(ABC):
    """index(entry) after the row is saved; remove(kind, pk); search(query) → the best `limit` hits, ranked;
    rebuild() re-creates the engine's own index from the rows."""

    #: whether the engine reads SearchEntry.folded (the text folded in Python); if not, it is left empty
    stores_folded_text = True

    @abstractmethod
    def index(self, entry: SearchEntry) -> None: ...

    @abstractmethod
    def remove(self, kind: str, pk: int) -> None: ...

    @abstractmethod
    def rebuild(self) -> None: ...

    @abstractmethod
    def search(self, query: Query, *, limit: int = 200, restrict=None) -> list[Hit]: ...

    # Shared by the adapters: filters, ranking on accents, snippets.
    @staticmethod
    def filtered(query: Query, restrict=None):
        entries = SearchEntry.objects.all()
        if restrict is not None:
            entries = entries.filter(restrict)
        if query.kind:
            entries = entries.filter(kind=query.kind)
        if query.document_type:
            entries = entries.filter(document_type=query.document_type)
        if query.date_from:
            entries = entries.filter(document_date__gte=query.date_from)
        if query.date_to:
            entries = entries.filter(document_date__lte=query.date_to)
        if query.issuer.strip():
            entries = entries.filter(issuer_folded__contains=fold(query.issuer))
        return entries

    @staticmethod
    def hits(query: Query, rows) -> list[Hit]:
        """rows: (entry, engine rank, larger is better). Exact-accent matches first, then rank, then newest."""
        hits = [
            Hit(
                kind=entry.kind,
                pk=entry.object_id,
                title=entry.title,
                reference=entry.reference,
                date=entry.document_date,
                rank=rank,
                exact=exact_match(entry.body, query),
                body=entry.body,
                query=query,
            )
            for entry, rank in rows
        ]
        hits.sort(key=lambda h: (not h.exact, -h.rank, -(h.date.toordinal() if h.date else 0), -h.pk))
        return hits


def terms(query: Query) -> list[str]:
    return [t for t in query.phrases + query.words if t.strip()]


def words_pattern(words: list[str]) -> str:
    """The regular expression of these words side by side, apart by any non-word run; Python's `re` and
    PostgreSQL's `~*` read it alike (a backslash before punctuation, lookarounds)."""
    return r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)"


def exact_pattern(term: str) -> str:
    """A term with its accents, case aside."""
    return words_pattern(term.lower().split())


def exact_match(body: str, query: Query) -> bool:
    """Every query word (or phrase) appears in the text with its accents, case aside."""
    text = body.lower()
    wanted = terms(query)
    return bool(wanted) and all(re.search(exact_pattern(term), text) for term in wanted)


def snippet(body: str, query: Query, size: int = SNIPPET_CHARS) -> SafeString:
    """Up to `size` characters of the text around the first match, escaped, the matches inside <mark>."""
    if not body:
        return mark_safe("")
    folded, positions = fold_map(body)
    spans: list[tuple[int, int]] = []
    for term in terms(query):
        tokens = WORD.findall(fold(term))
        if not tokens:
            continue
        for match in re.finditer(words_pattern(tokens), folded):
            spans.append((positions[match.start()], positions[match.end() - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    begin = max(0, merged[0][0] - size // 3) if merged else 0
    end = min(len(body), begin + size)
    parts = ["…" if begin else ""]
    cursor = begin
    for start, stop in merged:
        if start < begin or stop > end:
            continue
        parts.append(escape(body[cursor:start]))
        parts.append("<mark>" + escape(body[start:stop]) + "</mark>")
        cursor = stop
    parts.append(escape(body[cursor:end]))
    parts.append("…" if end < len(body) else "")
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped but our own <mark>
