import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import Lower


def lower_case_emails(apps, schema_editor):
    """Store every email in lower case, as sign-in now looks them up; refuse if two would collide."""
    User = apps.get_model("coordinators", "User")
    emails = {}
    for pk, email in User.objects.values_list("pk", "email"):
        emails.setdefault(email.lower(), []).append(email)
    collisions = sorted(", ".join(sorted(found)) for found in emails.values() if len(found) > 1)
    if collisions:
        raise RuntimeError(
            "These accounts differ only in the case of their email; merge or rename them, then migrate again: "
            + "; ".join(collisions)
        )
    User.objects.exclude(email=Lower("email")).update(email=Lower("email"))


class Migration(migrations.Migration):

    dependencies = [
        ('coordinators', '0004_invitations'),
    ]

    operations = [
        migrations.CreateModel(
            name='PasswordResetRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(help_text='As typed, in lower case.', max_length=254)),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True)),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('state', models.CharField(choices=[('pending', 'Waiting for the worker'), ('sending', 'Being sent'), ('sent', 'Sent'), ('no_account', 'No account to send to')], default='pending', max_length=16)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ['-requested_at'],
                'indexes': [models.Index(fields=['email', 'requested_at'], name='reset_request_email_time'), models.Index(fields=['ip_address', 'requested_at'], name='reset_request_address_time')],
            },
        ),
        migrations.RunPython(lower_case_emails, migrations.RunPython.noop),
    ]
