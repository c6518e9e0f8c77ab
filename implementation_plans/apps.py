from django.apps import AppConfig


class ImplementationPlansConfig(AppConfig):
    name = "implementation_plans"
    verbose_name = "District processes and implementation plan"
