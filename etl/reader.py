"""Reading export files (CSV and XLSX) into typed chunks of bounded size.

The reader tells the source by the file name, detects the encoding
(UTF-8 with or without BOM, or Windows-1252) and the delimiter (``,`` or
``;``), matches the headers to the contract (case, accents, spaces and
underscores ignored, with the column names of ``[mapeo.<fuente>]``), and
yields chunks: the rows that can be stored, typed, and the rows that cannot,
with the reason, for the quarantine.
"""
from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv

from cauce import CauceError
from cauce.settings import Settings
from etl import contract as c
from etl.parse import ARROW_TYPES, Dialect, normalize, parse_chunk

EXTENSIONS = (".csv", ".xlsx")
XLSX_ROWS_PER_CHUNK = 50_000
ROW_COLUMN = "_fila"      # the row's number in the file (the header is row 1)

QUARANTINE_SCHEMA = pa.schema([
    ("fila", pa.int64()), ("clave", pa.string()), ("columna", pa.string()), ("valor", pa.string()),
    ("motivo", pa.string())])


class FileError(CauceError):
    """The whole file cannot be loaded (exit code 1: a person must act)."""

    def __init__(self, path: Path | str, mensaje: str, detalle: str | None = None):
        super().__init__(f"{Path(path).name}: {mensaje}", 1, detalle)


@dataclass
class Chunk:
    rows: pa.Table                 # typed valid rows, with ROW_COLUMN
    quarantine: pa.Table           # QUARANTINE_SCHEMA
    read: int                      # rows read from the file in this chunk
    position: int = 0              # bytes of the file consumed so far


@dataclass
class Layout:
    """Where each contract column is in the file."""
    source: c.Source
    headers: dict[str, str]        # contract column -> header as written in the file
    ignored: list[str] = field(default_factory=list)


def export_files(folder: Path) -> list[tuple[Path, c.Source | None]]:
    """The export files of a folder, in load order: by source, then by name."""
    order = list(c.SOURCES)
    files = [(p, c.source_of_filename(p.name)) for p in sorted(folder.iterdir())
             if p.is_file() and p.suffix.lower() in EXTENSIONS and not p.name.startswith(("~$", "."))]
    return sorted(files, key=lambda f: (order.index(f[1].name) if f[1] else -1, f[0].name))


def read_export(path: Path, source: c.Source, settings: Settings) -> tuple[Layout, Iterator[Chunk]]:
    """Open an export file; fails at once (FileError) if its structure is unusable."""
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, source, settings)
    return _read_csv(path, source, settings)


# --- header matching -------------------------------------------------------

def match_headers(path: Path, header: list[str], source: c.Source, settings: Settings) -> Layout:
    mapping = settings.mapeos.get(source.name)
    wanted = {col.name: normalize(mapping.columnas.get(col.name, col.name) if mapping else col.name)
              for col in source.columns}
    found: dict[str, str] = {}
    seen: dict[str, str] = {}
    for h in header:
        key = normalize(h or "")
        if key in seen and key in wanted.values():
            raise FileError(path, f"la columna «{h}» aparece dos veces en el encabezado. "
                                  f"Deje una sola y vuelva a cargar.")
        seen[key] = h
    for name, key in wanted.items():
        if key in seen:
            found[name] = seen[key]
    needed = [col.name for col in source.columns if col.required or col.required_if]
    missing = [n for n in needed if n not in found]
    if missing:
        names = ", ".join(missing)
        raise FileError(path, f"falta(n) la(s) columna(s) obligatoria(s) {names} de la fuente "
                              f"{source.name}. Revise el encabezado del archivo; si su sistema le "
                              f"da otro nombre a la columna, pida al administrador de Cauce que lo "
                              f"declare.",
                        f"Para el administrador: el nombre que usa el sistema se declara en "
                        f"config.toml, sección [mapeo.{source.name}.columnas].")
    ignored = [h for h in header if normalize(h or "") not in set(wanted.values())]
    return Layout(source, found, ignored)


def _dialect(settings: Settings, delimiter: str) -> Dialect:
    comma = {"coma": True, "punto": False}.get(settings.formato_decimal, delimiter == ";")
    return Dialect(decimal_comma=comma, month_first=settings.formato_fecha == "MM/DD/AAAA")


def _code_maps(source: c.Source, settings: Settings) -> dict[str, dict[str, str]]:
    mapping = settings.mapeos.get(source.name)
    if not mapping:
        return {}
    return {col: {**table, **{normalize(k): v for k, v in table.items()}}
            for col, table in mapping.valores.items()}


def _typed_chunk(strings: pa.Table, first_row: int, layout: Layout, dialect: Dialect,
                 code_maps, extra_quarantine=()) -> Chunk:
    """Parse a chunk of strings whose first row is file row ``first_row``."""
    rename = {v: k for k, v in layout.headers.items()}
    strings = strings.rename_columns([rename.get(n, n) for n in strings.column_names])
    typed, errors = parse_chunk(strings, layout.source, dialect, code_maps)
    rows = pa.array(np.arange(first_row, first_row + strings.num_rows, dtype=np.int64))
    keep = np.ones(strings.num_rows, dtype=bool)
    keep[[i for i, _, _ in errors]] = False
    quarantine = _bad_cells(strings, first_row, layout.source, sorted(errors))
    quarantine.extend(extra_quarantine)
    typed = typed.append_column(ROW_COLUMN, rows).filter(pa.array(keep))
    return Chunk(typed, _quarantine_table(quarantine), strings.num_rows + len(extra_quarantine))


def _bad_cells(strings: pa.Table, first_row: int, source: c.Source, errors) -> list[tuple]:
    """(row, key as written, column, value, reason) of each bad cell. The key (``00012345 |
    2026-10``) finds the row in the source system. Read by column: a file whose column is
    wrong has a bad cell in every row."""
    rows = [i for i, _, _ in errors]
    keys = [" | ".join(v or "" for v in parts)
            for parts in zip(*(_cells(strings, k, rows) for k in source.key))]
    shown = {col: dict(zip(rows, _cells(strings, col, rows))) for col in {e[1] for e in errors}}
    return [(first_row + i, key, col, shown[col][i], reason)
            for (i, col, reason), key in zip(errors, keys)]


def _cells(table: pa.Table, column: str, rows: list[int]) -> list[str | None]:
    if column not in table.column_names:
        return [None] * len(rows)
    return [None if v is None else _shown(str(v))
            for v in table.column(column).take(pa.array(rows, pa.int64())).to_pylist()]


def _quarantine_table(records: list[tuple]) -> pa.Table:
    columns = list(zip(*records)) or [()] * len(QUARANTINE_SCHEMA)
    return pa.Table.from_arrays([pa.array(col, f.type) for col, f in zip(columns, QUARANTINE_SCHEMA)],
                                schema=QUARANTINE_SCHEMA)


def _shown(text: str) -> str:
    """A cell as the quarantine keeps it: 500 characters at most, a NUL shown as ␀ (PostgreSQL
    cannot store the character itself)."""
    return text[:500].replace("\x00", "␀")


# --- CSV -------------------------------------------------------------------

def detect_encoding(path: Path) -> str:
    """``utf-8-sig``, ``utf-8`` or ``cp1252``, told by reading the whole file.

    A byte that fits neither, UTF-16 (Excel's «Texto Unicode») and a file whose lines mix
    UTF-8 and Windows-1252 (two exports pasted together) fail the file, naming the line.
    """
    with open(path, "rb") as f:
        head = f.read(3)
        if head == codecs.BOM_UTF8:
            return "utf-8-sig"
        if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            raise FileError(path, "está en UTF-16 («Texto Unicode» de Excel), que Cauce no lee. "
                                  "Guárdelo como «CSV UTF-8 (delimitado por comas)» y vuelva a "
                                  "cargarlo.")
        f.seek(0)
        not_utf8 = _undecodable(f, "utf-8")
        if not_utf8 is None:
            return "utf-8"
        f.seek(0)
        not_cp1252 = _undecodable(f, "cp1252")
        f.seek(0)
        utf8 = None if not_cp1252 is not None else _utf8_text(f)
    if not_cp1252 is not None:
        position, byte = not_cp1252
        raise FileError(path, f"el byte {byte:#04x} de la línea {_line_of(path, position)} no es "
                              f"texto UTF-8 ni Windows-1252. Exporte el archivo de nuevo como CSV "
                              f"UTF-8.")
    if utf8 is not None:
        raise FileError(path, f"mezcla codificaciones: la línea {_line_of(path, utf8)} está en "
                              f"UTF-8 y la línea {_line_of(path, not_utf8[0])} en Windows-1252 "
                              f"(¿dos exportaciones pegadas?). Expórtelo de nuevo completo, en una "
                              f"sola codificación (CSV UTF-8), y vuelva a cargarlo.")
    return "cp1252"


def _undecodable(f, encoding: str) -> tuple[int, int] | None:
    """The position and value of the first byte ``encoding`` cannot decode, or ``None``."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    while True:
        block = f.read(1 << 24)
        pending = decoder.getstate()[0]     # the start of a character cut by the last block
        try:
            decoder.decode(block, final=not block)
        except UnicodeDecodeError as e:
            return offset - len(pending) + e.start, (pending + block)[e.start]
        if not block:
            return None
        offset += len(block)


def _utf8_text(f) -> int | None:
    """Where the first ñ, á, ¿, ° or – written in UTF-8 is, or ``None``.

    Windows-1252 reads those two- and three-byte forms as «Ã±», «Ã¡», «Â¿», «â€“»: text no
    export holds, so a Windows-1252 file that has them mixes both encodings.
    """
    offset = 0
    while block := f.read(1 << 24):
        found = [i for lead in (b"\xc2", b"\xc3", b"\xe2\x80")
                 if (i := _followed_by_continuation(block, lead)) is not None]
        if found:
            return offset + min(found)
        offset += len(block)
    return None


def _followed_by_continuation(block: bytes, lead: bytes) -> int | None:
    i = block.find(lead)
    while i != -1 and i + len(lead) < len(block):
        if 0x80 <= block[i + len(lead)] <= 0xBF:
            return i
        i = block.find(lead, i + 1)
    return None


def _line_of(path: Path, position: int) -> int:
    """The line (the header is line 1) that holds the byte at ``position``."""
    lines = 1
    with open(path, "rb") as f:
        while position > 0 and (block := f.read(min(1 << 24, position))):
            lines += block.count(b"\n")
            position -= len(block)
    return lines


def _read_header(path: Path, encoding: str) -> tuple[list[str], str]:
    with open(path, encoding=encoding, newline="") as f:
        first = f.readline(1 << 20)
    if not first.strip():
        raise FileError(path, "el archivo está vacío o su primera fila no tiene encabezados. "
                              "Exporte de nuevo el archivo con la fila de encabezados.")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter))
    if len(header) == 1 and ("\t" in first or "|" in first):
        other = "tabuladores" if "\t" in first else "barras verticales (|)"
        raise FileError(path, f"las columnas están separadas por {other}; Cauce lee archivos "
                              f"separados por coma o por punto y coma. Expórtelo como «CSV "
                              f"(delimitado por comas)» y vuelva a cargarlo.")
    return [h.strip() for h in header], delimiter


def _read_csv(path: Path, source: c.Source, settings: Settings):
    encoding = detect_encoding(path)
    header, delimiter = _read_header(path, encoding)
    layout = match_headers(path, header, source, settings)
    return layout, _csv_chunks(path, encoding, header, delimiter, layout, settings)


def _csv_chunks(path, encoding, header, delimiter, layout: Layout, settings: Settings):
    dialect, code_maps = _dialect(settings, delimiter), _code_maps(layout.source, settings)
    malformed: list[tuple[int, str, str, str]] = []

    def on_bad_row(row):
        malformed.append((row.number, None, None, _shown(row.text or ""),
                          f"la fila tiene {row.actual_columns} columnas y el encabezado "
                          f"{row.expected_columns}; revise separadores o comillas"))
        return "skip"

    wanted = list(layout.headers.values())
    names = [f"{i}:{h}" for i, h in enumerate(header)]   # unique even if extra headers repeat
    include = [n for n, h in zip(names, header) if h in wanted]
    read = pcsv.ReadOptions(column_names=names, skip_rows=1, block_size=settings.bloque_bytes,
                            encoding="utf8" if encoding.startswith("utf-8") else encoding,
                            use_threads=False)
    parse = pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                              invalid_row_handler=on_bad_row)
    convert = pcsv.ConvertOptions(column_types={n: pa.string() for n in include},
                                  include_columns=include, strings_can_be_null=True,
                                  quoted_strings_can_be_null=True)
    raw = open(path, "rb")
    if encoding == "utf-8-sig":
        raw.read(3)
    try:
        try:
            reader = pcsv.open_csv(raw, read_options=read, parse_options=parse,
                                   convert_options=convert)
        except pa.ArrowInvalid as e:
            if "Empty CSV file" in str(e):
                return
            raise FileError(path, _arrow_message(e)) from None
        next_row = 2
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except pa.ArrowInvalid as e:
                raise FileError(path, _arrow_message(e)) from None
            strings = pa.Table.from_batches([batch]).rename_columns(
                [n.split(":", 1)[1] for n in include])
            bad, malformed[:] = list(malformed), []
            chunk = _typed_chunk(strings, next_row, layout, dialect, code_maps, bad)
            chunk.position = raw.tell()
            next_row += strings.num_rows + len(bad)
            yield chunk
        if malformed:
            yield Chunk(_empty_rows(layout.source), _quarantine_table(malformed), len(malformed),
                        raw.tell())
    finally:
        raw.close()


def _arrow_message(e: Exception) -> str:
    text = str(e)
    if "straddl" in text or "quote" in text.lower():
        return ("hay un campo con comillas sin cerrar (una comilla \" abre un texto que nunca "
                "termina). Corrija esa comilla en el sistema de origen y exporte de nuevo.")
    return f"no se pudo leer como CSV ({text}). Exporte de nuevo el archivo."


def _empty_rows(source: c.Source) -> pa.Table:
    schema = pa.schema([(col.name, ARROW_TYPES[col.type]) for col in source.columns]
                       + [(ROW_COLUMN, pa.int64())])
    return schema.empty_table()


# --- XLSX ------------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"    # the container of a protected or an old (.xls) book
_DAMAGED_XLSX = ("no se pudo leer como libro de Excel: está dañado o no es un .xlsx. Ábralo en "
                 "Excel, guárdelo como «Libro de Excel (.xlsx)» y vuelva a cargarlo.")


def _read_xlsx(path: Path, source: c.Source, settings: Settings):
    import openpyxl
    with open(path, "rb") as f:
        if f.read(len(_OLE)) == _OLE:
            raise FileError(path, "el libro está protegido con contraseña o guardado en el formato "
                                  "antiguo de Excel (.xls), y Cauce no lo puede abrir. Ábralo en "
                                  "Excel, quítele la contraseña (Archivo > Información > Proteger "
                                  "libro), guárdelo como «Libro de Excel (.xlsx)» y vuelva a "
                                  "cargarlo.")
    book = None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheets = {normalize(ws.title): ws for ws in book.worksheets}
        sheet = sheets.get(normalize(source.name), book.worksheets[0] if sheets else None)
        rows = sheet.iter_rows(values_only=True) if sheet is not None else iter(())
        header = next(rows, None)
    except Exception:   # openpyxl raises whatever its parser meets in a damaged book
        if book is not None:
            book.close()
        raise FileError(path, _DAMAGED_XLSX) from None
    if sheet is None:
        book.close()
        raise FileError(path, "el libro no tiene ninguna hoja de cálculo con datos. Ponga los "
                              "datos en una hoja, con los encabezados en la primera fila, y "
                              "vuelva a cargarlo.")
    if not header or not any(h is not None for h in header):
        book.close()
        raise FileError(path, f"la primera fila de la hoja «{sheet.title}» está vacía: debe tener "
                              f"los encabezados. Ponga los encabezados en la primera fila (o los "
                              f"datos en una hoja llamada {source.name}) y vuelva a cargarlo.")
    header = [_xlsx_text(h) or "" for h in header]
    layout = match_headers(path, header, source, settings)
    return layout, _xlsx_chunks(path, book, rows, header, layout, settings)


def _xlsx_chunks(path: Path, book, rows, header, layout: Layout, settings: Settings):
    dialect = Dialect(decimal_comma=settings.formato_decimal == "coma",
                      month_first=settings.formato_fecha == "MM/DD/AAAA")
    code_maps = _code_maps(layout.source, settings)
    positions = {h: header.index(h) for h in layout.headers.values()}
    try:
        next_row = 2
        while True:
            block = []
            try:
                for row in rows:
                    block.append(row)
                    if len(block) == XLSX_ROWS_PER_CHUNK:
                        break
            except Exception:   # a damaged sheet fails where openpyxl meets the damage
                raise FileError(path, _DAMAGED_XLSX) from None
            if not block:
                break
            strings = pa.table({
                h: pa.array([_xlsx_text(r[i]) if i < len(r) else None for r in block], pa.string())
                for h, i in positions.items()})
            yield _typed_chunk(strings, next_row, layout, dialect, code_maps)
            next_row += len(block)
    finally:
        book.close()


def _xlsx_text(value) -> str | None:
    """A cell as the text a CSV export would hold (dates ISO, numbers with a point)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)

