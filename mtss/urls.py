from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest
from django.urls import include, path

from coordinators import views as coordinator_views
from coordinators.forms import SignInForm
from mtss.health import healthz

handler500 = "mtss.errors.server_error"

admin.site.site_header = "MTSS Coordination administration"
admin.site.site_title = "MTSS Coordination"


def operator_only(request: HttpRequest) -> bool:
    """The Django admin spans every district, so only the installation's operator may open it.

    Staff status or a model permission alone (say "view notification") is not enough.
    """
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = operator_only  # type: ignore[method-assign]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm),
        name="login",
    ),
    # Before Django's own: reset links are limited and sent by the worker.
    path("accounts/password_reset/", coordinator_views.password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    # Single sign-on with Google, Microsoft or the installation's OpenID Connect provider.
    path("accounts/", include("coordinators.single_sign_on_urls")),
    path("", include("implementation_plans.urls")),
    path("", include("meetings.urls")),
    path("", include("data_reviews.urls")),
    path("", include("mtss.notifications.urls")),
    path("", include("mtss.audit.urls")),
    path("", include("mtss.search.urls")),
    path("", include("coordinators.urls")),
]
