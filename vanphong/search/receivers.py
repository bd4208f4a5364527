"""Keeps the index in step with the documents, in the same transaction as the change."""

from django.db.models.signals import post_delete, post_save

from . import services
from .models import Kind


def incoming_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.index_incoming(document=instance)


def incoming_file_added(sender, instance, raw=False, **kwargs):
    if not raw:
        services.index_incoming(document=instance.document)


def outgoing_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.index_outgoing(document=instance)


def outgoing_file_added(sender, instance, raw=False, **kwargs):
    if not raw:
        services.index_outgoing(document=instance.document)


def digitisation_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.state == sender.State.DONE:
        services.reindex_file(stored_file=instance.stored_file)


def incoming_deleted(sender, instance, **kwargs):
    services.remove(kind=Kind.INCOMING, pk=instance.pk)


def outgoing_deleted(sender, instance, **kwargs):
    services.remove(kind=Kind.OUTGOING, pk=instance.pk)


def connect() -> None:
    from vanphong.incoming import models as incoming
    from vanphong.intake.models import Digitisation
    from vanphong.outgoing import models as outgoing

    post_save.connect(incoming_saved, sender=incoming.IncomingDocument, dispatch_uid="search.incoming")
    post_save.connect(incoming_file_added, sender=incoming.Attachment, dispatch_uid="search.incoming_file")
    post_delete.connect(incoming_deleted, sender=incoming.IncomingDocument, dispatch_uid="search.incoming_del")
    post_save.connect(outgoing_saved, sender=outgoing.OutgoingDocument, dispatch_uid="search.outgoing")
    post_save.connect(outgoing_file_added, sender=outgoing.Version, dispatch_uid="search.outgoing_version")
    post_save.connect(outgoing_file_added, sender=outgoing.Attachment, dispatch_uid="search.outgoing_file")
    post_delete.connect(outgoing_deleted, sender=outgoing.OutgoingDocument, dispatch_uid="search.outgoing_del")
    post_save.connect(digitisation_saved, sender=Digitisation, dispatch_uid="search.digitisation")
