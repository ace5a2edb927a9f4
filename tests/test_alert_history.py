"""Alert rules that read a record's history: a referral recorded as a chronology event opens an
episode for START_AGAIN, and a concern recorded closed on a later date was open until then."""

from datetime import timedelta

from practitioner_app.domain.alerts import ChildFacts, ConcernFact, concern_statuses
from practitioner_app.domain.enums import ConcernStatus, EventKind
from practitioner_app.domain.times import format_uk_date
from tests.test_alert_rules import T, ago, at, case, concern, event, fired, must_fire, referral


class TestStartAgainWithAReferralEvent:
    def test_a_referral_recorded_as_an_event_after_a_closed_concern_fires(self) -> None:
        facts = case(
            concerns=(concern("c1", ago(400), "police", (ago(300), ConcernStatus.CLOSED)),),
            events=(event("e1", ago(12), EventKind.REFERRAL, "school"),),
        )
        alert = must_fire(facts, "START_AGAIN")
        assert alert.evidence == ("e1", "c1")
        assert alert.message == (
            f"A referral recorded on {format_uk_date(ago(12))} follows 1 earlier closed episode "
            "(agencies: police)"
        )
        assert (alert.first_at, alert.last_at) == (ago(300), ago(12))

    def test_a_referral_event_after_a_case_closed_event_and_a_closed_referral_fires(
        self,
    ) -> None:
        facts = case(
            referrals=(referral("r1", ago(500), "children's social care", closed=ago(450)),),
            events=(
                event("e1", ago(200), EventKind.CASE_CLOSED, "police"),
                event("e2", ago(30), EventKind.REFERRAL, "school"),
            ),
        )
        alert = must_fire(facts, "START_AGAIN")
        assert alert.evidence == ("e2", "r1", "e1")
        assert "2 earlier closed episodes" in alert.message

    def test_a_referral_event_older_than_90_days_does_not_fire(self) -> None:
        facts = case(
            events=(
                event("e1", ago(300), EventKind.CASE_CLOSED),
                event("e2", ago(90), EventKind.REFERRAL),
            ),
        )
        assert fired(facts, "START_AGAIN") is None
        facts = case(
            events=(
                event("e1", ago(300), EventKind.CASE_CLOSED),
                event("e2", ago(89), EventKind.REFERRAL),
            ),
        )
        assert fired(facts, "START_AGAIN") is not None

    def test_a_referral_event_with_no_earlier_closure_does_not_fire(self) -> None:
        facts = case(
            concerns=(concern("c1", ago(400)),),
            events=(
                event("e1", ago(10), EventKind.REFERRAL),
                event("e2", ago(10), EventKind.CASE_CLOSED),  # same day: not before it
                event("e3", ago(5), EventKind.CASE_CLOSED),  # after it
            ),
        )
        assert fired(facts, "START_AGAIN") is None

    def test_other_event_kinds_open_no_episode(self) -> None:
        facts = case(
            events=(
                event("e1", ago(300), EventKind.CASE_CLOSED),
                event("e2", ago(10), EventKind.ASSESSMENT),
                event("e3", ago(9), EventKind.STRATEGY_MEETING),
                event("e4", ago(8), EventKind.CASE_CONFERENCE),
            ),
        )
        assert fired(facts, "START_AGAIN") is None

    def test_a_referral_event_after_t_does_not_count(self) -> None:
        facts = case(
            events=(
                event("e1", ago(300), EventKind.CASE_CLOSED),
                event("e2", T + timedelta(days=1), EventKind.REFERRAL),
            ),
        )
        assert fired(facts, "START_AGAIN") is None


class TestConcernStatuses:
    def test_a_concern_recorded_closed_on_a_later_date_was_open_until_then(self) -> None:
        history = concern_statuses(at(ago(60)), ConcernStatus.CLOSED, at(ago(20)))
        assert history == (
            (at(ago(60)), ConcernStatus.OPEN),
            (at(ago(20)), ConcernStatus.CLOSED),
        )

    def test_a_concern_recorded_closed_with_no_date_is_closed_as_recorded(self) -> None:
        assert concern_statuses(at(ago(60)), ConcernStatus.CLOSED, None) == (
            (at(ago(60)), ConcernStatus.CLOSED),
        )

    def test_changes_follow_in_time_order(self) -> None:
        history = concern_statuses(
            at(ago(60)),
            ConcernStatus.CLOSED,
            at(ago(20)),
            [(at(ago(40)), ConcernStatus.MONITORING), (at(ago(5)), ConcernStatus.OPEN)],
        )
        assert [status for _, status in history] == [
            ConcernStatus.OPEN,
            ConcernStatus.MONITORING,
            ConcernStatus.CLOSED,
            ConcernStatus.OPEN,
        ]

    def test_not_seen_alone_reads_the_open_weeks_of_a_concern_recorded_closed(self) -> None:
        # The child is 5; the concern was raised 60 days before T and closed 20 days before.
        who = ChildFacts("child", T - timedelta(days=5 * 365), None, False)
        statuses = concern_statuses(at(ago(60)), ConcernStatus.CLOSED, at(ago(20)))
        facts = case(who, concerns=(ConcernFact("c1", at(ago(60)), None, statuses),))
        assert fired(facts, "NOT_SEEN_ALONE", ago(30)) is not None
        assert fired(facts, "NOT_SEEN_ALONE", ago(10)) is None
