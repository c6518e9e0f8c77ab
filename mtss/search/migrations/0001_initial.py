import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


class AddIndexOnPostgres(migrations.AddIndex):
    """A GIN index exists on PostgreSQL only; SQLite searches without the vector."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("coordinators", "0007_monthly_communication_updates"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=32)),
                ("object_id", models.PositiveBigIntegerField()),
                ("title", models.CharField(max_length=300)),
                ("body", models.TextField(blank=True)),
                ("url", models.CharField(max_length=500)),
                ("detail", models.CharField(blank=True, max_length=200)),
                ("vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ("indexed_at", models.DateTimeField(auto_now=True)),
                (
                    "district",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="coordinators.district"
                    ),
                ),
                (
                    "school",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="coordinators.school",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "search entries",
                "indexes": [models.Index(fields=["district", "kind"], name="search_entry_district_kind")],
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "object_id"), name="search_entry_one_per_record")
                ],
            },
        ),
        AddIndexOnPostgres(
            model_name="searchentry",
            index=django.contrib.postgres.indexes.GinIndex(fields=["vector"], name="search_entry_vector"),
        ),
    ]
