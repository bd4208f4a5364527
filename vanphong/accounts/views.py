"""Sign-in in two steps (password, then the authenticator code when the person has one), sign-out, and the
person's own security page. Rules live in services; these views only move data between forms and services."""

from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanphong.audit.middleware import client_address

from . import services
from .errors import SignInError
from .forms import CodeForm, SignInForm
from .models import User

PENDING_USER = "vanphong_pending_user"
PENDING_BACKEND = "vanphong_pending_backend"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("core:dashboard")


def _complete(request, user):
    login(request, user, backend=request.session.get(PENDING_BACKEND) or getattr(user, "backend", None))
    services.signed_in(user=user, ip_address=client_address(request))
    return redirect(_next_url(request))


@login_not_required
def sign_in(request):
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.check_password(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                ip_address=client_address(request),
            )
        except SignInError as error:
            form.add_error(None, str(error))
        else:
            if services.has_two_factor(user):
                request.session.cycle_key()
                request.session[PENDING_USER] = user.pk
                request.session[PENDING_BACKEND] = user.backend
                query = urlencode({"next": _next_url(request)})
                return redirect(f"{reverse('accounts:second_step')}?{query}")
            return _complete(request, user)
    return render(request, "accounts/sign_in.html", {"form": form, "next": _next_url(request)})


@login_not_required
def second_step(request):
    user = User.objects.filter(pk=request.session.get(PENDING_USER), is_active=True).first()
    if user is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_second_step(user=user, code=form.cleaned_data["code"], ip_address=client_address(request))
        except SignInError as error:
            form.add_error("code", str(error))
        else:
            response = _complete(request, user)
            request.session.pop(PENDING_USER, None)
            request.session.pop(PENDING_BACKEND, None)
            return response
    return render(request, "accounts/second_step.html", {"form": form, "next": _next_url(request)})


@require_POST
def sign_out(request):
    services.signed_out(user=request.user)
    logout(request)
    return redirect("accounts:login")


@login_not_required
def admin_login_redirect(request):
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.GET.get('next', '/admin/')})}")


def security(request):
    """The person's own page: change password, set up two-step sign-in."""
    password_form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and password_form.is_valid():
        password_form.save()
        update_session_auth_hash(request, password_form.user)
        messages.success(request, _("Your password was changed."))
        return redirect("accounts:security")
    return render(
        request,
        "accounts/security.html",
        {
            "password_form": password_form,
            "has_two_factor": services.has_two_factor(request.user),
            "requires_two_factor": services.requires_two_factor(request.user),
        },
    )


def enrol_two_factor(request):
    if services.has_two_factor(request.user):
        return redirect("accounts:security")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_totp(user=request.user, code=form.cleaned_data["code"])
        except SignInError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("Two-step sign-in is on. From now on you will be asked for a code."))
            return redirect("core:dashboard")
    device = (
        request.user.totp_device
        if request.method == "POST" and hasattr(request.user, "totp_device")
        else services.start_totp_enrolment(user=request.user)
    )
    uri = services.provisioning_uri(device)
    return render(
        request,
        "accounts/enrol_two_factor.html",
        {
            "form": form,
            "secret": device.secret,
            "qr_svg": segno.make(uri).svg_inline(scale=4),
            "required": services.requires_two_factor(request.user),
        },
    )
