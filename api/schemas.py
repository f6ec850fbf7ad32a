"""The API's request and response shapes (Pydantic, through django-ninja). Money is a decimal string."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator

from coaching.models import (
    Education,
    EmploymentStatus,
    Gender,
    Outcome,
    ReferralSource,
    ResidencePermit,
    Stage,
    WithdrawalReason,
)
from coaching.services import TRANSITIONS
from coaching.session_models import Attendance, Session
from loans.models import LoanStatus

MONEY_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"
AMOUNT_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL characters in text; refuse them as bad input, not a server error.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Money = Annotated[str, Field(pattern=MONEY_PATTERN, examples=["1250.00"])]


def money(value: Decimal | None) -> str:
    return f"{Decimal(value or 0).quantize(Decimal('0.01'))}"


def choice(choices) -> type:
    return Literal[tuple(choices.values)]  # type: ignore[misc]


# --- Errors -------------------------------------------------------------------------------------


class FieldError(Schema):
    field: str = Field(
        description="The field at fault: a body field, a query or path parameter, or '' for the whole request."
    )
    message: str


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, for a person to read.")
    code: str = Field(
        description="A stable code: unauthenticated, forbidden, not_found, invalid, refused, conflict, ..."
    )
    errors: list[FieldError] = Field(default_factory=list)


# --- Participants and cases -------------------------------------------------------------------


class ParticipantOut(Schema):
    id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    date_of_birth: date | None
    gender: choice(Gender)
    country_of_birth: str
    foreign_background: bool
    residence_permit: choice(ResidencePermit)
    languages: str
    preferred_language: str
    needs_interpreter: bool
    education: choice(Education)
    employment_status: choice(EmploymentStatus)
    months_unemployed: int | None
    household_adults: int
    household_children: int
    household_income: Money | None
    referral_source: choice(ReferralSource)
    created_at: datetime
    updated_at: datetime
    case_ids: list[int] = Field(description="Her cases that the token's user may see.")


class ParticipantIn(Schema):
    first_name: Text = Field(min_length=1, max_length=100)
    last_name: Text = Field(min_length=1, max_length=100)
    email: Text = Field("", max_length=254)
    phone: Text = Field("", max_length=32)
    date_of_birth: date | None = None
    gender: choice(Gender) = Gender.UNDISCLOSED.value
    country_of_birth: Text = Field("", max_length=100)
    foreign_background: bool = False
    residence_permit: choice(ResidencePermit) = ResidencePermit.UNKNOWN.value
    languages: Text = Field("", max_length=200)
    preferred_language: Literal["en", "sv"] = "sv"
    needs_interpreter: bool = False
    education: choice(Education) = Education.UNKNOWN.value
    employment_status: choice(EmploymentStatus) = EmploymentStatus.UNEMPLOYED.value
    months_unemployed: int | None = Field(None, ge=0, le=600)
    household_adults: int = Field(1, ge=1, le=30)
    household_children: int = Field(0, ge=0, le=30)
    household_income: Annotated[str, Field(pattern=AMOUNT_PATTERN)] | None = None
    referral_source: choice(ReferralSource) = ReferralSource.OTHER.value


class CaseCreateIn(Schema):
    region_id: int = Field(ge=1, le=2_147_483_647)
    participant: ParticipantIn
    consent: bool = Field(
        description="The person has consented to the processing of her data (consent text version 1). Must be true."
    )
    create_anyway: bool = Field(False, description="Register her even if she looks like someone already registered.")


class CaseOut(Schema):
    id: int
    participant_id: int
    participant_name: str
    programme_id: int
    region_id: int
    region: str
    adviser_id: int | None
    adviser_name: str
    state: choice(Stage)
    opened_at: datetime
    stage_entered_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    outcome: str
    withdrawal_reason: str


class TransitionOut(Schema):
    name: str
    label: str
    enabled: bool
    problems: list[str]
    needs_outcome: bool
    needs_reason: bool


class CaseDetailOut(CaseOut):
    can_work: bool = Field(
        description="Whether the token's user may change this case (the assigned adviser or the region lead)."
    )
    transitions: list[TransitionOut] = Field(
        description="The steps this user may take from the present stage, and what holds each back."
    )


class TransitionIn(Schema):
    transition: Literal[tuple(TRANSITIONS)]  # type: ignore[valid-type]
    note: Text = Field("", max_length=5000)
    expected_state: choice(Stage) | None = Field(
        None, description="Refuse (409) if the case is no longer in this stage: protects against acting on stale data."
    )
    outcome: choice(Outcome) | None = Field(None, description="Required to close.")
    reason: choice(WithdrawalReason) | None = Field(None, description="Required to withdraw.")


# --- Sessions and attendance --------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    region_id: int
    kind: choice(Session.Kind)
    cohort_id: int | None
    case_id: int | None
    starts_at: datetime
    duration_minutes: int
    place: str
    video_url: str
    adviser_id: int | None
    topic: str
    attendance_taken_at: datetime | None


class SessionIn(Schema):
    region_id: int = Field(ge=1, le=2_147_483_647)
    kind: choice(Session.Kind) = Session.Kind.GROUP.value
    topic: Text = Field(min_length=1, max_length=200)
    starts_at: datetime
    duration_minutes: int = Field(120, ge=1, le=1440)
    place: Text = Field("", max_length=200, description="A place or a video link is needed.")
    video_url: Text = Field("", max_length=200)
    cohort_id: int | None = Field(None, ge=1, le=2_147_483_647, description="For a group session.")
    case_id: int | None = Field(None, ge=1, le=2_147_483_647, description="The participant of an individual session.")
    adviser_id: int | None = Field(
        None,
        ge=1,
        le=2_147_483_647,
        description="One of the region's advisers or its lead; by default the token's user.",
    )
    module_id: int | None = Field(None, ge=1, le=2_147_483_647)


class AttendanceRow(Schema):
    case_id: int
    participant_name: str
    status: choice(Attendance.Status) | None


class SessionDetailOut(SessionOut):
    can_take_attendance: bool
    attendance: list[AttendanceRow]


class AttendanceMark(Schema):
    case_id: int = Field(ge=1, le=2_147_483_647)
    status: Literal["present", "absent", "excused", ""] = Field(description="'' removes a mark.")


class AttendanceIn(Schema):
    marks: list[AttendanceMark] = Field(max_length=500)


# --- Loans --------------------------------------------------------------------------------------


class LoanOut(Schema):
    id: int
    case_id: int
    participant_name: str
    product: str
    status: choice(LoanStatus)
    currency: str
    principal: Money
    term: int
    created_at: datetime
    disbursed_on: date | None
    closed_on: date | None


class BalanceOut(Schema):
    principal: Money
    interest: Money
    fee: Money
    penalty: Money
    credit: Money
    owed: Money


class LoanDetailOut(LoanOut):
    balance: BalanceOut
    can_record_repayments: bool


class InstalmentOut(Schema):
    number: int
    due_date: date
    principal: Money
    interest: Money
    fee: Money
    penalty: Money
    total_due: Money
    total_paid: Money
    outstanding: Money
    days_overdue: int
    status: Literal["paid", "overdue", "partly paid", "due", "upcoming"]


class ScheduleOut(Schema):
    loan_id: int
    currency: str
    as_of: date
    outstanding: Money
    credit: Money
    days_overdue: int
    instalments: list[InstalmentOut]


class RepaymentIn(Schema):
    amount: str = Field(
        pattern=AMOUNT_PATTERN, description="A decimal string, at most two decimals: '1250.00'.", examples=["500.00"]
    )
    on: date = Field(description="The day the money was paid; not in the future.")
    method: Literal["bank transfer", "cash", "card", "other"] = "bank transfer"
    reference: Text = Field(
        "",
        max_length=120,
        description="Bank or receipt reference; a reference already recorded is never applied twice.",
    )


class RepaymentOut(Schema):
    id: int
    loan_id: int
    amount: Money
    value_date: date
    method: str
    reference: str
    principal: Money
    interest: Money
    fee: Money
    penalty: Money
    credit: Money = Field(description="What was left over after the instalments due, held as credit.")
    created_at: datetime


# --- Indicators ---------------------------------------------------------------------------------


class IndicatorOut(Schema):
    id: int
    code: str
    kind: str
    label: str
    unit: str
    value: str | None = Field(
        description="A decimal string; null when not available or suppressed (fewer than 5 people)."
    )
    shown: str = Field(description="The value as the dashboard shows it.")
    based_on: str
    baseline: str | None
    target_min: str
    target_max: str | None
    lower_is_better: bool
    status: str


class IndicatorsOut(Schema):
    programme_id: int
    as_of: date
    scope: Literal["programme", "regions"]
    items: list[IndicatorOut]


# --- Pages --------------------------------------------------------------------------------------


class Page(Schema):
    count: int = Field(description="How many match the filters, on all pages.")
    limit: int
    offset: int
    next_offset: int | None


class ParticipantPage(Page):
    items: list[ParticipantOut]


class CasePage(Page):
    items: list[CaseOut]


class SessionPage(Page):
    items: list[SessionOut]


class LoanPage(Page):
    items: list[LoanOut]
