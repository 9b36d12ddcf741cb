"""Plain mode before the passphrase: a locked store's passphrase is asked first (never shown,
never said back), and "crisis" works at that question too, from what is kept outside the lock
(`kapprep.crisis_outside`)."""

from __future__ import annotations

from pathlib import Path

from kapprep.plain.console import CRISIS_WORDS, QUIT_WORDS, Console, Leave

ASK = (
    "Your kapprep data is locked. Type your passphrase and press Enter; it is not shown. "
    'Type "crisis" for crisis help, or "quit" to leave.'
)
WRONG = "That passphrase does not open your data; nothing was changed. Please try again."


def _hidden_line(console: Console) -> str | None:
    """One line, not echoed: getpass in a terminal, else the next line of input as it is."""
    if console.input.tty:
        import getpass

        try:
            return getpass.getpass("Passphrase: ")
        except EOFError:
            return None
    console.out.write("Passphrase: ")
    console.out.flush()
    raw = console.input.readline()
    console.out.write("\n")
    console.out.flush()
    return raw


def unlock(folder: Path, console: Console) -> bytes:
    """The data key, once the passphrase opens the lock; `Leave` when the patient leaves."""
    from kapprep.crisis_outside import locked_card
    from kapprep.errors import KapprepError
    from kapprep.plain.core import card_lines
    from kapprep.store.keyfile import WrongSecret, open_with_passphrase

    console.crisis = lambda: card_lines(locked_card(folder))
    console.say(ASK)
    while True:
        raw = _hidden_line(console)
        if raw is None:
            raise Leave
        word = raw.strip().lower()
        if word in CRISIS_WORDS:
            console.show_crisis()
            continue
        if word in QUIT_WORDS:
            raise Leave
        if not word:
            continue
        try:
            return open_with_passphrase(folder, raw)
        except WrongSecret:
            console.say(WRONG)
        except KapprepError as exc:
            console.say(str(exc))
            raise Leave from None
