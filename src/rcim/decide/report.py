"""What a decision report says, as data and as text: JSON, table rows, Markdown.

Exact fractions are rounded only here, at the edge, so every format shows the same numbers: scores
to 2 places in tables and 4 in JSON, weights and weight changes to 4.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from fractions import Fraction

    from rcim.decide.analysis import Analysis
    from rcim.decide.scoring import RankedOption
    from rcim.decide.sensitivity import WeightSensitivity

JSON_PLACES = 4
RANKING_HEADERS = ("rank", "option", "score", "status")
SENSITIVITY_HEADERS = ("criterion", "weight", "change", "new weight", "new winner")
SENSITIVITY_NOTE = (
    "Smallest change of each weight (the others rescaled proportionally) that changes the winner."
)
DEFAULT_TITLE = "Decision analysis"


def rounded(value: Fraction | None, places: int = JSON_PLACES) -> float | None:
    return None if value is None else float(round(value, places))


def fixed(value: Fraction, places: int, *, signed: bool = False) -> str:
    """Fixed-point text of an exact value, rounded half to even like ``rounded``."""
    sign = "+" if signed else ""
    return f"{float(round(value, places)):{sign}.{places}f}"


def as_json(analysis: Analysis) -> dict[str, Any]:
    """The report as one JSON-ready object (the ``--format json`` contract)."""
    decision = analysis.decision
    table = decision.table
    return {
        "title": table.title,
        "scale": list(table.scale),
        "criteria": [
            {"name": c.name, "weight": rounded(weight), "min": c.min, "max": c.max}
            for c, weight in zip(table.criteria, decision.weights, strict=True)
        ],
        "ranking": [
            {"option": r.option, "score": rounded(r.score), "excluded_by": list(r.excluded_by)}
            for r in decision.ranking
        ],
        "winner": decision.winner,
        "sensitivity": [_sensitivity_json(entry) for entry in analysis.sensitivity],
        "warnings": list(decision.warnings),
    }


def _sensitivity_json(entry: WeightSensitivity) -> dict[str, Any]:
    return {
        "criterion": entry.criterion,
        "weight": rounded(entry.weight),
        "delta": rounded(entry.delta),
        "new_weight": rounded(entry.new_weight),
        "new_winner": entry.new_winner,
    }


def ranking_rows(analysis: Analysis) -> list[tuple[str, str, str, str]]:
    """Rows under ``RANKING_HEADERS``; excluded options get no rank, since they cannot win."""
    rows = []
    for position, ranked in enumerate(analysis.decision.ranking, start=1):
        rank = str(position) if ranked.eligible else "-"
        rows.append((rank, ranked.option, fixed(ranked.score, 2), status_text(ranked)))
    return rows


def status_text(ranked: RankedOption) -> str:
    if ranked.eligible:
        return "eligible"
    return "excluded: " + ", ".join(ranked.excluded_by)


def sensitivity_rows(analysis: Analysis) -> list[tuple[str, str, str, str, str]]:
    """Rows under ``SENSITIVITY_HEADERS``; "none" where no weight in [0, 1] changes the winner."""
    rows = []
    for entry in analysis.sensitivity:
        weight = fixed(entry.weight, JSON_PLACES)
        if entry.delta is None or entry.new_weight is None or entry.new_winner is None:
            rows.append((entry.criterion, weight, "none", "-", "-"))
            continue
        change = fixed(entry.delta, JSON_PLACES, signed=True)
        new_weight = fixed(entry.new_weight, JSON_PLACES)
        rows.append((entry.criterion, weight, change, new_weight, entry.new_winner))
    return rows


def winner_text(analysis: Analysis) -> str:
    decision = analysis.decision
    winner = next((r for r in decision.ranking if r.eligible), None)
    if winner is None:
        return f"no winner: all {len(decision.ranking)} options are excluded by constraints"
    return f"winner: {winner.option} (score {fixed(winner.score, 2)})"


def as_markdown(analysis: Analysis) -> str:
    """The report as a Markdown document: title, ranking, winner, sensitivity."""
    title = analysis.decision.table.title or DEFAULT_TITLE
    parts = [
        f"# {_md_cell(title)}",
        _md_table(RANKING_HEADERS, ranking_rows(analysis), right=(0, 2)),
        f"**{_md_cell(_sentence(winner_text(analysis)))}**",
        "## Sensitivity",
        SENSITIVITY_NOTE,
        _md_table(SENSITIVITY_HEADERS, sensitivity_rows(analysis), right=(1, 2, 3)),
    ]
    return "\n\n".join(parts) + "\n"


def _md_table(
    headers: tuple[str, ...], rows: Sequence[tuple[str, ...]], *, right: tuple[int, ...]
) -> str:
    rule = ["---:" if index in right else "---" for index in range(len(headers))]
    lines = [_md_row(headers), _md_row(tuple(rule))]
    lines += [_md_row(tuple(_md_cell(cell) for cell in row)) for row in rows]
    return "\n".join(lines)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _md_row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_cell(text: str) -> str:
    """Names are free text; a pipe or newline in one must not break the table."""
    return text.replace("|", "\\|").replace("\n", " ")
