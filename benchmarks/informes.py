"""Benchmark of the monthly reports on one warehouse (by default the ``mediana`` demo on
DuckDB, prepared as ``benchmarks/indicadores.py`` does): time and peak memory of

- ``cauce informe`` (the workbook and the presentation), split into gathering the numbers
  (``informe.reunir``: the catalogue for 13 periods, the breakdowns, the lists) and writing
  the two files;
- the baseline, in the same run: the same tables written by ``pandas.DataFrame.to_excel``
  (openpyxl, every cell in memory), the way a spreadsheet export is usually done;
- ``cauce sui facturacion_acueducto`` and ``cauce sui facturacion_alcantarillado`` (the
  layouts as shipped), with the rows of each report and rows per second (``--solo-sui``: only
  these).

Each is run in a process of its own, so its peak resident memory (``ru_maxrss``) is its own.
Record the figures in benchmarks/RESULTS.md.

    python benchmarks/informes.py [--almacen URL] [--periodo AAAA-MM] [--solo-sui]
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

MEDIR = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    from cauce.settings import load_settings
    from etl import warehouse as w
    from indicators import informe, presentacion
    modo, url, config, periodo, salida = sys.argv[1:6]
    settings = load_settings(config, almacen=url)
    engine = w.create_engine(url, settings.memoria_mb, solo_lectura=url.startswith("duckdb"))
    t = time.perf_counter()
    with engine.connect() as conn:
        datos = informe.reunir(conn, periodo, settings)
    reunir = time.perf_counter() - t
    import tracemalloc
    tracemalloc.start()
    t = time.perf_counter()
    salida = Path(salida)
    if modo == "cauce":
        informe.escribir(datos, settings, salida / "informe.xlsx")
        presentacion.escribir(datos, settings, salida / "informe.html")
    else:                                   # the baseline: pandas' to_excel, in memory
        import pandas as pd
        with pd.ExcelWriter(salida / "base.xlsx", engine="openpyxl") as x:
            datos.tendencia.to_excel(x, sheet_name="tendencia", index=False)
            for por, d in datos.desgloses.items():
                d.to_excel(x, sheet_name=por, index=False)
            for tipo, d in datos.listas.items():
                d.to_excel(x, sheet_name=tipo[:31], index=False)
    escribir = time.perf_counter() - t
    python_mb = tracemalloc.get_traced_memory()[1] / 2**20
    filas = sum(len(d) for d in datos.listas.values())
    print(json.dumps({"reunir": reunir, "escribir": escribir, "filas_listas": filas,
                      "python_mb": python_mb,
                      "memoria_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")


def correr(modo: str, url: str, config: Path, periodo: str) -> dict:
    with tempfile.TemporaryDirectory() as salida:
        out = subprocess.run([sys.executable, "-c", MEDIR, modo, url, str(config), periodo,
                              salida], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


SUI = textwrap.dedent("""
    import contextlib, io, json, resource, sys, time
    from cauce.cli import main
    t = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) as o, \\
            contextlib.redirect_stderr(io.StringIO()) as e:
        codigo = main(sys.argv[1:])
    print(json.dumps({"segundos": time.perf_counter() - t, "codigo": codigo,
                      "salida": o.getvalue()[:2000], "error": e.getvalue()[-300:],
                      "memoria_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")
SUI_FORMATOS = ("facturacion_acueducto", "facturacion_alcantarillado")


def sui(formato: str, url: str, config: Path, periodo: str) -> dict:
    """``cauce sui FORMATO`` in a process of its own, and the rows of its report."""
    with tempfile.TemporaryDirectory() as salida:
        out = subprocess.run([sys.executable, "-c", SUI, "sui", formato, "--periodo", periodo,
                              "--salida", f"{salida}/sui.csv", "--almacen", url, "--config",
                              str(config)], capture_output=True, text=True, cwd=ROOT)
    medida = json.loads(out.stdout.strip().splitlines()[-1])
    # «… en un reporte de 193.927 filas» (errors) or «193.927 filas validadas» (written)
    filas = re.search(r"([\d.]+) filas", " ".join(medida["salida"].split()))
    medida["filas"] = int(filas.group(1).replace(".", "")) if filas else 0
    return medida


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--almacen")
    ap.add_argument("--periodo", default="2026-10")
    ap.add_argument("--solo-sui", action="store_true", help="only the SUI billing reports")
    args = ap.parse_args()
    if args.almacen:
        url, config = args.almacen, ROOT / "config.toml"
    else:
        import indicadores
        url, config = indicadores.preparar("mediana", "duckdb", ""), indicadores.bench_config()
    print(f"# Informes: {url}, periodo {args.periodo}")
    if not args.solo_sui:
        libro(url, config, args.periodo)
    print(f"{'cauce sui':<34} {'filas':>9} {'tiempo (s)':>10} {'filas/s':>9} "
          f"{'memoria pico (MB)':>18} {'código':>7}")
    for formato in SUI_FORMATOS:
        s = sui(formato, url, config, args.periodo)
        print(f"{formato:<34} {s['filas']:9d} {s['segundos']:10.1f} "
              f"{s['filas'] / s['segundos']:9.0f} {s['memoria_mb']:18.0f} {s['codigo']:7d}")
        if s["error"]:
            print(f"  {s['error']}")
    return 0


def libro(url: str, config: Path, periodo: str) -> None:
    """The workbook and the presentation against pandas' to_excel."""
    cauce = correr("cauce", url, config, periodo)
    base = correr("base", url, config, periodo)
    filas = f"{cauce['filas_listas']:,}".replace(",", ".")
    print(f"reunir los datos (catálogo de 13 meses, desgloses, listas con {filas} filas): "
          f"{cauce['reunir']:.1f} s")
    print(f"{'escritura':<34} {'tiempo (s)':>10} {'memoria Python al escribir (MB)':>32} "
          f"{'memoria pico del proceso (MB)':>30}")
    for nombre, m in (("cauce: libro + presentación", cauce),
                      ("base: pandas to_excel (openpyxl)", base)):
        print(f"{nombre:<34} {m['escribir']:10.1f} {m['python_mb']:32.0f} {m['memoria_mb']:30.0f}")
    print(f"razón cauce/base: tiempo {cauce['escribir'] / base['escribir']:.2f}, memoria Python "
          f"{cauce['python_mb'] / base['python_mb']:.2f}")


if __name__ == "__main__":
    sys.exit(main())
