"""Numbers as the users read them (``look-and-feel.md``): ``$ 1.234.567``, ``93,1 %``.

A leaf module, like ``cauce.settings``: the terminal, the data-quality report and, later,
the dashboard and the workbook all format with it.
"""
from __future__ import annotations


def miles(n: int) -> str:
    """1234567 -> 1.234.567 (Colombian thousands separator)."""
    return f"{n:,}".replace(",", ".")


def decimal(x: float, cifras: int = 1) -> str:
    """1234.56 -> 1.234,6 (dot thousands, comma decimal)."""
    return f"{x:,.{cifras}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def porcentaje(x: float) -> str:
    """0.052 -> 5,2 % (comma decimal, a space before %)."""
    return f"{decimal(100 * x)} %"


def pesos(x: float) -> str:
    """1234567.4 -> $ 1.234.567 (no decimals); negative: -$ 1.234."""
    return f"{'-' if round(x) < 0 else ''}$ {miles(abs(round(x)))}"


def valor(x: float | None, unidad: str) -> str:
    """An indicator's value in its unit; "sin datos" where there is none (never a 0)."""
    if x is None:
        return "sin datos"
    if unidad == "proporcion":
        return porcentaje(x)
    if unidad == "pesos":
        return pesos(x)
    if unidad in ("m3", "m3_por_cuenta"):
        return f"{miles(round(x)) if unidad == 'm3' else decimal(x)} m³"
    if unidad in ("cuentas", "conteo"):
        return miles(round(x))
    return decimal(x)
