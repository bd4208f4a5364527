"""Virus scanning and content checks of every file that enters, with the real clamd and the project's signatures."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from vanphong.audit.models import AuditEntry
from vanphong.core.files import FileRefused, StoredFile, safe_filename, store
from vanphong.intake import checks
from vanphong.intake.checks import Infected, ScanPending, assert_clean, intake_source
from vanphong.intake.models import QuarantinedFile
from vanphong.intake.scanner import ClamdScanner, ScannerUnavailable
from vanphong.intake.unpack import Limits, Unpackable, parts
from vanphong.notifications.models import Notification

from . import samples

pytestmark = pytest.mark.django_db

INFECTED = {
    "eicar.pdf": lambda: samples.pdf_with_attachment(samples.eicar()),
    "eicar.docx": lambda: samples.docx({"word/embeddings/oleObject1.bin": samples.eicar()}),
    "eicar.zip": lambda: samples.nested_zip(samples.eicar(), depth=2, name="eicar.com"),
}


def upload(name, data):
    return SimpleUploadedFile(name, data, "application/octet-stream")


def test_clamd_answers_with_the_project_signatures():
    scanner = ClamdScanner()
    assert scanner.ping()
    assert scanner.scan(b"Bao cao quyet toan").clean
    found = scanner.scan(samples.eicar())
    assert not found.clean and found.threat.startswith(samples.EICAR_THREAT)
    marker = scanner.scan(b"..." + samples.TEST_MARKERS["Vanphong.Test.Marker"] + b"...")
    assert marker.threat.startswith("Vanphong.Test.Marker")


def test_clamd_alone_misses_eicar_in_a_compressed_pdf_attachment_so_we_extract_it():
    """The pitfall of the spec (§3.1): the reason embedded files are scanned one by one."""
    data = samples.pdf_with_attachment(samples.eicar())
    assert ClamdScanner().scan(data).clean
    assert parts(io.BytesIO(data), name="eicar.pdf") == ["eicar.pdf", "eicar.pdf/phu-luc.com"]


@pytest.mark.parametrize("filename", list(INFECTED))
def test_an_infected_file_is_refused_naming_the_threat_quarantined_audited_and_admins_told(
    filename, clerk, agency_admin, platform_admin, settings
):
    data = INFECTED[filename]()
    from vanphong.audit.context import acting

    with acting(actor=clerk, ip_address="10.0.0.7"), pytest.raises(Infected) as refused:
        store(upload=upload(filename, data), filename=filename)
    assert samples.EICAR_THREAT in str(refused.value)
    assert filename in str(refused.value)
    assert not StoredFile.objects.exists()
    row = QuarantinedFile.objects.get()
    assert (row.filename, row.source, row.found_by, row.ip_address) == (filename, "upload", clerk, "10.0.0.7")
    assert row.threat.startswith(samples.EICAR_THREAT)
    assert (settings.VANPHONG_QUARANTINE_DIR / row.sha256).read_bytes() == data
    entry = AuditEntry.objects.get(action="intake.infected")
    assert entry.actor == clerk and entry.after["threat"] == row.threat
    told = set(Notification.objects.filter(kind="intake").values_list("recipient__username", flat=True))
    assert told == {agency_admin.username, platform_admin.username}
    assert not Notification.objects.filter(recipient=clerk).exists()


def test_the_message_names_the_infected_member(db):
    with pytest.raises(Infected) as refused:
        store(upload=upload("ho-so.zip", INFECTED["eicar.zip"]()), filename="ho-so.zip")
    assert "cap-1.zip/eicar.com" in str(refused.value)


def test_the_refusal_is_in_vietnamese_when_translated(db):
    with translation.override("vi"), pytest.raises(Infected) as refused:
        store(upload=upload("a.docx", INFECTED["eicar.docx"]()), filename="a.docx")
    expected = translation.gettext(
        "“%(name)s” contains the virus %(threat)s (in %(part)s) and was not accepted. It is kept in quarantine "
        "and the administrators have been told."
    )
    with translation.override("vi"):
        expected = translation.gettext(expected)
    assert str(refused.value).startswith(expected.split("%(name)s")[0])


def test_a_file_from_another_agency_is_scanned_and_its_origin_kept(agency, platform_admin):
    with intake_source("exchange", agency=agency, detail="Sở Y tế tỉnh Nghệ An"), pytest.raises(Infected):
        store(upload=upload("cv.docx", INFECTED["eicar.docx"]()), filename="cv.docx")
    row = QuarantinedFile.objects.get()
    assert (row.source, row.detail) == ("exchange", "Sở Y tế tỉnh Nghệ An")


def test_our_own_test_signature_is_caught_inside_a_docx(db):
    data = samples.docx({"word/media/x.bin": samples.TEST_MARKERS["Vanphong.Test.Macro"]})
    with pytest.raises(Infected) as refused:
        store(upload=upload("to-trinh.docx", data), filename="to-trinh.docx")
    assert "Vanphong.Test.Macro" in str(refused.value)


@pytest.mark.parametrize(
    ("filename", "make"),
    [
        ("cong-van.pdf", samples.pdf),
        ("phu-luc.pdf", lambda: samples.pdf_with_attachment(b"Bang so lieu", name="so-lieu.csv")),
        ("to-trinh.docx", samples.docx),
        ("ho-so.zip", lambda: samples.nested_zip(b"Ghi chu", depth=3)),
    ],
)
def test_clean_files_pass(filename, make):
    stored = store(upload=upload(filename, make()), filename=filename)
    assert StoredFile.objects.get() == stored
    assert not QuarantinedFile.objects.exists()


def test_a_zip_bomb_is_refused_without_unpacking_it_all(db):
    with pytest.raises(FileRefused) as refused:
        store(upload=upload("bom.zip", samples.zip_bomb(64)), filename="bom.zip")
    assert "(bom nén)" in str(refused.value)
    assert not StoredFile.objects.exists()


def test_too_much_data_in_all_is_refused(settings):
    settings.VANPHONG_UNPACK_MAX_TOTAL_MB = 1
    data = samples.zip_of({f"{n}.bin": bytes(range(256)) * 1500 for n in range(4)}, compression=0)
    with pytest.raises(FileRefused, match="bom nén"):
        store(upload=upload("lon.zip", data), filename="lon.zip")


def test_archives_nested_too_deeply_are_refused(db):
    with pytest.raises(FileRefused) as refused:
        store(upload=upload("sau.zip", samples.nested_zip(b"x", depth=7)), filename="sau.zip")
    assert "lồng nhau quá nhiều cấp" in str(refused.value)


def test_too_many_members_are_refused(db):
    with pytest.raises(Unpackable) as refused:
        parts(io.BytesIO(samples.zip_of({f"{n}.txt": b"x" for n in range(20)})), limits=Limits(members=10))
    assert refused.value.reason == "members"


def test_an_encrypted_member_is_refused(db):
    data = bytearray(samples.zip_of({"mat.txt": b"secret"}, compression=0))
    # set the "encrypted" flag in the local header and the central directory, as an encrypting tool does
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x1
    with pytest.raises(FileRefused, match="đặt mật khẩu"):
        store(upload=upload("mat.zip", bytes(data)), filename="mat.zip")


@pytest.mark.parametrize(
    ("make", "what"), [(samples.pdf_with_javascript, "JavaScript"), (samples.pdf_with_launch, "Launch")]
)
def test_a_pdf_that_runs_code_is_refused(db, make, what):
    with pytest.raises(FileRefused) as refused:
        store(upload=upload("cong-van.pdf", make()), filename="cong-van.pdf")
    assert what in str(refused.value)
    assert not StoredFile.objects.exists()


def test_types_are_judged_by_content(db):
    assert store(upload=upload("bang.zip", samples.zip_of({"a.txt": b"a"})), filename="bang.zip")
    with pytest.raises(FileRefused):
        store(upload=upload("chuong-trinh.pdf", b"MZ\x90\x00" + b"\0" * 100), filename="chuong-trinh.pdf")
    with pytest.raises(FileRefused):
        store(upload=upload("ghi-chu.txt", b"hello"), filename="ghi-chu.txt")


def test_file_names_are_sanitised():
    nfd = "Co\u0302ng va\u0306n.pdf"  # "Công văn.pdf" typed on a Mac (decomposed)
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\lan\\..\\cong-van.pdf") == "cong-van.pdf"
    assert safe_filename(nfd) == "Công văn.pdf" and len(safe_filename(nfd)) == len("Công văn.pdf")
    assert safe_filename("bao\x00cao\u202e.pdf") == "baocao.pdf"
    assert safe_filename("..") == "file" and safe_filename("") == "file"
    long = safe_filename("a" * 300 + ".docx")
    assert len(long) == 200 and long.endswith(".docx")


def test_store_checks_the_sanitised_name(db):
    with pytest.raises(Infected) as refused:
        store(upload=upload("x", INFECTED["eicar.docx"]()), filename="../../tmp/eicar.docx")
    assert "“eicar.docx”" in str(refused.value)
    assert QuarantinedFile.objects.get().filename == "eicar.docx"


def test_with_clamd_stopped_nothing_is_accepted(stopped_clamd):
    with pytest.raises(ScannerUnavailable):
        ClamdScanner().scan(b"anything")
    with pytest.raises(ScanPending) as refused:
        store(upload=upload("cong-van.pdf", samples.pdf()), filename="cong-van.pdf")
    assert "Hệ thống quét virus không phản hồi" in str(refused.value)
    assert not StoredFile.objects.exists() and not QuarantinedFile.objects.exists()


def test_an_answer_other_than_ok_or_found_is_no_verdict(settings, tmp_path):
    """clamd refuses a stream longer than StreamMaxLength with an error: that is not "clean"."""
    import socket
    import threading

    path = str(tmp_path / "s.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)

    def answer():
        connection, _ = server.accept()
        received = b""
        while not received.endswith(b"\0\0\0\0"):  # the zero-length chunk that ends the stream
            received += connection.recv(65536)
        connection.sendall(b"INSTREAM size limit exceeded. ERROR\0")
        connection.close()

    threading.Thread(target=answer, daemon=True).start()
    with pytest.raises(ScannerUnavailable, match="ERROR"):
        ClamdScanner(socket_path=path, timeout=5).scan(b"x")
    server.close()


def test_stored_files_are_scanned_again_before_issuing(db, settings):
    clean = store(upload=upload("cong-van.pdf", samples.pdf()), filename="cong-van.pdf")
    settings.VANPHONG_INTAKE_CHECKS = ["vanphong.core.files.SizeLimit"]  # as if stored before the signatures knew it
    infected = store(upload=upload("phu-luc.docx", INFECTED["eicar.docx"]()), filename="phu-luc.docx")
    assert_clean([clean, (None, "x")])
    with pytest.raises(Infected) as refused:
        assert_clean([(clean, "cong-van.pdf"), (infected, "phu-luc.docx")])
    assert "phu-luc.docx" in str(refused.value)
    assert QuarantinedFile.objects.get().source == "issue"


def test_issuing_waits_while_the_scanner_is_down(db, stopped_clamd):
    stored = StoredFile(sha256="0" * 64, size=0)
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save(stored.blob_name, ContentFile(b""))
    with pytest.raises(ScanPending):
        checks.scan_stored(stored, filename="cong-van.pdf")
