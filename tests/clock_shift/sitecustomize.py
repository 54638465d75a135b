"""Moves the clock of every Python process the suite starts, for ``nox -s tests_calendar``.

With ``RUNBOOK_TEST_CLOCK_SHIFT=400`` (days; negative goes back) and this folder on
``PYTHONPATH``, pytest, its workers and every command a test runs (``validate_runbook``,
``runbook run``, ``mkdocs build``, ansible-playbook) start with their wall clock moved by that
many days and still ticking: ``date.today()``, ``datetime.now()`` and ``time.time()`` all agree
on the shifted day, while monotonic clocks (sleeps, timeouts) are left alone.  The suite must
pass unchanged, which is how it proves that no test depends on the day it runs on.

time-machine patches the clock functions in C, so the shift reaches code that imported
``datetime`` before this ran and C extensions that ask the time module; the system-wide
alternative (libfaketime) also shifts the monotonic clock that thread waits are measured on, and
hangs them.
"""

from __future__ import annotations

import os

_SHIFT = os.environ.get("RUNBOOK_TEST_CLOCK_SHIFT", "").strip()
if _SHIFT:
    import datetime

    import time_machine

    time_machine.travel(datetime.timedelta(days=int(_SHIFT)), tick=True).start()
