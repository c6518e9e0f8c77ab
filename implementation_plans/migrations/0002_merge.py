"""Joins the two areas of this app, whose first migrations were written side by side."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("implementation_plans", "0001_plan"), ("implementation_plans", "0001_processes")]
    operations: list = []
