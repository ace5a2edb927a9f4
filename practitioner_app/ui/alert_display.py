"""How a safeguarding alert reads on every screen: its severity in words (colour only ever goes with
the word), the protocol's next steps as a list, and the records behind it named for a person."""

from collections.abc import Mapping, Sequence
from html import escape

from practitioner_app.domain.alerts import RULE_TITLES, SEVERITY_RANK, Alert, Severity
from practitioner_app.domain.kinds import KINDS
from practitioner_app.domain.labels import value_label
from practitioner_app.domain.times import format_uk_date
from practitioner_app.services.alerts import Evidence
from practitioner_app.ui.bidi import isolated

# What alerts are, said wherever they are listed.
ABOUT_ALERTS = "Prompts to professional judgement, not findings."

# A background and a text colour chosen as a pair, so the word stays readable in light, dark and
# high-contrast palettes alike. Warnings are a paler amber than the critical red: in a real caseload
# most children carry a warning, and the few critical ones must not drown in them. Info has no
# colour: it is the least pressing, and the word says so.
SEVERITY_COLOURS: dict[Severity, tuple[str, str]] = {
    Severity.CRITICAL: ("#b3261e", "#ffffff"),
    Severity.WARNING: ("#ffd580", "#000000"),
}
# A shape as well as a colour and a word, for a quick scan down a long list.
MARKERS: dict[Severity, str] = {Severity.CRITICAL: "●", Severity.WARNING: "▲", Severity.INFO: ""}

EVIDENCE_WORDS = {
    **{kind.value: kind_spec.short_label for kind, kind_spec in KINDS.items()},
    "household": "Household member",
    "professional": "Professional",
}
# People are linked from a date rather than on one, so their date reads "from".
PEOPLE = ("household", "professional")


def title_of(alert: Alert) -> str:
    return RULE_TITLES.get(alert.rule, alert.rule)


def worst(alerts: Sequence[Alert]) -> Severity | None:
    return max((a.severity for a in alerts), key=SEVERITY_RANK.__getitem__, default=None)


def summary(alerts: Sequence[Alert]) -> str:
    """'● 1 critical + 2 more', '▲ 2 warnings', '1 info', or '' when there are none."""
    severity = worst(alerts)
    if severity is None:
        return ""
    at_worst = sum(a.severity is severity for a in alerts)
    others = len(alerts) - at_worst
    text = f"{MARKERS[severity]} {at_worst} {severity_words(severity, at_worst)}".strip()
    return text + (f" + {others} more" if others else "")


def severity_words(severity: Severity, count: int) -> str:
    """'warning' or 'warnings' as the count asks; 'critical' and 'info' read as they are."""
    return "warnings" if severity is Severity.WARNING and count != 1 else severity.value


def spoken_summary(alerts: Sequence[Alert]) -> str:
    """The same for a screen reader, without the shapes."""
    if not alerts:
        return "No alerts"
    counts = [
        f"{n} {severity_words(s, n)}"
        for s in sorted(Severity, key=SEVERITY_RANK.__getitem__, reverse=True)
        if (n := sum(a.severity is s for a in alerts))
    ]
    return f"{len(alerts)} alert{'s' if len(alerts) > 1 else ''}: " + ", ".join(counts)


def sort_value(alerts: Sequence[Alert] | None) -> int:
    """Worst severity first, then how many at that severity, then how many in all; none is 0 and
    not yet worked out is -1 (an int: Qt cannot compare Python tuples when it sorts)."""
    if alerts is None:
        return -1
    severity = worst(alerts)
    if severity is None:
        return 0
    at_worst = sum(a.severity is severity for a in alerts)
    return (SEVERITY_RANK[severity] + 1) * 10_000 + min(at_worst, 99) * 100 + min(len(alerts), 99)


def badge_html(severity: Severity) -> str:
    """The severity word, in capitals, on its colour."""
    word = f"&nbsp;{severity.value.upper()}&nbsp;"
    if severity not in SEVERITY_COLOURS:
        return f"<b>{word}</b>"
    background, text = SEVERITY_COLOURS[severity]
    return f"<span style='background-color:{background}; color:{text}'><b>{word}</b></span>"


def next_steps_html(steps: Sequence[str]) -> str:
    """A protocol's next steps as a numbered list: what a practitioner works down on the phone."""
    items = "".join(f"<li>{escape(step)}</li>" for step in steps)
    return f"<p style='margin-bottom:0'><b>Next steps:</b></p><ol style='margin-top:0'>{items}</ol>"


def evidence_label(evidence: Evidence, names: Mapping[str, str] | None = None) -> str:
    """'Observation 12/03/2026', 'Household member Jo Bloggs (from 03/11/2026)'."""
    words = EVIDENCE_WORDS.get(evidence.kind, value_label(evidence.kind))
    name = (names or {}).get(evidence.id)
    if evidence.kind in PEOPLE:
        label = f"{words} {isolated(name)}" if name else words
        return label + (f" (from {format_uk_date(evidence.day)})" if evidence.day else "")
    return f"{words} {format_uk_date(evidence.day)}" if evidence.day else words
