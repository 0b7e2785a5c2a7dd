"""What `cauce` says around its results, as a user or a script runs it: a period without
data names the loaded ones (exit 1), JSON sums without float noise, plain progress lines off a
terminal, a misspelled command's closest match, names with their accents, and what the
commands write lands under datos/."""
from __future__ import annotations

import json
import re

import openpyxl
import pytest

from tests.cauce.test_cli import cauce
from tests.conftest import write

# September billed 30.000; October's invoice F1 bills 50.000 for each of three services and
# its one payment of 100.000 spreads over them as 1/3 each.
FACTURAS = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,cargo_fijo,"
            "valor_consumo,subsidio,contribucion,valor_total\n"
            "F0,C1,2026-09,acueducto,2026-09-01,2026-09-20,10000,20000,0,0,30000\n"
            "F1,C1,2026-10,acueducto,2026-10-01,2026-10-20,10000,40000,0,0,50000\n"
            "F1,C1,2026-10,alcantarillado,2026-10-01,2026-10-20,10000,40000,0,0,50000\n"
            "F1,C1,2026-10,aseo,2026-10-01,2026-10-20,10000,40000,0,0,50000\n")
PAGOS = "id,codigo,numero_factura,fecha_pago,valor\nP1,C1,F1,2026-10-15,100000\n"

SIN_DATOS = ("El almacén no tiene datos del periodo 2020-01: los periodos cargados van de "
             "2026-09 a 2026-10. Pida uno de ellos con --periodo AAAA-MM, o cargue las "
             "exportaciones de 2020-01 con «cauce cargar CARPETA».\n")


@pytest.fixture(scope="module")
def cargado(tmp_path_factory):
    """The warehouse, and what `cauce cargar` printed into a pipe (not a terminal)."""
    carpeta = tmp_path_factory.mktemp("mensajes")
    exportes = carpeta / "exportes"
    exportes.mkdir()
    write(exportes / "facturas.csv", FACTURAS)
    write(exportes / "pagos.csv", PAGOS)
    url = f"duckdb:///{carpeta / 'a.duckdb'}"
    out = cauce("cargar", str(exportes), "--almacen", url, cwd=carpeta)
    assert out.returncode == 0, out.stdout + out.stderr
    return url, out.stdout


def en(cargado, cwd, *args):
    return cauce(*args, "--almacen", cargado[0], cwd=cwd)


def test_a_period_without_data_names_the_loaded_ones_and_exits_1(cargado, tmp_path):
    out = en(cargado, tmp_path, "indicadores", "--periodo", "2020-01")
    assert (out.returncode, out.stderr, out.stdout) == (1, SIN_DATOS, "")   # no 60 empty rows
    # a script still gets the documented array (every value null), and the exit code
    out = en(cargado, tmp_path, "indicadores", "--periodo", "2020-01", "--formato", "json")
    assert (out.returncode, out.stderr) == (1, SIN_DATOS)
    assert {f["valor"] for f in json.loads(out.stdout)} == {None}
    out = en(cargado, tmp_path, "indicadores", "--periodo", "2026-09")
    assert (out.returncode, out.stderr) == (0, "")
    assert "Eficiencia del recaudo" in out.stdout


def test_json_sums_are_in_cents_and_proportions_keep_every_digit(cargado, tmp_path):
    out = en(cargado, tmp_path, "indicadores", "--periodo", "2026-10", "--formato", "json",
             "--por", "servicio")
    assert out.returncode == 0, out.stderr
    filas = {(f["id"], f["grupo"]): f for f in json.loads(out.stdout)}
    for servicio in ("acueducto", "alcantarillado", "aseo"):
        # 100.000 / 3 = 33.333,333… pesos: to the cent
        valor = filas["recaudo.valor", servicio]
        assert (valor["valor"], valor["numerador"]) == (33333.33, 33333.33)
        # 33.333,333… / 50.000 = 2/3, every digit (not 0.67, not the rounded cents' ratio)
        eficiencia = filas["recaudo.eficiencia", servicio]
        assert eficiencia["valor"] == pytest.approx(2 / 3, rel=1e-12)
        assert (eficiencia["numerador"], eficiencia["denominador"]) == (33333.33, 50000.0)
    out = en(cargado, tmp_path, "indicadores", "--periodo", "2026-10", "--formato", "csv",
             "--por", "servicio")
    # the CSV is for the user's Excel («Los CSV para Excel»): money in whole pesos
    assert ";recaudo.valor;acueducto;Octubre de 2026;33333;pesos;" in out.stdout


def test_cargar_off_a_terminal_prints_plain_progress_lines(cargado):
    lineas = [x.rstrip() for x in cargado[1].splitlines()]
    assert "\x1b" not in cargado[1]                     # no colours, bars or cursor moves
    cargando = [lineas.index("Cargando facturas.csv…"), lineas.index("Cargando pagos.csv…")]
    tabla = next(i for i, x in enumerate(lineas) if x.startswith("Carga de "))
    calculando = lineas.index("Calculando los indicadores de los últimos 13 meses…")
    assert max(cargando) < tabla < calculando
    assert re.fullmatch(r"Hecho en \d+,\d s\.", lineas[calculando + 1])


def test_a_misspelled_command_suggests_the_closest_one(tmp_path):
    out = cauce("cargr", "datos/demo", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.splitlines()[-1] == (
        "cauce: error: «cargr» no es un comando de cauce. ¿Quiso decir «cargar»? Los comandos "
        "son: demo, cargar, calidad, indicadores, listas, informe, proyeccion, tablero, sui, "
        "documentos, usuarios.")
    out = cauce("listas", "suspencion", cwd=tmp_path)
    assert out.returncode == 2
    assert "argumento TIPO: «suspencion» no es un valor válido. ¿Quiso decir «suspension»?" \
        in out.stderr
    out = cauce("xyz", cwd=tmp_path)
    assert out.returncode == 2 and "«xyz» no es un comando de cauce." in out.stderr
    assert "Quiso decir" not in out.stderr and "Traceback" not in out.stderr


def test_names_keep_their_accents(cargado, tmp_path):
    out = en(cargado, tmp_path, "listas", "suspension", "--periodo", "2026-10", "--salida",
             "s.xlsx")
    assert out.returncode == 0, out.stderr
    assert "Lista «Suspensión del servicio» de 2026-10: 0 filas escritas en s.xlsx." in out.stdout
    assert openpyxl.load_workbook(tmp_path / "s.xlsx").sheetnames == ["Suspensión del servicio"]
    out = en(cargado, tmp_path, "indicadores", "--periodo", "2026-10", "--formato", "json")
    nombres = {f["id"]: f["nombre"] for f in json.loads(out.stdout)}
    assert nombres["nsu.dimension.facturacion"] == "NSU: facturación"
    assert nombres["nsu.dimension.atencion"] == "NSU: atención"
    assert nombres["nsu.dimension.servicio"] == "NSU: servicio"


def archivos(carpeta):
    return sorted(p.relative_to(carpeta).as_posix() for p in carpeta.rglob("*") if p.is_file())


def test_the_monthly_report_lands_under_datos(cargado, tmp_path):
    out = en(cargado, tmp_path, "informe", "--periodo", "2026-10")
    assert out.returncode == 0, out.stdout + out.stderr
    assert archivos(tmp_path) == ["datos/informes/informe_2026-10.html",
                                  "datos/informes/informe_2026-10.xlsx"]
    out = cauce("informe", "--help", cwd=tmp_path)
    assert "(por defecto datos/informes)" in out.stdout
