"""The Textual user interface: `app.py` wires the screens in `screens/` and widgets in `widgets/`."""
