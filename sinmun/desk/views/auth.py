"""Sign in and out, change one's own password, turn two-factor on and off (sinmun/desk/login.py)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from .. import twofactor
from ..login import DeskLoginForm
from ..permissions import desk_required

CHANGED_AND_SIGNED_OUT = "비밀번호를 바꿨습니다. 다른 기기와 브라우저의 로그인은 모두 끝났습니다."
TWO_FACTOR_ON = "2단계 인증을 켰습니다. 다음 로그인부터 인증 코드가 필요합니다."
TWO_FACTOR_OFF = "2단계 인증을 껐습니다."


class LoginView(auth_views.LoginView):
    template_name = "desk/login.html"
    form_class = DeskLoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    next_page = "desk:login"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own: it keeps this session (update_session_auth_hash) and, since the password
    hash is part of every session's auth hash, every other session of the user ends."""

    template_name = "desk/password_change.html"
    success_url = reverse_lazy("desk:password")

    def dispatch(self, request, *args, **kwargs):
        return desk_required(super().dispatch)(request, *args, **kwargs)

    def form_valid(self, form):
        messages.success(self.request, CHANGED_AND_SIGNED_OUT)
        return super().form_valid(form)


@require_http_methods(["GET", "POST"])
@desk_required
def two_factor(request):
    user = request.user
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "enable":
                twofactor.totp_enable(user=user, token=request.POST.get("token", ""))
                messages.success(request, TWO_FACTOR_ON)
            elif action == "disable":
                twofactor.totp_disable(user=user, token=request.POST.get("token", ""))
                messages.success(request, TWO_FACTOR_OFF)
            else:
                raise ValueError(twofactor.CODE_WRONG)
        except ValueError as refusal:
            error = str(refusal)
        else:
            return redirect("desk:two-factor")
    device = twofactor.totp_device(user=user)
    context = {"enabled": device is not None, "error": error}
    if device is None:
        pending = twofactor.totp_pending(user=user)
        context.update(qr=twofactor.qr_svg(pending), key=twofactor.base32_key(pending))
    return render(request, "desk/two_factor.html", context, status=400 if error else 200)
