"""`kapprep breathe`: a breathing or grounding exercise right here in the terminal, without the app.

Starting takes no questions: with no PATTERN it runs the one last chosen in the app, or a gentle
one with no holds. It draws with plain ANSI escapes (`breathe_inline`: a few lines, rewritten only
when what they show changes, at the moments `kapprep.grounding.frame_at` gives), reads keys in
cbreak mode (space pauses, n skips a grounding step, q or Esc stops, Ctrl-C too) and puts the terminal back on
every way out: the end, q, Ctrl-C, SIGTERM, SIGHUP or an error. The practice is logged in the store
when it starts and again when it ends. No Textual here (a test proves it).
"""

from __future__ import annotations

import argparse
import difflib
import math
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kapprep import clock
from kapprep.cli.common import UserError

if TYPE_CHECKING:
    from kapprep import grounding as g
    from kapprep.speech import Speaker


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "breathe",
        help="a breathing or grounding exercise here in the terminal (q to stop)",
        description=(
            "Run a breathing or grounding exercise in this terminal. Space pauses, n goes to the "
            "next grounding step, q or Esc stops. Stop and breathe normally if you feel "
            "light-headed; if it does not settle in a few minutes, or with chest pain or trouble "
            "breathing, call the emergency number. No hold lasts longer than 8 seconds."
        ),
    )
    parser.add_argument(
        "pattern",
        nargs="?",
        metavar="PATTERN",
        help="which exercise (see --list); default: the last one you chose, or a gentle one",
    )
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--minutes", type=_minutes, metavar="N", help="how long, in minutes")
    length.add_argument("--cycles", type=_cycles, metavar="N", help="how many breaths (or rounds)")
    parser.add_argument(
        "--reduced-motion", action="store_true", help="only words and the count, no moving bar"
    )
    parser.add_argument(
        "--bell", action="store_true", help="a bell to breathe in (one) and out (two)"
    )
    parser.add_argument(
        "--speak",
        action="store_true",
        help='say "in", "hold", "out" aloud (spd-say or espeak-ng; the bell where a word does '
        "not fit); on for good with: kapprep settings set spoken-cues yes",
    )
    parser.add_argument("--no-holds", action="store_true", help="leave out the breath holds")
    parser.add_argument(
        "--lengthen", action="store_true", help="let the breaths lengthen slowly as you go"
    )
    parser.add_argument(
        "--rate",
        type=_rate,
        metavar="N",
        help="breaths a minute, keeping the pattern's proportions (resonance: 5.5 to 6)",
    )
    parser.add_argument("--list", action="store_true", help="list the exercises and stop")
    parser.set_defaults(func=cmd_breathe)


def _number(low: float, high: float, unit: str) -> Callable[[str], float]:
    """An argparse type: a number from `low` to `high`, with a plain message otherwise."""

    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{raw!r} is not a number of {unit}") from None
        if math.isnan(value) or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{unit} should be from {low:g} to {high:g}")
        return value

    return parse


_minutes = _number(0.1, 120, "minutes")
_rate = _number(3, 12, "breaths a minute")


def _cycles(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 500:
        raise argparse.ArgumentTypeError("cycles should be a whole number from 1 to 500")
    return int(raw)


def _load() -> dict[str, g.Pattern]:
    from kapprep import grounding as g  # imports YAML: only when the command runs

    patterns, problems = g.load_patterns([g.user_patterns_dir()])
    for problem in problems:
        print(f"kapprep: {problem} (this exercise file was left out)", file=sys.stderr)
    return patterns


def cmd_list(patterns: dict[str, g.Pattern]) -> int:
    from kapprep import grounding as g

    width = max(len(p) for p in patterns)
    for pid, pattern in patterns.items():
        mark = "  (default)" if pid == g.DEFAULT_PATTERN else ""
        print(f"{pid:<{width}}  {pattern.name} ({pattern.summary}){mark}")
        print(f"{'':<{width}}  {pattern.description}")
    print()
    print(g.LIGHTHEADED_WARNING)
    print(f"Your own exercises: YAML files in {g.user_patterns_dir()}")
    return 0


def choose_plan(
    args: argparse.Namespace, patterns: dict[str, g.Pattern], last: object
) -> g.Exercise:
    from kapprep import grounding as g

    wanted = args.pattern
    if wanted is None:
        remembered = last.get("pattern") if isinstance(last, dict) else None
        wanted = remembered if remembered in patterns else g.DEFAULT_PATTERN
    if wanted not in patterns:
        close = difflib.get_close_matches(wanted, list(patterns), n=1)
        hint = f'did you mean "{close[0]}"? ' if close else ""
        one_line = wanted.replace("\n", " ")
        raise UserError(f'no exercise called "{one_line}"; {hint}see: kapprep breathe --list')
    pattern = patterns[wanted]
    if args.no_holds:
        pattern = g.without_holds(pattern)
    rate = getattr(args, "rate", None)
    if rate is not None:
        pattern = g.with_rate(pattern, rate)
    lengthen = g.Lengthen() if args.lengthen and not pattern.is_steps else None
    return g.Exercise(pattern, minutes=args.minutes, cycles=args.cycles, lengthen=lengthen)


def cmd_breathe(args: argparse.Namespace) -> int:
    patterns = _load()
    if args.list:
        return cmd_list(patterns)
    from kapprep.cli.breathe_inline import Inline
    from kapprep.cli.sessions import open_store
    from kapprep.plain.choice import reason
    from kapprep.settings import load_settings
    from kapprep.store import StoreError

    if not _log_unlocked(args):
        return _breathe_unsaved(args, patterns)
    try:
        with open_store(args) as store:
            kept = load_settings(store)
            plan = choose_plan(args, patterns, kept.grounding_last)
            practice = store.add_practice(plan.pattern.id, clock.now(), 0.0, False)
            speaker = _speaker(plan, getattr(args, "speak", False) or kept.spoken_cues)
            if reason(getattr(args, "plain", False)) is not None:
                seconds, finished = _run_plain(plan, store, practice, args.bell, speaker)
            else:
                reduced = args.reduced_motion or kept.reduced_motion
                runner = Inline(plan, reduced_motion=reduced, bell=args.bell, speaker=speaker)
                if speaker is not None:
                    speaker.on_problem = runner.told
                try:
                    finished = runner.run()
                finally:
                    if speaker is not None:
                        speaker.close()
                    store.update_practice(
                        practice, seconds=round(runner.timer.active(), 1), finished=runner.finished
                    )
                seconds = runner.timer.active()
    except StoreError as exc:
        raise UserError(str(exc)) from None
    from kapprep.grounding import practised
    from kapprep.messages import practice_logged

    print(practice_logged(finished, practised(seconds)))
    return 0


def _speaker(plan: g.Exercise, wanted: bool) -> Speaker | None:
    """A speaker for a breathing exercise when spoken cues are wanted; a missing one is said
    here, once, before the exercise starts (the bell then marks each breath)."""
    if not wanted or plan.pattern.is_steps:
        return None
    from kapprep.speech import Speaker

    speaker = Speaker()
    problem = speaker.tell_once()
    if problem:
        print(problem)
    return speaker


def _run_plain(
    plan: g.Exercise, store: Any, practice: int, bell: bool, speaker: Speaker | None = None
) -> tuple[float, bool]:
    """Plain mode's rule (`kapprep.plain.choice`): one line per phase, nothing redrawn."""
    from kapprep.plain import pacer
    from kapprep.plain.choice import read_config
    from kapprep.plain.console import Console

    result = pacer.Result(False, 0.0)
    try:
        console = Console()
        if speaker is not None:
            speaker.on_problem = console.say
        result = pacer.run(plan, console, bell=bell or read_config()["bell"], speaker=speaker)
    finally:
        store.update_practice(practice, seconds=round(result.seconds, 1), finished=result.finished)
    return result.seconds, result.finished


def _log_unlocked(args: argparse.Namespace) -> bool:
    """Whether the practice can go to the log: the data is not locked, or the passphrase was
    given (asked in a terminal, where Enter alone breathes without the log; read from
    `--passphrase-fd`). Without either, the exercise runs and is not saved, and says so."""
    import sys

    from kapprep import paths
    from kapprep.store.cipher import is_locked, key_for, use_key

    folder = paths.data_dir(args.data_dir)
    if not folder.is_dir() or not is_locked(folder) or key_for(folder) is not None:
        return True
    if getattr(args, "passphrase_fd", None) is None and not sys.stdin.isatty():
        return False
    from kapprep.cli.secret import ask_secret
    from kapprep.store.keyfile import open_with_passphrase

    typed = ask_secret(args, "Your data is locked. Passphrase (Enter alone: breathe, not logged): ")
    if not typed:
        return False
    use_key(folder, open_with_passphrase(folder, typed))  # then open_store opens it
    return True


def _breathe_unsaved(args: argparse.Namespace, patterns: dict[str, g.Pattern]) -> int:
    """The exercise without the store (locked, no passphrase): the defaults, and no log."""
    from kapprep.cli.breathe_inline import Inline
    from kapprep.plain.choice import reason

    print("Your data is locked, so this practice is not saved in your log.")
    plan = choose_plan(args, patterns, None)
    if reason(getattr(args, "plain", False)) is not None:
        from kapprep.plain import pacer
        from kapprep.plain.choice import read_config
        from kapprep.plain.console import Console

        pacer.run(plan, Console(), bell=args.bell or read_config()["bell"])
        return 0
    Inline(plan, reduced_motion=args.reduced_motion, bell=args.bell).run()
    return 0
