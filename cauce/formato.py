"""Numbers and months as the users read them (``look-and-feel.md``): ``$ 1.234.567``,
``93,1 %``, ``+2,4 pp``, ``jul 2026``, ``Julio de 2026``.

A ground module, like ``cauce.settings`` (it reads only the contract's codes): the terminal,
the data-quality report, the dashboard and the workbook all format with it.
"""
from __future__ import annotations

import datetime as dt
import decimal as _decimal

from etl.contract import COLUMNAS_DE_CODIGOS, nombre_de_codigo


def miles(n: int) -> str:
    """1234567 -> 1.234.567 (Colombian thousands separator)."""
    return f"{n:,}".replace(",", ".")


def decimal(x: float, cifras: int = 1) -> str:
    """1234.56 -> 1.234,6 (dot thousands, comma decimal); a value that rounds to zero reads
    0,0, never -0,0."""
    x = round(x, cifras) + 0.0          # -0.0 + 0.0 is 0.0
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


MILLON, MIL_MILLONES = 1_000_000, 1_000_000_000


def compacto(x: float | None, unidad: str) -> str:
    """A value for a card, a chart's label or a sentence: pesos from a million up in words
    (``$ 450 millones``, ``$ 6,2 millones``, ``$ 1,2 mil millones``), never with a bare
    ``M``, which Colombian accounting reads as thousands; the rest as :func:`valor`."""
    if x is None or unidad != "pesos" or abs(x) < MILLON - 0.5:
        return valor(x, unidad)
    signo, x = "-" if x < 0 else "", abs(x)
    if round(x / MILLON) >= 1000:
        return f"{signo}$ {decimal(x / MIL_MILLONES)} mil millones"
    millones = decimal(x / MILLON) if x < 10 * MILLON - 50_000 else miles(round(x / MILLON))
    return f"{signo}$ {millones} millones"


def cambio(delta: float | None, unidad: str) -> str:
    """A change between two values: proportions in percentage points (``+2,4 pp``), pesos as
    :func:`compacto` (``+$ 24 millones``). A change that rounds to nothing has no sign
    (``0,0 m³``, never ``-0,0 m³``)."""
    if delta is None:
        return "sin dato"
    texto = (f"{decimal(abs(100 * delta))} pp" if unidad == "proporcion"
             else compacto(abs(delta), unidad))
    if not any(d in "123456789" for d in texto):
        return texto
    return f"{'+' if delta > 0 else '-'}{texto}"


def en_frase(nombre: str) -> str:
    """A name inside a sentence: "Nivel de satisfacción del usuario (NSU)" -> "nivel de
    satisfacción del usuario (NSU)"; a name that starts with an acronym keeps it ("PQR
    radicadas")."""
    primera = nombre.split(" ", 1)[0]
    return nombre if primera.isupper() else nombre[:1].lower() + nombre[1:]


MESES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
         "septiembre", "octubre", "noviembre", "diciembre")


def mes(periodo: str, corto: bool = False) -> str:
    """2026-07 -> "julio de 2026" (``corto``: "jul 2026", for a chart's axis)."""
    nombre = MESES[int(periodo[5:7]) - 1]
    return f"{nombre[:3]} {periodo[:4]}" if corto else f"{nombre} de {periodo[:4]}"


def celda(columna: str, v, dinero=(), porcentajes=()) -> str:
    """A value of a list or a table as the users read it: pesos for balances (and the
    columns in ``dinero``), % for the columns in ``porcentajes``, Sí/No, dd/mm/aaaa dates,
    whole numbers with thousands, a contract's code as people read it ("petición"); empty for
    no value."""
    try:
        if v is None or v != v:
            return ""
    except TypeError:       # pandas' NA
        return ""
    if isinstance(v, bool):
        return "Sí" if v else "No"
    if columna.startswith("saldo") or columna in dinero:
        return pesos(float(v))
    if columna == "variacion":
        return f"{'+' if v > 0 else ''}{porcentaje(float(v))}"
    if columna in porcentajes:
        return porcentaje(float(v))
    if isinstance(v, dt.datetime):
        return v.strftime("%d/%m/%Y %H:%M")
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, int):
        return miles(v)
    if isinstance(v, (float, _decimal.Decimal)):
        return miles(int(v)) if float(v).is_integer() else decimal(float(v), 2)
    if columna in COLUMNAS_DE_CODIGOS and isinstance(v, str):
        return nombre_de_codigo(v)
    return str(v)


def provisional(n: int | float | None) -> str:
    """How many of an indicator's items are not yet due at the data's cut-off: "15 aún no
    vencen", "1 aún no vence"; empty when none (the value is final)."""
    if not n or n != n:
        return ""
    n = int(n)
    return f"{miles(n)} aún no {'vence' if n == 1 else 'vencen'}"
