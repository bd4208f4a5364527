"""The demo with its test PKI (what `make demo` sets up): the trust store, the certificate registry, a signed
incoming document and an outgoing one issued on the platform, whose reports say both signatures are valid."""

import io

import pytest
from django.core.management import call_command

from vanphong.incoming.models import IncomingDocument
from vanphong.signing.models import SigningCredential, TrustedRoot, VerificationReport

pytestmark = pytest.mark.django_db(transaction=True)  # the arrival check runs when the registration commits


def test_the_demo_receives_a_document_signed_by_the_director_and_the_agency(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.VANPHONG_TSA_URL = ""  # the demo TSA is not running here: the document is signed without a timestamp
    call_command("pki", "init-test", stdout=io.StringIO())
    call_command("load_demo", "--password", "Demo-kiem-thu-2026", stdout=io.StringIO())

    assert TrustedRoot.objects.filter(domain=TrustedRoot.Domain.TEST).count() == 1
    director = SigningCredential.objects.get(person__username="stc.thutruong")
    assert director.subject_cn == "Nguyễn Văn An"
    assert SigningCredential.objects.get(agency__code="000.00.11.H41").kind == SigningCredential.Kind.PKCS12
    received = IncomingDocument.objects.get(notation="STC-NS", number="301")
    # the demo's outgoing document, issued by the Sở Tài chính on the platform, waits for the Sở Y tế's clerk
    issued = IncomingDocument.objects.get(agency__code="000.00.13.H41", notation="STC-VP", number="01")
    for document in (received, issued):
        report = VerificationReport.objects.get(stored_file__in=[a.stored_file for a in document.attachments.all()])
        assert report.verdict == "valid", report.summary
        assert [d["signer"] for d in report.details] == ["Nguyễn Văn An", "Sở Tài chính tỉnh Nghệ An"]
