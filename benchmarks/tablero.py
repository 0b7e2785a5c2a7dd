"""Benchmark of the dashboard: how long each page takes to draw, cold and warm.

Each page of ``dashboards/app.py`` is run with Streamlit's ``AppTest`` on one warehouse
(by default the ``mediana`` demo on DuckDB, prepared as ``benchmarks/indicadores.py``
does), in one process:

- cold: Streamlit's caches emptied, a new ``AppTest``, the page drawn once, with nothing
  computed ahead but what the load keeps (what a user waits who opens that page first
  after a load);
- the warming: after the first page of a load the dashboard computes in the background what
  the other pages ask first (``datos.calentar``): its steps are timed here one by one, in
  this process (AppTest does not share a background thread's cache with its pages; the
  server does), and a page whose series were warmed is drawn in about its warm time plus its
  single-period queries;
- warm: the same page drawn again (what every later visit waits);
- the 13 months of indicators a load keeps (``indicators.guardados``, what ``cauce cargar``
  computes last): computed first, timed, as after a load; ``--sin-guardados`` measures the
  pages without them (every series computed when a page asks);
- the baseline, in the same run: a page that draws one line of text, so the figures can be
  read as multiples of Streamlit's own cost on this machine.

The first run of the process (imports: pandas, plotly, SQLAlchemy) is timed apart. The goal
(issue 5): every page under 2 s cold and 0.5 s warm on ``mediana``. Record the figures in
benchmarks/RESULTS.md.

    python benchmarks/tablero.py [--almacen URL] [--periodo AAAA-MM] [--municipio DANE]
                                 [--paginas resumen ...] [--sin-guardados]
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

APP = ROOT / "dashboards" / "app.py"
PAGINAS = tuple(sorted(p.stem for p in (ROOT / "dashboards" / "paginas").glob("*.py")
                      if p.stem != "__init__"))          # every page of the dashboard
MINIMA = "import streamlit as st\nst.write('Cauce')\n"


def medir(at, pagina: str | None = None) -> float:
    t = time.perf_counter()
    if pagina:
        at.switch_page(f"paginas/{pagina}.py")
    at.run()
    segundos = time.perf_counter() - t
    if at.exception:
        raise SystemExit(f"{pagina}: {at.exception[0].value}")
    return segundos


CUENTA = "benchmark"


def con_cuenta(config: Path) -> Path:
    """A copy of ``config`` whose dashboard accounts, in a temporary folder, are the
    benchmark's administrator only (nobody sees a page signed out)."""
    import secrets

    from cauce.acciones import cuentas
    carpeta = Path(tempfile.mkdtemp(prefix="cauce_bench_"))
    archivo = carpeta / "usuarios.toml"
    cuentas.agregar(archivo, CUENTA, "administrador", secrets.token_urlsafe(16))
    texto, n = re.subn(r'(?m)^usuarios = ".*"$', f'usuarios = "{archivo}"',
                       config.read_text(encoding="utf-8"))
    assert n == 1, f"{config}: no [acceso] usuarios to point at the benchmark's account"
    copia = carpeta / "config.toml"
    copia.write_text(texto, encoding="utf-8")
    return copia


def guardar_indicadores(url: str, guardar: bool) -> str:
    """What ``cauce cargar`` does last (``indicators.guardados``), timed; or, to measure the
    pages without it, what a load kept dropped."""
    import sqlalchemy as sa

    from cauce.settings import load_settings
    from etl import migracion
    from etl import warehouse as w
    from indicators import catalogo, guardados
    settings = load_settings(os.environ["CAUCE_CONFIG"], url)
    engine = w.create_engine(url, settings.memoria_mb)
    try:
        migracion.ensure_schema(engine)
        if not guardar:
            with engine.begin() as conn:
                conn.execute(sa.delete(guardados.T))
            return "no (--sin-guardados)"
        t = time.perf_counter()
        catalogo.guardar_ultimos(engine, settings)
        return f"{time.perf_counter() - t:.1f} s"
    finally:
        engine.dispose()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--almacen", help="URL del almacén (por defecto el DuckDB mediana de los "
                                      "benchmarks, que se prepara si falta)")
    ap.add_argument("--periodo", help="periodo a mostrar (por defecto el último facturado)")
    ap.add_argument("--municipio", help="código DANE del municipio a filtrar (por defecto, "
                                        "todos: lo que la carga guarda)")
    ap.add_argument("--paginas", nargs="+", default=list(PAGINAS), choices=PAGINAS)
    ap.add_argument("--repeticiones", type=int, default=3)
    ap.add_argument("--sin-guardados", action="store_true",
                    help="medir sin los indicadores que guarda la carga (todo se calcula al abrir)")
    args = ap.parse_args()

    if args.almacen:
        url, config = args.almacen, ROOT / "config.toml"
    else:
        import indicadores
        url, config = indicadores.preparar("mediana", "duckdb", ""), indicadores.bench_config()
    os.environ["CAUCE_CONFIG"] = str(con_cuenta(config))
    os.environ["CAUCE_ALMACEN"] = url
    guardar = guardar_indicadores(url, not args.sin_guardados)

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    t = time.perf_counter()
    at = AppTest.from_file(str(APP), default_timeout=600)
    at.session_state["_usuario"] = CUENTA
    at.run()
    arranque = time.perf_counter() - t
    if args.periodo:
        at.selectbox(key="periodo").set_value(args.periodo).run()

    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(MINIMA)
    base = []
    for _ in range(5):
        minima = AppTest.from_file(f.name)
        base.append(medir(minima))
    linea_base = statistics.median(base)

    print(f"# Tablero: {url}  ({platform.node()}, {os.cpu_count()} núcleos)")
    print(f"arranque (primera página, con las importaciones): {arranque:.2f} s")
    print(f"indicadores de 13 meses guardados como al final de una carga: {guardar}")
    print(f"línea base (una página de una línea): {linea_base * 1000:.0f} ms\n")
    def nueva_sesion() -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=600)
        at.session_state["_usuario"] = CUENTA        # signed in, as after the form
        if args.periodo:
            at.session_state["periodo"] = args.periodo
        if args.municipio:
            at.session_state["municipio"] = args.municipio
        return at

    filas = {}
    os.environ["CAUCE_TABLERO_CALENTAR"] = "0"
    for pagina in args.paginas:
        frias, tibias = [], []
        for _ in range(args.repeticiones):
            st.cache_data.clear()
            at = nueva_sesion()
            frias.append(medir(at, pagina))
            tibias.append(medir(at))
        filas[pagina] = (statistics.median(frias), statistics.median(tibias))

    print(f"{'página':<12} {'fría (s)':>9} {'tibia (s)':>10} {'fría/base':>10} {'tibia/base':>11}")
    for pagina, (fria, tibia) in filas.items():
        print(f"{pagina:<12} {fria:9.2f} {tibia:10.2f} {fria / linea_base:10.0f} "
              f"{tibia / linea_base:11.0f}", flush=True)

    from dashboards import datos, secciones
    from indicators import catalogo
    st.cache_data.clear()
    huella, settings = datos.huella(), datos.ajustes()
    periodo = args.periodo or datos.ultimo_periodo(huella)      # the month the pages open on
    print("\ncalentamiento (datos.calentar, paso por paso):")
    total = 0.0
    for nombre, paso in datos.pasos_de_calentar(
            huella, periodo, [*secciones.TARJETAS.values(), catalogo.diapositivas(settings)],
            secciones.LISTAS):
        t = time.perf_counter()
        paso()
        total += time.perf_counter() - t
        print(f"  {nombre}: {time.perf_counter() - t:.1f} s")
    print(f"  total: {total:.1f} s")
    os.unlink(f.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
