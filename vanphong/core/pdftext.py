"""Words and their places in a PDF, read with poppler's pdftotext (Debian poppler-utils): pyHanko and reportlab
extract no text. Finding the template's markers (core.placeholders) serves the conversion of drafts and signing."""

import shutil
import subprocess
import tempfile
from html.parser import HTMLParser

from django.utils.translation import gettext as _

from .placeholders import MARKERS, Box, Place

TIMEOUT = 60


class PdfTextUnavailable(Exception):
    """poppler-utils is not installed: the message says so to the person, who tells the administrator."""


def _pdftotext() -> str:
    found = shutil.which("pdftotext")
    if found is None:
        raise PdfTextUnavailable(
            _(
                "The places to sign and number cannot be found: poppler-utils (pdftotext) is not installed on the "
                "server. Tell the administrator."
            )
        )
    return found


class _Words(HTMLParser):
    """Reads `pdftotext -bbox` output: page sizes and each word with its box (origin top-left)."""

    def __init__(self):
        super().__init__()
        self.pages: list[tuple[float, float, list]] = []
        self._word = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "page":
            self.pages.append((float(a["width"]), float(a["height"]), []))
        elif tag == "word":
            self._word = [float(a["xmin"]), float(a["ymin"]), float(a["xmax"]), float(a["ymax"]), ""]

    def handle_data(self, data):
        if self._word is not None:
            self._word[4] += data

    def handle_endtag(self, tag):
        if tag == "word" and self._word is not None:
            self.pages[-1][2].append(tuple(self._word))
            self._word = None


def _read_words(pdftotext: str, path: str) -> "_Words | None":
    # a fixed argument list (no shell); the only variable part is our own temporary file's name
    result = subprocess.run(  # noqa: S603
        [pdftotext, "-bbox", "-enc", "UTF-8", path, "-"], capture_output=True, timeout=TIMEOUT, check=False
    )
    if result.returncode != 0:
        return None
    parser = _Words()
    parser.feed(result.stdout.decode("utf-8", "replace"))
    return parser


def pdf_words(pdf: bytes) -> list[tuple[float, float, list]]:
    """Per page: width, height and the words with their boxes (x1, top, x2, bottom, text; origin top-left)."""
    pdftotext = _pdftotext()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        source.write(pdf)
        source.flush()
        parser = _read_words(pdftotext, source.name)
    return parser.pages if parser is not None else []


def find_marker(pdf: bytes, marker: str) -> tuple[int, Box] | None:
    """(page index, box in PDF points with origin bottom-left) of the first occurrence of `marker`, a word or a run of
    words laid out in the document template. pyHanko extracts no text, so this asks poppler's pdftotext
    (Debian poppler-utils, installed with pdfsig); None when the marker is not in the document."""
    pdftotext = _pdftotext()
    wanted = marker.split()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        source.write(pdf)
        source.flush()
        parser = _read_words(pdftotext, source.name)
        if parser is None:
            return None
        for index, (_width, height, words) in enumerate(parser.pages):
            texts = [w[4] for w in words]
            for start in range(len(words) - len(wanted) + 1):
                if texts[start : start + len(wanted)] == wanted:
                    run = words[start : start + len(wanted)]
                    x1, top, x2, bottom = (
                        min(w[0] for w in run),
                        min(w[1] for w in run),
                        max(w[2] for w in run),
                        max(w[3] for w in run),
                    )
                    return index, (x1, height - bottom, x2, height - top)
        if len(wanted) != 1:
            return None
        # the marker inside a word, as in "Số: [[SO]]/QĐ-UBND": pdftotext gives boxes of whole words only
        for index, (_width, height, words) in enumerate(parser.pages):
            for x1, top, x2, bottom, text in words:
                at = text.find(marker)
                if at < 0:
                    continue
                word = (x1, top, x2, bottom)
                left = _char_left(pdftotext, source.name, index, word, at) if at else x1
                end = at + len(marker)
                right = _char_left(pdftotext, source.name, index, word, end) if end < len(text) else x2
                return index, (left, height - bottom, right, height - top)
    return None


CROP_RESOLUTION = 288  # pdftotext crops in whole pixels: at 288 dpi, a quarter of a point


def _char_left(pdftotext: str, path: str, index: int, word: tuple, position: int) -> float:
    """The left edge of the character at `position` in `word` (x1, top, x2, bottom; origin top-left). pdftotext
    keeps a character in a crop when its left edge lies inside, so the number of the word's characters in the crop
    from the word's start to x grows with x: search for the x where it passes `position`."""
    scale = CROP_RESOLUTION / 72
    x1, top, x2, bottom = word
    start = int((x1 - 0.25) * scale)

    def count(x_pixels: int) -> int:
        result = subprocess.run(  # noqa: S603 - fixed arguments, our own temporary file
            [
                pdftotext,
                *("-f", str(index + 1), "-l", str(index + 1), "-r", str(CROP_RESOLUTION), "-enc", "UTF-8"),
                *("-x", str(start), "-y", str(int(top * scale) + 1), "-W", str(x_pixels - start)),
                *("-H", str(max(1, int((bottom - top) * scale) - 2)), path, "-"),
            ],
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
        return len("".join(result.stdout.decode("utf-8", "replace").split()))

    low, high = start, int(x2 * scale) + 1  # count(low) <= position < count(high)
    while high - low > 1:
        middle = (low + high) // 2
        if count(middle) > position:
            high = middle
        else:
            low = middle
    return high / scale


def find_places(pdf: bytes) -> dict[str, Place]:
    """The places whose marker (placeholders.MARKERS) is laid out in `pdf`, by name ("signature", "number",
    "date"); a marker not in the document is left out."""
    places = {}
    for name, marker in MARKERS.items():
        found = find_marker(pdf, marker)
        if found is not None:
            places[name] = Place(page=found[0], box=found[1])
    return places


def text_after(pdf: bytes, place: Place, marker: str | None = None) -> str:
    """What is printed right after a place on its line: "/STC-VP" after the number place of "Số: [[SO]]/STC-VP".
    With `marker` still in the PDF, the rest of the word that holds it; "" when nothing follows closely."""
    pages = pdf_words(pdf)
    if place.page >= len(pages):
        return ""
    _width, height, words = pages[place.page]
    _x1, y1, x2, y2 = place.box
    if marker:
        for word in words:
            if marker in word[4]:
                return word[4].split(marker, 1)[1]
    middle = height - (y1 + y2) / 2  # pdftotext measures from the top
    on_line = [w for w in words if w[1] <= middle <= w[3] and w[0] >= x2 - 2]
    nearest = min(on_line, key=lambda w: w[0], default=None)
    return nearest[4] if nearest is not None and nearest[0] - x2 < 8 else ""
