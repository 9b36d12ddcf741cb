"""Plain mode: kapprep for a screen reader, braille display or a pipe, as numbered lines.

Textual paints whole screens that screen readers cannot follow, so `kapprep` runs this instead
when asked (`--plain`, `ACCESSIBLE`, the setting in the config folder), with `TERM=dumb`, or when
input or output is not a terminal (`choice.py` decides, before Textual could be imported). It
reads the same timeline, store and features as the app (`core.py`, `app.py`, `prep.py`,
`features.py` and `writing.py` for the menus, `pacer.py` for breathing a line per phase,
`console.py` for the lines themselves), and says what the app notifies from `kapprep.messages`. It never imports Textual (a test proves it).
"""
