"""Typing one chunk of an export: text cells in, contract types out.

A chunk arrives as an Arrow table of strings named by the contract's columns.
Each column is parsed by the contract's rules for its type (dates, numbers,
booleans, codes); every cell that cannot be stored is reported with the reason
in Spanish, and its row goes to the quarantine instead of the warehouse.
Values that repeat (dates, codes, periods) are parsed once per distinct value.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc

from etl import contract as c

ARROW_TYPES = {
    c.STR: pa.string(), c.CODE: pa.string(), c.PERIOD: pa.string(), c.INT: pa.int64(),
    c.DEC: pa.float64(), c.DATE: pa.date32(), c.DATETIME: pa.timestamp("s"), c.BOOL: pa.bool_(),
}
DEC_LIMIT = 1e13  # NUMERIC(18, 4) holds 14 integer digits; a larger amount is an export error

_TRUE = {"s", "si", "1", "true", "t", "y", "yes", "verdadero", "x"}
_FALSE = {"n", "no", "0", "false", "f", "falso"}
_PERIOD = re.compile(r"^(\d{4})[-/]?(\d{1,2})$")
_DATETIME_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$")
_DATETIME_SLASH = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


@dataclass(frozen=True)
class Dialect:
    """How the numbers and slash-dates of one file are written."""
    decimal_comma: bool
    month_first: bool = False   # "MM/DD/AAAA" in config


class Invalid(ValueError):
    """A cell that cannot be stored; the message is the Spanish reason."""


def normalize(text: str) -> str:
    """Header and code matching: no case, accents, spaces, underscores or dashes."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\s_\-.]+", "", text).lower()


def parse_chunk(table: pa.Table, source: c.Source, dialect: Dialect,
                code_maps: dict[str, dict[str, str]]) -> tuple[pa.Table, list[tuple[int, str, str]]]:
    """Type every contract column of ``table``.

    Returns the typed table (same rows, invalid cells as null) and the list of
    errors as (row index in the chunk, column, reason).
    """
    errors: list[tuple[int, str, str]] = []
    typed = {}
    for col in source.columns:
        if col.name not in table.column_names:
            typed[col.name] = pa.nulls(table.num_rows, ARROW_TYPES[col.type])
            continue
        values, bad = _parse_column(table.column(col.name), col, dialect,
                                    code_maps.get(col.name, {}))
        typed[col.name] = values
        errors.extend((i, col.name, reason) for i, reason in bad)
        if col.required or col.required_if is not None:
            missing = pc.is_null(values)
            if col.required_if is not None:
                other, wanted = col.required_if
                missing = pc.and_(missing, pc.fill_null(pc.equal(typed[other], wanted), False))
            unparsable = {i for i, _ in bad}
            errors.extend((i, col.name, "falta el valor obligatorio")
                          for i in _indexes(missing) if i not in unparsable)
    return pa.table(typed), errors


def _blank_to_null(arr) -> pa.ChunkedArray:
    trimmed = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _indexes(mask) -> list[int]:
    return pc.indices_nonzero(mask).to_pylist()


def _parse_column(raw, col: c.Column, dialect: Dialect, code_map: dict[str, str]):
    if col.type == c.DEC:
        return _parse_decimal(raw, dialect)
    if col.type == c.INT:
        return _parse_int(raw)
    if col.type == c.STR:
        return _parse_str(raw, col)
    parser = {
        c.CODE: lambda v: _code(v, col, code_map),
        c.PERIOD: _period,
        c.BOOL: _bool,
        c.DATE: lambda v: _datetime(v, dialect).date(),
        c.DATETIME: lambda v: _datetime(v, dialect),
    }[col.type]
    return _parse_distinct(raw, parser, ARROW_TYPES[col.type])


def _parse_distinct(raw, parser, arrow_type):
    """Parse each distinct value once, then spread the results over the rows."""
    encoded = pc.dictionary_encode(raw).combine_chunks()
    parsed, reasons = [], []
    for value in encoded.dictionary.to_pylist():
        value = value.strip()
        try:
            parsed.append(parser(value) if value else None)
            reasons.append(None)
        except Invalid as e:
            parsed.append(None)
            reasons.append(str(e))
    indices = encoded.indices
    values = pa.array(parsed, arrow_type).take(indices)
    bad_reason = pa.array(reasons, pa.string()).take(indices)
    bad = [(i, bad_reason[i].as_py()) for i in _indexes(pc.is_valid(bad_reason))]
    return values, bad


def _code(value: str, col: c.Column, code_map: dict[str, str]) -> str:
    mapped = code_map.get(value, code_map.get(normalize(value), value))
    for code in col.codes:
        if normalize(code) == normalize(mapped):
            return code
    raise Invalid(f"código no reconocido; los válidos son: {', '.join(col.codes)}")


def _period(value: str) -> str:
    m = _PERIOD.match(value) or _PERIOD.match(value[:7])
    if m and 1 <= int(m.group(2)) <= 12 and 1990 <= int(m.group(1)) <= 2100:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    raise Invalid("periodo inválido; se espera AAAA-MM")


def _bool(value: str) -> bool:
    v = normalize(value)
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise Invalid("valor lógico inválido; se espera S/N, SI/NO, 1/0 o true/false")


def _datetime(value: str, dialect: Dialect) -> datetime:
    m = _DATETIME_ISO.match(value)
    if m:
        y, mo, d, hh, mi, ss = m.groups()
    else:
        m = _DATETIME_SLASH.match(value)
        if not m:
            raise Invalid("fecha inválida; se espera AAAA-MM-DD o DD/MM/AAAA")
        a, b, y, hh, mi, ss = m.groups()
        d, mo = (b, a) if dialect.month_first else (a, b)
    try:
        return datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0))
    except ValueError:
        raise Invalid("fecha inexistente en el calendario") from None


def _parse_str(raw, col: c.Column):
    raw = _blank_to_null(raw)
    # A NUL character is no text: PostgreSQL cannot store it, and no export means it.
    nul = pc.fill_null(pc.match_substring(raw, "\x00"), False)
    bad = [(i, "tiene un carácter nulo (NUL), que no se puede guardar; corrija el texto en el "
               "sistema de origen") for i in _indexes(nul)]
    if bad:
        raw = pc.if_else(nul, pa.scalar(None, pa.string()), raw)
    if col.length is None:
        return raw, bad
    # Fixed-width numeric codes (DANE): a spreadsheet may have dropped the leading zeros.
    ok = pc.fill_null(pc.match_substring_regex(raw, rf"^\d{{1,{col.length}}}$"), True)
    padded = pc.utf8_lpad(raw, col.length, "0")
    bad += [(i, f"se esperan {col.length} dígitos") for i in _indexes(pc.invert(ok))]
    return pc.if_else(ok, padded, pa.scalar(None, pa.string())), bad


def _parse_int(raw):
    fast = _cast_or_none(raw, pa.int64())
    if fast is not None:
        return fast, []
    raw = _blank_to_null(raw)
    ok = pc.fill_null(pc.match_substring_regex(raw, r"^[+-]?\d{1,15}$"), True)
    values = pc.cast(pc.if_else(ok, raw, pa.scalar(None, pa.string())), pa.int64())
    return values, [(i, "no es un número entero") for i in _indexes(pc.invert(ok))]


def _parse_decimal(raw, dialect: Dialect):
    values = None if dialect.decimal_comma else _cast_or_none(raw, pa.float64())
    if values is not None and not pc.any(pc.invert(pc.is_finite(values))).as_py():
        return _bounded(values, [])
    text = pc.replace_substring_regex(_blank_to_null(raw), r"[\s$]", "")
    if dialect.decimal_comma:
        text = pc.replace_substring(pc.replace_substring(text, ".", ""), ",", ".")
    else:
        text = pc.replace_substring(text, ",", "")
    ok = pc.fill_null(pc.match_substring_regex(text, r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"), True)
    values = pc.cast(pc.if_else(ok, text, pa.scalar(None, pa.string())), pa.float64())
    return _bounded(values, [(i, "no es un número") for i in _indexes(pc.invert(ok))])


def _bounded(values, bad):
    """Round to the warehouse's 4 decimals; an amount beyond NUMERIC(18, 4) is an error."""
    too_big = pc.fill_null(pc.greater_equal(pc.abs(values), DEC_LIMIT), False)
    bad = bad + [(i, "número demasiado grande") for i in _indexes(too_big)]
    values = pc.if_else(too_big, pa.scalar(None, pa.float64()), pc.round(values, 4))
    return values, bad


def _cast_or_none(raw, arrow_type):
    """The fast path: a clean column casts in one step; ``None`` when any cell needs care."""
    try:
        return pc.cast(raw, arrow_type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
