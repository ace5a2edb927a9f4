"""Pure rules: NHS numbers, times and late entries, the passphrase policy, record validation."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from practitioner_app.domain import nhs_number
from practitioner_app.domain.enums import Consent, ObservationCategory, VisitKind, VisitOutcome
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.passphrase import assess
from practitioner_app.domain.records import (
    ChildDetails,
    InjuryDetails,
    ObservationDetails,
    SharingDetails,
    VisitDetails,
)
from practitioner_app.domain.times import (
    age_on,
    format_uk_date,
    format_uk_datetime,
    is_late_entry,
    uk_date,
)


class TestNhsNumber:
    @pytest.mark.parametrize("number", ["9990000018", "999 000 0018", "999-000-0018"])
    def test_valid_test_range_numbers_normalise_to_digits(self, number: str) -> None:
        assert nhs_number.normalise(number) == "9990000018"

    def test_check_digit_follows_modulus_11(self) -> None:
        # 9,9,9,0,0,0,0,0,1 weighted 10..2 = 245; 245 mod 11 = 3; 11 - 3 = 8.
        assert nhs_number.check_digit("999000001") == 8
        assert not nhs_number.is_valid("9990000017")

    def test_a_total_giving_check_10_is_never_valid(self) -> None:
        first_nine = next(
            f"999{n:06d}" for n in range(1000) if nhs_number.check_digit(f"999{n:06d}") is None
        )
        for last in "0123456789":
            assert not nhs_number.is_valid(first_nine + last)

    def test_remainder_zero_gives_check_digit_zero(self) -> None:
        first_nine = next(
            f"999{n:06d}" for n in range(1000) if nhs_number.check_digit(f"999{n:06d}") == 0
        )
        assert nhs_number.is_valid(first_nine + "0")

    @pytest.mark.parametrize("bad", ["999000001", "99900000189", "99900000I8", ""])
    def test_wrong_length_or_letters_are_refused_with_a_reason(self, bad: str) -> None:
        with pytest.raises(InvalidInput, match="10 digits"):
            nhs_number.normalise(bad)

    def test_a_mistyped_digit_is_refused_with_a_reason(self) -> None:
        with pytest.raises(InvalidInput, match="check digit"):
            nhs_number.normalise("9990000019")

    def test_printed_three_three_four(self) -> None:
        assert nhs_number.formatted("9990000018") == "999 000 0018"


class TestTimes:
    def test_a_visit_at_2330_bst_stays_on_its_uk_day(self) -> None:
        # 23:30 BST on 6 June is 22:30 UTC the same day; 00:30 BST on 7 June is 23:30 UTC on 6 June.
        assert uk_date(datetime(2026, 6, 6, 22, 30, tzinfo=UTC)) == date(2026, 6, 6)
        assert uk_date(datetime(2026, 6, 6, 23, 30, tzinfo=UTC)) == date(2026, 6, 7)

    def test_in_winter_uk_time_is_utc(self) -> None:
        assert uk_date(datetime(2026, 12, 6, 23, 30, tzinfo=UTC)) == date(2026, 12, 6)

    def test_the_uk_date_is_the_time_zones_at_every_hour_that_can_differ(self) -> None:
        # uk_date skips the time zone before 23:00 UTC from 1972 on (times.py); the time zone's
        # own answer, for the hours either side of midnight on every day of 1900-2100, and for
        # every hour of the days the clocks changed in the 1940s (double summer time).
        uk = ZoneInfo("Europe/London")
        day = datetime(1900, 1, 1, tzinfo=UTC)
        while day.year <= 2100:
            for hour in (21, 22, 23, 24):
                moment = day + timedelta(hours=hour, minutes=59)
                assert uk_date(moment) == moment.astimezone(uk).date(), moment
            day += timedelta(days=1)
        for start in (datetime(1941, 5, 3, tzinfo=UTC), datetime(1947, 4, 12, tzinfo=UTC)):
            for hours in range(48):
                moment = start + timedelta(hours=hours)
                assert uk_date(moment) == moment.astimezone(uk).date(), moment

    @settings(max_examples=2000)
    @given(st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(2400, 1, 1)))
    def test_the_uk_date_of_any_instant_is_the_time_zones(self, moment: datetime) -> None:
        aware = moment.replace(tzinfo=UTC)
        assert uk_date(aware) == aware.astimezone(ZoneInfo("Europe/London")).date()

    def test_written_more_than_24_hours_after_is_late(self) -> None:
        event = datetime(2026, 10, 6, 10, 0, tzinfo=UTC)
        assert not is_late_entry(event, datetime(2026, 10, 7, 10, 0, tzinfo=UTC))
        assert is_late_entry(event, datetime(2026, 10, 7, 10, 1, tzinfo=UTC))

    def test_date_only_events_count_from_the_end_of_that_day(self) -> None:
        # "Something on Tuesday 6 October" written on Wednesday evening is not late.
        tuesday = datetime(2026, 10, 5, 23, 0, tzinfo=UTC)  # 00:00 BST on the 6th
        wednesday_evening = datetime(2026, 10, 7, 18, 0, tzinfo=UTC)
        assert not is_late_entry(tuesday, wednesday_evening, time_known=False)
        assert is_late_entry(tuesday, datetime(2026, 10, 8, 9, 0, tzinfo=UTC), time_known=False)

    @pytest.mark.parametrize(
        "day",
        [date(2026, 3, 29), date(2026, 10, 25), date(2026, 6, 6), date(2026, 12, 6)],
        ids=["clocks go forward", "clocks go back", "summer", "winter"],
    )
    def test_a_date_only_event_is_late_a_full_day_after_its_uk_day_ends(self, day: date) -> None:
        # The rule said plainly, against every hour of the day the event was stored at and every
        # 10 minutes either side of the line (times.py settles most gaps without the time zone).
        uk = ZoneInfo("Europe/London")
        end_of_day = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=uk)
        line = end_of_day.astimezone(UTC) + timedelta(hours=24)
        start = datetime.combine(day, time(0, 0), tzinfo=uk).astimezone(UTC)
        for hour in range(23):
            event = start + timedelta(hours=hour)
            if uk_date(event) != day:
                continue
            for minutes in range(-60 * 26, 60 * 26, 10):
                written = line + timedelta(minutes=minutes)
                assert is_late_entry(event, written, time_known=False) == (written > line), (
                    event,
                    written,
                )

    def test_dates_and_times_are_written_as_strftime_writes_them(self) -> None:
        # Formatted by hand for speed (times.py); the same text as strftime's, either side of
        # both clock changes and at the ends of a day and a year.
        uk = ZoneInfo("Europe/London")
        for moment in (
            datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
            datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
            datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
            datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
            datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
            datetime(2026, 6, 6, 22, 30, tzinfo=UTC),
            datetime(2027, 1, 1, 9, 5),  # naive: taken as UK local time
        ):
            local = moment.astimezone(uk) if moment.tzinfo else moment
            assert format_uk_datetime(moment) == local.strftime("%d/%m/%Y %H:%M")
            assert format_uk_date(local.date()) == local.strftime("%d/%m/%Y")

    @pytest.mark.parametrize("day", [date(999, 5, 1), date(1, 1, 1), date(1000, 1, 2)])
    def test_a_date_before_1000_is_written_with_four_digits_and_reads_back(self, day: date) -> None:
        # A deliberate change from strftime's "01/05/999", which the date field (ui/widgets.py,
        # "%d/%m/%Y") could not read back: a form saved unchanged was refused.
        text = format_uk_date(day)
        assert text == f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
        assert datetime.strptime(text, "%d/%m/%Y").date() == day

    def test_dates_are_shown_day_first(self) -> None:
        assert format_uk_date(date(2026, 3, 4)) == "04/03/2026"

    def test_age_in_years_and_months(self) -> None:
        assert age_on(date(2024, 5, 31), date(2026, 5, 30)) == (1, 11)
        assert age_on(date(2024, 5, 31), date(2026, 5, 31)) == (2, 0)


class TestPassphrasePolicy:
    def test_short_passphrases_are_refused_with_the_minimum(self) -> None:
        verdict = assess("Tr0ub4d&r")
        assert not verdict.accepted
        assert "at least 10 characters" in verdict.reason

    @pytest.mark.parametrize("common", ["password123", "1234567890", "qwertyuiop"])
    def test_common_passwords_are_refused(self, common: str) -> None:
        verdict = assess(common)
        assert not verdict.accepted
        assert "common passwords" in verdict.reason

    def test_long_but_guessable_is_refused_with_a_reason(self) -> None:
        verdict = assess("aaaaaaaaaaaaaaaa")
        assert not verdict.accepted
        assert "too easy to guess" in verdict.reason

    def test_unrelated_words_are_accepted(self) -> None:
        verdict = assess("blue kettle orchard lantern")
        assert verdict.accepted
        assert verdict.score >= 3


class TestRecordRules:
    def test_a_child_needs_a_birth_or_expected_date(self) -> None:
        with pytest.raises(InvalidInput, match="date of birth"):
            ChildDetails("Maya", "Okafor").validate(date(2026, 1, 1))

    def test_an_unborn_child_has_an_expected_date(self) -> None:
        ChildDetails("Baby", "Okafor", expected_date=date(2027, 2, 1)).validate(date(2026, 11, 1))

    def test_a_birth_date_in_the_future_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="future"):
            ChildDetails("Maya", "Okafor", date_of_birth=date(2027, 1, 1)).validate(
                date(2026, 1, 1)
            )

    def test_seen_alone_implies_seen(self) -> None:
        visit = VisitDetails(
            ("c",),
            datetime(2026, 1, 1, tzinfo=UTC),
            VisitKind.HOME,
            VisitOutcome.COMPLETED,
            child_seen=False,
            child_seen_alone=True,
        )
        with pytest.raises(InvalidInput, match="seen alone"):
            visit.validate()

    def test_a_child_is_not_seen_at_a_visit_that_did_not_happen(self) -> None:
        visit = VisitDetails(
            ("c",),
            datetime(2026, 1, 1, tzinfo=UTC),
            VisitKind.HOME,
            VisitOutcome.WAS_NOT_BROUGHT,
            child_seen=True,
        )
        with pytest.raises(InvalidInput, match="did not happen"):
            visit.validate()

    def test_a_weight_in_grams_is_caught(self) -> None:
        observation = ObservationDetails(
            "c",
            datetime(2026, 1, 1, tzinfo=UTC),
            ObservationCategory.GROWTH,
            "weighed",
            weight_kg=4200.0,
        )
        with pytest.raises(InvalidInput, match="Weight"):
            observation.validate()

    def test_an_injury_needs_a_body_region(self) -> None:
        observation = ObservationDetails(
            "c",
            datetime(2026, 1, 1, tzinfo=UTC),
            ObservationCategory.INJURY,
            "bruise",
            injury=InjuryDetails(body_regions=()),
        )
        with pytest.raises(InvalidInput, match="body region"):
            observation.validate()

    def test_a_decision_not_to_share_needs_its_reason(self) -> None:
        sharing = SharingDetails(
            ("c",),
            datetime(2026, 1, 1, tzinfo=UTC),
            shared=False,
            with_whom="School",
            what="Health history",
            purpose="Request",
            consent=Consent.GIVEN,
        )
        with pytest.raises(InvalidInput, match="reason"):
            sharing.validate()
