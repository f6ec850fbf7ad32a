"""People, programmes, regions and the roles staff hold in them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .languages import language_choices


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """Everyone who logs in: staff and participants. Logs in by e-mail."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=10, choices=language_choices, default=settings.LANGUAGE_CODE)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["first_name", "last_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


currency_validator = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code, e.g. SEK."))


class Programme(models.Model):
    """One funded project with its regions, targets, currency and eligibility rules."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    default_language = models.CharField(_("default language"), max_length=10, choices=language_choices, default="sv")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    require_staff_mfa = models.BooleanField(
        _("require two-factor authentication of all staff"),
        default=True,
        help_text=_("Applies where the installation enforces MFA (production)."),
    )
    # Eligibility rules checked at intake.
    require_permanent_residence = models.BooleanField(_("permanent residence permit required"), default=False)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    require_unemployed = models.BooleanField(_("must be unemployed at intake"), default=False)
    require_mentoring_before_loan = models.BooleanField(
        _("mentoring required before a loan"),
        default=False,
        help_text=_("A participant must have met her volunteer mentor before she can borrow."),
    )
    recommended_caseload = models.PositiveIntegerField(
        _("recommended maximum caseload per adviser"), default=30, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProgrammeTarget(models.Model):
    """A target the programme answers to its funder for (the results framework builds on these)."""

    class Unit(models.TextChoices):
        COUNT = "count", _("number")
        PERCENT = "percent", _("per cent")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    code = models.SlugField(_("code"), max_length=60)
    label = models.CharField(_("label"), max_length=200)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    minimum = models.DecimalField(_("target (or its lower bound)"), max_digits=12, decimal_places=2)
    maximum = models.DecimalField(_("upper bound of a range"), max_digits=12, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="target_code_unique"),
        ]
        ordering = ["programme", "id"]

    def __str__(self) -> str:
        suffix = " %" if self.unit == self.Unit.PERCENT else ""
        if self.maximum is not None:
            return f"{self.label}: {self.minimum.normalize():f}–{self.maximum.normalize():f}{suffix}"
        return f"{self.label}: {Decimal(self.minimum).normalize():f}{suffix}"


class Region(models.Model):
    """A local site (platform) of a programme, with its own advisers."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="regions")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"))

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="region_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADVISER = "adviser", _("adviser")
    REGION_LEAD = "region_lead", _("region lead")
    COMMITTEE = "committee", _("committee member")
    MANAGER = "manager", _("programme manager")
    ADMINISTRATOR = "administrator", _("administrator")
    MENTOR = "mentor", _("volunteer mentor")
    # Edits the public site (the Wagtail admin at /cms-admin/); sees no cases.
    EDITOR = "editor", _("site editor")
    # Seed 004's external evaluator (or a funder): reads the outcomes of one programme, anonymised.
    EVALUATOR = "evaluator", _("evaluator")


REGION_ROLES = {Role.ADVISER, Role.REGION_LEAD}


class Membership(models.Model):
    """A role a staff member holds in a programme, or in one region of it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "programme", "region", "role"], name="membership_unique"),
            models.CheckConstraint(
                condition=~models.Q(role__in=["adviser", "region_lead"]) | models.Q(region__isnull=False),
                name="membership_region_roles_need_region",
            ),
        ]

    def __str__(self) -> str:
        where = self.region or self.programme
        return f"{self.user} — {self.get_role_display()} ({where})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.role in REGION_ROLES and not self.region_id:
            raise ValidationError({"region": _("Advisers and region leads belong to a region.")})
        if self.role == Role.EVALUATOR and self.region_id:
            raise ValidationError({"region": _("An evaluator follows the whole programme, not one region.")})
        if self.region_id and self.region.programme_id != self.programme_id:
            raise ValidationError({"region": _("The region belongs to another programme.")})


class AuditEvent(models.Model):
    """Staff administration that is not on a case's timeline: invitations, deactivations, MFA resets."""

    class Action(models.TextChoices):
        INVITED = "invited", _("invited")
        ROLE_ADDED = "role_added", _("role added")
        ROLE_REMOVED = "role_removed", _("role removed")
        DEACTIVATED = "deactivated", _("deactivated")
        REACTIVATED = "reactivated", _("reactivated")
        MFA_RESET = "mfa_reset", _("two-factor authentication reset")
        MERGED = "merged", _("participants merged")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="audit_actions"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_subject"
    )
    programme = models.ForeignKey(Programme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
