"""What the people of one platform do in the multi-platform tests (test_fault.py), run inside that platform's own
process and database:

    python -m vanphong.exchange.tests.platform_script ACTION [ARG ...]

configure JSON sets a platform up (agencies, staff, registers, peers, routes); serve PORT [--clerks] runs it
(web server, outbox sender and, if asked, clerks who register every arrival); issue N FROM_CODES TO_CODES issues
N documents through the outgoing flow's last step."""

import io
import json
import logging
import sys
import threading
import time

import django


def pdf_of(title: str) -> bytes:
    """A one-page letter with a text layer, as an issued document is (not a scan: nothing to OCR)."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    lines = [title, *(f"Noi dung cong van, doan {n}: de nghi cac co quan bao cao dung han." for n in range(1, 8))]
    for row, line in enumerate(lines):
        page.drawString(72, 760 - 18 * row, line)
    page.save()
    return buffer.getvalue()


def _agency(code, *, hosted=True):
    from vanphong.organizations.models import Agency

    agency, _ = Agency.objects.get_or_create(
        code=code,
        defaults={"name": f"Sở thử nghiệm {code}", "short_name": "STN", "place_name": "Nghệ An", "is_hosted": hosted},
    )
    return agency


def _person(agency, role, username):
    from vanphong.accounts.tests.factories import UserFactory
    from vanphong.organizations.tests.factories import PositionFactory, UnitFactory

    unit = agency.units.first() or UnitFactory(agency=agency, name="Văn phòng", short_name="VP")
    person = UserFactory(username=username, full_name=f"Cán bộ {username}")
    PositionFactory(person=person, agency=agency, unit=unit, role=role)
    return person


def seed_sender(*codes):
    """Agencies of this platform that send (the first half of codes) to agencies elsewhere (the second half)."""
    from vanphong.organizations.models import Role
    from vanphong.outgoing.models import OutgoingRegister

    half = len(codes) // 2
    for index, code in enumerate(codes[:half]):
        agency = _agency(code)
        _person(agency, Role.CLERK, f"vanthu{index}")
        _person(agency, Role.HEAD, f"lanhdao{index}")
        OutgoingRegister.objects.create(agency=agency, name="Sổ văn bản đi")
    for code in codes[half:]:
        _agency(code, hosted=False)


def seed_receiver(*codes):
    from vanphong.incoming.models import IncomingRegister
    from vanphong.organizations.models import Role

    for index, code in enumerate(codes):
        agency = _agency(code)
        _person(agency, Role.CLERK, f"vanthu{index}")
        IncomingRegister.objects.create(agency=agency, name="Sổ văn bản đến")


def numbered_document(*, sender, receivers, number: int, pdf, drafter, summary: str = ""):
    """A document signed and numbered (chờ phát hành), as the outgoing flow leaves it for the clerk to issue."""
    from django.utils import timezone

    from vanphong.outgoing.models import OutgoingDocument, Recipient
    from vanphong.outgoing.states import DocumentState

    doc = OutgoingDocument.objects.create(
        agency=sender,
        state=DocumentState.TO_ISSUE,
        document_type="CV",
        summary=summary or f"Về việc thử nghiệm liên thông, văn bản thứ {number}",
        drafting_unit=sender.units.first(),
        drafter=drafter,
        signer=drafter,
        signer_title="GIÁM ĐỐC",
        register=sender.outgoing_registers.first(),
        year=timezone.localdate().year,
        number=number,
        notation=f"{sender.short_name}-VP",
        issued_on=timezone.localdate(),
        issued_file=pdf,
        page_count=1,
    )
    for receiver in receivers:
        kind = Recipient.Kind.HOSTED if receiver.is_hosted else Recipient.Kind.EXTERNAL
        Recipient.objects.create(document=doc, kind=kind, agency=receiver, name=receiver.name)
    return doc


def issue(count, from_codes, to_codes):
    """Issue `count` numbered documents, each from one agency here to one agency elsewhere, in turn."""
    from vanphong.core.files import store
    from vanphong.organizations.models import Agency, Role
    from vanphong.outgoing import services

    senders = [Agency.objects.get(code=code) for code in from_codes.split(",")]
    receivers = [Agency.objects.get(code=code) for code in to_codes.split(",")]
    pdf = store(upload=io.BytesIO(pdf_of("Cong van thu nghiem lien thong")), filename="cong-van.pdf")
    for n in range(1, int(count) + 1):
        sender, receiver = senders[n % len(senders)], receivers[n % len(receivers)]
        clerk = sender.positions.get(role=Role.CLERK).person
        head = sender.positions.get(role=Role.HEAD).person
        doc = numbered_document(sender=sender, receivers=[receiver], number=n, pdf=pdf, drafter=head)
        services.issue(doc=doc, by=clerk)


def register():
    """As each clerk: register every electronic arrival waiting (chờ vào sổ)."""
    from vanphong.incoming import services
    from vanphong.incoming.models import IncomingDocument
    from vanphong.incoming.states import HandlingState
    from vanphong.organizations.models import Role

    waiting = IncomingDocument.objects.filter(state=HandlingState.RECEIVED).select_related("agency")
    for document in waiting:
        clerk = document.agency.positions.get(role=Role.CLERK).person
        services.register_received(document=document, register=document.agency.incoming_registers.first(), by=clerk)


def configure(config):
    """The operator's set-up, through the same commands: {"peers": [[name, url, secret_file]], "routes": [[code,
    peer]], "sender": [codes], "receiver": [codes], "trust": root certificate PEM}."""
    from django.core.management import call_command

    config = json.loads(config)
    if config.get("trust"):
        from vanphong.signing.models import TrustedRoot
        from vanphong.signing.reports import parse_certificate

        fingerprint = parse_certificate(config["trust"]).fingerprint_sha256
        TrustedRoot.objects.create(
            name="Test root",
            domain=TrustedRoot.Domain.TEST,
            certificate_pem=config["trust"],
            fingerprint_sha256=fingerprint,
        )
    if config.get("sender"):
        seed_sender(*config["sender"])
    if config.get("receiver"):
        seed_receiver(*config["receiver"])
    for name, url, secret_file in config.get("peers", []):
        call_command("exchange", "peer", name, "--url", url, "--secret-file", secret_file)
    for code, peer in config.get("routes", []):
        call_command("exchange", "route", code, peer)


def _keep_doing(work, pause: float) -> None:
    from django.db import connections

    while True:
        try:
            work()
        except Exception:  # a failed round is logged and tried again, as a worker would
            logging.getLogger(__name__).exception("platform loop")
        finally:
            connections.close_all()
        time.sleep(pause)


def serve(port, *flags):
    """The platform: its web server (the inbox), its outbox sender and, with --clerks, its clerks, in one process
    so that killing it is a crash of the whole platform."""
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    from vanphong.exchange.services import flush_outbox

    loops = [(flush_outbox, 0.2)] + ([(register, 0.2)] if "--clerks" in flags else [])
    for work, pause in loops:
        threading.Thread(target=_keep_doing, args=(work, pause), daemon=True).start()
    run("127.0.0.1", int(port), get_wsgi_application(), threading=True)


ACTIONS = {
    "serve": serve,
    "configure": configure,
    "seed-sender": seed_sender,
    "seed-receiver": seed_receiver,
    "issue": issue,
    "register": register,
}

if __name__ == "__main__":
    django.setup()
    action, *arguments = sys.argv[1:]
    ACTIONS[action](*arguments)
