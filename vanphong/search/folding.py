"""Accent folding for Vietnamese search (spec signing-security.md §5.1): đ/Đ have no Unicode decomposition, so they are
mapped by hand before NFD; then the combining marks go, the text is lower-cased and its whitespace collapsed.

`fold_map` folds character by character and keeps, for every folded character, the position of the character it came
from: snippets find the folded query words in the folded text and mark the original text at the same places."""

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

_DD = {0x111: "d", 0x110: "D"}
_SPACE = re.compile(r"\s+")
WORD = re.compile(r"\w+")


@lru_cache(maxsize=8192)  # a text uses a few hundred distinct characters; snippets fold thousands per page
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char.translate(_DD))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def fold(text: str) -> str:
    """'Quyết định Đắk Lắk  đường' → 'quyet dinh dak lak duong'."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_DD))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _SPACE.sub(" ", stripped).strip()


def fold_map(text: str) -> tuple[str, Sequence[int]]:
    """The folded text (whitespace kept as single spaces, not collapsed) and, per folded character, its source index."""
    table = {char: " " if char.isspace() else _fold_char(char) for char in set(text)}
    if all(len(folded) == 1 for folded in table.values()):  # the usual case: one for one, positions are the same
        return text.translate({ord(char): folded for char, folded in table.items()}), range(len(text))
    out: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        folded = table[char]
        out.append(folded)
        positions.extend([index] * len(folded))
    return "".join(out), positions


def words(text: str) -> list[str]:
    """The folded words of a text: what both engines index and match."""
    return WORD.findall(fold(text))
