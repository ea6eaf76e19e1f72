import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

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


class LoginView(auth_views.LoginView):
    """Django's sign-in page, refused (429) to an address with too many failed sign-ins."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

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
