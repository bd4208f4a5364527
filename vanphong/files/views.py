"""Thin views: a form in, a service call, a page out. A file the person may not see is a 404, whether it exists or
not. A refused step shows the service's message."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanphong.core.files import FileRefused, file_response
from vanphong.core.state_machine import TransitionNotAllowed
from vanphong.incoming.selectors import visible_documents
from vanphong.organizations.selectors import current_positions
from vanphong.outgoing.models import OutgoingDocument

from . import selectors, services
from .errors import FilesError, NotVisible
from .forms import AddDocumentForm, LookupForm, MetadataForm, OpenFileForm, PurposeForm, ReasonForm
from .models import AccessLog, ItemFile
from .states import FileState


def _visible(request, pk):
    work_file = selectors.visible(request.user, pk)
    if work_file is None:
        raise Http404
    return work_file


def index(request):
    positions = list(current_positions(request.user))
    if not positions:
        raise Http404
    form = OpenFileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            work_file = services.open_file(agency=positions[0].agency, by=request.user, **form.cleaned_data)
        except FilesError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("File %(code)s opened.") % {"code": work_file.file_code})
            return redirect("files:detail", work_file.pk)
    return render(request, "files/index.html", {"files": selectors.my_files(request.user), "form": form})


def detail(request, pk):
    work_file = _visible(request, pk)
    return render(
        request,
        "files/detail.html",
        {
            "file": work_file,
            "items": selectors.items_of(work_file),
            "add_form": AddDocumentForm(),
            "metadata_form": MetadataForm(
                initial={
                    "rights": work_file.rights,
                    "end_date": work_file.end_date,
                    "description": work_file.description,
                }
            ),
            "missing": services.missing_metadata(work_file) if work_file.state == FileState.OPEN else [],
            "is_open": work_file.state == FileState.OPEN,
            "is_closed": work_file.state == FileState.CLOSED,
        },
    )


def _run(request, work_file, call):
    try:
        call()
    except NotVisible as refusal:
        raise Http404 from refusal
    except (FilesError, TransitionNotAllowed, FileRefused) as refusal:
        messages.error(request, str(refusal))
    return redirect("files:detail", work_file.pk)


@require_POST
def add_document(request, pk):
    work_file = _visible(request, pk)
    form = AddDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose one document."))
        return redirect("files:detail", pk)
    data = form.cleaned_data

    def call():
        if data["incoming"]:
            document = visible_documents(request.user).filter(pk=data["incoming"]).first()
            if document is None:
                raise FilesError(_("You cannot open this document."))
            services.add_document(work_file=work_file, by=request.user, incoming=document)
        elif data["outgoing"]:
            document = OutgoingDocument.objects.filter(pk=data["outgoing"]).first()
            if document is None:
                raise FilesError(_("You cannot open this document."))
            services.add_document(work_file=work_file, by=request.user, outgoing=document)
        elif data["upload"]:
            services.add_document(
                work_file=work_file,
                by=request.user,
                upload=data["upload"],
                filename=data["upload"].name,
                metadata={"subject": data["subject"]},
            )
        else:
            raise FilesError(_("Choose one document."))

    try:
        return _run(request, work_file, call)
    except Http404:
        messages.error(request, _("You cannot open this document."))
        return redirect("files:detail", pk)


@require_POST
def metadata(request, pk):
    work_file = _visible(request, pk)
    form = MetadataForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the values typed."))
        return redirect("files:detail", pk)
    return _run(
        request, work_file, lambda: services.update_file(work_file=work_file, by=request.user, **form.cleaned_data)
    )


@require_POST
def close(request, pk):
    work_file = _visible(request, pk)
    return _run(request, work_file, lambda: services.close_file(work_file=work_file, by=request.user))


@require_POST
def submit(request, pk):
    work_file = _visible(request, pk)
    return _run(request, work_file, lambda: services.submit(files=[work_file], by=request.user))


def item_file(request, pk, file_pk):
    work_file = _visible(request, pk)
    item_file = ItemFile.objects.filter(pk=file_pk, item__work_file=work_file).first()
    if item_file is None:
        raise Http404
    return file_response(item_file.stored_file, filename=item_file.filename)


def handovers(request):
    files = selectors.handovers_waiting(request.user)
    return render(request, "files/handovers.html", {"files": files, "form": ReasonForm()})


@require_POST
def decide(request, pk, action):
    work_file = selectors.handovers_waiting(request.user).filter(pk=pk).first()
    if work_file is None or action not in ("accept", "return"):
        raise Http404
    try:
        if action == "accept":
            services.accept(work_file=work_file, by=request.user)
            messages.success(request, _("File %(code)s accepted into the archive.") % {"code": work_file.file_code})
        else:
            services.return_file(work_file=work_file, by=request.user, reason=request.POST.get("reason", ""))
    except NotVisible as refusal:
        raise Http404 from refusal
    except (FilesError, TransitionNotAllowed) as refusal:
        messages.error(request, str(refusal))
    return redirect("files:handovers")


def lookup(request):
    if not current_positions(request.user).exists():
        raise Http404
    form = LookupForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    files = selectors.archive_lookup(request.user, **{k: v for k, v in filters.items() if v})
    return render(request, "files/lookup.html", {"form": form, "files": files[:200]})


def archived_detail(request, pk):
    """An archived file, read-only. The person says why they use it first; the use is logged (sổ sử dụng)."""
    work_file = selectors.archived(request.user, pk)
    if work_file is None:
        raise Http404
    form = PurposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.log_access(
            work_file=work_file, by=request.user, action=AccessLog.Action.OPENED, purpose=form.cleaned_data["purpose"]
        )
        return render(request, "files/archived.html", {"file": work_file, "items": selectors.items_of(work_file)})
    return render(request, "files/purpose.html", {"file": work_file, "form": form})
