"""Today's date, asked of one place.

Everything that judges a date against the calendar asks :func:`today`: the review-freshness rules
(D601, D603), the site's "overdue for review" list, the review date ``runbook new`` writes into a
starter and the one ``runbook import`` writes into a converted page. A verdict that changes with the
calendar is then an input like any other:

- ``RUNBOOK_TODAY=2027-03-01`` sets it for every command (and every process they start): a dry look
  ahead at what will be overdue next quarter, or a test suite that gives the same answers on any day;
- ``--today YYYY-MM-DD`` on ``validate_runbook`` (and the site plugin's ``today:`` setting) sets it for
  one run and wins over the variable.

The incident clock of ``runbook run`` is not a calendar verdict: it measures real elapsed time since
the incident started and is not shifted by either setting.
"""

from __future__ import annotations

import os
from datetime import date

from validator.findings import ConfigError

ENV = "RUNBOOK_TODAY"


def parse(text: str, where: str) -> date:
    """A ``YYYY-MM-DD`` date; ConfigError naming ``where`` the text came from otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"{where}: '{text}' is not a date (write YYYY-MM-DD, e.g. 2027-03-01)") from None


def today(override: date | None = None) -> date:
    """``override`` when a command was given one, else ``RUNBOOK_TODAY``, else the system's date."""
    if override is not None:
        return override
    pinned = os.environ.get(ENV, "").strip()
    if pinned:
        return parse(pinned, ENV)
    return date.today()
