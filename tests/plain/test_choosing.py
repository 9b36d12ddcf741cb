"""When `kapprep` runs in plain mode (issue 23), and that it never imports Textual there.

`kapprep | cat`, `printf 'crisis\\nquit\\n' | kapprep` and `TERM=dumb kapprep` each give plain
mode; so do `--plain`, `ACCESSIBLE` and the setting in the config folder. In a real terminal
the full app still starts (`choice.reason` is None; the tmux tests in tests/e2e start it)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kapprep.plain import choice

from .conftest import KAPPREP, Pty, child_env, textual_modules


def test_piped_output_is_plain_mode(run_pty, tmp_path: Path) -> None:
    """`kapprep | cat`: input from the terminal, output into a pipe."""
    pty: Pty = run_pty(stdout_pipe=True, TERM="xterm-256color")
    pty.expect("Plain mode because the output is not a terminal.")
    pty.expect("Your next session's date and time")
    pty.line("")  # Enter alone skips a question
    pty.expect("Your clinic's name")
    pty.key(b"\x04")  # Ctrl-D
    pty.expect("Goodbye.")
    assert pty.wait() == 0
    assert "\x1b" not in pty.text
    assert textual_modules(tmp_path) == []


def test_crisis_from_a_pipe(tmp_path: Path) -> None:
    """`printf 'crisis\\nquit\\n' | kapprep`: the crisis help at once, then it leaves."""
    result = subprocess.run(
        [str(KAPPREP)],
        input="crisis\nquit\n",
        capture_output=True,
        text=True,
        env=child_env(tmp_path, TERM="xterm-256color"),
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Plain mode because the input is not a terminal." in out
    assert "Crisis help. If you feel unsafe, you are not alone." in out
    assert out.index("Crisis help") < out.index("Goodbye.")
    assert "\x1b" not in out and "Traceback" not in result.stderr
    assert textual_modules(tmp_path) == []


def test_input_from_dev_null_never_hangs(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(KAPPREP), "--plain"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=child_env(tmp_path),
        timeout=30,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.rstrip().endswith("Goodbye. Take care.")


@pytest.mark.parametrize("key", [b"\x04", b"\x03"], ids=["ctrl-d", "ctrl-c"])
def test_term_dumb_in_a_terminal_is_plain_and_leaves_cleanly(
    run_pty, tmp_path: Path, key: bytes
) -> None:
    """`TERM=dumb kapprep` on a real (pseudo-)terminal; Ctrl-D and Ctrl-C at a menu exit 0."""
    pty: Pty = run_pty(TERM="dumb")
    pty.expect("Plain mode because TERM is dumb.")
    pty.expect("Your next session's date and time")
    pty.line("")
    for _ in range(3):
        pty.expect("(Enter to skip):")
        pty.line("")
    pty.expect("No session planned yet.")
    pty.expect("Choose 1 to 9, or a word:")
    pty.line("")  # Enter alone: the summary again
    pty.expect("No session planned yet.")
    pty.expect("Choose 1 to 9, or a word:")
    pty.key(key)
    pty.expect("Goodbye.")
    assert pty.wait() == 0
    assert textual_modules(tmp_path) == []
    assert "Traceback" not in pty.text


_MASTERS: list[int] = []


def _tty() -> tuple[object, object]:
    """Both ends a terminal, as in a real one (the pty's master stays open for the test)."""
    master, slave = os.openpty()
    _MASTERS.append(master)
    return open(slave, "w"), open(os.dup(slave))


@pytest.fixture(autouse=True)
def _close_masters() -> object:
    yield
    while _MASTERS:
        os.close(_MASTERS.pop())


@pytest.mark.parametrize(
    ("flag", "env", "expected"),
    [
        (True, {"TERM": "xterm"}, "you asked for it (--plain)"),
        (False, {"TERM": "xterm", "ACCESSIBLE": "1"}, "ACCESSIBLE is set"),
        (False, {"TERM": "xterm", "ACCESSIBLE": ""}, None),  # empty: not set
        (False, {"TERM": "dumb"}, "TERM is dumb"),
        (False, {"TERM": "xterm-256color"}, None),  # a real terminal: the full app
    ],
)
def test_the_reasons(flag: bool, env: dict[str, str], expected: str | None) -> None:
    out, inp = _tty()
    try:
        assert choice.reason(flag, env, inp, out) == expected
    finally:
        out.close()
        inp.close()


def test_the_setting_lives_in_the_config_folder(tmp_path: Path) -> None:
    out, inp = _tty()
    try:
        env = {"TERM": "xterm"}
        assert choice.reason(False, env, inp, out) is None
        path = choice.write_config("always", True)
        assert path.parent == Path(os.environ["KAPPREP_CONFIG"])
        assert (path.stat().st_mode & 0o777) == 0o600
        assert choice.reason(False, env, inp, out).startswith("your setting")
        choice.write_config("always", False)
        assert choice.reason(False, env, inp, out) is None
    finally:
        out.close()
        inp.close()
    assert choice.read_config(tmp_path / "none") == {"always": False, "bell": False}
    odd = tmp_path / "odd.conf"
    odd.write_text("always\nbell = maybe\nnonsense = yes\n", encoding="utf-8")
    assert choice.read_config(odd) == {"always": False, "bell": False}


def test_not_a_terminal_is_plain_whatever_term_says() -> None:
    out, inp = _tty()
    try:
        with open(os.devnull) as null:
            env = {"TERM": "xterm"}
            assert choice.reason(False, env, null, out) == "the input is not a terminal"
            with open(os.devnull, "w") as sink:
                assert choice.reason(False, env, inp, sink) == "the output is not a terminal"
    finally:
        out.close()
        inp.close()


@pytest.mark.parametrize("env", [{"TERM": "dumb"}, {"TERM": "xterm", "ACCESSIBLE": "1"}])
def test_breathe_follows_the_same_rule(run_pty, tmp_path: Path, env: dict[str, str]) -> None:
    """`kapprep breathe` in a terminal with TERM=dumb (or ACCESSIBLE): a line per phase, no
    escape codes, where it used to draw a bar with them."""
    pty: Pty = run_pty("breathe", "box", "--cycles", "1", **env)
    pty.expect("saved in your practice log.")
    assert pty.wait() == 0
    assert "\x1b" not in pty.text
    lines = [line for line in pty.text.split("\n") if " seconds (" in line]
    assert lines == [
        "Breathe in, 4 seconds (1 breath left)",
        "Hold, 4 seconds (1 breath left)",
        "Breathe out, 4 seconds (1 breath left)",
        "Rest, 4 seconds (1 breath left)",
    ]
    assert textual_modules(tmp_path) == []


def test_ctrl_c_stops_kapprep_breathe_calmly(tmp_path: Path) -> None:
    """On the real clock (no hook): Ctrl-C in the middle of a phase stops it, exit 0, logged."""
    env = child_env(tmp_path, TERM="dumb")
    del env["PYTHONPATH"]
    pty = Pty([str(KAPPREP), "breathe", "box", "--minutes", "2"], env)
    try:
        pty.expect("Breathe in, 4 seconds")
        pty.key(b"\x03")
        pty.expect("Stopped. That counts too.")
        assert pty.wait() == 0
    finally:
        pty.close()
    assert "Traceback" not in pty.text
    from kapprep.store import Store

    with Store.open(tmp_path / "data") as store:
        [practice] = store.practices()
    assert (practice.pattern, practice.finished) == ("box", False)


def test_plain_mode_saves_the_briefings_numbers_as_contacts(tmp_path: Path) -> None:
    """The briefing menu's "contacts": a vCard file in the private folder, as the app's v."""
    from kapprep.store import Store

    with Store.open(tmp_path / "data") as store:
        store.set_setting("welcome_done", True)
        store.set_setting("country", "GB")
    result = subprocess.run(
        [str(KAPPREP)],
        input="briefing\ncontacts\nback\nquit\n",
        capture_output=True,
        text=True,
        env=child_env(tmp_path, TERM="xterm-256color"),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    [saved] = (tmp_path / "data" / "briefings").glob("*.vcf")
    assert "Saved the contacts (vCard) to" in " ".join(result.stdout.split())
    assert saved.name in "".join(result.stdout.split())  # the path may wrap over lines
    text = saved.read_bytes().decode("utf-8")  # CRLF kept, as the format asks
    assert "FN:Crisis line Samaritans\r\nTEL;TYPE=VOICE:116123\r\n" in text
    assert textual_modules(tmp_path) == []
