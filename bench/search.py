"""Accent-insensitive search at a million documents (spec signing-security.md §5.2).

Fills a PostgreSQL database (vanphong_bench_search, created and dropped here) with 1,000,000 search entries of about
2 KB of Vietnamese administrative text each — scaled by --scale —, generated in SQL (generate_series) from a
vocabulary of real administrative phrases, builds the indexes of migrations 0002 and 0003, then times 20 typical
queries (with and without accents, phrases, filters) through the PostgreSQL adapter. Prints search_p50_ms,
search_p95_ms and search_index_mb (the size of every index of the table).

Then the same 20 queries as two people of one agency (one of 50), through the search page's own reads, permissions
included: its clerk (văn thư, every document of the agency) and a specialist of one of its units (the documents
routed to that unit, one in eight). The agency's incoming documents and their routing are real rows. Prints
search_person_p50_ms and search_person_p95_ms.

    .venv/bin/python bench/search.py [--scale 0.01] [--keep] [--reuse]"""

import argparse
import datetime
import importlib
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from support.postgres import bench_database, p50_p95  # noqa: E402

DATABASE = "vanphong_bench_search"
AGENCIES = 50
PEOPLES_AGENCY = 7  # the agency of the people who search (a row's agency: g / len(TOPICS) % AGENCIES, every matter)
ROUTED_TO_UNIT = 8  # one incoming document in eight is routed to the specialist's unit
CHUNK = 50_000
TOPIC_PHRASES_PER_ROW = 16
COMMON_PHRASES_PER_ROW = 5  # with the places, names and numbers: about 2 KB of text

# Phrases every kind of document uses (căn cứ, nơi nhận, hiệu lực): they match most of the table.
COMMON = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư",
    "Quyết định này có hiệu lực kể từ ngày ký",
    "Chánh Văn phòng Ủy ban nhân dân tỉnh, Thủ trưởng các sở, ban, ngành chịu trách nhiệm thi hành Quyết định này",
    "Nơi nhận: Như Điều 3; Thường trực Tỉnh ủy; Thường trực HĐND tỉnh; Lưu: VT, TH",
    "đề nghị các đơn vị báo cáo kết quả thực hiện trước ngày 15 hằng tháng",
    "Ủy ban nhân dân tỉnh giao các sở, ngành chủ trì, phối hợp với các đơn vị liên quan",
    "trong quá trình thực hiện, nếu có vướng mắc, các đơn vị phản ánh kịp thời để xem xét, giải quyết",
    "thực hiện cải cách hành chính, chuyển đổi số trong cơ quan nhà nước",
    "công việc nhiều lắm nhưng các phòng vẫn hoàn thành đúng tiến độ",
]
# Each document is about one matter: its words are common inside the matter and rare outside it.
TOPICS = [
    [
        "Quyết định phê duyệt dự toán ngân sách nhà nước năm 2026",
        "V/v báo cáo quyết toán ngân sách địa phương năm 2025",
        "bổ sung có mục tiêu từ ngân sách trung ương cho ngân sách địa phương",
        "quản lý, sử dụng tài sản công tại cơ quan, tổ chức, đơn vị",
        "thu hồi các khoản chi sai chế độ theo kết luận của Kiểm toán nhà nước",
        "Bộ Tài chính hướng dẫn thực hiện Thông tư số 56/2022/TT-BTC",
        "tạm ứng, thanh toán vốn đầu tư công qua Kho bạc Nhà nước",
    ],
    [
        "đầu tư xây dựng công trình Đường tỉnh 534 đoạn qua huyện Đô Lương",
        "điều chỉnh chủ trương đầu tư dự án khu đô thị mới tại thành phố Vinh",
        "thẩm định báo cáo nghiên cứu khả thi và thiết kế cơ sở",
        "giải phóng mặt bằng, bồi thường, hỗ trợ tái định cư cho các hộ dân",
        "nghiệm thu, bàn giao đưa công trình vào sử dụng",
        "lựa chọn nhà thầu thi công xây lắp gói thầu số 05",
    ],
    [
        "Sở Y tế hướng dẫn các cơ sở khám bệnh, chữa bệnh thực hiện phòng, chống dịch bệnh",
        "tiêm chủng mở rộng cho trẻ em dưới 5 tuổi",
        "bảo đảm cung ứng thuốc, vật tư y tế tại các bệnh viện tuyến huyện",
        "kiểm tra an toàn thực phẩm trong dịp Tết Nguyên đán",
        "phòng, chống sốt xuất huyết và bệnh tay chân miệng",
    ],
    [
        "hỗ trợ kinh phí phòng, chống thiên tai, lụt bão cho các huyện miền núi",
        "khắc phục hậu quả mưa lũ, sạt lở đất tại các xã vùng cao",
        "tăng cường công tác phòng cháy, chữa cháy và cứu nạn, cứu hộ trong mùa khô",
        "phương án sơ tán dân khỏi vùng nguy hiểm khi có bão mạnh",
        "dự trữ lương thực, nhu yếu phẩm cứu trợ khẩn cấp",
    ],
    [
        "cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
        "điều chỉnh quy hoạch sử dụng đất đến năm 2030",
        "xử lý vi phạm trong lĩnh vực đất đai, khoáng sản",
        "bảo vệ môi trường, xử lý chất thải rắn sinh hoạt tại các khu dân cư",
        "quan trắc chất lượng nước sông Lam và các hồ chứa",
    ],
    [
        "chế độ, chính sách đối với cán bộ, công chức, viên chức và người lao động",
        "kiện toàn tổ chức bộ máy, sắp xếp đơn vị hành chính cấp xã",
        "bổ nhiệm lại chức vụ Phó Giám đốc Sở",
        "tuyển dụng viên chức giáo dục năm học 2026-2027",
        "đánh giá, xếp loại chất lượng cán bộ, công chức năm 2025",
    ],
    [
        "khen thưởng tập thể, cá nhân có thành tích xuất sắc trong phong trào thi đua yêu nước",
        "tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "tổ chức lễ kỷ niệm ngày thành lập tỉnh",
        "kiện toàn Ban Chỉ đạo phát triển du lịch tỉnh",
        "bảo tồn, phát huy giá trị di tích lịch sử, văn hóa",
    ],
    [
        "giải quyết đơn thư khiếu nại, tố cáo của công dân theo quy định của pháp luật",
        "tiếp công dân định kỳ của Chủ tịch Ủy ban nhân dân tỉnh",
        "thanh tra việc thực hiện chính sách, pháp luật về đất đai",
        "kết luận thanh tra trách nhiệm thủ trưởng trong công tác phòng, chống tham nhũng",
    ],
    [
        "triển khai thực hiện kế hoạch phát triển kinh tế - xã hội giai đoạn 2026-2030",
        "thu hút đầu tư vào khu kinh tế Đông Nam",
        "hỗ trợ doanh nghiệp nhỏ và vừa tiếp cận vốn tín dụng",
        "xúc tiến thương mại, tiêu thụ nông sản cho nông dân",
        "phát triển hợp tác xã nông nghiệp ứng dụng công nghệ cao",
    ],
    [
        "tổ chức kỳ thi tốt nghiệp trung học phổ thông năm 2026",
        "sắp xếp mạng lưới trường lớp mầm non, phổ thông",
        "bảo đảm cơ sở vật chất, thiết bị dạy học tối thiểu",
        "miễn, giảm học phí cho học sinh vùng đặc biệt khó khăn",
    ],
    [
        "xây dựng nông thôn mới nâng cao, nông thôn mới kiểu mẫu",
        "phòng, chống dịch tả lợn châu Phi trên đàn vật nuôi",
        "chuyển đổi cơ cấu cây trồng trên đất trồng lúa kém hiệu quả",
        "bảo vệ và phát triển rừng, phòng cháy chữa cháy rừng",
    ],
    [
        "triển khai Đề án 06 về phát triển ứng dụng dữ liệu dân cư, định danh và xác thực điện tử",
        "bảo đảm an toàn thông tin mạng cho hệ thống thông tin cấp độ 3",
        "kết nối, liên thông văn bản điện tử qua Trục liên thông văn bản quốc gia",
        "sử dụng chữ ký số chuyên dùng công vụ trong gửi nhận văn bản",
    ],
]
PLACES = [
    "thành phố Vinh",
    "thị xã Cửa Lò",
    "thị xã Hoàng Mai",
    "thị xã Thái Hòa",
    "huyện Diễn Châu",
    "huyện Quỳnh Lưu",
    "huyện Yên Thành",
    "huyện Nghi Lộc",
    "huyện Hưng Nguyên",
    "huyện Nam Đàn",
    "huyện Thanh Chương",
    "huyện Đô Lương",
    "huyện Anh Sơn",
    "huyện Con Cuông",
    "huyện Tương Dương",
    "huyện Kỳ Sơn",
    "huyện Quế Phong",
    "huyện Quỳ Châu",
    "huyện Quỳ Hợp",
    "huyện Nghĩa Đàn",
    "huyện Tân Kỳ",
    "xã Nghi Phong",
    "xã Hưng Lộc",
    "phường Bến Thủy",
    "phường Hưng Dũng",
    "xã Diễn Kỷ",
    "xã Quỳnh Lập",
    "xã Mường Lống",
    "xã Châu Tiến",
    "tỉnh Đắk Lắk",
    "tỉnh Lâm Đồng",
    "tỉnh Hà Tĩnh",
    "tỉnh Thanh Hóa",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Hữu", "Minh", "Thanh", "Quang", "Ngọc", "Xuân", "Công"]
GIVEN = [
    "Lâm",
    "Lắm",
    "Hằng",
    "Hưng",
    "Dũng",
    "Hoa",
    "Lan",
    "Hải",
    "Sơn",
    "Tùng",
    "Trang",
    "Thảo",
    "Phương",
    "Quyết",
    "Định",
    "Nam",
    "Bình",
    "Cường",
    "Đạt",
    "Giang",
    "Hòa",
    "Khánh",
    "Linh",
    "Mai",
    "Nga",
    "Oanh",
    "Phúc",
    "Tâm",
]
NOTATIONS = ["QĐ-UBND", "STC-NS", "CV-VP", "TTr-STC", "BC-UBND", "KH-UBND", "TB-VP", "HD-SYT", "SXD-QLXD", "STNMT"]
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
    {"text": '"Nguyễn Thị Hằng"'},
    {"text": "phong chay chua chay"},
    {"text": "125/KH-UBND"},
    {"text": '"truc lien thong van ban quoc gia"'},
    {"text": "lụt bão", "document_type": "CV"},
    {"text": "khen thuong", "date_from": datetime.date(2025, 1, 1)},
    {"text": "tai san cong", "date_from": datetime.date(2025, 6, 1), "date_to": datetime.date(2025, 12, 31)},
    {"text": '"khu đô thị mới" Vinh'},
    {"text": "khieu nai to cao", "document_type": "BC"},
    {"text": "Mường Lống sạt lở"},
    {"text": "du lich", "issuer": "uy ban"},
    {"text": "hiệu lực kể từ ngày ký", "kind": "incoming"},
]


def _array(values) -> str:
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _pick(array: str, size: int) -> str:
    return f"({array})[1 + floor(random() * {size})::int]"


def fill(scale: float) -> int:
    """Everything in SQL; the text indexes are dropped while loading and built afterwards. A row's matter (topic) is
    g modulo the number of matters; its text mixes that matter's phrases, common phrases, places, people and
    numbers, about 2 KB."""
    from django.db import connection

    rows = int(1_000_000 * scale)
    topics = _array(["\x1f".join(t) for t in TOPICS])
    common, places = _array(COMMON), _array(PLACES)
    surnames, middle, given = _array(SURNAMES), _array(MIDDLE), _array(GIVEN)
    notations, types = _array(NOTATIONS), _array(TYPES)
    person = (
        f"{_pick(surnames, len(SURNAMES))} || ' ' || {_pick(middle, len(MIDDLE))} || ' ' || {_pick(given, len(GIVEN))}"
    )
    number = f"floor(random() * 3000)::int || '/' || {_pick(notations, len(NOTATIONS))}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO organizations_agency (code, name, short_name, place_name, is_hosted, email, phone, address)
                SELECT format('000.00.%s.H40', lpad(g::text, 2, '0')), 'Ủy ban nhân dân huyện ' || g, 'UB' || g,
                       'Nghệ An', true, '', '', ''
                FROM generate_series(1, {AGENCIES}) g"""
        )
        cursor.execute("SELECT min(id) FROM organizations_agency")
        first_agency = cursor.fetchone()[0]
        for name in ("search_entry_body_fts", "search_entry_reference_trgm"):
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        for start in range(1, rows + 1, CHUNK):
            stop = min(rows, start + CHUNK - 1)
            cursor.execute(
                f"""INSERT INTO search_searchentry (kind, object_id, agency_id, title, reference, issuer, issuer_folded,
                        document_date, document_type, state, secrecy, body, folded, updated_at)
                    SELECT CASE WHEN g % 3 = 0 THEN 'outgoing' ELSE 'incoming' END, g,
                           {first_agency} + g / {len(TOPICS)} % {AGENCIES}, t.matter[1 + g % array_length(t.matter, 1)] || ' tại '
                           || t.place, t.reference,
                           'Ủy ban nhân dân huyện ' || (g % {AGENCIES}), 'uy ban nhan dan huyen ' || (g % {AGENCIES}),
                           DATE '2020-01-01' + (g::bigint * 2400 / {rows})::int, ({types})[1 + g % {len(TYPES)}], 'registered', 0,
                           t.reference || '. ' || t.matter[1 + g % array_length(t.matter, 1)] || '. ' || t.body, '',
                           now()
                    FROM generate_series({start}, {stop}) g
                    CROSS JOIN LATERAL (
                        SELECT string_to_array(({topics})[1 + g % {len(TOPICS)}], chr(31)) AS matter,
                               {_pick(places, len(PLACES))} AS place,
                               (g % 5000)::text || '/' || ({notations})[1 + g % {len(NOTATIONS)}] AS reference
                    ) m
                    CROSS JOIN LATERAL (
                        SELECT m.matter, m.place, m.reference, array_to_string(
                            ARRAY(SELECT m.matter[1 + floor(random() * array_length(m.matter, 1))::int]
                                  FROM generate_series(1, {TOPIC_PHRASES_PER_ROW}) p WHERE g > 0)
                            || ARRAY(SELECT {_pick(common, len(COMMON))}
                                     FROM generate_series(1, {COMMON_PHRASES_PER_ROW}) p WHERE g > 0)
                            || ARRAY['tại ' || m.place, 'và ' || {_pick(places, len(PLACES))},
                                     'giao ông ' || {person} || ' theo dõi', 'bà ' || {person} || ' phối hợp',
                                     'theo Văn bản số ' || {number} || ' ngày ' || (1 + g % 28) || '/'
                                         || (1 + g % 12) || '/' || (2020 + g % 6),
                                     'với tổng kinh phí ' || floor(random() * 90000 + 100)::int || ' triệu đồng'],
                            '. ') AS body
                    ) t"""
            )
            print(f"  loaded {stop} rows", file=sys.stderr)
    return rows


def build_indexes():
    from django.db import connection

    migrations = ("0002_engines", "0003_word_pairs")  # the indexes as migrated, the last of each name wins
    statements = {}
    for name in migrations:
        for statement in importlib.import_module(f"vanphong.search.migrations.{name}").POSTGRES:
            if created := re.match(r"CREATE INDEX (?:IF NOT EXISTS )?(\w+)", statement):
                statements[created[1]] = statement
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for statement in statements.values():
            cursor.execute(statement)
        cursor.execute("VACUUM ANALYZE search_searchentry")


def measure() -> list[float]:
    """What one search page costs: the best 200 candidates (as the search page asks), the first 20 shown with their
    snippets."""
    from vanphong.search.backends import Query
    from vanphong.search.backends.postgres import PostgresBackend
    from vanphong.search.selectors import CANDIDATES, PAGE_SIZE

    backend = PostgresBackend()

    def page(query):
        hits = backend.search(query, limit=CANDIDATES)
        return hits, [str(hit.snippet) for hit in hits[:PAGE_SIZE]]

    timings = []
    for spec in QUERIES:
        query = Query(**spec)
        page(query)  # warm the cache, as a server does
        started = time.perf_counter()
        hits, _snippets = page(query)
        elapsed = (time.perf_counter() - started) * 1000
        timings.append(elapsed)
        print(f"  {elapsed:8.1f} ms  {len(hits):3d} hits  {spec}", file=sys.stderr)
    return timings


def add_people() -> None:
    """The clerk, the head and a specialist of one agency, its incoming documents (one per incoming entry of the
    agency, the entry's object id as the document's id) and the routing of one in ROUTED_TO_UNIT of them to the
    specialist's unit, in SQL."""
    from django.db import connection

    statements = [
        f"""INSERT INTO organizations_unit (agency_id, name, short_name, is_active)
            SELECT min(id) + {PEOPLES_AGENCY}, 'Phòng Quản lý ngân sách', 'QLNS', true FROM organizations_agency""",
        """INSERT INTO accounts_user (username, full_name, email, phone, is_active, is_staff, is_superuser, password,
                                      date_joined)
            SELECT 'bench.' || r, 'Cán bộ ' || r, '', '', true, false, false, '!', now()
            FROM unnest(array['vanthu', 'thutruong', 'chuyenvien']) r""",
        """INSERT INTO organizations_position (person_id, agency_id, unit_id, role, title)
            SELECT u.id, un.agency_id, CASE WHEN u.username = 'bench.chuyenvien' THEN un.id END,
                   CASE u.username WHEN 'bench.vanthu' THEN 'clerk' WHEN 'bench.thutruong' THEN 'head'
                   ELSE 'specialist' END, ''
            FROM accounts_user u, organizations_unit un WHERE u.username LIKE 'bench.%'""",
        """INSERT INTO incoming_incomingdocument (id, agency_id, state, year, incoming_number, arrived_at, received_via,
                issuer_name, number, notation, document_date, document_type, summary, signer, urgency, secrecy,
                instruction, deadline, registered_at, completed_at, created_at, created_by_id, registered_by_id,
                presented_to_id, withdrawn_reason)
            SELECT e.object_id, e.agency_id, 'in_progress', extract(year FROM e.document_date), e.id, now(),
                   'electronic', e.issuer, '', '', e.document_date, e.document_type, e.title, '', 0, 0, '', NULL,
                   now(), NULL, now(), clerk.id, clerk.id, head.id, ''
            FROM search_searchentry e, organizations_unit un,
                 (SELECT id FROM accounts_user WHERE username = 'bench.vanthu') clerk,
                 (SELECT id FROM accounts_user WHERE username = 'bench.thutruong') head
            WHERE e.kind = 'incoming' AND e.agency_id = un.agency_id""",
        f"""INSERT INTO incoming_assignment (document_id, document_arrived_at, agency_id, role, assignee_unit_id,
                assigned_by_id, assigned_at, instruction, state, result)
            SELECT d.id, d.arrived_at, d.agency_id, 'lead', un.id, d.presented_to_id, d.arrived_at, '',
                   'in_progress', ''
            FROM incoming_incomingdocument d JOIN organizations_unit un ON un.agency_id = d.agency_id
            WHERE d.id % {ROUTED_TO_UNIT} = 0""",
        "SELECT setval(pg_get_serial_sequence('incoming_incomingdocument', 'id'), max(id)) "
        "FROM incoming_incomingdocument",
        "ANALYZE",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def measure_people() -> list[float]:
    """One search page (20 hits, their snippets) as the clerk and as the specialist, permissions included."""
    from django.contrib.auth import get_user_model

    from vanphong.search import selectors
    from vanphong.search.backends import Query

    timings = []
    for username in ("bench.vanthu", "bench.chuyenvien"):
        for spec in QUERIES:
            query = Query(**spec)
            for _attempt in ("warm", "timed"):  # the first warms the cache, as a server does
                person = get_user_model().objects.get(username=username)  # fresh, as each request has
                started = time.perf_counter()
                hits = selectors.search(person, query)
                _snippets = [str(hit.snippet) for hit in hits]
                elapsed = (time.perf_counter() - started) * 1000
            timings.append(elapsed)
            print(f"  {elapsed:8.1f} ms  {len(hits):3d} hits  {username}  {spec}", file=sys.stderr)
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
    parser.add_argument("--reuse", action="store_true", help="measure what a --keep run left, without loading")
    args = parser.parse_args()
    with bench_database(DATABASE, fresh=not args.reuse, keep=args.keep or args.reuse):
        if not args.reuse:
            started = time.perf_counter()
            rows = fill(args.scale)
            build_indexes()
            add_people()
            print(f"  {rows} rows loaded and indexed in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        p50, p95 = p50_p95(measure())
        print(f"search_p50_ms: {p50:.1f}")
        print(f"search_p95_ms: {p95:.1f}")
        print(f"search_index_mb: {index_mb():.1f}")
        p50, p95 = p50_p95(measure_people())
        print(f"search_person_p50_ms: {p50:.1f}")
        print(f"search_person_p95_ms: {p95:.1f}")


if __name__ == "__main__":
    main()
