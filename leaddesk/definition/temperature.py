"""How warm a qualified lead is, in the team's words: the definition's ``[policy.temperature]``
levels (hot at 70, warm at 40 by default) turn fit and interest into the rating a CRM's
``Rating`` field, the JSON Lines record and the sales page show.

A lead is as warm as its weaker axis: hot when fit and interest are both at ``hot`` or more,
warm when both are at ``warm`` or more, else cold. The labels default to Salesforce's Rating
picklist (Hot, Warm, Cold); a team whose CRM says "Lukewarm" or "Raw" renames them.
"""

from __future__ import annotations

from dataclasses import dataclass

from leaddesk.definition.fields import Report, TableReader


@dataclass(frozen=True)
class Temperature:
    hot: int = 70
    warm: int = 40
    hot_label: str = "Hot"
    warm_label: str = "Warm"
    cold_label: str = "Cold"

    def rating(self, fit: int, interest: int) -> str:
        """The label for a lead with these fit and interest scores (0-100)."""
        low = min(fit, interest)
        if low >= self.hot:
            return self.hot_label
        return self.warm_label if low >= self.warm else self.cold_label


def read_temperature(table: TableReader, report: Report) -> Temperature:
    """``[policy.temperature]``: ``hot``/``warm`` levels (0-100, warm below hot) and labels."""
    base = Temperature()
    hot = int(table.number("hot", base.hot, 1, 100))
    warm = int(table.number("warm", base.warm, 0, 100))
    if warm >= hot:
        report(table.at("warm"), f"must be below hot ({hot}), not {warm}")
        hot, warm = base.hot, base.warm
    labels = [
        table.text("hot_label", base.hot_label).strip(),
        table.text("warm_label", base.warm_label).strip(),
        table.text("cold_label", base.cold_label).strip(),
    ]
    for key, label in zip(("hot_label", "warm_label", "cold_label"), labels, strict=True):
        if not label:
            report(table.at(key), "must not be empty; write the word your CRM's Rating uses")
    if len({label.lower() for label in labels}) < 3:
        report(table.at("cold_label"), "hot, warm and cold need three different labels")
    table.finish()
    if not all(labels):
        return Temperature(hot, warm)
    return Temperature(hot, warm, *labels)
