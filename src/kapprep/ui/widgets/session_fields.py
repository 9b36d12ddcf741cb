"""The fields for a session: date and time (typed forgivingly), its time zone, place, clinic,
phone.

Used by the first-run welcome and by the add/edit form. Each field shows its own mistake beside it
in plain words; nothing is saved until every field reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, RadioSet, Static

from kapprep.phones import phone_problem
from kapprep.ui.widgets.tickbox import RadioDot
from kapprep.whentext import WhenError, parse_when
from kapprep.zones import ZoneError, local_zone, read_zone

__all__ = ["SessionFields", "SessionInput", "phone_problem"]

_START_HINT = "3 Dec 10:00, 2026-12-03 10:00 or tomorrow 9am"
_ZONE_HINT = "London, Los Angeles or Europe/Oslo"


@dataclass(frozen=True, slots=True)
class SessionInput:
    start: datetime
    place: str | None
    clinic: str | None
    phone: str | None
    place_kind: str | None = None
    """"clinic", "home", "other", or None when the patient chose none."""


PLACE_CHOICES = (("clinic", "At the clinic"), ("home", "At home"), ("other", "Somewhere else"))
"""The kinds of place a session can be, as the form offers them."""


class SessionFields(Vertical):
    """Labelled inputs with an error line under each."""

    def __init__(
        self,
        *,
        start: str = "",
        zone: str = "",
        place: str = "",
        clinic: str = "",
        phone: str = "",
        place_kind: str | None = None,
        with_place: bool = True,
        future_only: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="fields")
        if not zone:  # a new session: this computer's zone, which the patient can change
            here = local_zone()
            zone = getattr(here, "key", None) or "UTC"
        self._values = {
            "start": start,
            "zone": zone,
            "place": place,
            "clinic": clinic,
            "phone": phone,
        }
        self._with_place = with_place
        self._place_kind = place_kind
        # Where the question is "your next session", a time already past is a slip.
        self._future_only = future_only

    def _zone(self) -> ZoneInfo:
        try:
            return read_zone(self.value("zone"))
        except ZoneError as exc:
            raise WhenError(str(exc)) from None

    def _start(self, now: datetime, zone: ZoneInfo | None = None) -> datetime:
        """The start in the session's own zone (the typed one, or this computer's while the
        zone field does not read: its own mistake is told beside it)."""
        if zone is None:
            try:
                zone = self._zone()
            except WhenError:
                zone = None
        start = parse_when(self.value("start"), now.astimezone(zone) if zone else now)
        if self._future_only and start < now:
            raise WhenError(
                f'{start:%d %b %Y %H:%M} has passed; type your next session, like "3 Dec 10:00".'
            )
        return start

    def compose(self) -> ComposeResult:
        fields = [
            ("start", "Date and time of the session", _START_HINT, True),
            ("zone", "Time zone of the session (where the clinic is)", _ZONE_HINT, True),
            ("place", "Address (optional)", "where the session is", False),
            ("clinic", "Clinic name (optional)", "", False),
            ("phone", "Clinic phone (optional)", "+44 20 7946 0000", True),
        ]
        for field, label, hint, checked in fields:
            if field == "place" and not self._with_place:
                continue
            if field == "place":
                yield Label("Where is it? (at home, the briefing tells your sitter what to do)")
                with RadioSet(id="place-kind", compact=True):
                    for kind, text in PLACE_CHOICES:
                        yield RadioDot(
                            text, value=kind == self._place_kind, id=f"place-{kind}", compact=True
                        )
            yield Label(label)
            yield Input(self._values[field], placeholder=hint, compact=True, id=field)
            if checked:  # its mistake shows just under it
                yield Static(id=f"{field}-error", classes="error")

    def _error(self, field: str, message: str | None) -> None:
        widget = self.query_one(f"#{field}-error", Static)
        widget.update(Content(message or ""))  # the typed text it quotes is never markup
        widget.display = bool(message)
        self.query_one(f"#{field}", Input).set_class(bool(message), "-invalid")

    def on_mount(self) -> None:
        for field in ("start", "zone", "phone"):
            self._error(field, None)

    def on_input_changed(self, event: Input.Changed) -> None:
        # A mistake told beside a field goes once the text is changed (it is checked again on
        # Enter and on save): an old "not a date" under a corrected date misled.
        field = event.input.id
        if field in ("start", "zone", "phone") and self.query_one(f"#{field}-error").display:
            self._error(field, None)

    def value(self, field: str) -> str:
        found = self.query(f"#{field}")
        return found.first(Input).value.strip() if found else ""

    def check(self, field: str, now: datetime) -> bool:
        """Check one field as it is left with Enter; show its mistake beside it (True when fine)."""
        problem: str | None = None
        if field == "start":
            try:
                self._start(now)
            except WhenError as exc:
                problem = str(exc)
        elif field == "zone":
            try:
                self._zone()
            except WhenError as exc:
                problem = str(exc)
        elif field == "phone":
            problem = phone_problem(self.value("phone"))
        else:
            return True
        self._error(field, problem)
        return problem is None

    def refuse(self, field: str, message: str) -> None:
        """Show a mistake found elsewhere (say, the same session twice) beside `field`."""
        self._error(field, message)
        self.query_one(f"#{field}", Input).focus()

    def read(self, now: datetime) -> SessionInput | None:
        """The fields as a session, or None after showing every mistake beside its field."""
        start: datetime | None = None
        zone: ZoneInfo | None = None
        try:
            zone = self._zone()
            self._error("zone", None)
        except WhenError as exc:
            self._error("zone", str(exc))
        if zone is not None:
            try:
                start = self._start(now, zone)
                self._error("start", None)
            except WhenError as exc:
                self._error("start", str(exc))
        phone_error = phone_problem(self.value("phone"))
        self._error("phone", phone_error)
        if start is None or phone_error:
            first = "zone" if zone is None else "start" if start is None else "phone"
            self.query_one(f"#{first}", Input).focus()
            return None
        return SessionInput(
            start=start,
            place=self.value("place") or None,
            clinic=self.value("clinic") or None,
            phone=self.value("phone") or None,
            place_kind=self.place_kind(),
        )

    def place_kind(self) -> str | None:
        """The kind of place chosen ("clinic", "home", "other"), or None."""
        found = self.query("#place-kind")
        pressed = found.first(RadioSet).pressed_button if found else None
        return pressed.id.removeprefix("place-") if pressed and pressed.id else None
