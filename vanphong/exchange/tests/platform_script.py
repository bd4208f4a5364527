"""What the people of one platform do in the multi-platform tests (test_fault.py), run inside that platform's own
process and database:

    python -m vanphong.exchange.tests.platform_script ACTION [ARG ...]

configure JSON sets a platform up (agencies, staff, registers, peers, routes); issue N FROM_CODES
TO_CODES issues N documents through the outgoing flow's last step; register --watch registers every arrival as
its clerk would; report prints what this platform holds, as JSON."""

import io
import json
import sys
import time

import django


def _pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
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


def issue(count, from_codes, to_codes):
    """Issue `count` numbered documents, each from one agency here to one agency elsewhere, in turn."""
    from django.utils import timezone

    from vanphong.core.files import store
    from vanphong.organizations.models import Agency, Role
    from vanphong.outgoing import services
    from vanphong.outgoing.models import OutgoingDocument, Recipient
    from vanphong.outgoing.states import DocumentState

    senders = [Agency.objects.get(code=code) for code in from_codes.split(",")]
    receivers = [Agency.objects.get(code=code) for code in to_codes.split(",")]
    pdf = store(upload=io.BytesIO(_pdf("Cong van thu nghiem lien thong")), filename="cong-van.pdf")
    for n in range(1, int(count) + 1):
        sender, receiver = senders[n % len(senders)], receivers[n % len(receivers)]
        clerk = sender.positions.get(role=Role.CLERK).person
        head = sender.positions.get(role=Role.HEAD).person
        doc = OutgoingDocument.objects.create(
            agency=sender,
            state=DocumentState.TO_ISSUE,
            document_type="CV",
            summary=f"Về việc thử nghiệm liên thông, văn bản thứ {n}",
            drafting_unit=sender.units.first(),
            drafter=head,
            signer=head,
            register=sender.outgoing_registers.first(),
            year=timezone.localdate().year,
            number=n,
            notation=f"{sender.short_name}-VP",
            issued_on=timezone.localdate(),
            issued_file=pdf,
        )
        Recipient.objects.create(document=doc, kind=Recipient.Kind.EXTERNAL, agency=receiver, name=receiver.name)
        services.issue(doc=doc, by=clerk)


def register(*flags):
    """As each clerk: register every electronic arrival waiting (chờ vào sổ)."""
    from vanphong.incoming import services
    from vanphong.incoming.models import IncomingDocument
    from vanphong.incoming.states import HandlingState
    from vanphong.organizations.models import Role

    while True:
        waiting = IncomingDocument.objects.filter(state=HandlingState.RECEIVED).select_related("agency")
        for document in waiting:
            clerk = document.agency.positions.get(role=Role.CLERK).person
            services.register_received(document=document, register=document.agency.incoming_registers.first(), by=clerk)
        if "--watch" not in flags:
            return
        time.sleep(0.2)


def configure(config):
    """The operator's set-up, through the same commands: {"peers": [[name, url, secret_file]], "routes": [[code,
    peer]], "sender": [codes], "receiver": [codes]}."""
    from django.core.management import call_command

    config = json.loads(config)
    if config.get("sender"):
        seed_sender(*config["sender"])
    if config.get("receiver"):
        seed_receiver(*config["receiver"])
    for name, url, secret_file in config.get("peers", []):
        call_command("exchange", "peer", name, "--url", url, "--secret-file", secret_file)
    for code, peer in config.get("routes", []):
        call_command("exchange", "route", code, peer)


def report():
    from django.db.models import Count

    from vanphong.exchange.models import Message
    from vanphong.incoming.models import IncomingDocument
    from vanphong.outgoing.models import Recipient

    messages = Message.objects.values_list("direction", "kind", "state", "status_code").annotate(n=Count("pk"))
    arrivals = IncomingDocument.objects.values_list("issuer__code", "number", "notation", "state")
    print(
        json.dumps(
            {
                "messages": [[*key, n] for *key, n in messages.order_by()],
                "arrivals": [list(row) for row in arrivals],
                "recipients": [list(row) for row in Recipient.objects.values_list("document__number", "state")],
            }
        )
    )


ACTIONS = {
    "configure": configure,
    "seed-sender": seed_sender,
    "seed-receiver": seed_receiver,
    "issue": issue,
    "register": register,
    "report": report,
}

if __name__ == "__main__":
    django.setup()
    action, *arguments = sys.argv[1:]
    ACTIONS[action](*arguments)
