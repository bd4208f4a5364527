"""What people find: with or without accents, phrases, filters, and never what they may not open."""

import datetime

import pytest
from django.utils import timezone

from vanphong.core.document_types import DocumentType, Secrecy
from vanphong.core.files import store
from vanphong.incoming import services as incoming
from vanphong.incoming.tests.conftest import document_data, sample_pdf
from vanphong.intake.models import Digitisation
from vanphong.outgoing.models import OutgoingDocument
from vanphong.search import selectors, services
from vanphong.search.backends import Query
from vanphong.search.models import SearchEntry

pytestmark = pytest.mark.django_db


def registered(office, *, secret=False, **changes):
    if secret:
        changes["secrecy"] = Secrecy.CONFIDENTIAL
    return incoming.receive(
        agency=office.agency,
        by=office.clerk,
        data=document_data(**changes),
        files=[] if secret else [sample_pdf()],
        register=office.secret_register if secret else office.register,
    )


def found(person, text="", **filters):
    return [(hit.kind, hit.pk) for hit in selectors.search(person, Query(text=text, **filters))]


def test_found_with_and_without_accents_right_after_registration(office):
    document = registered(office, summary="Quyết định phê duyệt dự án Đường tỉnh 534")
    for text in ("quyet dinh", "quyết định", "QUYẾT ĐỊNH", "đường", "duong", "Duong tinh 534"):
        assert found(office.clerk, text) == [("incoming", document.pk)], text


def test_exact_accents_rank_above_a_folded_match(office):
    folded_only = registered(office, number="1", summary="Báo cáo vui lắm")
    exact = registered(office, number="2", summary="Báo cáo của ông Lâm")
    assert found(office.clerk, "Lâm") == [("incoming", exact.pk), ("incoming", folded_only.pk)]
    assert found(office.clerk, "lắm") == [("incoming", folded_only.pk), ("incoming", exact.pk)]


def test_a_quoted_phrase_needs_its_words_side_by_side(office):
    together = registered(office, number="1", summary="Báo cáo quyết toán ngân sách")
    apart = registered(office, number="2", summary="Quyết định về việc thu ngân sách và toán học")
    assert set(found(office.clerk, "quyet toan")) == {("incoming", together.pk), ("incoming", apart.pk)}
    assert found(office.clerk, '"quyet toan"') == [("incoming", together.pk)]


def test_found_by_number_and_notation(office):
    document = registered(office, number="2491", notation="STC-BCTC")
    assert found(office.clerk, "2491/STC-BCTC") == [("incoming", document.pk)]


def test_filters_by_type_dates_and_issuer(office):
    today = timezone.localdate()
    letter = registered(office, number="1", summary="Kế hoạch ngân sách", issuer_name="Sở Y tế tỉnh Hà Tĩnh")
    decision = registered(
        office,
        number="2",
        summary="Kế hoạch ngân sách",
        document_type=DocumentType.QUYET_DINH,
        document_date=today - datetime.timedelta(days=40),
        issuer_name="Ủy ban nhân dân tỉnh Nghệ An",
    )
    assert found(office.clerk, "ke hoach", document_type=DocumentType.QUYET_DINH) == [("incoming", decision.pk)]
    since = today - datetime.timedelta(days=10)
    assert found(office.clerk, "ke hoach", date_from=since) == [("incoming", letter.pk)]
    assert found(office.clerk, "ke hoach", date_to=since) == [("incoming", decision.pk)]
    assert found(office.clerk, "ke hoach", issuer="uy ban nhan dan") == [("incoming", decision.pk)]
    assert found(office.clerk, "ke hoach", kind="outgoing") == []


def test_another_agency_finds_nothing(office):
    registered(office, summary="Quyết định phê duyệt dự án")
    assert found(office.outsider, "quyet dinh") == []
    assert found(office.specialist, "quyet dinh") == []  # not routed to the specialist yet


@pytest.mark.parametrize("listed_ids", [selectors.LISTED_IDS, 0], ids=["ids listed", "ids by subquery"])
def test_each_person_finds_what_incoming_lets_them_open(office, monkeypatch, listed_ids):
    monkeypatch.setattr(selectors, "LISTED_IDS", listed_ids)  # a unit with more routed documents than are listed
    routed = registered(office, number="1", summary="Kế hoạch kiểm tra quyết toán")
    secret = registered(office, secret=True, number="2", summary="Kế hoạch kiểm tra bảo vệ")
    not_routed = registered(office, number="3", summary="Kế hoạch kiểm tra thuế")
    for document, lead in ((routed, office.budget_unit), (secret, office.specialist)):
        incoming.present(document=document, by=office.clerk, to=office.head)
        incoming.assign(document=document, by=office.head, lead=lead, deadline=None, instruction="Xử lý")
    everything = {("incoming", document.pk) for document in (routed, secret, not_routed)}
    assert set(found(office.specialist, "ke hoach kiem tra")) == {("incoming", routed.pk), ("incoming", secret.pk)}
    assert set(found(office.budget_head, "ke hoach kiem tra")) == {("incoming", routed.pk)}  # not named on the secret
    assert set(found(office.head, "ke hoach kiem tra")) == everything  # the whole agency, and the secret presented
    assert found(office.office_specialist, "ke hoach kiem tra") == []
    assert found(office.outsider, "ke hoach kiem tra") == []


def test_the_text_of_the_files_is_searchable_once_read(office):
    document = registered(office)
    stored = document.attachments.get().stored_file
    Digitisation.objects.create(
        stored_file=stored, filename="a.pdf", state=Digitisation.State.DONE, text="Hỗ trợ kinh phí phòng chống lụt bão"
    )
    assert found(office.clerk, "lut bao") == [("incoming", document.pk)]


def test_a_secret_documents_text_is_never_indexed(office):
    document = registered(office, secret=True, summary="Kế hoạch bảo vệ")
    stored = store(upload=sample_pdf("mat.pdf"), filename="mat.pdf")  # never so in practice: a guard
    document.attachments.create(stored_file=stored, filename="mat.pdf", added_by=office.clerk)
    Digitisation.objects.create(
        stored_file=stored, filename="mat.pdf", state=Digitisation.State.DONE, text="Nội dung tuyệt mật chiến lược"
    )
    entry = SearchEntry.objects.get(kind="incoming", object_id=document.pk)
    assert "chiến lược" not in entry.body
    assert found(office.clerk, "chien luoc") == []
    assert found(office.clerk, "ke hoach bao ve") == [("incoming", document.pk)]  # the clerk registered it
    assert found(office.head, "ke hoach bao ve") == []  # secret: only for the people named on it


def test_outgoing_drafts_only_for_those_outgoing_lets_see_them(office):
    document = OutgoingDocument.objects.create(
        agency=office.agency,
        document_type=DocumentType.CONG_VAN,
        summary="Công văn về việc tăng cường phòng cháy chữa cháy",
        drafting_unit=office.budget_unit,
        drafter=office.specialist,
        signer=office.head,
    )
    assert found(office.specialist, "phong chay") == [("outgoing", document.pk)]
    assert found(office.head, "phòng cháy") == [("outgoing", document.pk)]
    assert found(office.office_specialist, "phong chay") == []
    assert found(office.outsider, "phong chay") == []


def test_rebuild_indexes_everything_again(office):
    document = registered(office, summary="Quyết định khen thưởng")
    SearchEntry.objects.all().delete()
    assert found(office.clerk, "khen thuong") == []
    assert services.rebuild() == 1
    assert found(office.clerk, "khen thuong") == [("incoming", document.pk)]
