"""Accent-insensitive search at a million documents (spec signing-security.md §5.2).

Fills a PostgreSQL database (vanphong_bench_search, created and dropped here) with 1,000,000 search entries of about
2 KB of Vietnamese administrative text each — scaled by --scale —, generated in SQL (generate_series) from a
vocabulary of real administrative phrases, builds the indexes of migration 0002, then times 20 typical queries (with
and without accents, phrases, filters) through the PostgreSQL adapter. Prints search_p50_ms, search_p95_ms and
search_index_mb (the size of every index of the table).

    .venv/bin/python bench/search.py [--scale 0.01] [--keep]
"""

import argparse
import datetime
import importlib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from support.postgres import drop_database, recreate_database, setup_django  # noqa: E402

DATABASE = "vanphong_bench_search"
AGENCIES = 50
CHUNK = 100_000
PHRASES_PER_ROW = 28  # about 2 KB of text

PHRASES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư",
    "Theo đề nghị của Giám đốc Sở Tài chính tại Tờ trình số 125/TTr-STC",
    "Quyết định phê duyệt dự toán ngân sách nhà nước năm 2026",
    "V/v báo cáo quyết toán ngân sách địa phương năm 2025",
    "Ủy ban nhân dân tỉnh Nghệ An giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp với các đơn vị liên quan",
    "triển khai thực hiện kế hoạch phát triển kinh tế - xã hội giai đoạn 2026-2030",
    "hỗ trợ kinh phí phòng, chống thiên tai, lụt bão cho các huyện miền núi",
    "đầu tư xây dựng công trình Đường tỉnh 534 đoạn qua huyện Đô Lương",
    "Chánh Văn phòng Ủy ban nhân dân tỉnh, Thủ trưởng các sở, ban, ngành chịu trách nhiệm thi hành Quyết định này",
    "tăng cường công tác phòng cháy, chữa cháy và cứu nạn, cứu hộ trong mùa khô",
    "Sở Y tế hướng dẫn các cơ sở khám bệnh, chữa bệnh thực hiện phòng, chống dịch bệnh",
    "điều chỉnh chủ trương đầu tư dự án khu đô thị mới tại thành phố Vinh",
    "cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
    "Đắk Lắk, Lâm Đồng và các tỉnh Tây Nguyên tổ chức hội nghị sơ kết",
    "chế độ, chính sách đối với cán bộ, công chức, viên chức và người lao động",
    "thực hiện cải cách hành chính, chuyển đổi số trong cơ quan nhà nước",
    "Nơi nhận: Như Điều 3; Thường trực Tỉnh ủy; Thường trực HĐND tỉnh; Lưu: VT, TH",
    "Quyết định này có hiệu lực kể từ ngày ký",
    "đề nghị các đơn vị báo cáo kết quả thực hiện về Sở Tài chính trước ngày 15 hằng tháng",
    "khen thưởng tập thể, cá nhân có thành tích xuất sắc trong phong trào thi đua yêu nước",
    "quản lý, sử dụng tài sản công tại cơ quan, tổ chức, đơn vị",
    "ông Nguyễn Văn Lâm, Phó Giám đốc Sở được giao phụ trách lĩnh vực này",
    "công việc nhiều lắm nhưng các phòng vẫn hoàn thành đúng tiến độ",
    "giải quyết đơn thư khiếu nại, tố cáo của công dân theo quy định của pháp luật",
    "bảo vệ môi trường, xử lý chất thải rắn sinh hoạt tại các khu dân cư",
    "Bộ Tài chính hướng dẫn thực hiện Thông tư số 56/2022/TT-BTC",
    "kiện toàn Ban Chỉ đạo phát triển du lịch tỉnh",
]
NOTATIONS = ["QĐ-UBND", "STC-NS", "CV-VP", "TTr-STC", "BC-UBND", "KH-UBND", "TB-VP", "HD-SYT"]
TYPES = ["QD", "CV", "TTr", "BC", "KH", "TB", "HD"]

QUERIES = [
    {"text": "quyết định"},
    {"text": "quyet dinh"},
    {"text": '"quyet toan ngan sach"'},
    {"text": '"quyết toán ngân sách"'},
    {"text": "đường tỉnh 534"},
    {"text": "duong tinh 534"},
    {"text": "Đắk Lắk"},
    {"text": "dak lak"},
    {"text": "Lâm"},
    {"text": "phong chay chua chay"},
    {"text": "125/TTr-STC"},
    {"text": "chuyen doi so"},
    {"text": "lụt bão", "document_type": "CV"},
    {"text": "khen thuong", "date_from": datetime.date(2025, 1, 1)},
    {"text": "tai san cong", "date_from": datetime.date(2025, 6, 1), "date_to": datetime.date(2025, 12, 31)},
    {"text": '"khu đô thị mới"'},
    {"text": "khieu nai to cao", "document_type": "BC"},
    {"text": "moi truong chat thai"},
    {"text": "du lich", "issuer": "uy ban"},
    {"text": "hiệu lực kể từ ngày ký", "kind": "incoming"},
]


def _array(values) -> str:
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def fill(scale: float) -> int:
    """Everything in SQL; the text indexes are dropped while loading and built afterwards."""
    from django.db import connection

    rows = int(1_000_000 * scale)
    phrases, notations, types = _array(PHRASES), _array(NOTATIONS), _array(TYPES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO organizations_agency (code, name, short_name, place_name, is_hosted, email, phone, address)
                SELECT format('000.00.%s.H40', lpad(g::text, 2, '0')), 'Ủy ban nhân dân huyện ' || g, 'UB' || g,
                       'Nghệ An', true, '', '', ''
                FROM generate_series(1, {AGENCIES}) g"""
        )
        cursor.execute("SELECT min(id) FROM organizations_agency")
        first_agency = cursor.fetchone()[0]
        cursor.execute("DROP INDEX IF EXISTS search_entry_body_fts")
        cursor.execute("DROP INDEX IF EXISTS search_entry_reference_trgm")
        for start in range(1, rows + 1, CHUNK):
            stop = min(rows, start + CHUNK - 1)
            cursor.execute(
                f"""INSERT INTO search_searchentry (kind, object_id, agency_id, title, reference, issuer, issuer_folded,
                        document_date, document_type, state, secrecy, body, folded, updated_at)
                    SELECT CASE WHEN g % 3 = 0 THEN 'outgoing' ELSE 'incoming' END, g,
                           {first_agency} + g % {AGENCIES}, t.title, t.reference,
                           'Ủy ban nhân dân huyện ' || (g % {AGENCIES}), 'uy ban nhan dan huyen ' || (g % {AGENCIES}),
                           DATE '2020-01-01' + (g % 2400), ({types})[1 + g % {len(TYPES)}], 'registered', 0,
                           t.body, vn_fold(t.body), now()
                    FROM generate_series({start}, {stop}) g
                    CROSS JOIN LATERAL (
                        SELECT ({phrases})[1 + (g * 7) % {len(PHRASES)}] AS title,
                               (g % 5000)::text || '/' || ({notations})[1 + g % {len(NOTATIONS)}] AS reference,
                               array_to_string(ARRAY(
                                   SELECT ({phrases})[1 + floor(random() * {len(PHRASES)})::int]
                                   FROM generate_series(1, {PHRASES_PER_ROW}) p WHERE g > 0
                               ), '. ') AS body
                    ) t"""
            )
            print(f"  loaded {stop} rows", file=sys.stderr)
    return rows


def build_indexes():
    from django.db import connection

    engines = importlib.import_module("vanphong.search.migrations.0002_engines")  # the indexes as migrated

    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for statement in engines.POSTGRES[4:]:
            cursor.execute(statement)
        cursor.execute("ANALYZE search_searchentry")


def measure() -> list[float]:
    from vanphong.search.backends import Query
    from vanphong.search.backends.postgres import PostgresBackend

    backend = PostgresBackend()
    timings = []
    for spec in QUERIES:
        query = Query(**spec)
        backend.search(query, limit=20)  # warm the cache, as a server does
        started = time.perf_counter()
        hits = backend.search(query, limit=20)
        elapsed = (time.perf_counter() - started) * 1000
        timings.append(elapsed)
        print(f"  {elapsed:8.1f} ms  {len(hits):3d} hits  {spec}", file=sys.stderr)
    return timings


def index_mb() -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_indexes_size('search_searchentry')")
        return cursor.fetchone()[0] / 1024 / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    recreate_database(DATABASE)
    try:
        setup_django(DATABASE)
        started = time.perf_counter()
        rows = fill(args.scale)
        build_indexes()
        print(f"  {rows} rows loaded and indexed in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        timings = sorted(measure())
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        print(f"search_p50_ms: {statistics.median(timings):.1f}")
        print(f"search_p95_ms: {p95:.1f}")
        print(f"search_index_mb: {index_mb():.1f}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(DATABASE)


if __name__ == "__main__":
    main()
