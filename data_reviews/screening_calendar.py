"""A district's school calendar as the screener import reads it: when the school year starts and
when each screening window opens. Plain data, no database and no pandas, so the settings form and
the import pipeline share one rule.
"""

from __future__ import annotations

from dataclasses import dataclass

# A month and day as one sortable number: March 5 is 305. Adding a year's worth (1300) to the
# days before the school year's start puts them after its last day.
_YEAR = 1300


def month_day(month: int, day: int) -> int:
    return month * 100 + day


@dataclass(frozen=True)
class SchoolCalendar:
    """The school year's first day and the screening windows' opening days (month, day).

    With no windows, test dates follow the usual rule (August to November fall, December to
    February winter, March to July spring). See ScreeningWindow for the rule with windows.
    """

    start_month: int = 7
    start_day: int = 1
    windows: tuple[tuple[str, int, int], ...] = ()  # (window, opens month, opens day)

    @property
    def start(self) -> int:
        return month_day(self.start_month, self.start_day)

    def position(self, month: int, day: int) -> int:
        """Where a month and day falls in the school year: 0 on its first day, growing to its last."""
        return (month_day(month, day) - self.start) % _YEAR

    def windows_in_order(self) -> list[tuple[str, int]]:
        """(window, position of its opening day), earliest in the school year first."""
        return sorted(((name, self.position(m, d)) for name, m, d in self.windows), key=lambda w: w[1])

    def window_of(self, month: int, day: int) -> str | None:
        """The window that opened most recently on or before the day; before the first, the first."""
        ordered = self.windows_in_order()
        if not ordered:
            return None
        here = self.position(month, day)
        opened = [name for name, opens in ordered if opens <= here]
        return opened[-1] if opened else ordered[0][0]
