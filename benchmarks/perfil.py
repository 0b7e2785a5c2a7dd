"""Where the time goes, in two views that the other benchmarks only total.

``guardar``: the catalogue of the 13 months that a load keeps last (as
``indicators.catalogo.guardar_ultimos`` computes it, with the three breakdowns, without
the tariff charges and the deviations' history that it keeps first), on a copy of a
DuckDB warehouse, timed by family of indicators (the families that sum the same rows
share a query).

``paginas``: each dashboard page drawn cold (Streamlit's caches emptied, no background
warm-up), with each query it sent to the warehouse and how long that query took: the
costliest first, or all of them in order with ``--todas``. The indicators the last load
kept must be current for this Cauce (``benchmarks/tablero.py`` keeps them first), or the
pages compute their series.

    python benchmarks/perfil.py guardar ALMACEN.duckdb [--config config.toml]
    python benchmarks/perfil.py paginas URL [--config config.toml] [--todas] PAGINA ...
"""
from __future__ import annotations

import argparse
import collections
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import sqlalchemy as sa  # noqa: E402


def guardar(almacen: Path, config: Path) -> None:
    from cauce.settings import load_settings
    from etl import warehouse as w
    from indicators import catalogo, guardados
    from indicators.definicion import periodo_mas

    settings = load_settings(config)
    with tempfile.TemporaryDirectory() as carpeta:
        copia = Path(carpeta) / almacen.name
        shutil.copyfile(almacen, copia)
        engine = w.create_engine(f"duckdb:///{copia}", settings.memoria_mb)
        por_familia: collections.Counter = collections.Counter()
        sumar = catalogo._sumar

        def cronometrado(qs, xs):
            t = time.perf_counter()
            try:
                return sumar(qs, xs)
            finally:
                filas = xs[0].filas
                por_familia[f"{filas.__module__.rsplit('.', 1)[-1]}.{filas.__name__}"] += (
                    time.perf_counter() - t)
        catalogo._sumar = cronometrado
        try:
            with engine.begin() as conn:
                fin = catalogo.ultimo_periodo(conn)
                periodos = [periodo_mas(fin, -k) for k in reversed(range(guardados.N))]
                t = time.perf_counter()
                catalogo._por_desglose(conn, periodos, settings, fin)
                total = time.perf_counter() - t
        finally:
            catalogo._sumar = sumar
            engine.dispose()
    print(f"catálogo de {len(periodos)} meses ({periodos[0]}..{periodos[-1]}), los tres "
          f"desgloses: {total:.2f} s")
    for familia, segundos in por_familia.most_common():
        print(f"{segundos:7.2f} s  {familia}")


def paginas(url: str, config: Path, nombres: list[str], todas: bool) -> None:
    import tablero
    os.environ["CAUCE_CONFIG"] = str(tablero.con_cuenta(config))
    os.environ["CAUCE_ALMACEN"] = url
    os.environ["CAUCE_TABLERO_CALENTAR"] = "0"
    consultas: list[list] = []

    @sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
    def antes(conn, cursor, statement, parameters, context, executemany):
        consultas.append([statement, time.perf_counter()])

    @sa.event.listens_for(sa.engine.Engine, "after_cursor_execute")
    def despues(conn, cursor, statement, parameters, context, executemany):
        consultas[-1][1] = time.perf_counter() - consultas[-1][1]

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    def sesion() -> AppTest:
        at = AppTest.from_file(str(tablero.APP), default_timeout=600)
        at.session_state["_usuario"] = tablero.CUENTA
        return at
    sesion().run()                      # the imports, apart
    for pagina in nombres:
        st.cache_data.clear()
        at = sesion()
        consultas.clear()
        t = time.perf_counter()
        at.switch_page(f"paginas/{pagina}.py")
        at.run()
        total = time.perf_counter() - t
        if at.exception:
            raise SystemExit(f"{pagina}: {at.exception[0].value}")
        print(f"== {pagina}: {total:.2f} s en frío, {len(consultas)} consultas, "
              f"{sum(s for _, s in consultas):.2f} s en el almacén")
        for sql, segundos in (consultas if todas else
                              sorted(consultas, key=lambda c: -c[1])[:8]):
            print(f"  {segundos:6.3f} s  {' '.join(sql.split())[:150]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="vista", required=True)
    g = sub.add_parser("guardar", help="el catálogo de los 13 meses guardados, por familia")
    g.add_argument("almacen", type=Path, help="un almacén DuckDB (se mide sobre una copia)")
    p = sub.add_parser("paginas", help="las consultas de cada página en frío")
    p.add_argument("url", help="URL del almacén")
    p.add_argument("paginas", nargs="+", help="páginas de dashboards/paginas/ (sin .py)")
    p.add_argument("--todas", action="store_true", help="todas las consultas, en orden")
    for parser in (g, p):
        parser.add_argument("--config", type=Path, default=ROOT / "config.toml")
    args = ap.parse_args()
    if args.vista == "guardar":
        if not args.almacen.is_file():
            raise SystemExit(f"No hay almacén DuckDB en {args.almacen}.")
        guardar(args.almacen, args.config)
    else:
        paginas(args.url, args.config, args.paginas, args.todas)
    return 0


if __name__ == "__main__":
    sys.exit(main())
