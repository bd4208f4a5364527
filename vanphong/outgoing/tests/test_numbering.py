"""Outgoing numbers (cấp số): per register and year, unique and consecutive also when clerks number at the same
moment, restarting on 1 January (Vietnam time), and never lost when sealing fails."""

import datetime
import threading
import zoneinfo

import pytest
import time_machine
from django.db import connections

from vanphong.core.document_types import DocumentType, Secrecy
from vanphong.outgoing import services
from vanphong.outgoing.errors import OutgoingError
from vanphong.outgoing.models import OutgoingDocument
from vanphong.outgoing.states import DocumentState
from vanphong.signing.models import SigningCredential

from .conftest import PASSPHRASE, draft_data

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def signed_on_paper(province, **changes):
    """A document the director signed on paper, waiting for the clerk's number (no file to seal)."""
    office = province.office
    data = draft_data(province, paper_only=True, **changes)
    return OutgoingDocument.objects.create(
        agency=office.agency, drafter=office.specialist, state=DocumentState.TO_NUMBER, **data
    )


@pytest.mark.django_db(transaction=True)
def test_eight_clerks_numbering_at_once_get_eight_consecutive_numbers(province):
    documents = [signed_on_paper(province, summary=f"Văn bản {index}") for index in range(8)]
    barrier = threading.Barrier(8)
    errors = []

    def number(document):
        try:
            barrier.wait(timeout=10)
            services.number(doc=document, by=province.office.clerk)
        except Exception as error:  # collected and reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=number, args=(document,)) for document in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(OutgoingDocument.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 9))


@pytest.mark.django_db
def test_numbering_restarts_on_the_first_of_january_in_vietnam_time(province):
    clerk = province.office.clerk
    with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 58, tzinfo=VIETNAM), tick=False):
        last = services.number(doc=signed_on_paper(province), by=clerk)
        second_last = services.number(doc=signed_on_paper(province), by=clerk)
    # 00:01 on 1 January in Vietnam is still 31 December in UTC: the Vietnamese year counts
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 1, tzinfo=VIETNAM), tick=False):
        first = services.number(doc=signed_on_paper(province), by=clerk)
    assert (last.year, last.number, second_last.number) == (2026, 1, 2)
    assert (first.year, first.number, first.issued_on) == (2027, 1, datetime.date(2027, 1, 1))
    assert first.reference == "01/STC-NS"


@pytest.mark.django_db
def test_secret_documents_have_their_own_series_and_typed_documents_their_notation(province):
    clerk = province.office.clerk
    secret = services.number(doc=signed_on_paper(province, secrecy=Secrecy.CONFIDENTIAL), by=clerk)
    decision = services.number(doc=signed_on_paper(province, document_type=DocumentType.QUYET_DINH), by=clerk)
    assert (secret.register, secret.number) == (province.secret_register, 1)
    assert (decision.register, decision.reference) == (province.register, "01/QĐ-STC")


@pytest.mark.django_db
def test_a_number_is_not_lost_when_the_agency_cannot_seal(province):
    from .test_flow import signed_by_the_director

    doc = signed_by_the_director(province)
    SigningCredential.objects.filter(agency=province.office.agency).update(is_active=False)
    with pytest.raises(OutgoingError, match="Cơ quan chưa có chứng thư số"):
        services.number(doc=doc, by=province.office.clerk, secret=PASSPHRASE)
    doc.refresh_from_db()
    assert (doc.state, doc.number) == (DocumentState.TO_NUMBER, None)
    SigningCredential.objects.filter(agency=province.office.agency).update(is_active=True)
    assert services.number(doc=doc, by=province.office.clerk, secret=PASSPHRASE).number == 1


def test_the_date_line_follows_decree_30():
    assert services.date_line(datetime.date(2026, 3, 5)) == "ngày 05 tháng 3 năm 2026"
    assert services.date_line(datetime.date(2026, 2, 15)) == "ngày 15 tháng 02 năm 2026"
    assert services.date_line(datetime.date(2026, 12, 1)) == "ngày 01 tháng 12 năm 2026"
