from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "mtss.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from mtss.audit import signals  # noqa: F401  (connects the sign-in receivers)
