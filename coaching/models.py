"""The participant and her case file, which moves through the programme's stages."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from neem import access
from neem.languages import language_choices
from neem.models import Programme, Region

from . import gates
from .normalize import name_key, normalize_email, normalize_phone


class Gender(models.TextChoices):
    WOMAN = "woman", _("woman")
    MAN = "man", _("man")
    NON_BINARY = "non_binary", _("non-binary")
    UNDISCLOSED = "undisclosed", _("prefers not to say")


class ResidencePermit(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    PERMANENT = "permanent", _("permanent residence permit")
    TEMPORARY = "temporary", _("temporary residence permit")
    ASYLUM_SEEKER = "asylum_seeker", _("asylum seeker")
    OTHER = "other", _("other")
    UNKNOWN = "unknown", _("not known")


class Education(models.TextChoices):
    NONE = "none", _("no formal education")
    PRIMARY = "primary", _("primary school")
    SECONDARY = "secondary", _("upper secondary school")
    VOCATIONAL = "vocational", _("vocational training")
    UNIVERSITY = "university", _("university")
    UNKNOWN = "unknown", _("not known")


class EmploymentStatus(models.TextChoices):
    UNEMPLOYED = "unemployed", _("unemployed")
    PART_TIME = "part_time", _("employed part time")
    EMPLOYED = "employed", _("employed")
    STUDENT = "student", _("student")
    SELF_EMPLOYED = "self_employed", _("self-employed")
    OTHER = "other", _("other")


class ReferralSource(models.TextChoices):
    WORKSHOP = "workshop", _("information workshop")
    EMPLOYMENT_SERVICE = "employment_service", _("public employment service")
    PARTNER = "partner", _("partner organisation")
    MUNICIPALITY = "municipality", _("municipality")
    WORD_OF_MOUTH = "word_of_mouth", _("word of mouth")
    WEB = "web", _("web form")
    OTHER = "other", _("other")


class Participant(models.Model):
    """A person coached by a programme (and maybe lent to)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participant",
        verbose_name=_("login"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, help_text=_("Stored in international form."))
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, default=Gender.UNDISCLOSED)
    country_of_birth = models.CharField(_("country of birth"), max_length=100, blank=True)
    foreign_background = models.BooleanField(
        _("foreign background"),
        default=False,
        help_text=_("Born abroad, or both parents born abroad."),
    )
    residence_permit = models.CharField(
        _("residence permit"), max_length=20, choices=ResidencePermit.choices, default=ResidencePermit.UNKNOWN
    )
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=language_choices, default="sv"
    )
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, default=Education.UNKNOWN)
    employment_status = models.CharField(
        _("employment status"), max_length=20, choices=EmploymentStatus.choices, default=EmploymentStatus.UNEMPLOYED
    )
    months_unemployed = models.PositiveSmallIntegerField(
        _("months unemployed"), null=True, blank=True, validators=[MaxValueValidator(600)]
    )
    household_adults = models.PositiveSmallIntegerField(
        _("adults in the household"), default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    household_children = models.PositiveSmallIntegerField(
        _("children in the household"), default=0, validators=[MaxValueValidator(30)]
    )
    household_income = models.DecimalField(
        _("household income per month at intake"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("In the programme's currency; the baseline for income indicators."),
    )
    referral_source = models.CharField(
        _("how they were referred"), max_length=30, choices=ReferralSource.choices, default=ReferralSource.OTHER
    )
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_text_version = models.CharField(_("consent text version"), max_length=20, blank=True)

    # Kept in step by save(): the keys duplicate detection matches on.
    email_normalized = models.CharField(max_length=254, blank=True, editable=False, db_index=True)
    phone_normalized = models.CharField(max_length=32, blank=True, editable=False, db_index=True)
    name_key = models.CharField(max_length=210, blank=True, editable=False, db_index=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        verbose_name=_("merged into"),
        help_text=_("Set when this record was a duplicate; its cases, notes and log moved to that person."),
    )
    merged_at = models.DateTimeField(_("merged"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["email_normalized", "phone_normalized", "name_key"])

    # Ethnic background and residence status: shown only where the role needs them (neem.access.can_see_sensitive).
    SENSITIVE_FIELDS = ("country_of_birth", "foreign_background", "residence_permit")

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.email_normalized = normalize_email(self.email)
        normalized_phone = normalize_phone(self.phone)
        if normalized_phone:
            self.phone = normalized_phone
        self.phone_normalized = normalized_phone
        self.name_key = name_key(self.first_name, self.last_name)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def age_on(self, day: date) -> int | None:
        if not self.date_of_birth:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Stage(models.TextChoices):
    MOBILISED = "mobilised", _("Mobilised")
    INTAKE = "intake", _("Intake")
    COACHING = "coaching", _("Coaching")
    BUSINESS_PLAN = "business_plan", _("Business plan")
    LOAN = "loan", _("Loan")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STAGES = [
    Stage.MOBILISED,
    Stage.INTAKE,
    Stage.COACHING,
    Stage.BUSINESS_PLAN,
    Stage.LOAN,
    Stage.FOLLOW_UP,
]
# The journey in order, for progress displays.
JOURNEY = [*OPEN_STAGES, Stage.CLOSED]


class Outcome(models.TextChoices):
    COMPANY_STARTED = "company_started", _("company started")
    EMPLOYED = "employed", _("employed")
    STUDIES = "studies", _("studies")
    INTERNSHIP = "internship", _("internship")
    OTHER = "other", _("other")
    NO_NEXT_STEP = "no_next_step", _("no next step")


class WithdrawalReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", _("not eligible")
    DECLINED = "declined", _("the participant declined")
    NO_CONTACT = "no_contact", _("no contact")
    MOVED = "moved", _("moved away")
    HEALTH = "health", _("health or family reasons")
    OTHER = "other", _("other")


def _may_work_on(case: CaseFile, user) -> bool:
    return access.can_work_on_case(user, case)


class CaseFile(ConcurrentTransitionMixin, models.Model):
    """A participant's record in one programme. Its stage changes only through the transitions below."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="cases")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cases")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cases")
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("adviser"),
    )
    state = FSMField(_("stage"), default=Stage.MOBILISED, choices=Stage.choices, protected=True, db_index=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    stage_entered_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    withdrawal_reason = models.CharField(
        _("reason for withdrawal"), max_length=20, choices=WithdrawalReason.choices, blank=True
    )
    eligibility_checked_at = models.DateTimeField(_("eligibility checked"), null=True, blank=True)
    eligibility_problems = models.JSONField(_("why not eligible"), default=list, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "programme"], name="one_case_per_programme"),
        ]
        indexes = [
            models.Index(fields=["region", "state"]),
            # An adviser's caseload, counted and listed from the index alone (participant and id included): the
            # rows' pages are read only for the page shown (manage.py bench).
            models.Index(
                fields=["adviser", "region", "state"], include=["participant", "id"], name="casefile_adviser_caseload"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.programme}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STAGES

    # --- Transitions -----------------------------------------------------------------------
    # They change only database fields; the service (coaching.services.case_transition) locks the
    # row, checks, saves and writes the timeline.

    @transition(field=state, source=Stage.MOBILISED, target=Stage.INTAKE, permission=_may_work_on)
    def start_intake(self) -> None:
        pass

    @transition(
        field=state,
        source=Stage.INTAKE,
        target=Stage.COACHING,
        conditions=[gates.is_eligible],
        permission=_may_work_on,
    )
    def admit(self) -> None:
        pass

    @transition(
        field=state,
        source=Stage.COACHING,
        target=Stage.BUSINESS_PLAN,
        conditions=[gates.mandatory_modules_approved],
        permission=_may_work_on,
    )
    def start_business_plan(self) -> None:
        pass

    @transition(
        field=state,
        source=Stage.BUSINESS_PLAN,
        target=Stage.LOAN,
        conditions=[gates.business_plan_approved],
        permission=_may_work_on,
    )
    def start_loan(self) -> None:
        pass

    @transition(
        field=state,
        source=Stage.BUSINESS_PLAN,
        target=Stage.FOLLOW_UP,
        conditions=[gates.business_plan_approved],
        permission=_may_work_on,
    )
    def skip_loan(self) -> None:
        """The plan is approved and no loan is needed (own savings, other finance)."""

    @transition(
        field=state,
        source=Stage.LOAN,
        target=Stage.FOLLOW_UP,
        conditions=[gates.loan_disbursed_or_settled],
        permission=_may_work_on,
    )
    def start_follow_up(self) -> None:
        pass

    @transition(
        field=state,
        source=[Stage.COACHING, Stage.BUSINESS_PLAN, Stage.FOLLOW_UP],
        target=Stage.CLOSED,
        permission=_may_work_on,
    )
    def close(self, *, outcome: str) -> None:
        self.outcome = outcome
        self.closed_at = timezone.now()

    @transition(field=state, source=OPEN_STAGES, target=Stage.WITHDRAWN, permission=_may_work_on)
    def withdraw(self, *, reason: str) -> None:
        self.withdrawal_reason = reason
        self.closed_at = timezone.now()


class CaseEvent(models.Model):
    """One line of a case's timeline: who did what, when; transitions carry from and to."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("case opened")
        TRANSITION = "transition", _("stage changed")
        ASSIGNED = "assigned", _("adviser assigned")
        ELIGIBILITY = "eligibility", _("eligibility checked")
        NOTE = "note", _("note")
        ACTION = "action", _("next action")
        UPDATED = "updated", _("details updated")
        MERGED = "merged", _("records merged")
        LOAN = "loan", _("loan")
        HANDOVER = "handover", _("handed over")
        MODULE = "module", _("coaching module")
        MENTORING = "mentoring", _("mentoring")

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    from_state = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=Stage.choices, blank=True)
    transition = models.CharField(max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


NOTE_EDIT_WINDOW = timedelta(hours=24)


class Note(models.Model):
    """A note on a case. Its author may edit it for 24 hours; after that a correction is a new note."""

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("note"), max_length=10_000)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_(
            "Only the assigned adviser and the region lead see it; never exported, never shown to the participant."
        ),
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]

    def editable_until(self):
        return self.created_at + NOTE_EDIT_WINDOW

    def is_editable(self, now=None) -> bool:
        return (now or timezone.now()) < self.editable_until()


class NextAction(models.Model):
    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="next_actions")
    title = models.CharField(_("what"), max_length=200)
    due_date = models.DateField(_("due"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_actions",
        verbose_name=_("owner"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    # Set on actions the system creates (e.g. "loan-arrears-12"), so a daily run creates each once.
    key = models.CharField(max_length=80, blank=True, db_index=True)

    class Meta:
        verbose_name = _("next action")
        verbose_name_plural = _("next actions")
        ordering = ["done_at", "due_date", "id"]
        indexes = [
            models.Index(fields=["case", "done_at", "due_date"]),
            # Open actions only (manage.py bench): a case's earliest due date (the caseload's sort) and an
            # adviser's own list in due order (the caseload's "My next actions", the Today page).
            models.Index(fields=["case", "due_date"], condition=Q(done_at__isnull=True), name="nextaction_open_case"),
            models.Index(fields=["owner", "due_date"], condition=Q(done_at__isnull=True), name="nextaction_open_owner"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.done_at is None and self.due_date < today


class DuplicateDismissal(models.Model):
    """Two people who look alike but are different: the duplicates page stops listing the pair."""

    first = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="duplicate_dismissal_unique")]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


# Curriculum, sessions and mentoring live in modules of their own; imported here so Django registers
# them and `from coaching.models import Module` works like every other model of the app.
from .curriculum_models import *  # noqa: E402, F403
from .mentoring_models import *  # noqa: E402, F403
from .session_models import *  # noqa: E402, F403
