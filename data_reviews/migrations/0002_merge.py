"""Joins the two areas of this app, whose first migrations were written side by side."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("data_reviews", "0001_reviews"), ("data_reviews", "0001_scores")]
    operations: list = []
