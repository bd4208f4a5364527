"""`vanphong exchange send|poll|peer|route|status`: the operator's handles on the interconnection."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from vanphong.audit.services import record
from vanphong.exchange import services
from vanphong.exchange.models import Message, Peer, Route


class Command(BaseCommand):
    help = "Interconnection: send the outbox, poll the national axis, set up peers and routes."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        send = actions.add_parser("send", help="Send every package due in the outbox.")
        poll = actions.add_parser("poll", help="Fetch packages waiting on pulling peers (the national axis).")
        for each in (send, poll):
            each.add_argument("--watch", type=float, metavar="SECONDS", help="Keep going, every SECONDS.")
        peer = actions.add_parser("peer", help="Add or change a peer (another platform, a hub, the national axis).")
        peer.add_argument("name")
        peer.add_argument("--url", required=True)
        peer.add_argument("--secret-file", required=True, help="File holding the shared secret (not the secret).")
        peer.add_argument("--kind", choices=Peer.Kind.values, default=Peer.Kind.PLATFORM)
        peer.add_argument("--system-id", default="", help="This platform's system code on the national axis.")
        route = actions.add_parser("route", help="Send packages for an agency code (empty: all others) to a peer.")
        route.add_argument("agency_code", help='an identifier code, or "" for the default route (the hub)')
        route.add_argument("peer")
        actions.add_parser("status", help="Counts of the outbox and inbox by state.")

    def handle(self, *args, action, **options):
        if action in ("send", "poll"):
            work = services.flush_outbox if action == "send" else services.poll
            while True:
                count = work()
                if count or not options["watch"]:
                    self.stdout.write(f"{action}: {count}")
                if not options["watch"]:
                    return
                time.sleep(options["watch"])
        if action == "peer":
            try:
                with open(options["secret_file"], encoding="utf-8") as handle:
                    secret = handle.read().strip()
            except OSError as error:
                raise CommandError(f"Cannot read the secret file: {error}") from error
            if len(secret) < 32:
                raise CommandError("The shared secret must be at least 32 characters.")
            fields = {
                "url": options["url"],
                "secret": secret,
                "kind": options["kind"],
                "system_id": options["system_id"],
                "is_active": True,
            }
            peer, created = Peer.objects.update_or_create(name=options["name"], defaults=fields)
            audited = {name: str(value) for name, value in fields.items() if name != "secret"}
            record(f"exchange.peer.{'added' if created else 'changed'}", obj=peer, after=audited)
            self.stdout.write(f"{'added' if created else 'changed'}: {peer.name} {peer.url}")
        elif action == "route":
            peer = Peer.objects.filter(name=options["peer"]).first()
            if peer is None:
                raise CommandError(f"No peer named {options['peer']}.")
            route, created = Route.objects.update_or_create(agency_code=options["agency_code"], defaults={"peer": peer})
            record(f"exchange.route.{'added' if created else 'changed'}", obj=route, after={"peer": peer.name})
            self.stdout.write(f"route: {options['agency_code'] or '*'} → {peer.name}")
        elif action == "status":
            counts = Message.objects.values("direction", "kind", "state").annotate(n=Count("pk")).order_by()
            for row in counts:
                self.stdout.write(f"{row['direction']} {row['kind']} {row['state']}: {row['n']}")
