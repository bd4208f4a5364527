"""edXML codec speed (QCVN 102 packages): build() + parse() of a document package with one 2 MB attachment,
compared with lxml alone parsing the same bytes with the same hardened parser.

Prints edxml_packages_per_s (build+parse round trips per second) and edxml_ratio_to_lxml = (our build+parse time
per package) / (lxml parse time per package): above 1 means slower than bare lxml, lower is better.

    .venv/bin/python bench/edxml.py [--scale 0.5]     # --scale shortens (or lengthens) the timed runs
"""

import argparse
import os
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanphong.settings.test")


def rate(action, seconds: float, minimum: int) -> float:
    """Seconds per call of `action`, run for about `seconds` and at least `minimum` times."""
    action()  # warm-up
    count = 0
    started = time.perf_counter()
    while count < minimum or time.perf_counter() - started < seconds:
        action()
        count += 1
    return (time.perf_counter() - started) / count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    options = parser.parse_args()

    import django

    django.setup()
    from lxml import etree

    from vanphong.exchange import edxml, xmlsig

    package = edxml.DocumentPackage(
        sender=edxml.Organ(code="000.00.11.H41", name="Sở Tài chính"),
        recipients=[edxml.Organ(code="000.00.00.G22", name="Văn phòng Chính phủ")],
        document_id=edxml.document_id("000.00.11.H41", date(2026, 3, 2), "125", "STC-NS"),
        number="125",
        notation="STC-NS",
        promulgation_date=date(2026, 3, 2),
        type_name="Công văn",
        subject="V/v quyết toán ngân sách năm 2025",
        traces=[edxml.Trace(organ_code="000.00.11.H41", timestamp=datetime(2026, 3, 2, 14, 5))],
        attachments=[
            edxml.Attachment(content_id="1", name="bao-cao.pdf", content_type="application/pdf", data=os.urandom(2**21))
        ],
    )
    data = edxml.build(package)
    assert edxml.parse(data) == package
    print(f"  package: {len(data) / 1e6:.2f} MB", file=sys.stderr)
    seconds = max(0.2, 3.0 * options.scale)
    ours = rate(lambda: edxml.parse(edxml.build(package)), seconds, minimum=5)
    bare = rate(lambda: etree.fromstring(data, parser=xmlsig.safe_parser()), seconds, minimum=5)
    print(f"edxml_packages_per_s: {1 / ours:.1f}")
    print(f"edxml_ratio_to_lxml: {ours / bare:.2f}")


if __name__ == "__main__":
    main()
