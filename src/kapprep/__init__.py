"""kapprep: a calm terminal companion for preparing for ketamine-assisted psychotherapy.

A companion, not a clinician: it gives no dosing advice and defers to the patient's clinic.
Nothing happens at import time: no folder is created, no file read, no Textual imported.
"""

__version__ = "0.1.0"
