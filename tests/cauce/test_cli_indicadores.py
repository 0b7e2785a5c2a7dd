"""`cauce indicadores` and `cauce listas` as a user runs them (cli.md): JSON exactly as
documented, CSV, the Spanish table, and exit code 2 for bad input."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.cauce.test_cli import cauce
from tests.conftest import write

FACTURAS = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,cargo_fijo,"
            "valor_consumo,subsidio,contribucion,valor_total\n"
            "F1,C1,2026-10,acueducto,2026-10-01,2026-10-20,10000,50000,0,0,60000\n"
            "F1,C1,2026-10,alcantarillado,2026-10-01,2026-10-20,10000,30000,0,0,40000\n")
PAGOS = ("id,codigo,numero_factura,fecha_pago,valor\n"
         "P1,C1,F1,2026-10-15,50000\n"      # on time: due the 20th
         "P2,,,2026-10-03,10000\n")         # not identified

CLAVES = ["id", "nombre", "periodo", "valor", "unidad", "meta", "cumple", "grupo", "numerador",
          "denominador", "provisional"]


@pytest.fixture(scope="module")
def almacen(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("cli")
    write(carpeta / "facturas.csv", FACTURAS)
    write(carpeta / "pagos.csv", PAGOS)
    url = f"duckdb:///{carpeta / 'a.duckdb'}"
    out = cauce("cargar", str(carpeta), "--almacen", url, cwd=carpeta)
    assert out.returncode == 0, out.stdout + out.stderr
    return url, carpeta


def indicadores(almacen, *args):
    url, carpeta = almacen
    return cauce("indicadores", "--periodo", "2026-10", "--almacen", url, *args, cwd=carpeta)


def test_json_is_one_object_per_indicator_as_documented(almacen):
    out = indicadores(almacen, "--formato", "json")
    assert out.returncode == 0, out.stderr
    filas = {f["id"]: f for f in json.loads(out.stdout)}
    for f in filas.values():
        assert list(f) == CLAVES
    # collected in October 50.000 + 10.000 = 60.000 over billed 60.000 + 40.000 = 100.000
    assert filas["recaudo.eficiencia"] == {
        "id": "recaudo.eficiencia", "nombre": "Eficiencia del recaudo", "periodo": "2026-10",
        "valor": 0.6, "unidad": "proporcion", "meta": 0.95, "cumple": False, "grupo": None,
        "numerador": 60000.0, "denominador": 100000.0, "provisional": None}
    assert filas["recaudo.eficiencia_oportuna"]["valor"] == 0.5      # 50.000 / 100.000
    # the data's cut-off is the latest payment, 10-15: F1, due 10-20, is not due yet
    assert filas["recaudo.eficiencia_oportuna"]["provisional"] == 1
    # the timeliness shares without data: no item pending, 0 (not null: they can have some)
    assert filas["pqr.oportunidad"]["provisional"] == 0
    assert filas["recaudo.por_identificar"]["valor"] == 10000
    # nothing of the cadastre was loaded: no value, not a zero
    assert filas["catastro.activos"]["valor"] is None
    assert filas["pqr.oportunidad"]["valor"] is None and filas["pqr.oportunidad"]["cumple"] is None


def test_json_by_service_spreads_a_payment_over_its_invoice(almacen):
    out = indicadores(almacen, "--formato", "json", "--por", "servicio")
    assert out.returncode == 0, out.stderr
    valor = {f["grupo"]: f["valor"] for f in json.loads(out.stdout) if f["id"] == "recaudo.valor"}
    # P1's 50.000 over F1's services as 60.000 : 40.000; P2 has no invoice
    assert valor == {"acueducto": 30000, "alcantarillado": 20000, "sin servicio": 10000}


def test_csv_is_for_colombian_excel_and_the_table_is_spanish(almacen):
    url, carpeta = almacen
    out = subprocess.run([sys.executable, "-m", "cauce", "indicadores", "--periodo", "2026-10",
                          "--almacen", url, "--formato", "csv"], cwd=carpeta,
                         capture_output=True, timeout=300)        # the bytes, as a file gets them
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(b"\xef\xbb\xbf")             # UTF-8 BOM: Excel keeps accents
    lineas = out.stdout.decode("utf-8-sig").split("\r\n")
    assert lineas[0] == ("Área;Indicador;Código;Periodo;Valor;Unidad;Meta;Estado;Numerador;"
                         "Denominador")
    # 60.000 collected of 100.000 billed: 60 %, against the goal of 95 % ([metas]); pesos whole
    assert ("Recaudo;Eficiencia del recaudo;recaudo.eficiencia;Octubre de 2026;60,00%;"
            "porcentaje;95,00%;No cumple;60000;100000") in lineas
    assert "Recaudo;Valor recaudado;recaudo.valor;Octubre de 2026;60000;pesos;;Sin meta;60000;" \
        in lineas
    out = indicadores(almacen)
    assert out.returncode == 0
    linea = next(x for x in out.stdout.splitlines() if "Eficiencia del recaudo" in x)
    assert "60,0 %" in linea and "95,0 %" in linea and "no cumple" in linea
    assert "$ 100.000" in out.stdout        # the billing, in pesos
    assert "sin datos" in out.stdout
    linea = next(x for x in out.stdout.splitlines() if "Recaudo oportuno" in x)
    assert "1 aún no vence" in linea
    assert "el corte de los datos es el 15/10/2026" in " ".join(out.stdout.split())


def test_bad_period_and_missing_warehouse_exit_2(tmp_path):
    out = cauce("indicadores", "--periodo", "10-2026", cwd=tmp_path)
    assert out.returncode == 2 and "AAAA-MM" in out.stderr
    out = cauce("indicadores", "--periodo", "2026-10", "--almacen",
                f"duckdb:///{tmp_path / 'no-hay.duckdb'}", cwd=tmp_path)
    assert out.returncode == 2
    assert "No hay almacén" in out.stderr and "cauce cargar" in out.stderr
    assert not (tmp_path / "no-hay.duckdb").exists()
    assert "Traceback" not in out.stderr


def test_an_empty_list_says_so(almacen):
    url, carpeta = almacen
    out = cauce("listas", "desviaciones", "--periodo", "2026-10", "--almacen", url, cwd=carpeta)
    assert out.returncode == 0
    assert "No hay datos de lecturas" in out.stdout and "vacía" in out.stdout
    out = cauce("listas", "desviaciones", "--periodo", "2026-10", "--salida", "x.pdf",
                "--almacen", url, cwd=carpeta)
    assert out.returncode == 2 and ".xlsx o .csv" in out.stderr


def test_reading_the_warehouse_does_not_import_great_expectations(almacen, tmp_path):
    """Great Expectations takes seconds to import; only a load, which judges rows, needs it.
    The indicators and the lists start without it."""
    url, carpeta = almacen
    programa = ("import sys\n"
                "from cauce.cli import main\n"
                "codigo = main(sys.argv[1:])\n"
                "print(codigo, 'great_expectations' in sys.modules)\n")

    def correr(*orden):
        out = subprocess.run([sys.executable, "-c", programa, *orden], cwd=carpeta,
                             capture_output=True, text=True, timeout=300)
        return out.stdout.splitlines()[-1], out.stdout + out.stderr

    for orden in (["indicadores", "--periodo", "2026-10", "--almacen", url, "--formato", "json"],
                  ["listas", "desviaciones", "--periodo", "2026-10", "--almacen", url]):
        ultima, todo = correr(*orden)
        assert ultima in ("0 False", "1 False"), todo
    # a load still judges its rows with it
    write(tmp_path / "pagos.csv", PAGOS)
    ultima, todo = correr("cargar", str(tmp_path), "--almacen", f"duckdb:///{tmp_path / 'b.duckdb'}")
    assert ultima == "0 True", todo
