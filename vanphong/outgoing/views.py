"""Thin views: a form in, a service call, a page out. A document the person may not see is a 404, whether it
exists or not; a step the person may not take is a 404 as well. A refused step shows the page again with the
service's message beside the form, and everything typed kept (except a signing password, which is never kept)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from vanphong.core.files import FileRefused, file_response
from vanphong.core.paging import page_of
from vanphong.core.state_machine import TransitionNotAllowed
from vanphong.incoming.selectors import visible_documents
from vanphong.signing.reports import latest_reports, verify_stored_file

from . import permissions, selectors, services
from .errors import NotVisible, OutgoingError
from .exports import exportable_registers
from .forms import CommentForm, DraftForm, ReasonForm, ReturnForm, SecretForm, SubmitForm, VersionForm
from .models import Attachment, ReviewStep, Version
from .states import DocumentState
from .states import document as machine

PAGE_SIZE = 25
D = DocumentState


def _visible(request, pk):
    document = selectors.visible(request.user, pk)
    if document is None:
        raise Http404
    return document


def work_list(request):
    tab = request.GET.get("tab") or selectors.default_tab(request.user)
    if tab not in selectors.TABS:
        raise Http404
    counts = selectors.counters(request.user)
    rows = selectors.work_list(request.user, tab)
    page = page_of(rows, request.GET.get("page"), size=PAGE_SIZE, total=counts.get(tab))
    return render(
        request,
        "outgoing/work_list.html",
        {
            "tab": tab,
            "tabs": selectors.TABS,
            "counts": counts,
            "page": page,
            "may_draft": selectors.drafting_agency(request.user) is not None,
            "may_export": exportable_registers(request.user).exists(),
        },
    )


def _reply_to(request):
    """The incoming document a draft answers (?reply_to=<pk>): only one the person may see."""
    pk = request.GET.get("reply_to") or request.POST.get("reply_to")
    if not pk:
        return None
    try:
        return get_object_or_404(visible_documents(request.user), pk=int(pk))
    except (TypeError, ValueError) as error:
        raise Http404 from error


def new(request):
    agency = selectors.drafting_agency(request.user)
    if agency is None:
        raise Http404
    reply_to = _reply_to(request)
    initial = {}
    if reply_to is not None:
        initial["summary"] = _("Reply to document %(ref)s: %(summary)s") % {
            "ref": reply_to.reference,
            "summary": reply_to.summary,
        }
        if reply_to.issuer_id and reply_to.issuer_id != agency.pk:
            initial["recipient_agencies"] = [reply_to.issuer_id]
        elif reply_to.issuer_name:
            initial["other_recipients"] = reply_to.issuer_name
    form = DraftForm(request.POST or None, request.FILES or None, agency=agency, person=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "in_reply_to": reply_to}
        try:
            document = services.create_draft(
                agency=agency,
                by=request.user,
                data=data,
                main_file=data["main_file"],
                attachments=data["attachments"],
                recipients=form.recipients(),
            )
        except FileRefused as refusal:
            main = data["main_file"] is not None and data["main_file"].name in str(refusal)
            form.add_error("main_file" if main else "attachments", str(refusal))
        except NotVisible as refusal:
            raise Http404 from refusal
        except OutgoingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Draft saved. Submit it for review when it is ready."))
            return redirect("outgoing:detail", pk=document.pk)
    return render(request, "outgoing/new.html", {"form": form, "agency": agency, "reply_to": reply_to})


def _my_step(document, person) -> ReviewStep | None:
    for item in document.steps.filter(state="pending").select_related("reviewer", "unit", "document__agency"):
        if permissions.acts_on_step(person, item):
            return item
    return None


def _actions(document, person) -> dict:
    """What the person may do with the document now, each with its empty form (None: a button only)."""
    available = set(machine.available(document, person))
    step = _my_step(document, person) if document.state in (D.IN_REVIEW, D.TO_SIGN) else None
    actions = {}
    if "submit" in available:
        actions["submit"] = SubmitForm(document=document, prefix="submit")
    drafting = document.state == D.DRAFT and permissions.drafts(person, document)
    if (drafting or step is not None) and not document.is_secret:
        actions["upload"] = VersionForm(prefix="upload")
    if step is not None and step.kind != ReviewStep.Kind.SIGNER:
        actions["approve"] = CommentForm(prefix="approve")
    if document.state == D.TO_SIGN and permissions.signs(person, document):
        if document.signed_electronically:
            actions["sign"] = SecretForm(prefix="sign")
        elif "approve_paper" in available:
            actions["approve_paper"] = CommentForm(prefix="approve_paper")
    if "return" in available:
        actions["return"] = ReturnForm(prefix="return")
    if "number" in available:
        actions["number"] = SecretForm(prefix="number") if document.signed_electronically else None
    if "issue" in available:
        actions["issue"] = None
    if "recall" in available:
        actions["recall"] = ReasonForm(prefix="recall")
    return actions


def _viewed_pdf(document, versions):
    """The PDF shown in the viewer: the signed (and sealed) file once signed, else the latest version's PDF."""
    if document.issued_file_id:
        return document.issued_file, reverse("outgoing:issued_file", args=[document.pk])
    if versions:
        return versions[0].pdf_file, reverse("outgoing:version_file", args=[document.pk, versions[0].pk, "pdf"])
    return None, None


def _page(request, document, *, bound=None, status=200):
    user = request.user
    versions = list(document.versions.select_related("pdf_file", "source_file", "uploaded_by").order_by("-number"))
    actions = _actions(document, user)
    if bound:
        actions.update(bound)
    report = None
    if document.issued_file_id:
        # the signatures of the signed file, checked once and kept (a new file after sealing gets its own check)
        report = latest_reports([document.issued_file_id]).get(document.issued_file_id) or verify_stored_file(
            stored_file=document.issued_file
        )
    pdf, pdf_url = _viewed_pdf(document, versions)
    context = {
        "document": document,
        "versions": versions,
        "attachments": list(document.attachments.select_related("stored_file", "issued_file")),
        "rounds": selectors.review_rounds(document),
        "recipients": list(selectors.tracking(document)),
        "late_recipients": {item.pk for item in services.late_recipients(document)},
        "events": selectors.timeline(document).select_related("actor"),
        "actions": actions,
        "action_failed": bool(bound),
        "report": report,
        "pdf": pdf,
        "pdf_url": pdf_url,
    }
    return render(request, "outgoing/detail.html", context, status=status)


def detail(request, pk):
    return _page(request, _visible(request, pk))


DONE = {
    "submit": lambda doc: _("Submitted for review."),
    "upload": lambda doc: _("New version uploaded."),
    "approve": lambda doc: _("Approved."),
    "return": lambda doc: _("Returned to the drafter with your comments."),
    "sign": lambda doc: _("Signed digitally. The clerk has been told to number and issue it."),
    "approve_paper": lambda doc: _("The paper signature is recorded."),
    "number": lambda doc: _("Numbered %(ref)s and sealed.") % {"ref": doc.reference},
    "issue": lambda doc: _("Issued."),
    "recall": lambda doc: _("Recalled."),
}


def _run(action, document, user, form):
    data = form.cleaned_data if form is not None else {}
    if action == "submit":
        services.submit(
            doc=document, by=user, consult_units=data["consult_units"], consult_deadline=data["consult_deadline"]
        )
    elif action == "upload":
        services.upload_version(doc=document, by=user, upload=data["upload"], note=data["note"])
    elif action == "approve":
        services.approve(doc=document, by=user, comment=data["comment"])
    elif action == "return":
        services.return_draft(doc=document, by=user, comment=data["comment"])
    elif action == "sign":
        services.sign(doc=document, by=user, secret=data["secret"])
    elif action == "approve_paper":
        services.approve_paper(doc=document, by=user, comment=data["comment"])
    elif action == "number":
        services.number(doc=document, by=user, secret=data.get("secret", ""))
    elif action == "issue":
        services.issue(doc=document, by=user)
    elif action == "recall":
        services.recall(doc=document, by=user, reason=data["reason"])


SECRET_FIELD = {"sign": "secret", "number": "secret"}
FILE_FIELD = {"upload": "upload"}


@sensitive_post_parameters("sign-secret", "number-secret")
@require_POST
def action(request, pk, action):
    """One step on the document: a form in, the service call, back to the page with a message."""
    document = _visible(request, pk)
    user = request.user
    empty = _actions(document, user)
    if action not in empty:
        raise Http404
    form = None
    if empty[action] is not None:
        form = type(empty[action])(request.POST, request.FILES, prefix=action, **_form_kwargs(action, document))
        if not form.is_valid():
            return _page(request, document, bound={action: form}, status=200)
    try:
        _run(action, document, user, form)
    except (NotVisible, TransitionNotAllowed) as refusal:
        raise Http404 from refusal
    except (OutgoingError, FileRefused) as error:
        document.refresh_from_db()  # a refused step may have changed the object in memory before rolling back
        if form is None:
            messages.error(request, str(error))
            return redirect("outgoing:detail", pk=document.pk)
        field = SECRET_FIELD.get(action) or (FILE_FIELD.get(action) if isinstance(error, FileRefused) else None)
        form.add_error(field, str(error))
        return _page(request, document, bound={action: form}, status=200)
    messages.success(request, DONE[action](document))
    return redirect("outgoing:detail", pk=document.pk)


def _form_kwargs(action, document):
    return {"document": document} if action == "submit" else {}


def version_file(request, pk, version_pk, kind):
    """A version's PDF (what the viewer shows) or the file as uploaded; older versions stay readable."""
    document = _visible(request, pk)
    version = get_object_or_404(
        Version.objects.select_related("pdf_file", "source_file"), pk=version_pk, document=document
    )
    if kind == "pdf":
        name = version.source_name.rsplit(".", 1)[0] + ".pdf"
        return file_response(version.pdf_file, filename=f"v{version.number}-{name}")
    if kind == "source":
        return file_response(version.source_file, filename=f"v{version.number}-{version.source_name}")
    raise Http404


def attachment(request, pk, attachment_pk):
    document = _visible(request, pk)
    item = get_object_or_404(
        Attachment.objects.select_related("stored_file", "issued_file"), pk=attachment_pk, document=document
    )
    return file_response(item.issued_file or item.stored_file, filename=item.filename)


def issued_file(request, pk):
    """The signed PDF (after numbering: with the number, the date and the agency's signature)."""
    document = _visible(request, pk)
    if not document.issued_file_id:
        raise Http404
    name = f"{document.reference}.pdf".replace("/", "-") if document.number else f"{document.pk}-signed.pdf"
    return file_response(document.issued_file, filename=name)


def exports(request):
    """The Sổ đăng ký văn bản đi of a register for a period, for its agency's clerks and leaders."""
    from vanphong.core.registers import export_page, this_month

    from .exports import ExportForm, export_file

    registers = exportable_registers(request.user)
    if not registers.exists():
        raise Http404
    date_from, date_to = this_month()
    form = ExportForm(
        request.GET if request.GET.get("download") == "1" else None,
        registers=registers,
        initial={
            "register": registers.filter(is_active=True).first(),
            "date_from": date_from,
            "date_to": date_to,
            "file_format": "xlsx",
        },
    )
    return export_page(
        request,
        form,
        export=export_file,
        title=_("Register of outgoing documents"),
        intro=_(
            "Print the register of the documents numbered in a period, then sign and bind it. Documents are listed "
            "by number."
        ),
        back_url=reverse("outgoing:work_list"),
        back_label=_("Outgoing documents"),
    )
