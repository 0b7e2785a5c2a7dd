"""How a SUI layout's values are written in the flat file (dates ``dd-mm-aaaa``, numbers with
a decimal point and no trailing zeros, text on one line without commas or quotes), a whole
Arrow column at a time where Arrow writes the same text, value by value otherwise."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from indicators.sui.formato import Campo


def escrita(campo: Campo, valores: pa.Array | None, n: int) -> pa.Array:
    """The field's text in each of ``n`` rows: its constant, else its value written as the
    flat file wants it (:func:`formateador`), else (empty or null) its default."""
    if campo.constante is not None:
        texto = pa.repeat(pa.scalar(campo.constante, pa.string()), n)
    elif valores is None:
        texto = pa.repeat(pa.scalar("", pa.string()), n)
    else:
        texto = pc.fill_null(_escritos(campo, valores), "")
    if campo.defecto is not None:
        texto = pc.if_else(pc.equal(texto, ""), campo.defecto, texto)
    return texto


def _escritos(campo: Campo, v: pa.Array) -> pa.Array:
    """:func:`formateador` on a column, a column at a time where Arrow writes the same text
    (text, integers, decimals of a numeric field, dates of a date field); value by value
    otherwise. Nulls stay null."""
    t = v.type
    if pa.types.is_string(t):
        if campo.tipo == "texto":
            return _a_mano(v, _texto, pc.match_substring_regex(v, _NO_TEXTO))
        return _a_mano(v, str.strip, pc.match_substring_regex(v, _CON_BORDES))
    if pa.types.is_integer(t):
        return pc.cast(v, pa.string())
    if pa.types.is_decimal(t) and campo.numerico and t.scale <= 6:
        # Arrow writes a decimal of scale ≤ 6 without exponent, with all its decimals
        texto = pc.cast(v, pa.string())
        if t.scale > 0:
            texto = pc.utf8_rtrim(pc.utf8_rtrim(texto, "0"), ".")
        return pc.if_else(pc.equal(texto, "-0"), "0", texto)
    if pa.types.is_date32(t) and campo.tipo == "fecha":
        iso = pc.cast(v, pa.string())                       # aaaa-mm-dd
        return pc.binary_join_element_wise(*[pc.utf8_slice_codeunits(iso, i, i + n)
                                             for i, n in ((8, 2), (5, 2), (0, 4))], "-")
    if pa.types.is_timestamp(t) and campo.tipo == "fecha":
        return pc.strftime(v, "%d-%m-%Y")
    escribir = formateador(campo)
    return pa.array([None if x is None else escribir(x) for x in v.to_pylist()], pa.string())


def _a_mano(v: pa.Array, escribir: Callable[[str], str], donde: pa.Array) -> pa.Array:
    """``v`` with ``escribir`` applied where ``donde`` holds (elsewhere it changes nothing)."""
    donde = pc.fill_null(donde, False)
    indices = pc.indices_nonzero(donde)
    if len(indices) == 0:
        return v
    nuevos = pa.array([escribir(x) for x in v.take(indices).to_pylist()], pa.string())
    return pc.replace_with_mask(v, donde, nuevos)


def formateador(campo: Campo) -> Callable[[object], str]:
    """How a field's (non-null) value is written in the flat file: dates ``dd-mm-aaaa``,
    numbers with a decimal point, no thousands separator and no trailing zeros, text on one
    line without commas or quotes (the file has no quoting: they become spaces)."""
    if campo.tipo == "fecha":
        return _fecha
    if campo.numerico:
        return _numero
    if campo.tipo == "texto":
        return _texto
    return lambda v: str(v).strip()


def _fecha(v) -> str:
    if isinstance(v, dt.date):
        return f"{v.day:02d}-{v.month:02d}-{v.year:04d}"
    return str(v).strip()


def _numero(v) -> str:
    if isinstance(v, bool) or not isinstance(v, (int, float, Decimal)):
        return str(v).strip()
    if isinstance(v, int):
        return str(v)
    texto = format(Decimal(str(v)) if isinstance(v, float) else v, "f")
    if "." in texto:
        texto = texto.rstrip("0").rstrip(".")
    return "0" if texto == "-0" else texto


_SIN_SEPARADORES = str.maketrans({",": " ", '"': " "})
# What str.split() and str.strip() take for blank (str.isspace), to write RE2 classes.
BLANCOS = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
           + "".join(map(chr, range(0x2000, 0x200b))) + "\u2028\u2029\u202f\u205f\u3000")


def _clase(caracteres: str) -> str:
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in caracteres) + "]"


_CON_BORDES = f"^{_clase(BLANCOS)}|{_clase(BLANCOS)}$"      # what str.strip() changes
# What _texto changes: a comma, a quote, or a blank other than one space between words.
_NO_TEXTO = _clase(',"' + BLANCOS.replace(" ", "")) + "|^ | $|  "


def _texto(v) -> str:
    return " ".join(str(v).translate(_SIN_SEPARADORES).split())
