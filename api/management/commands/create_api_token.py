"""Create an API token for a staff member and print it once.

python manage.py create_api_token --email adviser@example.org --scopes read,write,repayments [--days 90]
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api import services
from coaching.errors import DomainError
from neem.models import Membership, Programme


class Command(BaseCommand):
    help = "Create an API token acting as a staff member; the token is printed once and stored only hashed."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The staff member the token acts as.")
        parser.add_argument("--scopes", required=True, help="Comma-separated: read, write, repayments.")
        parser.add_argument("--days", type=int, default=services.DEFAULT_DAYS, help="Valid for this many days.")
        parser.add_argument("--programme", help="The programme's slug (needed if she works in several).")
        parser.add_argument(
            "--name", default="", help="What the token is for (default: 'created on the command line')."
        )

    def handle(self, *args, email: str, scopes: str, days: int, programme: str | None, name: str, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {email}.")
        programmes = Programme.objects.filter(
            pk__in=Membership.objects.filter(user=user, role__in=services.TOKEN_ROLES).values("programme")
        )
        if programme:
            programmes = programmes.filter(slug=programme)
        found = list(programmes[:2])
        if not found:
            raise CommandError(
                f"{email} holds no staff role the API serves (adviser, region lead, manager, administrator)"
                + (f" in {programme}." if programme else ".")
            )
        if len(found) > 1:
            raise CommandError(f"{email} works in several programmes: choose one with --programme <slug>.")
        try:
            new = services.token_create(
                by=None,
                programme=found[0],
                user=user,
                name=name or "created on the command line",
                scopes=scopes.split(","),
                days=days,
                check_access=False,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        token = new.token
        self.stderr.write(
            f"Token {token.name!r} for {user.email} in {token.programme.slug}, scopes {','.join(token.scopes)}, "
            f"expires {token.expires_at:%Y-%m-%d}. It is shown only now; store it safely:"
        )
        self.stdout.write(new.secret)
