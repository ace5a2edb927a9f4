"""The body map mark form: what DOMAIN.md asks of each mark (size, shape, colours, skin broken,
swelling, the explanation and who gave it, whether consistent, who saw it), for a mark placed by
a click on the map or chosen from the list of regions."""

from datetime import date, time
from itertools import pairwise

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from practitioner_app.domain.body_map import BodyFigure, BodySide, outline, region_label
from practitioner_app.domain.body_marks import BodyMarkDetails, MarkKind
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.services.views import EntryView
from practitioner_app.ui.forms.base import RecordForm, now_local
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.widgets import (
    Choice,
    DateEdit,
    NumberEdit,
    TextBox,
    TimeEdit,
    YesNo,
    line_value,
    show_moment,
    typed_moment,
)


def _line(label: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(label)
    return edit


class BodyMarkForm(RecordForm):
    """One mark on the body map of an occasion. Its site (view, region, point) is fixed when
    the form opens: a mark is never moved, only recorded afresh."""

    kind = RecordKind.BODY_MARK

    def __init__(
        self,
        session: VaultSession,
        child_id: str,
        *,
        observation_id: str = "",
        figure: BodyFigure = BodyFigure.INFANT,
        side: BodySide = BodySide.FRONT,
        x: float | None = None,
        y: float | None = None,
        region: str | None = None,
        occurred: tuple[date, time | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, "Body map mark", parent)
        self.child_id = child_id
        self.observation_id = observation_id
        self.figure = BodyFigure(figure)
        self.side = BodySide(side)
        view = outline(self.figure, self.side)
        if x is None or y is None:
            # Chosen from the list of regions: the mark sits at the region's own point.
            chosen = view.region(region or view.regions[0].key)
            x, y = chosen.anchor
        found = view.region_at(x, y)
        self.mark_x, self.mark_y = x, y
        self.region = found.key if found is not None else (region or "")

        self.site = QLabel(self._site_text())
        self.site.setAccessibleName("Site")
        self.site.setWordWrap(True)
        self.date = DateEdit("occurred_at", "Date", required=True)
        self.time = TimeEdit("occurred_time", "Time")
        when = occurred
        if when is None:
            now = now_local()
            when = (now.date(), now.time().replace(second=0, microsecond=0))
        self.date.set_date(when[0])
        self.time.set_time(when[1])
        # Nothing assumed: a birthmark taken for a bruise, or the reverse, misleads.
        self.mark_kind = Choice(MarkKind, "What the mark is", empty="Choose…")
        self.description = TextBox("Description")
        self.description.setMaximumHeight(70)
        self.length_cm = NumberEdit("length_cm", "Length", "cm")
        self.width_cm = NumberEdit("width_cm", "Width", "cm")
        self.shape = _line("Shape")
        self.colours = _line("Colour(s)")
        self.skin_broken = YesNo("Skin broken")
        self.swelling = YesNo("Swelling")
        self.explanation = TextBox("Explanation given")
        self.explanation.setMaximumHeight(70)
        self.explanation_by = _line("Explanation given by")
        self.consistent = YesNo("Consistent with the explanation")
        self.seen_by = _line("Who saw it")

        self.form.add("Site:", self.site, "region")
        self.form.add("&Date:", self.date, "occurred_at")
        self.form.add("&Time:", self.time, "occurred_time")
        self.form.add("What the &mark is:", self.mark_kind, "mark_kind")
        self.form.add("Descri&ption:", self.description, "description")
        self.form.add("&Length (cm):", self.length_cm, "length_cm")
        self.form.add("&Width (cm):", self.width_cm, "width_cm")
        self.form.add("S&hape:", self.shape, "shape")
        self.form.add("C&olour(s):", self.colours, "colours")
        self.form.add("Skin &broken:", self.skin_broken, "skin_broken")
        self.form.add("Swellin&g:", self.swelling, "swelling")
        self.form.add("E&xplanation given:", self.explanation, "explanation_given")
        self.form.add("Explanation given b&y:", self.explanation_by, "explanation_by")
        self.form.add(
            "Co&nsistent with the explanation:", self.consistent, "consistent_with_explanation"
        )
        self.form.add("Who s&aw it:", self.seen_by, "seen_by")
        fields: list[QWidget] = [
            self.date,
            self.time,
            self.mark_kind,
            self.description,
            self.length_cm,
            self.width_cm,
            self.shape,
            self.colours,
            self.skin_broken,
            self.swelling,
            self.explanation,
            self.explanation_by,
            self.consistent,
            self.seen_by,
        ]
        self.watch(*fields)
        for first, second in pairwise(
            [*fields, self.save_button, self.finalise_button, self.close_button]
        ):
            QWidget.setTabOrder(first, second)
        self.mark_kind.setFocus()

    def _site_text(self) -> str:
        return (
            region_label(self.figure, self.side, self.region) if self.region else "Not on the body"
        )

    # -- RecordForm -----------------------------------------------------------------------------

    def details(self) -> BodyMarkDetails:
        occurred_at, time_known = typed_moment(self.date, self.time, "The date")
        kind = self.mark_kind.value()
        if kind is None:
            raise InvalidInput(
                "Choose what the mark is (injury, birthmark, skin condition or other).",
                "mark_kind",
            )
        details = BodyMarkDetails(
            child_id=self.child_id,
            observation_id=self.observation_id,
            occurred_at=occurred_at,
            figure=self.figure,
            side=self.side,
            x=self.mark_x,
            y=self.mark_y,
            region=self.region,
            mark_kind=MarkKind(kind),
            description=self.description.value() or "",
            length_cm=self.length_cm.value(),
            width_cm=self.width_cm.value(),
            shape=line_value(self.shape),
            colours=line_value(self.colours),
            skin_broken=self.skin_broken.value(),
            swelling=self.swelling.value(),
            explanation_given=self.explanation.value(),
            explanation_by=line_value(self.explanation_by),
            consistent_with_explanation=self.consistent.value(),
            seen_by=line_value(self.seen_by),
            time_known=time_known,
        )
        details.validate()
        return details

    def load(self, view: EntryView) -> None:
        f = view.fields
        show_moment(self.date, self.time, view.occurred_at, view.time_known)
        self.child_id = f["child_id"]
        self.observation_id = f["observation_id"]
        self.figure, self.side = BodyFigure(f["figure"]), BodySide(f["side"])
        self.mark_x, self.mark_y, self.region = f["x"], f["y"], f["region"]
        self.site.setText(self._site_text())
        self.mark_kind.set_value(MarkKind(f["mark_kind"]))
        self.description.setPlainText(f.get("description") or "")
        self.length_cm.set_value(f.get("length_cm"))
        self.width_cm.set_value(f.get("width_cm"))
        self.shape.setText(f.get("shape") or "")
        self.colours.setText(f.get("colours") or "")
        self.skin_broken.set_value(f.get("skin_broken"))
        self.swelling.set_value(f.get("swelling"))
        self.explanation.setPlainText(f.get("explanation_given") or "")
        self.explanation_by.setText(f.get("explanation_by") or "")
        self.consistent.set_value(f.get("consistent_with_explanation"))
        self.seen_by.setText(f.get("seen_by") or "")

    def described(self) -> str:
        what = " ".join((self.description.value() or "").split())[:60]
        return f"Body map mark on the {self._site_text().lower()}" + (f": {what}" if what else "")

    def key_answers(self) -> list[tuple[str, str | None]]:
        return [
            ("Site", self._site_text()),
            ("Description", self.description.value()),
            ("Explanation given", self.explanation.value()),
        ]

    def child_key(self) -> str:
        return self.child_id
