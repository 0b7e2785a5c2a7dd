"""Writing the demo's export files byte for byte, and the list of planted defects.

Every column is formatted to text here (ISO dates, fixed decimals, ``S``/``N``,
empty for null) and the rows are joined with Arrow kernels, chunk by chunk, so
the bytes are exactly the contract's and no file is ever held whole in memory.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.contract import SOURCES

CHUNK = 50_000
NUNCA = np.int64(2**40)           # "never": a date (days) or date-time (seconds) that does not happen
DIA = 86_400

# A column is a function giving the text of rows [lo, hi) as an Arrow string array (null = empty).
Columna = Callable[[int, int], pa.Array]


def _nulls(mask, lo, hi):
    return None if mask is None else np.asarray(mask[lo:hi], dtype=bool)


class Filas:
    """A per-account value for the rows of a file, taken chunk by chunk (never all at once)."""

    def __init__(self, fn: Callable[[np.ndarray], np.ndarray], idx: np.ndarray):
        self.fn, self.idx = fn, idx

    def __getitem__(self, rows: slice) -> np.ndarray:
        return self.fn(self.idx[rows])

    def __len__(self) -> int:
        return len(self.idx)


def constante(valor: str) -> Columna:
    one = pa.array([valor])
    return lambda lo, hi: one.take(pa.array(np.zeros(hi - lo, np.int8)))


def vocab(idx: np.ndarray, palabras, nulos=None) -> Columna:
    """Codes and other texts picked from a small list by index."""
    words = pa.array(list(palabras), pa.string())

    def col(lo, hi):
        i = np.asarray(idx[lo:hi])
        i = i.view(np.int8) if i.dtype == bool else i
        return words.take(pa.array(i, mask=_nulls(nulos, lo, hi)))
    return col


def entero(v: np.ndarray, nulos=None) -> Columna:
    return lambda lo, hi: pa.array(v[lo:hi], mask=_nulls(nulos, lo, hi)).cast(pa.string())


def relleno(v: np.ndarray, ancho: int, prefijo: str = "", nulos=None) -> Columna:
    """Zero-padded numbers kept as text (``00012345``), optionally with a prefix."""
    def col(lo, hi):
        s = pc.utf8_lpad(pa.array(v[lo:hi], mask=_nulls(nulos, lo, hi)).cast(pa.string()), ancho, "0")
        return pc.binary_join_element_wise(prefijo, s, "") if prefijo else s
    return col


def fijo(v: np.ndarray, decimales: int, nulos=None) -> Columna:
    """A number stored as an integer scaled by 10**decimales, written with a decimal point."""
    scale = 10 ** decimales

    def col(lo, hi):
        x = np.asarray(v[lo:hi], dtype=np.int64)
        a = np.abs(x)
        whole = pa.array(a // scale, mask=_nulls(nulos, lo, hi)).cast(pa.string())
        if (x < 0).any():
            whole = pc.if_else(pa.array(x < 0), pc.binary_join_element_wise("-", whole, ""), whole)
        frac = pc.utf8_lpad(pa.array(a % scale).cast(pa.string()), decimales, "0")
        return pc.binary_join_element_wise(whole, frac, ".")
    return col


def fecha(dias: np.ndarray) -> Columna:
    """Days since 1970-01-01 as ``YYYY-MM-DD``; ``NUNCA`` is empty."""
    def col(lo, hi):
        d = np.asarray(dias[lo:hi], dtype=np.int64)
        never = d >= NUNCA
        days = pa.array(np.where(never, 0, d).astype(np.int32), mask=never)
        return days.cast(pa.date32()).cast(pa.string())
    return col


def fecha_hora(segundos: np.ndarray) -> Columna:
    """Seconds since 1970-01-01 00:00 as ``YYYY-MM-DD HH:MM:SS``; ``NUNCA`` is empty."""
    def col(lo, hi):
        s = np.asarray(segundos[lo:hi], dtype=np.int64)
        never = s >= NUNCA
        return pa.array(np.where(never, 0, s), mask=never).cast(pa.timestamp("s")).cast(pa.string())
    return col


def booleano(b: np.ndarray, nulos=None) -> Columna:
    return vocab(b, ("N", "S"), nulos)


def texto(valores) -> Columna:
    """Free text (names, what users wrote): quoted where it holds a comma, quote or line break."""
    arr = valores if isinstance(valores, pa.Array) else pa.array(list(valores), pa.string())
    return lambda lo, hi: comillas(arr.slice(lo, hi - lo))


def calculado(fn: Callable[[int, int], pa.Array], libre: bool = False) -> Columna:
    """Text computed per chunk (names built from vocabularies); ``libre`` marks free text."""
    return (lambda lo, hi: comillas(fn(lo, hi))) if libre else fn


def comillas(arr: pa.Array) -> pa.Array:
    """RFC 4180 quoting of the values that need it."""
    needs = pc.fill_null(pc.match_substring_regex(arr, '[,"\r\n]'), False)
    if not pc.any(needs).as_py():
        return arr
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(arr, '"', '""'), '"', "")
    return pc.if_else(needs, quoted, arr)


def radicado(num: np.ndarray) -> pa.Array:
    """Filing numbers kept as year × 10⁶ + sequence, written ``YYYY-NNNNNN``; null where num < 0."""
    num = np.asarray(num, np.int64)
    year = pa.array(num // 1_000_000, mask=num < 0).cast(pa.string())
    seq = pc.utf8_lpad(pa.array(num % 1_000_000).cast(pa.string()), 6, "0")
    return pc.binary_join_element_wise(year, seq, "-")


def _bytes(line: pa.Array) -> memoryview:
    """The data buffer of a string array without nulls: the rows back to back."""
    if isinstance(line, pa.ChunkedArray):
        line = line.combine_chunks()
    offsets = np.frombuffer(line.buffers()[1], dtype=np.int32, count=len(line) + 1,
                            offset=line.offset * 4)
    return memoryview(line.buffers()[2])[offsets[0]:offsets[-1]]


class Archivo:
    """One export file being written: the contract's header, then rows added part by part."""

    def __init__(self, path: Path, fuente: str):
        self.names = SOURCES[fuente].names
        self.fuente, self.filas = fuente, 0
        self.f = open(path, "wb")
        self.f.write((",".join(self.names) + "\n").encode("utf-8"))

    def agregar(self, n: int, columnas: dict[str, Columna]) -> None:
        if set(columnas) != set(self.names):
            raise ValueError(f"{self.fuente}: columns {sorted(set(columnas) ^ set(self.names))} "
                             f"do not match the contract")
        for lo in range(0, n, CHUNK):
            hi = min(n, lo + CHUNK)
            parts = [columnas[c](lo, hi) for c in self.names]
            line = pc.binary_join_element_wise(*parts, ",", null_handling="replace", null_replacement="")
            self.f.write(_bytes(pc.binary_join_element_wise(line, "", "\n")))
        self.filas += n

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()


class Defectos:
    """The planted defects, listed in ``defectos.json`` with the key of the row that holds each."""

    def __init__(self, activos: bool):
        self.activos = activos
        self.filas: list[tuple[str, str, str, str]] = []      # fuente, archivo, tipo, clave (JSON)

    def anotar(self, tipo: str, fuente: str, archivo: str, claves: dict[str, list[str]]) -> None:
        key = SOURCES[fuente].key
        assert set(claves) == set(key), (fuente, claves)
        for values in zip(*(claves[k] for k in key)):
            clave = json.dumps(dict(zip(key, (str(v) for v in values))), ensure_ascii=False)
            self.filas.append((fuente, archivo, tipo, clave))

    def escribir(self, salida: Path) -> int:
        """A JSON array, one defect a line, sorted by source, file, kind and key."""
        def order(row):
            return row[:3] + (json.dumps(json.loads(row[3]), sort_keys=True),)

        with open(salida / "defectos.json", "w", encoding="utf-8") as f:
            f.write("[")
            for k, (fuente, archivo, tipo, clave) in enumerate(sorted(self.filas, key=order)):
                f.write(f'{"," if k else ""}\n{{"fuente": {json.dumps(fuente)}, '
                        f'"archivo": {json.dumps(archivo)}, "clave": {clave}, "tipo": {json.dumps(tipo)}}}')
            f.write("\n]\n")
        return len(self.filas)
