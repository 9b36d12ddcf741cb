"""The baseline for the benchmarks: the smallest useful Textual app (a Static and a Footer)."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("ready")
        yield Footer()


if __name__ == "__main__":
    Minimal().run()
