"""The overview of one child as HTML for the overview tab: a Jinja2 template with autoescaping, so
every piece of record text is escaped without anyone remembering to.

The template is a string here, not a file: the frozen app then needs no data files for it. This
module builds no widgets, so the worker loads it (Jinja2 and the compiled template) while the
practitioner types the passphrase (`session.PREWARM`), not the GUI thread when a child opens.
"""

from datetime import date, datetime

from jinja2 import Environment, StrictUndefined

from practitioner_app.domain.chronology import CONTACT_LABEL
from practitioner_app.domain.nhs_number import formatted
from practitioner_app.domain.times import format_uk_date, uk_date
from practitioner_app.services.casework import ChildOverview
from practitioner_app.ui.widgets import label_of

# Written without line breaks between the tags, as the rich text it replaced was: whitespace in
# Qt's rich text can show as a space.
TEMPLATE = (
    "<h3>About the child</h3>"
    "<table>"
    "{% for label, value in facts if value %}"
    "<tr><td style='padding-right:12px'><b>{{ label }}</b></td><td>{{ value }}</td></tr>"
    "{% endfor %}"
    "</table>"
    "{% if next_contact %}"
    "<p><b>Next mandated contact:</b> {{ next_contact.what }}, due"
    " {{ next_contact.due_from|day }} to {{ next_contact.due_by|day }}"
    "{% if next_contact.overdue %} <b>— OVERDUE</b>{% endif %}</p>"
    "{% endif %}"
    "<h3>Lives with now</h3>"
    "{% if lives_with %}"
    "<ul>"
    "{% for person in lives_with %}"
    "<li>{{ person.name }} ({{ person.relationship }})"
    "{% if person.parental_responsibility %}, parental responsibility{% endif %}</li>"
    "{% endfor %}"
    "</ul>"
    "{% else %}"
    "<p>Nobody recorded. Add people on the People tab.</p>"
    "{% endif %}"
    "{% if also_known %}"
    "<p><b>Also known:</b> "
    "{% for person in also_known %}"
    "{{ person.name }} ({{ person.relationship }}"
    "{% if person.to_date %}, until {{ person.to_date|day }}{% else %}, not living there{% endif %})"
    "{% if not loop.last %}; {% endif %}"
    "{% endfor %}"
    "</p>"
    "{% endif %}"
    "<h3>Professionals involved</h3>"
    "{% if professionals %}"
    "<ul>"
    "{% for person in professionals %}"
    "<li>{% if person.lead %}<b>Lead professional:</b> {% endif %}"
    "{{ person.name }}, {{ person.role }}, {{ person.agency }}"
    "{% if person.phone %} — {{ person.phone }}{% endif %}</li>"
    "{% endfor %}"
    "</ul>"
    "{% else %}"
    "<p>None recorded.</p>"
    "{% endif %}"
    "{% if not professionals|selectattr('lead')|list %}"
    "<p><b>No lead professional is recorded.</b></p>"
    "{% endif %}"
    "<h3>Open concerns ({{ concerns|length }})</h3>"
    "{% if concerns %}"
    "<ul>"
    "{% for concern in concerns %}"
    "<li>{{ concern.occurred_at|moment_day }} — {{ concern.what }}: {{ concern.summary }}"
    "{% if concern.concern_status %} <i>({{ concern.concern_status.value }})</i>{% endif %}"
    "{% if concern.status == 'draft' %} <i>[draft]</i>{% endif %}</li>"
    "{% endfor %}"
    "</ul>"
    "{% else %}"
    "<p>None.</p>"
    "{% endif %}"
)


def _moment_day(moment: datetime) -> str:
    return format_uk_date(uk_date(moment))


_environment = Environment(autoescape=True, undefined=StrictUndefined)
_environment.filters["day"] = format_uk_date
_environment.filters["moment_day"] = _moment_day
_template = _environment.from_string(TEMPLATE)


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "not recorded"}[value]


def overview_html(view: ChildOverview, today: date) -> str:
    child = view.details
    born = (
        f"{format_uk_date(child.date_of_birth)} (age {view.age})"
        if child.date_of_birth
        else f"Unborn, expected {format_uk_date(child.expected_date)}"
        if child.expected_date
        else None
    )
    facts = [
        ("Known as", child.preferred_name),
        ("Other names", ", ".join(child.other_names) or None),
        ("Date of birth", born),
        ("NHS number", formatted(child.nhs_number) if child.nhs_number else "not recorded"),
        ("Sex", label_of(child.sex)),
        ("Address", ", ".join(filter(None, [child.address, child.postcode]))),
        ("GP", child.gp),
        ("School or nursery", child.school),
        ("First language", child.first_language),
        ("Interpreter needed", _yes_no(child.interpreter_needed) if child.first_language else None),
        ("Communicates by", child.communication),
        ("Mobility", child.mobility(today)),
        ("Disability", child.disability),
        ("Last seen", format_uk_date(view.last_seen) if view.last_seen else "not recorded"),
    ]
    next_contact = None
    if view.next_contact is not None:
        due = view.next_contact.contact
        next_contact = {
            "what": CONTACT_LABEL[due.contact].capitalize(),
            "due_from": due.due_from,
            "due_by": due.due_by,
            "overdue": view.next_contact.overdue,
        }
    lives_with = [p for p in view.household if p.lives_with_child and p.is_current(today)]
    return _template.render(
        facts=facts,
        next_contact=next_contact,
        lives_with=lives_with,
        also_known=[p for p in view.household if p not in lives_with],
        professionals=[p for p in view.professionals if p.is_current(today)],
        concerns=view.open_concerns,
    )
