"""The migrate image's command: migrate, then create or update the smoke test's user.

SMOKE_USER and SMOKE_PASSWORD come from the invoice-secrets Secret; setting the password every time means a
rotated Secret takes effect at the next deploy. The user is an ordinary one (no staff, no superuser).
"""
import os

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = 'Apply migrations, then create or update the smoke test user from SMOKE_USER and SMOKE_PASSWORD.'

    def handle(self, *args, **options):
        call_command('migrate', interactive=False, verbosity=options['verbosity'])
        username = os.environ.get('SMOKE_USER', '').strip()
        password = os.environ.get('SMOKE_PASSWORD', '')
        if not username and not password:
            self.stdout.write('SMOKE_USER and SMOKE_PASSWORD are not set: no smoke test user')
            return
        if not username or not password:
            missing = 'SMOKE_USER' if not username else 'SMOKE_PASSWORD'
            raise CommandError(f'{missing} is not set; the invoice-secrets Secret needs both SMOKE_USER and SMOKE_PASSWORD, or neither')
        user, created = get_user_model().objects.get_or_create(username=username)
        user.set_password(password)
        user.is_staff = user.is_superuser = False
        user.save()
        self.stdout.write(f'smoke test user {username} {"created" if created else "updated"}')
