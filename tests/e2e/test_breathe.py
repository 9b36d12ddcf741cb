"""End to end: `kapprep breathe` inline in a real terminal (tmux), stopped with q and with Ctrl-C.

Runs the installed `.venv/bin/kapprep` in a bash inside tmux, waits for the phase word, stops it,
then checks the shell's terminal modes were put back (canonical mode and echo on, cursor shown)
and that the practice is in the log.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .terminal import KAPPREP, Terminal, needs_tmux

pytestmark = needs_tmux


@pytest.fixture
def shell(terminal: Terminal, tmp_path: Path) -> Terminal:
    """A bash in the terminal, with its own config folder."""
    terminal.start("bash --norc --noprofile", KAPPREP_CONFIG=str(tmp_path / "config"), PS1="$ ")
    return terminal


def _practices(data: Path) -> list[tuple[str, bool, float]]:
    from kapprep.store import Store

    with Store.open(data) as store:
        return [(p.pattern, p.finished, p.seconds) for p in store.practices()]


@pytest.mark.parametrize(("stop_key", "word"), [("q", "Stopped."), ("C-c", "Stopped.")])
def test_breathe_inline_stops_and_restores_terminal(
    shell: Terminal, tmp_path: Path, stop_key: str, word: str
) -> None:
    data = tmp_path / "data"
    shell.type(f"{KAPPREP} --data-dir {data} breathe box --minutes 2; echo EXIT=$?")
    shell.wait_for(lambda s: "Breathe in" in s, "the phase word")
    shell.wait_for(lambda s: "Hold" in s, "the next phase")  # it moves on by itself
    assert not shell.cursor_visible()  # hidden while the pacer draws
    shell.keys(stop_key)
    # "EXIT=$?" is on the typed command line too: wait for the number the shell prints.
    screen = shell.wait_for(lambda s: re.search(r"EXIT=\d", s) is not None, "kapprep to exit")
    assert word in screen
    assert "EXIT=0" in screen
    assert "Traceback" not in screen
    assert shell.cursor_visible()
    # The terminal is back as it was: canonical mode and echo on.
    shell.type("stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | sort | tr '\\n' ,; echo")
    screen = shell.wait_for(lambda s: "echo,icanon," in s, "stty's report")
    [(pattern, finished, seconds)] = _practices(data)
    assert (pattern, finished) == ("box", False)
    assert 4.0 <= seconds < 60.0


def test_ctrl_z_gives_the_terminal_back_and_fg_carries_on(shell: Terminal, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shell.type(f"{KAPPREP} --data-dir {data} breathe box --minutes 2")
    shell.wait_for(lambda s: "Breathe in" in s, "the phase word")
    shell.keys("C-z")
    shell.wait_for(lambda s: "Stopped" in s, "the shell to say the job stopped")
    assert shell.cursor_visible()
    shell.type("stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | sort | tr '\\n' ,; echo")
    shell.wait_for(lambda s: "echo,icanon," in s, "stty's report while suspended")
    shell.type("fg")
    shell.wait_for(lambda s: s.count("breaths left") + s.count("minutes left") >= 2, "a redraw")
    assert not shell.cursor_visible()
    shell.keys("q")
    shell.wait_for(lambda s: "saved in your practice log" in s, "kapprep to exit")
    [(pattern, finished, _seconds)] = _practices(data)
    assert (pattern, finished) == ("box", False)
