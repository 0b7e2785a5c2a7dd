"""Benchmark of the indicator catalogue: `catalogo.calcular` against a pandas baseline.

For each scale (`mediana`, `grande`) and warehouse (DuckDB, PostgreSQL), in one run on
this machine:

1. the whole catalogue for one period (P = 2026-10, no breakdown) computed with
   ``catalogo.calcular`` (``guardados=False``: not read from what a load keeps, see
   ``indicators.guardados``): cold (a new process, a new engine, first query) and warm
   (the second call in the same process);
2. the pandas baseline (``benchmarks/linea_base.py``): the tables P needs read into
   memory with plain ``pd.read_sql`` / DuckDB ``.df()``, then pandas only; reading and
   computing are timed apart;
3. the baseline's values against the catalogue's (relative tolerance 1e-6): every id
   that differs is printed;
4. with ``--perfil``, each indicator alone (``ids=[id]``, warm), to show which cost most;
5. with ``--tarifas`` (DuckDB only), what tariff assurance adds (``tariffs.md``): the
   catalogue with and without the tariff indicators (``TARIFAS``), alternated three times
   in one process after a cold call, and the working list ``diferencias_tarifa`` of P.

The warehouses are prepared once and kept under benchmarks/salida/ (git-ignored):
`cauce demo --escala <e> --hasta 2026-10` loaded with Cauce's own job without the data
checks (``load_folder(..., revisar=False)``) and without archiving a copy of each file
(the archive only takes disk: 32 GB more at grande). DuckDB holds all 24 periods;
PostgreSQL holds all of mediana but, at grande, only what P needs (``PG_MESES``: the
files of the period-based sources for the periods P reads, every file of the others):
the whole of grande would take some 60 GB in PostgreSQL, more than this disk has
beside the CSVs and the DuckDB warehouse. Record the figures in benchmarks/RESULTS.md.

    python benchmarks/indicadores.py [--escalas mediana grande] [--motores duckdb postgresql]
                                     [--pg URL] [--perfil] [--tarifas] [--solo-preparar]
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import pandas as pd
import sqlalchemy as sa

OUT = ROOT / "benchmarks" / "salida"
ALMACENES = OUT / "indicadores"
HASTA = "2026-10"
PERIODO = "2026-10"
PG_DEFECTO = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
# What P needs of the sources whose files are one period (or one receivables cut-off)
# each, as months back from P: the snapshots of P and P−1, the readings of P and the six
# before (the reference average, the stopped meters), the twelve periods of billing (the
# receivables turnover), the cut-offs and the calendar of P. Every file of the other sources.
PG_MESES = {"suscriptores": 2, "lecturas": 7, "facturas": 12, "cartera": 1, "calendario": 1}
# The indicators tariff assurance adds to the catalogue (tariffs.md).
TARIFAS = ("tarifas.exactitud", "tarifas.sin_tarifa", "tarifas.sobrefacturado",
           "tarifas.subfacturado", "tarifas.variacion_indice", "ordenes.cargos_perdidos")


# --- Preparing the warehouses (once) -----------------------------------------------------------

def demo(escala: str) -> Path:
    folder = OUT / escala
    marker = folder / ".completo"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        t = time.perf_counter()
        subprocess.run(["nice", sys.executable, "-m", "cauce", "demo", "--escala", escala,
                        "--hasta", HASTA, "--salida", str(folder)], check=True, cwd=ROOT)
        print(f"demo {escala}: generada en {time.perf_counter() - t:.0f} s", flush=True)
        marker.touch()
    return folder


def bench_config() -> Path:
    """The shipped config.toml, with the archive and the data-check results under salida/."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    config = ALMACENES / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text.replace('archivo = "datos/archivo"', 'archivo = "archivo"')
                      .replace('calidad = "datos/calidad"', 'calidad = "calidad"'),
                      encoding="utf-8")
    return config


def settings_for(url: str):
    from cauce.settings import load_settings
    return load_settings(bench_config(), almacen=url)


def para_p(nombre: str) -> bool:
    """Whether the export file ``nombre`` holds rows P needs (PG_MESES)."""
    fuente = nombre.split("_")[0]
    if fuente not in PG_MESES:
        return True
    meses = pd.period_range(end=PERIODO, periods=PG_MESES[fuente], freq="M").strftime("%Y-%m")
    return any(m in nombre for m in meses)


def subset(folder: Path, name: str) -> Path:
    """Links to the files of ``folder`` that P needs."""
    from etl.reader import export_files
    target = ALMACENES / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for p, _ in export_files(folder):
        if para_p(p.name):
            os.link(p, target / p.name)
    return target


def duckdb_url(escala: str) -> str:
    return f"duckdb:///{ALMACENES / f'{escala}.duckdb'}"


def pg_url(base: str, escala: str) -> str:
    return sa.engine.make_url(base).set(database=f"cauce_bench_{escala}") \
        .render_as_string(hide_password=False)


def _listo(url: str) -> Path:
    name = sa.engine.make_url(url)
    key = (f"duckdb_{Path(name.database).stem}" if name.get_backend_name() == "duckdb"
           else f"pg_{name.database}")
    return ALMACENES / f"{key}.listo"


def preparar(escala: str, motor: str, pg_base: str) -> str:
    """The URL of a warehouse holding the demo of ``escala``; loaded if not yet."""
    folder = demo(escala)
    if motor == "duckdb":
        url = duckdb_url(escala)
    else:
        url = pg_url(pg_base, escala)
    marker = _listo(url)
    if marker.exists() and _existe(url):
        return url
    if motor == "postgresql" and escala == "grande":
        folder = subset(folder, f"pg_{escala}")
    if motor == "duckdb":
        Path(sa.engine.make_url(url).database).unlink(missing_ok=True)
        Path(sa.engine.make_url(url).database + ".wal").unlink(missing_ok=True)
    else:
        fresh_pg(pg_base, sa.engine.make_url(url).database)
    t = time.perf_counter()
    print(f"cargando {escala} en {motor} ({folder})…", flush=True)
    # A child process, niced: the load is not what is measured here.
    subprocess.run(["nice", sys.executable, __file__, "--cargar", str(folder), url], check=True,
                   cwd=ROOT)
    seconds = time.perf_counter() - t
    marker.write_text(json.dumps({"carpeta": str(folder), "segundos": round(seconds)}))
    print(f"{escala} en {motor}: cargada en {seconds:.0f} s", flush=True)
    return url


def cargar(folder: Path, url: str) -> None:
    """Cauce's load job without the data checks and without the archive copy."""
    from etl import load
    load.archive = lambda path, *_: path      # the benchmark keeps no archive
    settings = settings_for(url)
    t0 = time.perf_counter()
    results = load.load_folder(folder, settings, revisar=False)
    rows = sum(r.cargadas for r in results)
    quarantined = sum(r.cuarentena for r in results)
    refused = [r for r in results if r.estado == "rechazado"]
    print(f"  {len(results)} archivos, {rows:,} filas cargadas, {quarantined:,} en cuarentena, "
          f"{len(refused)} rechazados, {time.perf_counter() - t0:.0f} s", flush=True)
    for r in refused:
        print(f"  rechazado: {r.archivo}: {r.mensaje}")
    if refused:
        raise SystemExit(2)
    engine = sa.create_engine(url) if url.startswith("postgresql") else None
    if engine is not None:                 # fresh statistics, as after any large load
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
        engine.dispose()


def _existe(url: str) -> bool:
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "duckdb":
        return Path(parsed.database).exists()
    admin = sa.create_engine(parsed.set(database="postgres"))
    try:
        with admin.connect() as conn:
            return bool(conn.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %s",
                                             (parsed.database,)).scalar())
    finally:
        admin.dispose()


def fresh_pg(url: str, name: str) -> None:
    base = sa.engine.make_url(url)
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()


# --- Measuring (each in its own process) --------------------------------------------------------

def _engine(url: str, settings=None):
    from etl import warehouse as w
    settings = settings or settings_for(url)
    return w.create_engine(url, settings.memoria_mb), settings


def medir_catalogo(url: str, perfil: bool) -> dict:
    """The whole catalogue for P twice in a new process: cold (new engine, first query) and
    warm; with ``perfil`` each id alone afterwards (warm)."""
    from indicators import catalogo
    t = time.perf_counter()
    settings = settings_for(url)       # not timed with the catalogue: see "configuracion"
    configuracion = time.perf_counter() - t
    t = time.perf_counter()
    engine, settings = _engine(url, settings)
    tiempos = []
    for _ in range(2):
        with engine.connect() as conn:
            frame = catalogo.calcular(conn, PERIODO, settings, guardados=False)
        tiempos.append(time.perf_counter() - t)
        t = time.perf_counter()
    valores = {r.id: (None if r.valor is None or (isinstance(r.valor, float) and math.isnan(r.valor))
                      else float(r.valor)) for r in frame.itertuples()}
    out = {"frio": tiempos[0], "tibio": tiempos[1], "valores": valores,
           "configuracion": configuracion}
    if perfil:
        out["perfil"] = {}
        with engine.connect() as conn:
            for id in valores:
                t = time.perf_counter()
                catalogo.calcular(conn, PERIODO, settings, ids=[id], guardados=False)
                out["perfil"][id] = time.perf_counter() - t
    engine.dispose()
    return out


def medir_tarifas(url: str) -> dict:
    """In a new process: the catalogue of P cold, then with and without ``TARIFAS``
    alternated three times (warm), then the list ``diferencias_tarifa`` of P twice."""
    from indicators import catalogo, listas
    engine, settings = _engine(url)
    todos = [x.id for x in catalogo.catalogo(settings)]
    sin = [i for i in todos if i not in TARIFAS]
    out = {"con": [], "sin": [], "lista": [], "ids": len(todos), "ids_tarifa": len(todos) - len(sin)}
    with engine.connect() as conn:
        t = time.perf_counter()
        catalogo.calcular(conn, PERIODO, settings, guardados=False)
        out["frio"] = time.perf_counter() - t
        for _ in range(3):
            for clave, ids in (("sin", sin), ("con", todos)):
                t = time.perf_counter()
                catalogo.calcular(conn, PERIODO, settings, ids=ids, guardados=False)
                out[clave].append(time.perf_counter() - t)
        for _ in range(2):
            t = time.perf_counter()
            frame = listas.obtener(conn, "diferencias_tarifa", PERIODO, settings)
            out["lista"].append(time.perf_counter() - t)
        out["filas_lista"] = len(frame)
        out["filas_factura"] = conn.execute(sa.text(
            "SELECT count(*) FROM facturas WHERE periodo = :p"), {"p": PERIODO}).scalar()
    engine.dispose()
    return out


def _imprimir_tarifas(escala: str, r: dict, pico: float) -> None:
    con, sin = min(r["con"]), min(r["sin"])
    print(f"\n{escala} / duckdb, lo que añaden las tarifas ({r['filas_factura']:,} filas de "
          f"factura en {PERIODO}):")
    print(f"  catálogo entero frío: {r['frio']:.2f} s; tibio, el mejor de 3: con los "
          f"{r['ids_tarifa']} de tarifas {con:.2f} s ({', '.join(f'{x:.2f}' for x in r['con'])}), "
          f"sin ellos {sin:.2f} s ({', '.join(f'{x:.2f}' for x in r['sin'])}): "
          f"añaden {con - sin:+.2f} s")
    print(f"  lista diferencias_tarifa: {r['lista'][0]:.2f} s la primera vez, "
          f"{r['lista'][1]:.2f} s la segunda ({r['filas_lista']:,} filas); pico {pico:,.0f} MB")


def medir_base(url: str) -> dict:
    """The pandas baseline in a new process: reading, then computing."""
    import linea_base
    settings = settings_for(url)
    t = time.perf_counter()
    engine, settings = _engine(url, settings)
    with engine.connect() as conn:
        lectura = linea_base.leer(conn, PERIODO, settings)
    lee = time.perf_counter() - t - lectura.reduccion
    t = time.perf_counter()
    valores = linea_base.calcular(lectura, PERIODO, settings)
    calcula = time.perf_counter() - t + lectura.reduccion    # the reductions done while reading
    engine.dispose()
    return {"lectura": lee, "calculo": calcula, "filas": lectura.filas, "valores": valores,
            "ids": linea_base.ids(settings)}


def _hijo(*args: str) -> tuple[dict, float]:
    """Run this script with ``args`` in a new (niced) process: its JSON answer and peak RSS (MB)."""
    child = subprocess.Popen(["nice", sys.executable, __file__, *args], cwd=ROOT,
                             stdout=subprocess.PIPE)
    data = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)}: terminó con código {os.waitstatus_to_exitcode(status)}")
    return json.loads(data), usage.ru_maxrss / 1024


def iguales(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _filas_almacen(url: str) -> dict[str, int]:
    engine, _ = _engine(url)
    with engine.connect() as conn:
        out = {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
               for t in ("suscriptores", "lecturas", "facturas", "pagos", "cartera", "pqr",
                         "ordenes")}
    engine.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--escalas", nargs="+", default=["mediana", "grande"])
    ap.add_argument("--motores", nargs="+", default=["duckdb", "postgresql"])
    ap.add_argument("--pg", default=PG_DEFECTO, help="URL de un servidor PostgreSQL (se crean "
                    "las bases cauce_bench_<escala>)")
    ap.add_argument("--perfil", action="store_true")
    ap.add_argument("--tarifas", action="store_true",
                    help="medir solo lo que añaden las tarifas (DuckDB)")
    ap.add_argument("--solo-preparar", action="store_true")
    ap.add_argument("--cargar", nargs=2, metavar=("CARPETA", "URL"), help=argparse.SUPPRESS)
    ap.add_argument("--medir-catalogo", metavar="URL", help=argparse.SUPPRESS)
    ap.add_argument("--medir-base", metavar="URL", help=argparse.SUPPRESS)
    ap.add_argument("--medir-tarifas", metavar="URL", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.cargar:
        cargar(Path(args.cargar[0]), args.cargar[1])
        return
    if args.medir_catalogo:
        print(json.dumps(medir_catalogo(args.medir_catalogo, args.perfil)))
        return
    if args.medir_base:
        print(json.dumps(medir_base(args.medir_base)))
        return
    if args.medir_tarifas:
        print(json.dumps(medir_tarifas(args.medir_tarifas)))
        return
    for escala in args.escalas:
        for motor in (["duckdb"] if args.tarifas else args.motores):
            preparar(escala, motor, args.pg)
    if args.solo_preparar:
        return
    import duckdb
    print(f"Máquina: {platform.processor() or platform.machine()}, {os.cpu_count()} núcleos, "
          f"Python {platform.python_version()}, pandas {pd.__version__}, DuckDB "
          f"{duckdb.__version__}; periodo {PERIODO}; {time.strftime('%Y-%m-%d %H:%M')}", flush=True)
    print(f"Catálogo medido: {version_catalogo()}", flush=True)
    if args.tarifas:
        for escala in args.escalas:
            _imprimir_tarifas(escala, *_hijo("--medir-tarifas", duckdb_url(escala)))
        return
    filas, perfiles = [], {}
    for escala in args.escalas:
        for motor in args.motores:
            url = duckdb_url(escala) if motor == "duckdb" else pg_url(args.pg, escala)
            tamano = _filas_almacen(url)
            cat, pico_cat = _hijo("--medir-catalogo", url, *(["--perfil"] if args.perfil else []))
            base, pico_base = _hijo("--medir-base", url)
            faltan = [i for i in base["ids"] if i not in cat["valores"]]
            sobran = [i for i in cat["valores"] if i not in base["ids"]]
            distintos = {i: (cat["valores"].get(i), base["valores"].get(i))
                         for i in base["ids"] if i in cat["valores"]
                         and not iguales(cat["valores"][i], base["valores"].get(i))}
            fila = {"escala": escala, "motor": motor, "filas": tamano,
                    "frio": cat["frio"], "tibio": cat["tibio"], "pico_catalogo": pico_cat,
                    "configuracion": cat["configuracion"],
                    "lectura": base["lectura"], "calculo": base["calculo"],
                    "filas_leidas": base["filas"], "pico_base": pico_base,
                    "ids": len(cat["valores"]), "distintos": distintos,
                    "faltan": faltan, "sobran": sobran}
            filas.append(fila)
            perfiles[(escala, motor)] = cat.get("perfil")
            _imprimir_fila(fila)
    _tabla(filas)
    for (escala, motor), perfil in perfiles.items():
        if perfil:
            print(f"\nLos indicadores más lentos ({escala}, {motor}; cada uno solo, tibio):")
            for id, s in sorted(perfil.items(), key=lambda kv: -kv[1])[:12]:
                print(f"  {id:<40} {s:8.2f} s")
            print(f"  {'suma de los ' + str(len(perfil)):<40} {sum(perfil.values()):8.2f} s")
    ALMACENES.mkdir(parents=True, exist_ok=True)
    (ALMACENES / "resultados.json").write_text(json.dumps(
        {"filas": filas, "perfiles": {f"{e}/{m}": p for (e, m), p in perfiles.items()}},
        indent=1, default=str))


def version_catalogo() -> str:
    """The commit, and a digest of indicators/ when it differs from it (the catalogue
    being measured may be work in progress)."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout
    head = git("rev-parse", "--short", "HEAD").strip()
    diff = git("diff", "HEAD", "--", "indicators")
    if not diff:
        return f"{head} (indicators/ sin cambios)"
    import hashlib
    return (f"{head} + cambios sin confirmar en indicators/ (diff sha1 "
            f"{hashlib.sha1(diff.encode()).hexdigest()[:10]})")


def _imprimir_fila(f: dict) -> None:
    print(f"\n{f['escala']} / {f['motor']}: {f['filas']}", flush=True)
    print(f"  catálogo ({f['ids']} indicadores): frío {f['frio']:.2f} s, tibio {f['tibio']:.2f} s, "
          f"pico {f['pico_catalogo']:,.0f} MB (antes, leer la configuración: "
          f"{f['configuracion']:.2f} s)")
    print(f"  línea base pandas: lectura {f['lectura']:.2f} s ({f['filas_leidas']:,} filas), "
          f"cálculo {f['calculo']:.2f} s, pico {f['pico_base']:,.0f} MB")
    if f["faltan"] or f["sobran"]:
        print(f"  ids de indicators.md que el catálogo no tiene: {f['faltan']}; "
              f"ids del catálogo que no están en indicators.md: {f['sobran']}")
    if not f["distintos"]:
        print("  la línea base y el catálogo coinciden en todos los ids (rel 1e-6)")
    for id, (a, b) in f["distintos"].items():
        print(f"  DIFIERE {id}: catálogo {a!r}, línea base {b!r}")


def _tabla(filas: list[dict]) -> None:
    print("\n| escala | almacén | catálogo frío | catálogo tibio | base: lectura | base: cálculo "
          "| base total | base / catálogo frío | base / catálogo tibio | distintos |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for f in filas:
        total = f["lectura"] + f["calculo"]
        print(f"| {f['escala']} | {f['motor']} | {f['frio']:.2f} s | {f['tibio']:.2f} s | "
              f"{f['lectura']:.2f} s | {f['calculo']:.2f} s | {total:.2f} s | "
              f"{total / f['frio']:.1f}× | {total / f['tibio']:.1f}× | {len(f['distintos'])} |")


if __name__ == "__main__":
    main()
