"""Paging for long lists. Counting every matching row costs as much as the list itself at a million documents, so
a page knows its total only when the caller already has it (e.g. from a counters query); otherwise it fetches one
row more than it shows to learn whether a next page exists."""

from dataclasses import dataclass
from math import ceil


@dataclass
class Page:
    object_list: list
    number: int
    size: int
    has_next: bool
    total: int | None = None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def num_pages(self) -> int | None:
        return max(1, ceil(self.total / self.size)) if self.total is not None else None

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def page_of(queryset, number, *, size: int = 25, total: int | None = None) -> Page:
    try:
        number = max(1, int(number or 1))
    except (TypeError, ValueError):
        number = 1
    if total is not None:
        number = min(number, max(1, ceil(total / size)))
    if total == 0:
        return Page([], 1, size, has_next=False, total=0)  # known to be empty: no query at all
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return Page(rows[:size], number, size, has_next=len(rows) > size, total=total)
