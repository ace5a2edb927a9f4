"""Which age a measurement is judged at: chronological, or corrected for prematurity.

DOMAIN.md: age is corrected for babies born before 37 weeks until 1 year (born at 32–36 weeks) or
2 years (born before 32 weeks). Corrected age = chronological age − (40 weeks − gestation at birth).
"Until 1 year" means until the first birthday by the calendar: measured the day before it, the
corrected age is used; measured on it, the chronological age.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from practitioner_app.domain.errors import InvalidInput

TERM_DAYS = 280  # 40 weeks: the age 0 of the UK-WHO reference
PRETERM_BEFORE_DAYS = 37 * 7  # corrected if born before 37+0
VERY_PRETERM_BEFORE_DAYS = 32 * 7  # corrected to 2 years if born before 32+0
DAYS_PER_YEAR = 365.25  # rcpchgrowth's decimal age


@dataclass(frozen=True)
class Gestation:
    """Gestation at birth, as the red book writes it: 32+3 is 32 weeks and 3 days."""

    weeks: int
    days: int = 0

    @property
    def total_days(self) -> int:
        return self.weeks * 7 + self.days

    def __str__(self) -> str:
        return f"{self.weeks}+{self.days} weeks"

    @property
    def preterm(self) -> bool:
        return self.total_days < PRETERM_BEFORE_DAYS


def gestation_of(weeks: int | None, days: int | None) -> Gestation | None:
    """The gestation a child record holds (None when not recorded; days alone mean nothing)."""
    return None if weeks is None else Gestation(weeks, days or 0)


def check_gestation(weeks: int | None, days: int | None) -> None:
    """22+0 to 44+6 weeks; days 0–6. Raises InvalidInput naming the field."""
    if weeks is None:
        if days:
            raise InvalidInput(
                "Gestation needs its weeks as well as its days (32+3 is 32 weeks, 3 days).",
                "gestation_weeks",
            )
        return
    if not 22 <= weeks <= 44:
        raise InvalidInput(
            f"Gestation at birth of {weeks} weeks is outside 22–44 weeks; check the weeks.",
            "gestation_weeks",
        )
    if days is not None and not 0 <= days <= 6:
        raise InvalidInput(
            f"Gestation days are 0–6 (32+3 is 32 weeks, 3 days); {days} is not.",
            "gestation_days",
        )


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February: the birthday falls on 1 March in a common year
        return date(day.year + years, 3, 1)


@dataclass(frozen=True)
class GrowthAge:
    """A measurement's ages in days since birth; `corrected_days` is None when not corrected."""

    chronological_days: int
    corrected_days: int | None

    @property
    def used_days(self) -> int:
        return self.chronological_days if self.corrected_days is None else self.corrected_days

    @property
    def used_years(self) -> float:
        """The decimal age rcpchgrowth reads: 0 is 40 weeks' gestation, negative before term."""
        return self.used_days / DAYS_PER_YEAR

    @property
    def chronological_years(self) -> float:
        return self.chronological_days / DAYS_PER_YEAR

    @property
    def corrected(self) -> bool:
        return self.corrected_days is not None


def corrected_until(born: date, gestation: Gestation | None) -> date | None:
    """The first day the chronological age is used again; None if never corrected."""
    if gestation is None or not gestation.preterm:
        return None
    years = 2 if gestation.total_days < VERY_PRETERM_BEFORE_DAYS else 1
    return _add_years(born, years)


def growth_age(born: date, on: date, gestation: Gestation | None) -> GrowthAge:
    """The ages of a measurement taken on `on`. Raises InvalidInput if `on` is before birth."""
    if on < born:
        raise InvalidInput(
            f"The measurement is dated {on:%d/%m/%Y}, before the child's date of birth "
            f"({born:%d/%m/%Y}); check the date.",
            "occurred_at",
        )
    days = (on - born).days
    until = corrected_until(born, gestation)
    if gestation is None or until is None or on >= until:
        return GrowthAge(days, None)
    return GrowthAge(days, days - (TERM_DAYS - gestation.total_days))


def _months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def age_words(start: date, end: date) -> str:
    """An age as a health visitor says it, by the calendar: '5 days', '3 weeks 2 days',
    '10 months 2 weeks', '2 years 3 months'."""
    days = (end - start).days
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 91:
        weeks, rest = divmod(days, 7)
        return f"{weeks} weeks" + (f" {rest} day{'s' if rest != 1 else ''}" if rest else "")
    months = _months_between(start, end)
    if months < 24:
        year, month = divmod(start.month - 1 + months, 12)
        year, month = start.year + year, month + 1
        month_day = date(year, month, min(start.day, monthrange(year, month)[1]))
        weeks = (end - month_day).days // 7
        return f"{months} months" + (f" {weeks} week{'s' if weeks != 1 else ''}" if weeks else "")
    years, months = divmod(months, 12)
    return f"{years} years" + (f" {months} month{'s' if months != 1 else ''}" if months else "")


def age_text(born: date, on: date, age: GrowthAge, gestation: Gestation | None) -> str:
    """'12 months', or '3 months 1 week (corrected 1 month 1 week)', or before term
    '4 weeks (corrected: 36+3 weeks gestation)'."""
    chronological = age_words(born, on)
    if age.corrected_days is None or gestation is None:
        return chronological
    if age.corrected_days < 0:
        reached = gestation.total_days + age.chronological_days
        return f"{chronological} (corrected: {reached // 7}+{reached % 7} weeks gestation)"
    due = date.fromordinal(born.toordinal() + TERM_DAYS - gestation.total_days)
    return f"{chronological} (corrected {age_words(due, on)})"
