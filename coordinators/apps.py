from django.apps import AppConfig


class CoordinatorsConfig(AppConfig):
    name = "coordinators"
    verbose_name = "People, districts and schools"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from coordinators.middleware import district_at_sign_in
        from mtss.middleware import session_lifetime_start

        # What every page would otherwise write to the session on its first visit, written once here.
        user_logged_in.connect(session_lifetime_start, dispatch_uid="session_lifetime_start")
        user_logged_in.connect(district_at_sign_in, dispatch_uid="district_at_sign_in")
