"""The journal: prompts, ratings, steps and questions round-trip through a real store; exports."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kapprep import journal as j
from kapprep.cleantext import clean
from kapprep.journal import export as jx
from kapprep.prompts import integration_items
from kapprep.schedule import timeline
from kapprep.store import Store

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


def test_every_prompt_round_trips_and_blank_removes(store: Store) -> None:
    s = store.add_session(datetime(2026, 10, 26, 10, tzinfo=LONDON))
    for p in j.INTENTION_PROMPTS:
        j.save_entry(store, s.id, "intention", p.key, f"{p.key}: [bold]as typed[/] é ✓", NOW)
    for p in j.INTEGRATION_PROMPTS:
        j.save_entry(store, s.id, "integration", p.key, f"after {p.key}\nsecond line", NOW)
    assert j.entries(store, s.id, "intention") == {
        p.key: f"{p.key}: [bold]as typed[/] é ✓" for p in j.INTENTION_PROMPTS
    }
    assert j.entries(store, s.id, "integration")["came-up"] == "after came-up\nsecond line"
    j.save_entry(store, s.id, "intention", "fear", "changed", NOW)
    assert j.entries(store, s.id, "intention")["fear"] == "changed"
    j.save_entry(store, s.id, "intention", "fear", "   ", NOW)
    assert "fear" not in j.entries(store, s.id, "intention")
    rows = store.fetch("SELECT COUNT(*) AS n FROM journal_entries")
    assert rows[0]["n"] == len(j.INTENTION_PROMPTS) - 1 + len(j.INTEGRATION_PROMPTS)


def test_unknown_prompt_and_bad_ratings_are_refused_plainly(store: Store) -> None:
    s = store.add_session(datetime(2026, 10, 26, 10, tzinfo=LONDON))
    with pytest.raises(j.JournalError, match='no intention prompt called "dose"'):
        j.save_entry(store, s.id, "intention", "dose", "x", NOW)
    for bad in (-1, 11, True, 5.5):
        with pytest.raises(j.JournalError, match="0 to 10"):
            j.set_rating(store, s.id, "mood", "before", bad, NOW)  # type: ignore[arg-type]
    with pytest.raises(j.JournalError, match="mood or anxiety"):
        j.set_rating(store, s.id, "pain", "before", 3, NOW)
    with pytest.raises(j.JournalError, match="keep it under"):
        j.save_entry(store, s.id, "intention", "hope", "x" * (j.MAX_TEXT + 1), NOW)


def test_ratings_round_trip_and_clear(store: Store) -> None:
    s = store.add_session(datetime(2026, 10, 26, 10, tzinfo=LONDON))
    j.set_rating(store, s.id, "mood", "before", 3, NOW)
    j.set_rating(store, s.id, "mood", "after", 7, NOW)
    j.set_rating(store, s.id, "anxiety", "before", 8, NOW)
    j.set_rating(store, s.id, "anxiety", "before", 6, NOW)
    j.set_rating(store, s.id, "anxiety", "after", 0, NOW)
    assert j.ratings(store, s.id) == {
        ("mood", "before"): 3,
        ("mood", "after"): 7,
        ("anxiety", "before"): 6,
        ("anxiety", "after"): 0,
    }
    j.set_rating(store, s.id, "mood", "after", None, NOW)
    assert ("mood", "after") not in j.ratings(store, s.id)
    assert "not a clinical score" in j.RATING_NOTE


def test_steps_done_state_and_open_steps(store: Store) -> None:
    a = store.add_session(datetime(2026, 10, 26, 10, tzinfo=LONDON))
    b = store.add_session(datetime(2026, 11, 9, 10, tzinfo=LONDON))
    s1 = j.add_step(store, a.id, "Walk by the river", NOW)
    s2 = j.add_step(store, a.id, "Call my sister", NOW + timedelta(minutes=1))
    s3 = j.add_step(store, b.id, "Sleep before 23:00", NOW + timedelta(minutes=2))
    j.set_step_done(store, s1, True, NOW + timedelta(hours=1))
    j.set_step_done(store, s1, True, NOW + timedelta(hours=5))  # keeps the first time
    got = j.steps(store, a.id)
    assert [(x.text, x.done) for x in got] == [
        ("Walk by the river", True),
        ("Call my sister", False),
    ]
    assert got[0].done_at == NOW + timedelta(hours=1)
    assert [x.id for x in j.open_steps(store)] == [s2, s3]
    j.set_step_done(store, s1, False, NOW)
    assert [x.id for x in j.open_steps(store)] == [s1, s2, s3]
    j.remove_step(store, s2)
    assert [x.id for x in j.steps(store)] == [s1, s3]
    with pytest.raises(j.JournalError):
        j.add_step(store, a.id, "   ", NOW)


def test_questions_are_kept_in_order_and_marked_asked(store: Store) -> None:
    q1 = j.add_question(store, "Can I take my  usual\nsleep medicine?", NOW)
    q2 = j.add_question(store, "What should I eat after?", NOW)
    assert [q.text for q in j.questions(store)] == [
        "Can I take my usual sleep medicine?",
        "What should I eat after?",
    ]
    assert j.set_asked(store, q1, True, NOW)
    assert not j.set_asked(store, 999, True, NOW)
    assert [q.id for q in j.questions(store, include_asked=False)] == [q2]
    assert j.questions(store)[0].asked
    assert j.remove_question(store, q2)
    assert [q.id for q in j.questions(store)] == [q1]


def test_series_numbers_sessions_in_time_order_without_cancelled(store: Store) -> None:
    later = store.add_session(datetime(2026, 11, 9, 10, tzinfo=LONDON))
    first = store.add_session(datetime(2026, 10, 26, 10, tzinfo=LONDON))
    gone = store.add_session(datetime(2026, 11, 2, 10, tzinfo=LONDON))
    store.update_session(gone.id, status="cancelled")
    j.save_entry(store, later.id, "intention", "hope", "rest", NOW)
    got = j.series(store)
    assert [(sj.session_id, sj.number) for sj in got] == [(first.id, 1), (later.id, 2)]
    assert got[1].intentions == {"hope": "rest"} and got[0].empty
    cancelled = j.journal(store, gone.id)
    assert cancelled is not None and cancelled.number == 0
    assert j.journal(store, 999) is None


def test_integration_items_come_due_on_schedule_across_dst() -> None:
    # Monday after the October change in London: the evening, next day, +3 d and +7 d keep 10:00.
    start = datetime(2026, 10, 26, 10, tzinfo=LONDON)
    items = integration_items(start)
    assert {i.phase for i in items} == {"integration"}
    got = {e.item.id: e.due for e in timeline(items, start)}
    assert got == {
        "journal-same-evening": datetime(2026, 10, 26, 20, tzinfo=LONDON),
        "journal-next-day": datetime(2026, 10, 27, 10, tzinfo=LONDON),
        "journal-three-days": datetime(2026, 10, 29, 10, tzinfo=LONDON),
        "journal-one-week": datetime(2026, 11, 2, 10, tzinfo=LONDON),
    }
    late = datetime(2026, 10, 26, 19, tzinfo=LONDON)
    evening = next(e.due for e in timeline(integration_items(late), late) if "evening" in e.item.id)
    assert evening == datetime(2026, 10, 26, 22, tzinfo=LONDON)


def _three_sessions(store: Store) -> list[int]:
    ids = []
    for n, day in enumerate((5, 12, 19)):
        s = store.add_session(datetime(2026, 10, day, 10, tzinfo=LONDON))
        ids.append(s.id)
        j.save_entry(store, s.id, "intention", "hope", f"hope {n + 1}", NOW)
        j.save_entry(store, s.id, "intention", "anchor", "# not a heading <b>x</b>", NOW)
        j.save_entry(store, s.id, "integration", "came-up", f"came up {n + 1}", NOW)
        j.set_rating(store, s.id, "mood", "before", 2 + n, NOW)
        j.set_rating(store, s.id, "mood", "after", 5 + n, NOW)
        j.set_rating(store, s.id, "anxiety", "before", 8 - n, NOW)
        step = j.add_step(store, s.id, f"step {n + 1}", NOW)
        if n == 0:
            j.set_step_done(store, step, True, NOW)
    j.add_question(store, "Is it ok to [drive] the day after?", NOW)
    return ids


def test_export_holds_every_session_rating_step_and_question(store: Store) -> None:
    _three_sessions(store)
    doc = jx.document(store, NOW)
    text = jx.render(doc, "text").decode()
    for n in (1, 2, 3):
        assert f"SESSION {n} —" in text
        assert f"hope {n}" in text and f"came up {n}" in text
    assert "SESSION 1 — MONDAY 5 OCTOBER 2026, 10:00: INTENTIONS" in text
    assert "SESSION 1: INTEGRATION, LOOKING BACK AT THESE INTENTIONS" in text
    assert "Done: step 1" in text and "To do: step 2" in text
    assert "before 2, after 5" in text and "before 8, after –" in text
    assert "not a clinical score" in text
    # mood before: 2, 3, 4 on the 8-step bar scale, then the numbers
    assert re.search(r"Mood before:\s+▂▃▄\s+2 3 4", text)
    assert "Is it ok to [drive] the day after?" in text

    md = jx.render(doc, "md").decode()
    assert md.startswith("# My KAP journal")
    assert "## Session 2 — Monday 12 October 2026, 10:00: intentions" in md
    assert "not a heading \\<b\\>x\\</b\\>" in md  # user text inert: no HTML
    assert not any(line.startswith("# not") for line in md.splitlines())  # and no heading
    assert "- Done: step 1" in md
    assert "Is it ok to \\[drive\\] the day after?" in md

    html = jx.render(doc, "html").decode()
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert html.count('<section class="intentions">') == 3
    assert "not a clinical score" in html

    pdf = jx.render(doc, "pdf")
    assert pdf.startswith(b"%PDF-")
    from io import BytesIO

    from pypdf import PdfReader

    pages = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    for n in (1, 2, 3):
        assert f"hope {n}" in pages and f"came up {n}" in pages
    assert "Questions for my clinic" in pages
    with pytest.raises(j.JournalError, match="not an export format"):
        jx.render(doc, "docx")


def test_export_of_one_session_and_unknown_session(store: Store) -> None:
    ids = _three_sessions(store)
    one = jx.render(jx.document(store, NOW, ids[1]), "md").decode()
    assert "hope 2" in one and "hope 1" not in one and "Session 2 —" in one
    assert "Ratings across sessions" not in one
    with pytest.raises(j.JournalError, match="no session 99"):
        jx.document(store, NOW, 99)


def test_rating_bars() -> None:
    assert jx.rating_bars([0, 5, 10, None]) == "▁▅█ "


@given(text=st.text(max_size=300))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_answer_round_trips_as_typed(store: Store, text: str) -> None:
    s = (
        store.sessions()[0]
        if store.sessions()
        else store.add_session(datetime(2026, 10, 26, 10, tzinfo=LONDON))
    )
    j.save_entry(store, s.id, "integration", "came-up", text, NOW)
    kept = clean(text.replace("\r\n", "\n").replace("\r", "\n"))  # what a terminal acts on goes
    got = j.entries(store, s.id, "integration").get("came-up")
    assert got == (kept if kept.strip() else None)


def test_the_journal_is_part_of_the_full_export(store: Store) -> None:
    ids = _three_sessions(store)
    doc = store.export_data()
    text = repr(doc)
    for table in ("journal_entries", "journal_steps", "journal_ratings", "questions"):
        assert table in text
    assert "hope 2" in text and "Is it ok to [drive] the day after?" in text
    store.delete_all()
    assert j.series(store) == []
    store.import_data(doc)
    back = j.series(store)
    assert [sj.intentions["hope"] for sj in back] == ["hope 1", "hope 2", "hope 3"]
    assert j.ratings(store, ids[0])[("mood", "before")] == 2


def test_answered_integration_prompts_count_as_done(store: Store) -> None:
    s = store.add_session(datetime(2026, 10, 26, 10, tzinfo=LONDON))
    j.save_entry(store, s.id, "integration", "important", "the light", NOW)
    sj = j.journal(store, s.id)
    assert sj is not None
    assert j.answered_items(sj) == {"journal-next-day"}
    ids = {i.id for i in j.with_integration([], s.start)}
    assert j.answered_items(sj) <= ids
