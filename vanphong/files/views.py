"""Thin views: a form in, a service call, a page out. A file the person may not see is a 404, whether it exists or
not. A refused step shows the service's message."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanphong.core.files import FileRefused, download_response, file_response
from vanphong.core.registers import FontMissing
from vanphong.core.state_machine import TransitionNotAllowed
from vanphong.incoming.selectors import visible_documents
from vanphong.organizations.selectors import current_positions
from vanphong.outgoing.models import OutgoingDocument

from . import permissions, selectors, services
from .errors import FilesError, NotVisible, RowsRefused
from .forms import (
    AddDocumentForm,
    HoldForm,
    LookupForm,
    MetadataForm,
    OpenFileForm,
    PackageForm,
    PackageUploadForm,
    PlanUploadForm,
    PurposeForm,
    ReasonForm,
)
from .models import AccessLog, DestructionProposal, Handover, ItemFile, WorkFile
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
    keeps_or_heads = any(
        permissions.keeps_archive(request.user, p.agency) or permissions.heads(request.user, p.agency)
        for p in positions
    )
    context = {"files": selectors.my_files(request.user), "form": form, "keeps_or_heads": keeps_or_heads}
    return render(request, "files/index.html", context)


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
            "goes_to_archive": services.goes_to_archive(work_file),
            "due": services.handover_due_date(work_file),
            "held": work_file.held_until is not None and work_file.held_until >= timezone.localdate(),
            "hold_form": HoldForm() if _may_hold_now(request.user, work_file) else None,
        },
    )


def _may_hold_now(person, work_file) -> bool:
    return (
        work_file.state in (FileState.OPEN, FileState.CLOSED)
        and work_file.end_date is not None
        and services.goes_to_archive(work_file)
        and services.may_hold(person, work_file)
    )


def _run(request, work_file, call, *, to=None):
    """Runs a service call; a refusal of access is a 404, any other refusal its message. Then back to `to` (a URL),
    by default the file's page."""
    try:
        call()
    except NotVisible as refusal:
        raise Http404 from refusal
    except (FilesError, TransitionNotAllowed, FileRefused) as refusal:
        messages.error(request, str(refusal))
    return redirect(to) if to else redirect("files:detail", work_file.pk)


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


@require_POST
def hold(request, pk):
    """Giữ lại: the unit keeps the file past its hand-over due date (the head of the agency or of the unit)."""
    work_file = _visible(request, pk)
    form = HoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date until which the file is kept and the reason."))
        return redirect("files:detail", pk)

    def call():
        services.hold_file(work_file=work_file, by=request.user, **form.cleaned_data)
        messages.success(request, _("The unit keeps the file; the archive keepers have been told."))

    return _run(request, work_file, call)


def item_file(request, pk, file_pk):
    work_file = _visible(request, pk)
    item_file = ItemFile.objects.filter(pk=file_pk, item__work_file=work_file).first()
    if item_file is None:
        raise Http404
    return file_response(item_file.stored_file, filename=item_file.filename)


def handovers(request):
    files = selectors.handovers_waiting(request.user)
    return render(
        request,
        "files/handovers.html",
        {"files": files, "form": ReasonForm(), "handovers": selectors.handovers_of(request.user)},
    )


def handover_document(request, pk, document, file_format):
    """The hand-over list (mục lục hồ sơ nộp lưu) or record (biên bản giao nhận), as XLSX or PDF."""
    handover = Handover.objects.select_related("agency", "submitted_by").filter(pk=pk).first()
    if handover is None:
        raise Http404
    try:
        filename, content_type, content = services.handover_document(
            handover=handover, by=request.user, document=document, file_format=file_format
        )
    except NotVisible as refusal:
        raise Http404 from refusal
    except FontMissing as error:
        messages.error(request, str(error))
        return redirect("files:handovers")
    return download_response(content, filename=filename, content_type=content_type)


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
    keeps = any(permissions.keeps_archive(request.user, p.agency) for p in current_positions(request.user))
    return render(request, "files/lookup.html", {"form": form, "files": files[:200], "keeps_archive": keeps})


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
        context = {"file": work_file, "items": selectors.items_of(work_file)}
        if permissions.keeps_archive_of(request.user, work_file):
            context["package_form"] = PackageForm(initial={"purpose": form.cleaned_data["purpose"]})
        return render(request, "files/archived.html", context)
    return render(request, "files/purpose.html", {"file": work_file, "form": form})


# Packages (BagIt)


@require_POST
def export_package(request, pk):
    """The archived file as a BagIt package, downloaded; the export is logged with its purpose (sổ sử dụng)."""
    work_file = selectors.archived(request.user, pk)
    if work_file is None:
        raise Http404
    try:
        package = services.export_package(work_file=work_file, by=request.user, purpose=request.POST.get("purpose", ""))
    except NotVisible as refusal:
        raise Http404 from refusal
    except FilesError as refusal:
        messages.error(request, str(refusal))
        return redirect("files:archived", pk)
    filename = f"{work_file.file_code}.zip"
    return download_response(package, filename=filename, content_type="application/zip")


def import_package(request):
    """The archive keeper takes a package exported from an archive back in: the file comes back archived, or
    nothing is imported and the page says why."""
    agency = _kept_agency(request.user)
    form = PackageUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            work_file = services.import_package(
                zip_bytes=form.cleaned_data["package"].read(), agency=agency, by=request.user
            )
        except NotVisible as refusal:
            raise Http404 from refusal
        except (FilesError, FileRefused) as refusal:
            form.add_error("package", str(refusal))
        else:
            messages.success(request, _("File %(code)s imported into the archive.") % {"code": work_file.file_code})
            return redirect("files:lookup")
    return render(request, "files/package_import.html", {"form": form, "agency": agency})


def _kept_agency(person):
    """The agency whose archive the person keeps (the first one); 404 for anyone else."""
    for position in current_positions(person):
        if permissions.keeps_archive(person, position.agency):
            return position.agency
    raise Http404


# The file plan (danh mục hồ sơ)


def _agency(request, agency_pk):
    """An agency the person works in; 404 for any other, whether it exists or not."""
    for position in current_positions(request.user):
        if position.agency.pk == agency_pk:
            return position.agency
    raise Http404


def plan_home(request):
    positions = list(current_positions(request.user))
    if not positions:
        raise Http404
    return redirect("files:plan", positions[0].agency.pk, timezone.localdate().year)


def plan(request, agency, year, *, upload_form=None, problems=(), status=200):
    agency = _agency(request, agency)
    file_plan = selectors.plan_of(agency, year)
    manages = permissions.keeps_archive(request.user, agency) or permissions.heads(request.user, agency)
    context = {
        "agency": agency,
        "year": year,
        "plan": file_plan,
        "rows": selectors.plan_rows(file_plan) if file_plan else [],
        "manages": manages,
        "approves": permissions.heads(request.user, agency),
        "upload_form": upload_form or PlanUploadForm(),
        "problems": problems,
        "previous_year": year - 1,
        "next_year": year + 1,
    }
    return render(request, "files/plan.html", context, status=status)


def _plan_url(agency, year):
    return reverse("files:plan", args=[agency.pk, year])


@require_POST
def plan_start(request, agency, year):
    agency = _agency(request, agency)

    def call():
        services.start_year_plan(agency=agency, year=year, by=request.user)
        messages.success(request, _("The file plan of %(year)s has been started.") % {"year": year})

    return _run(request, None, call, to=_plan_url(agency, year))


@require_POST
def plan_approve(request, agency, year):
    agency = _agency(request, agency)
    file_plan = selectors.plan_of(agency, year)
    if file_plan is None:
        raise Http404

    def call():
        services.approve_plan(plan=file_plan, by=request.user)
        messages.success(request, _("The file plan of %(year)s is approved.") % {"year": year})

    return _run(request, None, call, to=_plan_url(agency, year))


def plan_download(request, agency, year):
    agency = _agency(request, agency)
    file_plan = selectors.plan_of(agency, year)
    if file_plan is None:
        raise Http404
    try:
        content = services.export_plan(plan=file_plan, by=request.user)
    except NotVisible as refusal:
        raise Http404 from refusal
    return download_response(
        content,
        filename=f"danh-muc-ho-so-{year}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_POST
def plan_import(request, agency, year):
    """Replaces the plan's rows with the workbook's; any bad row: nothing changes and each bad row is listed with
    its number."""
    agency_object = _agency(request, agency)
    file_plan = selectors.plan_of(agency_object, year)
    if file_plan is None:
        raise Http404
    form = PlanUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return plan(request, agency, year, upload_form=form, status=400)
    try:
        services.import_plan(plan=file_plan, content=form.cleaned_data["workbook"].read(), by=request.user)
    except NotVisible as refusal:
        raise Http404 from refusal
    except RowsRefused as refusal:
        form.add_error("workbook", _("Nothing was imported: correct these rows and upload the workbook again."))
        return plan(request, agency, year, upload_form=form, problems=refusal.problems, status=400)
    except FilesError as refusal:
        form.add_error("workbook", str(refusal))
        return plan(request, agency, year, upload_form=form, status=400)
    messages.success(request, _("The file plan has been imported."))
    return redirect(_plan_url(agency_object, year))


# Destruction (hủy tài liệu hết giá trị)


def _destruction_agency(request, agency_pk):
    """The archive keeper and the head of the agency; 404 for anyone else."""
    agency = _agency(request, agency_pk)
    if not (permissions.keeps_archive(request.user, agency) or permissions.heads(request.user, agency)):
        raise Http404
    return agency


def destruction_home(request):
    for position in current_positions(request.user):
        agency = position.agency
        if permissions.keeps_archive(request.user, agency) or permissions.heads(request.user, agency):
            return redirect("files:destruction", agency.pk)
    raise Http404


def destruction(request, agency):
    agency = _destruction_agency(request, agency)
    context = {
        "agency": agency,
        "expired": selectors.expired_archived_files(agency),
        "proposals": selectors.destruction_proposals(agency),
        "proposes": permissions.keeps_archive(request.user, agency),
        "approves": permissions.heads(request.user, agency),
    }
    return render(request, "files/destruction.html", context)


@require_POST
def destruction_propose(request, agency):
    agency = _destruction_agency(request, agency)
    chosen = [int(pk) for pk in request.POST.getlist("files") if pk.isdigit()]
    files = WorkFile.objects.filter(agency=agency, pk__in=chosen).order_by("pk")

    def call():
        services.propose_destruction(files=files, by=request.user)
        messages.success(request, _("The destruction has been proposed to the head of the agency."))

    return _run(request, None, call, to=reverse("files:destruction", args=[agency.pk]))


@require_POST
def destruction_approve(request, pk):
    proposal = get_object_or_404(DestructionProposal.objects.select_related("agency"), pk=pk)
    agency = _destruction_agency(request, proposal.agency.pk)

    def call():
        records = services.approve_destruction(proposal=proposal, by=request.user)
        messages.success(request, _("Destruction approved: %(count)s files destroyed.") % {"count": len(records)})

    return _run(request, None, call, to=reverse("files:destruction", args=[agency.pk]))
