"""Benchmark of a batch of suspension notices (``cauce documentos aviso_suspension``).

The ``mediana`` demo takes long to generate and load, so by default this builds a synthetic
DuckDB warehouse of N accounts (10.000), each with two past-due invoices at the cut-off of
2026-10 (two services each): N candidates of the ``suspension`` list, all notified. Then, each
in a process of its own (so its peak resident memory, ``ru_maxrss``, is its own):

- Cauce: the whole batch, as ``cauce documentos`` writes it (the list, the register rows in
  the warehouse, the single .docx and the .zip with one .docx per notice);
- the baseline: one ``DocxTemplate`` per document (``render`` + ``save``), the way docxtpl's
  documentation mail-merges, on a sample of documents, extrapolated to N.

Record the figures in benchmarks/RESULTS.md.

    python benchmarks/documentos.py [--cuentas 10000] [--muestra 300] [--almacen URL]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
P, CORTE = "2026-10", dt.date(2026, 10, 31)

CAUCE = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    from cauce.settings import load_settings
    from cauce.acciones import documentos
    url, salida = sys.argv[1:3]
    settings = load_settings(None, almacen=url)
    t = time.perf_counter()
    lote = documentos.emitir(settings, "aviso_suspension", "2026-10", Path(salida))
    s = time.perf_counter() - t
    print(json.dumps({"documentos": len(lote.numeros), "segundos": s,
                      "pico_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "docx_mb": lote.docx.stat().st_size / 2**20,
                      "zip_mb": lote.zip.stat().st_size / 2**20}))
""")

BASE = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    from docxtpl import DocxTemplate
    from indicators.documentos import plantilla
    n, salida = int(sys.argv[1]), Path(sys.argv[2])
    contexto = json.loads(sys.argv[3])
    ruta = plantilla.CARPETA / "aviso_suspension.docx"
    t = time.perf_counter()
    for k in range(n):
        tpl = DocxTemplate(ruta)
        tpl.render(contexto, autoescape=True)
        tpl.save(salida / f"AS-{k}.docx")
    s = time.perf_counter() - t
    print(json.dumps({"documentos": n, "segundos": s,
                      "pico_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")


def almacen(url: str, cuentas: int) -> None:
    """N active residential accounts of Valledupar, each owing two invoices (acueducto and
    alcantarillado) 35 and 65 days past due at the cut-off: N notices."""
    import pyarrow as pa
    import sqlalchemy as sa

    from etl import bulk, migracion
    from etl import warehouse as w
    engine = w.create_engine(url)
    migracion.ensure_schema(engine)
    codigos = [f"{k:08d}" for k in range(cuentas)]
    with engine.begin() as conn:
        conn.execute(w.carga.insert().values(archivo="sintetico", sha256="0" * 64,
                                             fuente="suscriptores", inicio=dt.datetime.now(),
                                             estado="cargado"))
        bulk.insert_arrow(conn, "suscriptores", pa.table({
            "codigo": codigos, "periodo": [P] * cuentas,
            "nombre": [f"Usuario {k} & Cía <Ltda.>" for k in range(cuentas)],
            "documento": [str(10_000_000 + k) for k in range(cuentas)],
            "direccion": [f"CL {k % 90} # {k % 50}-{k % 30}" for k in range(cuentas)],
            "municipio_dane": ["20001"] * cuentas, "uso": ["residencial"] * cuentas,
            "estrato": pa.array([1 + k % 3 for k in range(cuentas)], pa.int64()),
            "acueducto": [True] * cuentas, "alcantarillado": [True] * cuentas,
            "aseo": [True] * cuentas, "ciclo": [f"{k % 20:02d}" for k in range(cuentas)],
            "ruta": [f"{k % 20:02d}{k % 7:02d}" for k in range(cuentas)],
            "secuencia": pa.array(list(range(cuentas)), pa.int64()),
            "estado": ["activo"] * cuentas, "carga_id": pa.array([1] * cuentas, pa.int64())}))
        filas = [(c, f"F{c}{d}", s, CORTE - dt.timedelta(days=d), 10_000 + 100 * (k % 50))
                 for k, c in enumerate(codigos) for d in (35, 65)
                 for s in ("acueducto", "alcantarillado")]
        bulk.insert_arrow(conn, "cartera", pa.table({
            "fecha_corte": pa.array([CORTE] * len(filas), pa.date32()),
            "codigo": [f[0] for f in filas], "numero_factura": [f[1] for f in filas],
            "servicio": [f[2] for f in filas],
            "fecha_vencimiento": pa.array([f[3] for f in filas], pa.date32()),
            "saldo": pa.array([float(f[4]) for f in filas], pa.float64()),
            "carga_id": pa.array([1] * len(filas), pa.int64())}))
        assert conn.execute(sa.select(sa.func.count()).select_from(w.tables["cartera"])
                            ).scalar() == 4 * cuentas
    engine.dispose()


def correr(script: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cuentas", type=int, default=10_000)
    parser.add_argument("--muestra", type=int, default=300)
    parser.add_argument("--almacen", help="un almacén ya preparado (por defecto uno sintético)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.almacen or f"duckdb:///{tmp}/almacen.duckdb"
        if not args.almacen:
            almacen(url, args.cuentas)
        cauce = correr(CAUCE, url, f"{tmp}/lote")
        print(f"Cauce: {cauce['documentos']} avisos en {cauce['segundos']:.1f} s, pico "
              f"{cauce['pico_mb']:.0f} MB (.docx {cauce['docx_mb']:.1f} MB, .zip "
              f"{cauce['zip_mb']:.1f} MB)")
        contexto = {"empresa": "Empresa", "nit": "900", "ciudad": "Valledupar",
                    "numero": "AS-2026-000001", "titulo": "Aviso", "fecha": "3 de noviembre",
                    "plazo": "13 de noviembre", "dias_plazo": 10, "periodo": P,
                    "periodo_nombre": "octubre de 2026", "codigo": "00000001",
                    "nombre": "Usuario & Cía", "documento": "1", "direccion": "CL 1",
                    "barrio": "", "municipio": "Valledupar", "ciclo": "01", "ruta": "0101",
                    "facturas": [{"numero": f"F{k}", "servicio": "acueducto",
                                  "vencimiento": "01/09/2026", "dias": 60, "saldo": "$ 10.000"}
                                 for k in range(4)],
                    "facturas_vencidas": 2, "total": "$ 40.000", "saldo_total": "$ 40.000",
                    "dias_mora": 65, "reconexion": "$ 48.500", "dias_recurso": 5}
        Path(f"{tmp}/base").mkdir()
        base = correr(BASE, str(args.muestra), f"{tmp}/base", json.dumps(contexto))
        por_doc = base["segundos"] / base["documentos"]
        print(f"Base (un DocxTemplate por documento): {base['documentos']} en "
              f"{base['segundos']:.1f} s = {1000 * por_doc:.1f} ms cada uno → "
              f"{por_doc * cauce['documentos']:.0f} s para {cauce['documentos']}; pico "
              f"{base['pico_mb']:.0f} MB")


if __name__ == "__main__":
    main()
