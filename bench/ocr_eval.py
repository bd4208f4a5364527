"""OCR and metadata suggestion on the generated evaluation set (issue: digitisation, metadata suggestion).

Generates 30 realistic scanned official documents — scaled by --scale, at least 3 — with a fixed seed
(vanphong/intake/evaluation.py), OCRs each with OcrmypdfEngine (ocrmypdf 17, Tesseract `vie`, jobs=1), reads page 1
with suggest() against a directory holding the issuers and near namesakes, and prints:

    ocr_char_accuracy               1 - Levenshtein / len(truth) on page 1, whitespace collapsed (mean over documents)
    field_accuracy_number_notation  suggested "04/CT-UBND" equal to the printed one (spaces ignored)
    field_accuracy_date             equal dates
    field_accuracy_issuer           matched to the right agency, or the printed name equal after normalisation
    field_accuracy_type             equal Vietnamese type names
    ocr_seconds_per_page            OCR wall time / pages

    .venv/bin/python bench/ocr_eval.py [--scale 0.2] [--dir var/ocr-eval] [--reuse] [--verbose]

--reuse keeps the OCR output already in --dir (for iterating on the suggestion rules without re-running OCR).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanphong.settings.test")


def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        append = current.append
        for j, cb in enumerate(b, 1):
            append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def char_accuracy(truth: str, ocr: str) -> float:
    truth, ocr = " ".join(truth.split()), " ".join(ocr.split())
    if not truth:
        return 1.0 if not ocr else 0.0
    return max(0.0, 1.0 - levenshtein(truth, ocr) / len(truth))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "ocr-eval")
    parser.add_argument("--reuse", action="store_true", help="reuse the scans and OCR output already in --dir")
    parser.add_argument("--clean", action="store_true", help="OCR with unpaper's --clean")
    parser.add_argument("--no-deskew", action="store_true", help="OCR without --deskew")
    parser.add_argument("--verbose", action="store_true", help="print every wrong field")
    options = parser.parse_args()

    import django

    django.setup()
    from vanphong.intake.evaluation import directory, generate
    from vanphong.intake.ocr import OcrmypdfEngine
    from vanphong.intake.suggest import fold, suggest
    from vanphong.organizations.models import Agency

    count = max(3, round(30 * options.scale))
    target = options.dir
    if options.reuse and all(Path(target, f"{n + 1:02d}.json").exists() for n in range(count)):
        samples = [
            (Path(target, f"{n + 1:02d}-scan.pdf"), json.loads(Path(target, f"{n + 1:02d}.json").read_text("utf-8")))
            for n in range(count)
        ]
    else:
        samples = [(s.scan, s.truth) for s in generate(target, count=count, seed=options.seed)]
    agencies = [Agency(pk=pk, name=name, short_name=short) for pk, (name, short) in enumerate(directory(), start=1)]
    pk_of = {agency.name: agency.pk for agency in agencies}

    engine = OcrmypdfEngine(clean=options.clean, deskew=not options.no_deskew)
    ocr_seconds, pages = 0.0, 0
    accuracy, right = [], {"number_notation": 0, "date": 0, "issuer": 0, "type": 0}
    for scan, truth in samples:
        text_path = scan.with_name(scan.stem.replace("-scan", "") + "-ocr.txt")
        if options.reuse and text_path.exists():
            cached = json.loads(text_path.read_text("utf-8"))
            text, seconds, page_count = cached["text"], cached["seconds"], cached["pages"]
        else:
            started = time.perf_counter()
            result = engine.ocr(scan.read_bytes(), filename=scan.name)
            seconds, page_count, text = time.perf_counter() - started, result.pages, result.text
            text_path.write_text(
                json.dumps({"text": text, "seconds": seconds, "pages": page_count}, ensure_ascii=False)
            )
        ocr_seconds += seconds
        pages += page_count
        first_page = text.split("\f")[0]
        accuracy.append(char_accuracy(truth["page1_text"], first_page))

        found = suggest(first_page, agencies=agencies)
        checks = {
            "number_notation": "".join(found.number_notation.split()) == "".join(truth["number_notation"].split()),
            "date": found.date is not None and found.date.isoformat() == truth["date"],
            "issuer": found.issuer_pk == pk_of[truth["issuer"]]
            or (found.issuer_pk is None and fold(found.issuer) == fold(truth["issuer"])),
            "type": found.type_label == truth["type"],
        }
        for field, ok in checks.items():
            right[field] += ok
            if not ok and options.verbose:
                print(
                    f"{scan.name} {field}: expected {truth[field]!r}, got {found.as_json()[field]!r}", file=sys.stderr
                )

    n = len(samples)
    print(f"documents: {n}  pages: {pages}", file=sys.stderr)
    print(f"ocr_char_accuracy: {sum(accuracy) / n:.4f}")
    for field in ("number_notation", "date", "issuer", "type"):
        print(f"field_accuracy_{field}: {right[field] / n:.4f}")
    print(f"ocr_seconds_per_page: {ocr_seconds / max(pages, 1):.2f}")


if __name__ == "__main__":
    main()
