"""Benchmark of the load: `cauce cargar` against a naive and a native baseline.

Generates the `mediana` demo once (kept under benchmarks/salida/) and, in one
run on this machine, loads it:

1. with `cauce cargar` (a subprocess, as a user runs it) into a new DuckDB file,
   and the same load without the data checks (``load_folder(..., revisar=False)``,
   which no command offers): the checks' cost, whose goal is at most the load's own;
2. with each engine's native ingest of the same CSVs (DuckDB `read_csv` into
   the same tables; PostgreSQL `COPY`), which is the ceiling;
3. the way most people would write it: `pandas.read_csv` + `DataFrame.to_sql`
   through SQLAlchemy. This baseline is so slow that it runs on a sample (the
   first rows of each file of the last period); the ratios compare rows per second.

PostgreSQL runs (Cauce and COPY) use the last 6 periods (set --pg-periodos) of
the same files. Prints rows/s, ratios and the peak memory of the `cauce`
process. With `--grande`, also loads `grande` into DuckDB and reports its peak
memory (slow: tens of minutes). Record the figures in benchmarks/RESULTS.md.

With `--multiperiodo`, only the last 12 months of the demo (`--escala`, mediana by
default), in two shapes: one period per file, and one file per source holding the 12
periods (a year's export, as utilities send at migration or audit time). Each is loaded
by `cauce cargar` into a new DuckDB file, split into the files and the step that keeps
the indicators, with the peak memory, against DuckDB's `read_csv` of the same files.

    python benchmarks/carga.py [--pg URL] [--pg-periodos 6] [--grande]
    python benchmarks/carga.py --multiperiodo [--escala mediana]
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl import contract as c  # noqa: E402
from etl import migracion  # noqa: E402
from etl import warehouse as w  # noqa: E402
from etl.reader import export_files  # noqa: E402

OUT = ROOT / "benchmarks" / "salida"
HASTA = "2026-10"
DUCK_TYPES = {c.STR: "VARCHAR", c.CODE: "VARCHAR", c.PERIOD: "VARCHAR", c.INT: "BIGINT",
              c.DEC: "DOUBLE", c.DATE: "DATE", c.DATETIME: "TIMESTAMP", c.BOOL: "VARCHAR"}


def demo(escala: str) -> Path:
    folder = OUT / escala
    marker = folder / ".completo"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cauce", "demo", "--escala", escala, "--hasta", HASTA,
                        "--salida", str(folder)], check=True, cwd=ROOT)
        print(f"demo {escala}: generada en {time.perf_counter() - t:.0f} s")
        marker.touch()
    return folder


def subset(folder: Path, periods: list[str], name: str) -> Path:
    """A folder of links to the files whose name carries one of ``periods``."""
    target = OUT / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for p, _ in export_files(folder):
        if any(period in p.name for period in periods):
            os.link(p, target / p.name)
    return target


def count_rows(folder: Path) -> int:
    total = 0
    for p, _ in export_files(folder):
        with open(p, "rb") as f:
            total += sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 24), b"")) - 1
    return total


def bench_config() -> Path:
    """The shipped config.toml, archiving under benchmarks/salida/archivo (removed each run)."""
    shutil.rmtree(OUT / "archivo", ignore_errors=True)
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    config = OUT / "config.toml"
    config.write_text(text.replace('archivo = "datos/archivo"', 'archivo = "archivo"'),
                      encoding="utf-8")
    return config


SIN_CONTROLES = ("import sys; from pathlib import Path; from cauce.settings import load_settings; "
                 "from etl.load import load_folder; "
                 "load_folder(Path(sys.argv[1]), load_settings(sys.argv[2], sys.argv[3]), "
                 "revisar=False)")


@dataclass
class Medida:
    """A load in its own process: seconds in all, of them the files' (up to the step that
    keeps the indicators), and the peak RSS (MB)."""
    segundos: float
    archivos: float
    pico: float

    @property
    def indicadores(self) -> float:
        return self.segundos - self.archivos


KEEPING = "Calculando los indicadores"      # the line `cauce cargar` prints at that step


def cauce_load(folder: Path, url: str, revisar: bool = True) -> Medida:
    """`cauce cargar` in its own process, as a user runs it (or the same load without the
    data checks, which keeps no indicators)."""
    t = time.perf_counter()
    config = str(bench_config())
    command = (["-m", "cauce", "cargar", str(folder), "--config", config, "--almacen", url]
               if revisar else ["-c", SIN_CONTROLES, str(folder), config, url])
    child = subprocess.Popen([sys.executable, *command], cwd=ROOT, stdout=subprocess.PIPE,
                             text=True)
    files = None
    for text in child.stdout:            # off a terminal the CLI prints its steps as lines
        if files is None and text.startswith(KEEPING):
            files = time.perf_counter() - t
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"cauce cargar terminó con código {os.waitstatus_to_exitcode(status)}")
    return Medida(seconds, seconds if files is None else files, usage.ru_maxrss / 1024)


def native_duckdb(folder: Path, path: Path) -> float:
    import duckdb
    engine = w.create_engine(f"duckdb:///{path}")
    migracion.ensure_schema(engine)
    engine.dispose()
    con = duckdb.connect(str(path))
    t = time.perf_counter()
    for p, source in export_files(folder):
        cols = {col.name: DUCK_TYPES[col.type] for col in source.columns}
        select = ", ".join(f"({col.name} = 'S')" if col.type == c.BOOL else col.name
                           for col in source.columns)
        con.execute(f"INSERT INTO {source.name} ({', '.join(cols)}, carga_id) "
                    f"SELECT {select}, 0 FROM read_csv(?, header=true, columns={cols!r})",
                    [str(p)])
    seconds = time.perf_counter() - t
    con.close()
    return seconds


def native_postgres(folder: Path, url: str) -> float:
    engine = w.create_engine(url)
    migracion.ensure_schema(engine)
    t = time.perf_counter()
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        for p, source in export_files(folder):
            conn.exec_driver_sql(f"CREATE TEMP TABLE _copia_{source.name} "
                                 f"({', '.join(f'{n} text' for n in source.names)})"
                                 if not _exists(conn, f"_copia_{source.name}") else "SELECT 1")
            with raw.cursor() as cur, open(p, "rb") as f:
                with cur.copy(f"COPY _copia_{source.name} FROM STDIN (FORMAT csv, HEADER true)") as cp:
                    while block := f.read(1 << 20):
                        cp.write(block)
    seconds = time.perf_counter() - t
    engine.dispose()
    return seconds


def _exists(conn, table: str) -> bool:
    return conn.exec_driver_sql("SELECT to_regclass(%s) IS NOT NULL", (f"pg_temp.{table}",)).scalar()


def naive(folder: Path, url: str, cap: int) -> tuple[int, float]:
    """Rows and seconds of read_csv + to_sql on the first ``cap`` rows of each file."""
    engine = sa.create_engine(url)      # pandas creates its own (text) tables
    rows = 0
    t = time.perf_counter()
    for p, source in export_files(folder):
        frame = pd.read_csv(p, dtype=str, nrows=cap)
        frame["carga_id"] = 0
        frame.to_sql(source.name, engine, if_exists="append", index=False, chunksize=10_000)
        rows += len(frame)
    seconds = time.perf_counter() - t
    engine.dispose()
    return rows, seconds


def fresh_pg(url: str, name: str) -> str:
    base = sa.engine.make_url(url)
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def line(label: str, rows: int, seconds: float, extra: str = "") -> None:
    print(f"{label:<46} {rows:>12,} filas {seconds:>8.1f} s {rows / seconds:>12,.0f} filas/s {extra}")


def labels(months: list[str]) -> list[str]:
    """What a file name carries for ``months``: the month, or the survey round it closes
    (``2026-S1`` is June's, ``2026-S2`` December's)."""
    rounds = {"06": "S1", "12": "S2"}
    return months + [f"{m[:4]}-{rounds[m[5:]]}" for m in months if m[5:] in rounds]


def multiperiod(folder: Path, months: list[str], name: str) -> Path:
    """A year's export: one file per source holding the rows of ``months`` (the header once),
    built from the one-period files of ``folder``. Each source's file replaces the periods
    (cadastre snapshots, cut-off dates, rounds) or the keys it holds, as one of each month
    would (``data-contract.md``)."""
    target = OUT / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    wanted = labels(months)
    by_source: dict[str, list[Path]] = {}
    for p, source in export_files(folder):
        if source is not None and any(label in p.name for label in wanted):
            by_source.setdefault(source.name, []).append(p)
    for source, paths in by_source.items():
        with open(target / f"{source}_{months[0]}_{months[-1]}.csv", "wb") as out:
            for i, p in enumerate(paths):
                with open(p, "rb") as f:
                    header = f.readline()
                    if i == 0:
                        out.write(header)
                    shutil.copyfileobj(f, out, 1 << 24)
    return target


def shapes(escala: str, work: Path) -> None:
    """The same 12 months loaded in both shapes, one period per file and one file per source
    with the 12 periods: `cauce cargar` (the files, then the kept indicators) against DuckDB's
    `read_csv` of the same files, each into a new warehouse."""
    months = pd.period_range(end=HASTA, periods=12, freq="M").strftime("%Y-%m").tolist()
    folder = demo(escala)
    for label, shaped in (
            ("un periodo por archivo", subset(folder, labels(months), "por_periodo")),
            ("un archivo de 12 periodos por fuente", multiperiod(folder, months, "multiperiodo"))):
        n = count_rows(shaped)
        files = len(export_files(shaped))
        print(f"\n{escala}, {months[0]}..{months[-1]}, {label} ({files} archivos)")
        m = cauce_load(shaped, f"duckdb:///{work / f'cauce_{shaped.name}.duckdb'}")
        native = native_duckdb(shaped, work / f"nativo_{shaped.name}.duckdb")
        line("cauce cargar", n, m.segundos, f"pico {m.pico:,.0f} MB (meta ≤ 1.536)")
        line("  de ello, los archivos", n, m.archivos)
        print(f"  de ello, los indicadores guardados: {m.indicadores:.1f} s "
              f"({m.indicadores / m.archivos:.2f} de los archivos; meta ≤ 0,20)")
        line("DuckDB read_csv nativo", n, native)
        print(f"cauce cargar / read_csv: {m.segundos / native:.2f}×  (meta ≤ 3×); "
              f"solo los archivos: {m.archivos / native:.2f}×")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pg", default=os.environ.get(
        "CAUCE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/cauce_test"))
    ap.add_argument("--pg-periodos", type=int, default=6)
    ap.add_argument("--ingenuo-filas", type=int, default=20_000,
                    help="filas de cada archivo del último periodo para la línea base ingenua")
    ap.add_argument("--grande", action="store_true")
    ap.add_argument("--multiperiodo", action="store_true",
                    help="solo los 12 últimos meses en dos formas: un periodo por archivo y "
                         "un archivo de 12 periodos por fuente")
    ap.add_argument("--escala", default="mediana", help="la demo de --multiperiodo")
    args = ap.parse_args()

    print(f"Máquina: {platform.processor() or platform.machine()}, {os.cpu_count()} núcleos, "
          f"Python {platform.python_version()}")
    work = OUT / "almacenes"
    if args.multiperiodo:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        shapes(args.escala, work)
        shutil.rmtree(OUT / "archivo", ignore_errors=True)
        return
    folder = demo("mediana")
    months = pd.period_range(end=HASTA, periods=24, freq="M").strftime("%Y-%m").tolist()
    last = subset(folder, [months[-1]], "ultimo_periodo")
    recent = subset(folder, months[-args.pg_periodos:], "ultimos_periodos")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    n_all, n_recent = count_rows(folder), count_rows(recent)
    print("\nDuckDB")
    full = cauce_load(folder, f"duckdb:///{work / 'cauce.duckdb'}")
    s_cauce = full.segundos
    line("cauce cargar (mediana completa)", n_all, s_cauce, f"pico {full.pico:,.0f} MB")
    bare = cauce_load(folder, f"duckdb:///{work / 'sin_controles.duckdb'}", revisar=False)
    s_bare = bare.segundos
    line("la misma carga sin controles de calidad", n_all, s_bare, f"pico {bare.pico:,.0f} MB")
    s_native = native_duckdb(folder, work / "nativo.duckdb")
    line("DuckDB read_csv nativo (mediana completa)", n_all, s_native)
    n_naive, s_naive = naive(last, f"duckdb:///{work / 'ingenuo.duckdb'}", args.ingenuo_filas)
    line(f"pandas read_csv + to_sql (muestra de {months[-1]})", n_naive, s_naive)
    cauce_rate, naive_rate = n_all / s_cauce, n_naive / s_naive
    print(f"cauce (con controles) / ingenuo: {cauce_rate / naive_rate:.1f}×  (meta ≥ 10×)")
    print(f"nativo / cauce sin controles: {s_bare / s_native:.2f}×  (meta ≤ 3×; el nativo "
          f"no revisa nada)")
    print(f"con controles / sin controles: {s_cauce / s_bare:.2f}×  (meta ≤ 2×)")

    print(f"\nPostgreSQL (últimos {args.pg_periodos} periodos)")
    s_pg = cauce_load(recent, fresh_pg(args.pg, "cauce_bench_carga")).segundos
    line("cauce cargar", n_recent, s_pg)
    s_copy = native_postgres(recent, fresh_pg(args.pg, "cauce_bench_copia"))
    line("COPY nativo a tablas de texto", n_recent, s_copy)
    print(f"COPY / cauce: {s_pg / s_copy:.2f}×")

    if args.grande:
        # Memory is bounded per file, so the largest files (the last periods, where the
        # cadastre is biggest) show the peak; the whole of grande (32 GB of CSV, again
        # as large in the archive) would also need ~80 GB of free disk.
        big = subset(demo("grande"), months[-3:], "grande_ultimos")
        n_big = count_rows(big)
        m = cauce_load(big, f"duckdb:///{work / 'grande.duckdb'}")
        line("cauce cargar (grande, 3 últimos periodos, DuckDB)", n_big, m.segundos,
             f"pico {m.pico:,.0f} MB (meta < 2.048)")
    shutil.rmtree(OUT / "archivo", ignore_errors=True)


if __name__ == "__main__":
    main()
