"""The support plan as a form: every field, several people, warning signs.

Each field is checked and saved as it is left (Tab, Enter or a click elsewhere), one short
transaction each; a problem shows under the field in plain words and nothing wrong is saved.
Keyboard only: Tab and Shift+Tab move, Enter saves and moves on, Space ticks a role.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, Label, Static

from kapprep import plan as plans
from kapprep.errors import KapprepError
from kapprep.messages import told
from kapprep.plan import FIELDS, ROLE_LABELS, ROLES, Person, Plan, PlanError
from kapprep.ui.common import calmly
from kapprep.ui.context import AppContext
from kapprep.ui.widgets.footer import KapprepFooter
from kapprep.ui.widgets.tickbox import TickBox


class PlanInput(Input):
    """An Input that says when focus leaves it, so the form saves on leaving a field."""

    class Left(Message):
        def __init__(self, field: PlanInput) -> None:
            super().__init__()
            self.field = field

    def on_blur(self) -> None:
        self.post_message(self.Left(self))


def _session(ctx: AppContext) -> Any:
    chosen = getattr(ctx, "session_id", None)
    if chosen is not None:
        session = ctx.store.session(chosen)
        if session is not None:
            return session
    return ctx.store.next_session(ctx.clock())


class PlanScreen(Screen[None]):
    """Who helps, how and when; what helps; what to watch for."""

    CSS_PATH = "plan.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Home", id="plan-home", tooltip="Back (everything is saved)"),
        Binding(
            "ctrl+n",
            "add_person",
            "Add person",
            id="plan-add-person",
            tooltip="Add someone who helps you",
        ),
        Binding(
            "ctrl+g",
            "add_sign",
            "Add sign",
            id="plan-add-sign",
            tooltip="Add a warning sign and what to do",
        ),
    ]
    """Escape goes back; Ctrl+N adds a person; Ctrl+G adds a warning sign."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.phone_region = plans.region_of(ctx.store)
        self.plan: Plan = plans.load_plan(ctx.store)
        self._confirm_remove: str | None = None
        self.unsaved = False
        """True while the last field left could not be saved (the store failed): it keeps what
        was typed, and Escape stays here."""
        self._rebuilding = False

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("Your support plan", classes="screen-title")
        yield Static(id="plan-missing")
        with VerticalScroll(id="plan-body"):
            group = ""
            for spec in FIELDS:
                if spec.group != group:
                    group = spec.group
                    yield Static(group, classes="plan-group")
                    if group == "Medications":
                        yield Static(
                            "Shown on the briefing only if you tick the box.", classes="plan-hint"
                        )
                if spec.kind == "yesno":
                    yield TickBox(spec.label, self.plan.get(spec.key) == "yes", id=f"f-{spec.key}")
                    continue
                label = f"{spec.label} ({spec.hint})" if spec.hint else spec.label
                yield Label(label, classes="plan-label")
                placeholder = self.plan.inherited.get(spec.key, "not set")
                if spec.key == "pickup_at":
                    placeholder = self._pickup_hint()
                yield PlanInput(
                    self._shown(spec.key),
                    placeholder=placeholder,
                    id=f"f-{spec.key}",
                    compact=True,
                )
                yield Static(id=f"err-f-{spec.key}", classes="field-error")
            yield Static("People who help you", classes="plan-group")
            for i, person in enumerate(self.plan.people, 1):
                yield from self._person(i, person)
            yield Button("Add a person (Ctrl+N)", id="add-person", compact=True)
            yield Static("Warning signs, and what to do", classes="plan-group")
            for sign in self.plan.signs:
                with Vertical(classes="plan-sign"):
                    yield PlanInput(sign.sign, id=f"s-{sign.id}-sign", compact=True)
                    yield PlanInput(sign.what_to_do, id=f"s-{sign.id}-todo", compact=True)
                    yield Static(id=f"err-s-{sign.id}-sign", classes="field-error")
                    yield Button("Remove this sign", id=f"s-{sign.id}-remove", compact=True)
            yield Button("Add a warning sign (Ctrl+G)", id="add-sign", compact=True)
        yield KapprepFooter()  # crisis key first, visible at 60 columns

    def _person(self, i: int, person: Person) -> ComposeResult:
        pid = person.id
        with Vertical(classes="plan-person", id=f"person-{pid}"):
            yield Static(f"Person {i}", classes="plan-person-title")
            for attr, label in (
                ("name", "Name"),
                ("relationship", "Relationship"),
                ("phone", "Phone"),
            ):
                yield Label(label, classes="plan-label")
                yield PlanInput(
                    getattr(person, attr), id=f"p-{pid}-{attr}", placeholder="not set", compact=True
                )
                yield Static(id=f"err-p-{pid}-{attr}", classes="field-error")
            yield Label("What they do", classes="plan-label")
            for role in ROLES:
                # A tick box is one line: a long label's "(…)" goes on the line under it.
                label, _, more = ROLE_LABELS[role].partition(" (")
                yield TickBox(label, person.has(role), id=f"p-{pid}-role-{role}", compact=True)
                if more:
                    yield Static(f"    ({more}", classes="plan-hint")
            for attr, label in (
                ("collect_at", "Collects me at (HH:MM; empty: the pick-up time)"),
                ("stay_until", "Stays with me until"),
                ("notes", "Notes for them"),
            ):
                yield Label(label, classes="plan-label")
                yield PlanInput(
                    getattr(person, attr) or "",
                    id=f"p-{pid}-{attr}",
                    placeholder="not set",
                    compact=True,
                )
                yield Static(id=f"err-p-{pid}-{attr}", classes="field-error")
            yield Button(f"Remove person {i}", id=f"p-{pid}-remove", compact=True)

    def on_mount(self) -> None:
        self._show_missing()
        for error in self.query(".field-error"):
            error.display = False

    def reload(self) -> None:
        """Show changes made elsewhere (the app's Refresh)."""
        self.plan = plans.load_plan(self.ctx.store)
        self.call_later(self.recompose)

    # -- saving -------------------------------------------------------------------------------

    def _pickup_hint(self) -> str:
        """The pick-up time worked out from the session, its length and the recovery time."""
        session = _session(self.ctx)
        day = plans.day_times(
            replace(self.plan, values={**self.plan.values, "pickup_at": ""}),
            session.start if session else None,
        )
        if day.pickup is None:
            return "not set: needs the session length and recovery time"
        return f"{day.pickup:%H:%M} (session end + recovery)"

    def _show_missing(self) -> None:
        missing = plans.missing_fields(self.plan, _session(self.ctx))
        text = (
            "Not set yet: " + "; ".join(missing)
            if missing
            else "Everything the briefing needs is set."
        )
        self.query_one("#plan-missing", Static).update(Text(text))

    def _error(self, field_id: str, message: str | None) -> None:
        error = self.query_one(f"#err-{field_id}", Static)
        if message:  # shown on its own line, so a sentence: "That is not…"
            message = message[0].upper() + message[1:]
        error.update(Text(message or ""))
        error.display = bool(message)
        self.query_one(f"#{field_id}").set_class(bool(message), "-invalid")

    @on(Input.Submitted)
    @calmly
    def _submitted(self, event: Input.Submitted) -> None:
        if isinstance(event.input, PlanInput) and self._save(event.input):
            self.focus_next()

    @on(PlanInput.Left)
    @calmly
    def _left(self, event: PlanInput.Left) -> None:
        if event.field.is_attached and not self._rebuilding:
            self._save(event.field)

    @calmly
    async def action_back(self) -> None:
        """Save the field being typed in, then go home; stay, with what was typed, when it
        could not be saved."""
        self._save_focused()
        if not self.unsaved:
            await self.app.run_action("app.home")

    def on_screen_suspend(self) -> None:
        """Leaving the screen (Escape, another screen's key) saves the field being typed in."""
        self._save_focused()

    def _save_focused(self) -> None:
        focused = self.focused
        if isinstance(focused, PlanInput) and focused.is_attached:
            self._save(focused)

    def _save(self, field: PlanInput) -> bool:
        """Check and save one field; True when saved (or unchanged)."""
        field_id = field.id or ""
        try:
            if field_id.startswith("f-"):
                self._save_field(field_id[2:], field)
            elif field_id.startswith("p-"):
                _, pid, attr = field_id.split("-", 2)
                self._save_person(int(pid), attr, field.value)
            elif field_id.startswith("s-"):
                sid = field_id.split("-", 2)[1]
                field_id = f"s-{sid}-sign"  # one message line per sign
                self._save_sign(int(sid))
        except PlanError as exc:
            message = str(exc)
            if field_id.startswith("f-"):
                # The label is right above the field: say only what is wrong.
                message = message.removeprefix(f"{plans.FIELD_BY_KEY[field_id[2:]].label}: ")
            self._error(field_id, message)
            return False
        except KapprepError as exc:  # the store could not save it: say so where it was typed
            self._error(field_id, told(exc))
            self.notify(told(exc), severity="error", timeout=20, markup=False)
            self.unsaved = True
            return False
        self.unsaved = False
        self._error(field_id, None)
        self._show_missing()
        return True

    def _shown(self, key: str) -> str:
        """What the field holds: what was typed here, else its default; a value it inherits
        (the country's emergency number) is only the placeholder, so it is never saved as typed."""
        if key in self.plan.values or key not in self.plan.inherited:
            return self.plan.values.get(key, self.plan.get(key))
        return ""

    def _save_field(self, key: str, field: PlanInput) -> None:
        if field.value == self._shown(key):
            return
        value = plans.set_field(self.ctx.store, key, field.value, self.phone_region)
        self.plan = replace(self.plan, values={**self.plan.values, key: value})
        if field.value != value:
            field.value = value
        if key in ("session_minutes", "recovery_minutes"):
            self.query_one("#f-pickup_at", PlanInput).placeholder = self._pickup_hint()

    def _person_by_id(self, pid: int) -> Person:
        for person in self.plan.people:
            if person.id == pid:
                return person
        raise PlanError("that person is no longer in the plan")

    def _put_person(self, saved: Person, read: Person) -> None:
        """Keep the person as saved, and show the fields another window changed meanwhile.

        A field being typed in keeps what is typed, and what this window showed stays its
        baseline, so leaving it later tells of a clash instead of writing over the other change.
        """
        shown = saved
        focused = self.focused
        for attr, _ in plans.PERSON_FIELDS:
            if attr == "roles":
                for role in ROLES:
                    box = self.query_one(f"#p-{saved.id}-role-{role}", TickBox)
                    if box.value != saved.has(role):
                        box.value = saved.has(role)
                continue
            field = self.query_one(f"#p-{saved.id}-{attr}", PlanInput)
            value = getattr(saved, attr) or ""
            if field is focused and getattr(read, attr) != getattr(saved, attr):
                shown = replace(shown, **{attr: getattr(read, attr)})
            elif field.value != value:
                field.value = value
        self.plan = replace(
            self.plan,
            people=tuple(shown if p.id == saved.id else p for p in self.plan.people),
        )

    def _save_person(self, pid: int, attr: str, raw: str) -> None:
        person = self._person_by_id(pid)
        value: str | None = raw
        if attr in ("collect_at", "stay_until"):
            value = raw.strip() or None
        if getattr(person, attr) == value:
            return
        changed: Any = {attr: value}
        try:
            # Only this field is written: another window's change to the others is kept.
            saved = plans.update_person(
                self.ctx.store, replace(person, **changed), self.phone_region, read=person
            )
        except PlanError as exc:
            # The message names the part ("Phone: …"); show it under that field.
            raise PlanError(str(exc).split(": ", 1)[-1]) from None
        self._put_person(saved, person)

    def _save_sign(self, sid: int) -> None:
        sign = self.query_one(f"#s-{sid}-sign", PlanInput).value
        todo = self.query_one(f"#s-{sid}-todo", PlanInput).value
        current = next((s for s in self.plan.signs if s.id == sid), None)
        if current is not None and (current.sign, current.what_to_do) == (sign, todo):
            return
        saved = plans.set_sign(self.ctx.store, sid, sign, todo)
        self.plan = replace(
            self.plan, signs=tuple(saved if s.id == sid else s for s in self.plan.signs)
        )

    @on(Checkbox.Changed)
    @calmly
    def _checkbox(self, event: Checkbox.Changed) -> None:
        box_id = event.checkbox.id or ""
        if box_id.startswith("f-"):
            key = box_id[2:]
            value = plans.set_field(self.ctx.store, key, "yes" if event.value else "no")
            self.plan = replace(self.plan, values={**self.plan.values, key: value})
        elif box_id.startswith("p-"):
            _, pid, _, role = box_id.split("-", 3)
            person = self._person_by_id(int(pid))
            roles = set(person.roles)
            if event.value:
                roles.add(role)
            else:
                roles.discard(role)
            if roles == set(person.roles):
                return
            try:
                saved = plans.update_person(
                    self.ctx.store,
                    replace(person, roles=tuple(r for r in ROLES if r in roles)),
                    self.phone_region,
                    read=person,
                )
            except PlanError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self._put_person(saved, person)
        self._show_missing()

    # -- adding and removing ------------------------------------------------------------------

    @calmly
    async def action_add_person(self) -> None:
        self._save_focused()
        person = plans.add_person(self.ctx.store, Person(), self.phone_region)
        self.plan = plans.load_plan(self.ctx.store)
        await self._rebuild(f"p-{person.id}-name")

    @calmly
    async def action_add_sign(self) -> None:
        self._save_focused()
        sign = plans.add_sign(self.ctx.store, "New sign", "")
        self.plan = plans.load_plan(self.ctx.store)
        await self._rebuild(f"s-{sign.id}-sign")

    async def _rebuild(self, focus_id: str | None) -> None:
        self._rebuilding = True
        try:
            await self.recompose()
        finally:
            self._rebuilding = False
        self.on_mount()
        if focus_id:
            target = self.query_one(f"#{focus_id}")
            target.focus()
            target.scroll_visible(animate=False)

    @on(Button.Pressed)
    @calmly
    async def _pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id == "add-person":
            await self.action_add_person()
            return
        if button_id == "add-sign":
            await self.action_add_sign()
            return
        if not button_id.endswith("-remove"):
            return
        if self._confirm_remove != button_id:
            self._confirm_remove = button_id
            event.button.label = "Press Enter again to remove"
            return
        self._confirm_remove = None
        kind, item_id = button_id.split("-")[:2]
        if kind == "p":
            plans.remove_person(self.ctx.store, int(item_id))
            focus = "add-person"
        else:
            plans.remove_sign(self.ctx.store, int(item_id))
            focus = "add-sign"
        self.plan = plans.load_plan(self.ctx.store)
        await self._rebuild(focus)
