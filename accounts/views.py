import base64
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
import requests
from authlib.integrations.base_client.errors import OAuthError
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from joserfc.errors import JoseError

from accounts.models import ProviderSecondFactor
from accounts.services import (
    official_password_reset_done,
    official_sso_refused,
    official_sso_signed_in,
)
from accounts.sso import (
    SESSION_ID_TOKEN,
    SESSION_NEXT,
    checked_token,
    claims_show_second_factor,
    end_session_url,
    identity_claims,
    official_for_claims,
    provider,
    sso_enabled,
)
from accounts.throttle import refuse_if_over
from common.throttle import TooMany


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Confirm a TOTP code; an official without a device sets one up here first."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    setup = device is None
    if setup:
        device, _created = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, defaults={"name": "authenticator"}
        )
    error = ""
    if request.method == "POST":
        token = request.POST.get("token", "").strip()
        if device.verify_token(token):
            if setup:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(request.GET.get("next") or "web:home")
        error = _("The code is wrong or has expired. Enter the 6 digits shown now.")
    context = {
        "setup": setup,
        "error": error,
        "qr": _qr_data_uri(device.config_url) if setup else "",
        "secret": base64.b32encode(device.bin_key).decode() if setup else "",
    }
    return render(request, "accounts/second_factor.html", context)


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """The link of the reset e-mail: choose a new password (recorded in the audit log). The
    link works once: the new password changes the token it was made from."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            official_password_reset_done(user=form.user)
        return response


class LoginView(auth_views.LoginView):
    """Django's sign-in page, refused (429) to an address with too many failed sign-ins."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = sso_enabled()
        return context

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            refuse_if_over(request)
        except TooMany as exc:
            context = self.get_context_data(form=self.get_form_class()(request))
            context["throttled"] = _(
                "Too many failed sign-ins from your connection. Try again in %(minutes)s minutes."
            ) % {"minutes": exc.minutes}
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        return super().post(request, *args, **kwargs)


# --- Single sign-on with the province's identity provider (accounts/sso.py) ----------------

# The provider cannot be reached (network, TLS, its server failing): nothing was refused.
PROVIDER_DOWN = (requests.ConnectionError, requests.Timeout, requests.exceptions.SSLError)
# Its answer failed a check (state, audience, expiry, signature, issuer, nonce, an error it
# returned itself).
PROVIDER_REFUSED = (OAuthError, JoseError, ValueError, KeyError, requests.HTTPError)

REFUSALS = {
    "provider": gettext_lazy(
        "The province's identity provider did not confirm who you are (its answer failed our "
        "checks). Try again, or sign in with your username and password."
    ),
    "unreachable": gettext_lazy(
        "The province's identity provider cannot be reached now. Try again in a moment, or "
        "sign in with your username and password."
    ),
    "no_claim": gettext_lazy(
        "The province's identity provider did not say which official you are. Ask the "
        "administrator of this system to check the single sign-on settings."
    ),
    "unknown": gettext_lazy(
        "There is no account in this system for %(name)s. The province's account alone does "
        "not open one: ask the administrator of your unit to create your account, then sign "
        "in again."
    ),
    "inactive": gettext_lazy(
        "Your account in this system (%(name)s) is deactivated. Ask the administrator of your unit."
    ),
}


def _sso_refused(request: HttpRequest, reason: str, name: str = "", status: int = 403) -> Any:
    return render(
        request,
        "accounts/sso_refused.html",
        {"message": str(REFUSALS[reason]) % {"name": name}},
        status=status,
    )


def sso_login(request: HttpRequest) -> HttpResponse:
    """Send the browser to the province's identity provider to sign in."""
    if not sso_enabled():
        raise Http404
    next_url = request.GET.get("next", "")
    request.session.pop(SESSION_NEXT, None)
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[SESSION_NEXT] = next_url
    callback = request.build_absolute_uri(reverse("accounts:sso_callback"))
    try:
        return provider().authorize_redirect(request, callback)
    except PROVIDER_DOWN:
        return _sso_refused(request, "unreachable", status=503)


def sso_callback(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the browser back: check its answer, find the official's
    account (made beforehand by an administrator), sign them in."""
    if not sso_enabled():
        raise Http404
    try:
        token = checked_token(request)
        claims = identity_claims(token)
    except PROVIDER_DOWN:
        return _sso_refused(request, "unreachable", status=503)
    except PROVIDER_REFUSED as exc:
        official_sso_refused(name="", reason="provider", detail=f"{type(exc).__name__}: {exc}")
        return _sso_refused(request, "provider")
    match = official_for_claims(claims)
    if match.user is None:
        official_sso_refused(name=match.name, reason=match.refusal)
        return _sso_refused(request, match.refusal, match.name)
    second_factor = claims_show_second_factor(claims)
    next_url = request.session.pop(SESSION_NEXT, "")
    login(request, match.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_ID_TOKEN] = token["id_token"]
    if second_factor:
        device, _created = ProviderSecondFactor.objects.get_or_create(
            user=match.user, defaults={"name": "identity provider"}
        )
        otp_login(request, device)
    official_sso_signed_in(user=match.user, second_factor=second_factor)
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


class LogoutView(auth_views.LogoutView):
    """Sign out; after a sign-in through the province's identity provider, the browser then
    goes on to end the provider's session too, and comes back to the sign-in page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        id_token = request.session.get(SESSION_ID_TOKEN, "")
        response = super().post(request, *args, **kwargs)
        if id_token and sso_enabled():
            after = request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL))
            try:
                url = end_session_url(id_token, after)
            except PROVIDER_DOWN:
                url = ""
            if url:
                return HttpResponseRedirect(url)
        return response
