"""Numbers as the users read them (``look-and-feel.md``): ``1.234.567``, ``93,1 %``.

A leaf module, like ``cauce.settings``: the terminal, the data-quality report
and, later, the dashboard and the workbook all format with it.
"""
from __future__ import annotations


def miles(n: int) -> str:
    """1234567 -> 1.234.567 (Colombian thousands separator)."""
    return f"{n:,}".replace(",", ".")


def porcentaje(x: float) -> str:
    """0.052 -> 5,2 % (comma decimal, a space before %)."""
    return f"{100 * x:.1f} %".replace(".", ",")
