"""Thin views: a form in, a service call, a page out. A document the person may not see is a 404, whether it
exists or not."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanphong.core.files import FileRefused, file_response
from vanphong.core.paging import page_of
from vanphong.core.state_machine import TransitionNotAllowed
from vanphong.organizations.models import Agency, Position, Unit
from vanphong.signing.reports import latest_reports

from . import permissions, selectors, services
from .errors import DuplicateSuspected, IncomingError, NotVisible
from .forms import (
    AssignForm,
    ExtensionForm,
    FilterForm,
    ForwardForm,
    NoteForm,
    PresentForm,
    ReasonForm,
    RegistrationForm,
    ResultForm,
    UrgeForm,
)
from .models import Assignment, Attachment, ExtensionRequest, ReceivedVia
from .states import assignment as assignment_machine
from .states import handling

PAGE_SIZE = 25


def _visible(request, pk):
    return get_object_or_404(selectors.visible_documents(request.user), pk=pk)


def _assignment(request, document, assignment_pk):
    return get_object_or_404(
        Assignment.objects.select_related("assignee_unit__agency", "assignee_person"),
        pk=assignment_pk,
        document=document,
    )


def _filter_form(request):
    scope = selectors.scope_of(request.user)
    units = Unit.objects.filter(Q(agency_id__in=scope.whole_agency_ids) | Q(pk__in=scope.led_unit_ids))
    data = request.GET.copy()
    data.pop("tab", None)
    data.pop("page", None)
    return FilterForm(data or None, units=units.order_by("name"))


def _tab(request):
    tabs = selectors.tabs_for(request.user)
    tab = request.GET.get("tab") or tabs[0]
    if tab not in tabs:
        raise Http404
    return tab, tabs


def filters(request):
    """The filter form, fetched by htmx when the person opens it."""
    tab, _tabs = _tab(request)
    return render(request, "incoming/_filters.html", {"filter_form": _filter_form(request), "tab": tab})


def work_list(request):
    tab, tabs = _tab(request)
    filter_form = _filter_form(request)
    counts = selectors.counters(request.user)
    known = counts.get(tab) if not filter_form.is_filtering and tab != "for_information" else None
    page = page_of(
        selectors.work_list(request.user, tab, filter_form.filters()),
        request.GET.get("page"),
        size=PAGE_SIZE,
        total=known,
    )
    # (document, assignment) pairs, so that one loop renders both kinds of tab without an include per row
    rows = [(row, None) for row in page] if tab in selectors.CLERK_TABS else [(row.document, row) for row in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "incoming/work_list.html",
        {
            "tab": tab,
            "tabs": tabs,
            "counts": counts,
            "page": page,
            "rows": rows,
            "filter_form": filter_form,
            "query": query.urlencode(),
        },
    )


def _clerk_agency(request) -> Agency:
    agency_id = next(iter(selectors.scope_of(request.user).clerk_agency_ids), None)
    if agency_id is None:
        raise Http404
    return Agency.objects.get(pk=agency_id)


def _scan(request, agency, pk=None):
    """A scan this clerk uploaded to be read for registration (intake.Digitisation), or 404."""
    from vanphong.intake.models import Digitisation

    pk = pk or request.POST.get("scan") or request.GET.get("scan")
    if not pk:
        return None
    return get_object_or_404(Digitisation, pk=pk, created_by=request.user, agency=agency)


def _initial_from(scan) -> dict:
    """The registration fields the scan's first page suggests; the clerk confirms or corrects them."""
    found = scan.suggestion or {}
    number, _slash, notation = (found.get("number_notation") or "").partition("/")
    initial = {
        "received_via": ReceivedVia.PAPER,
        "number": number,
        "notation": notation,
        "summary": found.get("summary"),
    }
    if found.get("issuer_pk"):
        initial["issuer"] = found["issuer_pk"]
    elif found.get("issuer"):
        initial["issuer_name"] = found["issuer"]
    if found.get("date"):
        initial["document_date"] = found["date"]
    if found.get("type_code"):
        initial["document_type"] = found["type_code"]
    return {key: value for key, value in initial.items() if value}


def scan(request):
    """Đọc bản quét: the clerk uploads a scan first; it is read in the background while the page shows progress."""
    from vanphong.intake.services import take_in_scan

    agency = _clerk_agency(request)
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose the scanned file.")
        else:
            try:
                digitisation = take_in_scan(upload=upload, agency=agency, by=request.user)
            except FileRefused as refusal:
                error = str(refusal)
            else:
                return redirect("incoming:scan_progress", pk=digitisation.pk)
    return render(request, "incoming/scan.html", {"agency": agency, "error": error})


def scan_progress(request, pk):
    """The page that follows the reading (and its polled fragment, for htmx); done, it leads to the form."""
    from vanphong.core import progress

    agency = _clerk_agency(request)
    digitisation = _scan(request, agency, pk)
    context = {"scan": digitisation, "progress": progress.read(digitisation.progress_key)}
    if request.headers.get("HX-Request"):
        response = render(request, "incoming/_scan_status.html", context)
        if digitisation.state == digitisation.State.DONE:
            response["HX-Redirect"] = f"{reverse('incoming:register')}?scan={digitisation.pk}"
        return response
    return render(request, "incoming/scan_progress.html", context)


def scan_file(request, pk):
    """The scan as it will be kept: its searchable copy once read."""
    agency = _clerk_agency(request)
    digitisation = _scan(request, agency, pk)
    stored = digitisation.ocr_file or digitisation.stored_file
    return file_response(stored, filename=digitisation.filename, inline=True)


def register(request):
    agency = _clerk_agency(request)
    registers = selectors.open_registers(agency)
    scan = _scan(request, agency)
    form = RegistrationForm(
        request.POST or None,
        request.FILES or None,
        agency=agency,
        registers=registers,
        initial=_initial_from(scan) if scan else None,
    )
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.receive(
                agency=agency,
                by=request.user,
                data=data,
                files=data["files"],
                register=data["register"],
                confirm_duplicate=bool(request.POST.get("confirm_duplicate")),
                kept_files=[(scan.stored_file, scan.filename)] if scan else (),
            )
        except DuplicateSuspected as suspicion:
            duplicates = suspicion.duplicates
            form.add_error(None, str(suspicion))
        except FileRefused as refusal:
            form.add_error("files", str(refusal))
        except IncomingError as error:
            form.add_error(None, str(error))
        else:
            if document.incoming_number:
                messages.success(request, _("Registered with incoming number %(n)s.") % {"n": document.incoming_number})
            else:
                messages.success(request, _("Saved: waiting to be registered."))
            return redirect("incoming:detail", pk=document.pk)
    return render(
        request, "incoming/register.html", {"form": form, "agency": agency, "duplicates": duplicates, "scan": scan}
    )


def detail(request, pk):
    document = _visible(request, pk)
    user = request.user
    assignments = list(document.assignments.select_related("assignee_unit", "assignee_person", "assigned_by"))
    for item in assignments:
        if item.role == Assignment.Role.INFORM:
            services.mark_read(assignment_=item, by=user)
    mine = [item for item in assignments if assignment_machine.available(item, user)]
    assigned_by_me = [item for item in assignments if item.is_open and permissions.assigned_it(user, item)]
    pending_extensions = ExtensionRequest.objects.filter(
        assignment__in=assigned_by_me, state=ExtensionRequest.State.PENDING
    ).select_related("assignment")
    attachments = list(document.attachments.select_related("stored_file", "added_by"))
    reports = latest_reports(file.stored_file_id for file in attachments)
    for file in attachments:  # the latest signature report, shown beside the viewer (None: not a PDF)
        file.signature_report = reports.get(file.stored_file_id)
    context = {
        "document": document,
        "attachments": attachments,
        "assignments": assignments,
        "events": selectors.timeline(document),
        "document_actions": handling.available(document, user),
        "mine": [(item, assignment_machine.available(item, user), _forms_for(item, user)) for item in mine],
        "assigned_by_me": assigned_by_me,
        "pending_extensions": pending_extensions,
        "due": selectors.due_status(deadline=document.deadline, finished_at=document.completed_at),
        "registers": selectors.open_registers(document.agency, secret=document.is_secret),
    }
    if "present" in context["document_actions"]:
        context["present_form"] = PresentForm(leaders=services.leaders_of(document.agency))
    if "assign" in context["document_actions"]:
        context["assign_form"] = _assign_form(document)
    return render(request, "incoming/detail.html", context)


def _assign_form(document, data=None):
    units = Unit.objects.filter(agency=document.agency, is_active=True).order_by("name")
    people = (
        Position.objects.current().filter(agency=document.agency).select_related("person").order_by("person__full_name")
    )
    people = list(dict.fromkeys(position.person for position in people))
    return AssignForm(data, units=units, people=people)


def _forms_for(item, user):
    forms = {
        "note": NoteForm(prefix=f"a{item.pk}"),
        "result": ResultForm(prefix=f"a{item.pk}"),
        "reason": ReasonForm(prefix=f"a{item.pk}"),
        "extension": ExtensionForm(prefix=f"a{item.pk}"),
    }
    if item.assignee_unit_id:
        members = Position.objects.current().filter(unit=item.assignee_unit)
        people = get_user_model().objects.filter(pk__in=members.values("person")).exclude(pk=user.pk)
        forms["forward"] = ForwardForm(prefix=f"a{item.pk}", members=people)
    return forms


def _done(request, document, message):
    messages.success(request, message)
    return redirect("incoming:detail", pk=document.pk)


def _refused(request, document, error):
    if isinstance(error, NotVisible):
        raise Http404
    messages.error(request, str(error))
    return redirect("incoming:detail", pk=document.pk)


@require_POST
def document_action(request, pk, action):
    """The document's own steps: register a waiting document, present it, the head's return or assignment."""
    document = _visible(request, pk)
    user = request.user
    if action not in handling.available(document, user):
        raise Http404
    try:
        if action == "register":
            register_ = get_object_or_404(selectors.open_registers(document.agency), pk=request.POST.get("register"))
            services.register_received(document=document, register=register_, by=user)
            return _done(request, document, _("Registered."))
        if action == "reject":
            form = ReasonForm(request.POST)
            if form.is_valid():
                services.reject(document=document, by=user, reason=form.cleaned_data["reason"])
                return _done(request, document, _("Returned to the sender."))
        if action == "present":
            form = PresentForm(request.POST, leaders=services.leaders_of(document.agency))
            if form.is_valid():
                services.present(document=document, by=user, to=form.cleaned_data["to"], note=form.cleaned_data["note"])
                return _done(request, document, _("Presented."))
        if action == "return":
            form = ReasonForm(request.POST)
            if form.is_valid():
                services.return_to_clerk(document=document, by=user, reason=form.cleaned_data["reason"])
                return _done(request, document, _("Returned to the clerk."))
        if action == "assign":
            form = _assign_form(document, request.POST)
            if form.is_valid():
                data = form.cleaned_data
                services.assign(
                    document=document,
                    by=user,
                    lead=data["lead_target"],
                    coordinating=data["coordinating_targets"],
                    for_information=data["information_targets"],
                    deadline=data["deadline"],
                    instruction=data["instruction"],
                )
                return _done(request, document, _("Assigned."))
    except TransitionNotAllowed as refusal:
        raise Http404 from refusal
    except IncomingError as error:
        return _refused(request, document, error)
    messages.error(request, _("Check the form: %(errors)s") % {"errors": _form_errors(form)})
    return redirect("incoming:detail", pk=document.pk)


def _form_errors(form) -> str:
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else ''} {' '.join(errors)}".strip()
        for name, errors in form.errors.items()
    )


ASSIGNMENT_FORMS = {
    "note": NoteForm,
    "complete": ResultForm,
    "return": ReasonForm,
    "extension": ExtensionForm,
    "urge": UrgeForm,
}


@require_POST
def assignment_action(request, pk, assignment_pk, action):
    """The steps of one assignment: start, pass on, note, complete, return, ask for more time; the assigner's
    recall and urging."""
    document = _visible(request, pk)
    item = _assignment(request, document, assignment_pk)
    user, prefix = request.user, f"a{item.pk}"
    if action == "forward":
        members = _forms_for(item, user).get("forward")
        if members is None:
            raise Http404
        form = ForwardForm(request.POST, prefix=prefix, members=members.fields["to"].queryset)
    elif action in ASSIGNMENT_FORMS:
        form = ASSIGNMENT_FORMS[action](request.POST, request.FILES, prefix=prefix)
    elif action in {"start", "recall"}:
        form = None
    else:
        raise Http404
    if form is not None and not form.is_valid():
        messages.error(request, _("Check the form: %(errors)s") % {"errors": _form_errors(form)})
        return redirect("incoming:detail", pk=document.pk)
    data = form.cleaned_data if form is not None else {}
    steps = {
        "start": lambda: services.start(assignment_=item, by=user),
        "recall": lambda: services.recall(assignment_=item, by=user),
        "forward": lambda: services.forward(
            assignment_=item,
            by=user,
            to=data["to"],
            for_information=data["for_information"],
            deadline=data["deadline"],
            instruction=data["instruction"],
        ),
        "note": lambda: services.add_note(assignment_=item, by=user, text=data["text"], files=data["files"]),
        "complete": lambda: services.complete(assignment_=item, by=user, result=data["result"], files=data["files"]),
        "return": lambda: services.return_assignment(assignment_=item, by=user, reason=data["reason"]),
        "extension": lambda: services.request_extension(
            assignment_=item, by=user, new_deadline=data["new_deadline"], reason=data["reason"]
        ),
        "urge": lambda: services.urge(assignment_=item, by=user, message=data["message"]),
    }
    done = {
        "start": _("Work started."),
        "recall": _("Assignment recalled."),
        "forward": _("Passed on."),
        "note": _("Note added."),
        "complete": _("Completed."),
        "return": _("Returned."),
        "extension": _("Extension requested."),
        "urge": _("Reminder sent."),
    }
    try:
        steps[action]()
    except TransitionNotAllowed as refusal:
        raise Http404 from refusal
    except (IncomingError, FileRefused) as error:
        return _refused(request, document, error)
    return _done(request, document, done[action])


@require_POST
def decide_extension(request, pk, request_pk, decision):
    document = _visible(request, pk)
    extension = get_object_or_404(ExtensionRequest, pk=request_pk, assignment__document=document)
    try:
        services.decide_extension(request=extension, by=request.user, grant=decision == "grant")
    except IncomingError as error:
        return _refused(request, document, error)
    return _done(request, document, _("Decision recorded."))


def attachment(request, pk, attachment_pk):
    document = _visible(request, pk)
    item = get_object_or_404(Attachment.objects.select_related("stored_file"), pk=attachment_pk, document=document)
    # Always a download: pdf.js fetches the bytes itself, and no uploaded file is rendered by the browser on our origin.
    return file_response(item.stored_file, filename=item.filename)


def exports(request):
    """The registers printed from the System (sổ đăng ký / sổ theo dõi giải quyết văn bản đến) for a period, for
    clerks and the agency's leaders. The form is sent with download=1 and answers with the file."""
    from vanphong.core.registers import export_page

    from .exports import ExportForm, export_file, exportable_registers, this_month

    if not selectors.scope_of(request.user).whole_agency_ids:
        raise Http404
    registers = exportable_registers(request.user)
    date_from, date_to = this_month()
    form = ExportForm(
        request.GET if request.GET.get("download") == "1" else None,
        registers=registers,
        initial={
            "register": registers.filter(is_active=True).first(),
            "date_from": date_from,
            "date_to": date_to,
            "book": "register",
            "file_format": "xlsx",
        },
    )
    return export_page(
        request,
        form,
        export=export_file,
        title=_("Registers of incoming documents"),
        intro=_(
            "Print the register of the documents that arrived in a period, then sign and bind it. Documents are "
            "listed by incoming number."
        ),
        back_url=reverse("incoming:work_list"),
        back_label=_("Incoming documents"),
    )
