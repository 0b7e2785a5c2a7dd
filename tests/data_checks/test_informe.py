"""The data-quality report (``cauce calidad``) over real loads, on DuckDB and on PostgreSQL.

Every export here is written by hand and loaded with ``--forzar`` (a file past a
tolerance is then loaded and recorded as forced). The expected figures are
worked out in the comments from the rows: ``fallidas / total`` is rows flagged
of rows judged, and only the rows that were stored are judged (a quarantined
row is counted by the ``cuarentena`` check instead, of the rows read).
"""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from rich.console import Console

from cauce import CauceError
from cauce.cli import main
from cauce.settings import SHIPPED_CONFIG, load_settings
from data_checks import informe
from data_checks.reglas import reglas_de
from etl import auditoria
from etl import warehouse as w
from etl.load import FileResult, load_folder
from tests.conftest import write

HEADER = ("codigo;periodo;nombre;direccion;municipio_dane;uso;estrato;acueducto;alcantarillado;"
          "aseo;ciclo;ruta;estado\n")
CODIGO_INVALIDO = "código no reconocido; los válidos son: activo, suspendido, cortado, inactivo"


def fila(codigo: str, periodo: str, municipio: str = "20001", uso: str = "residencial",
         estrato: str = "2", estado: str = "activo") -> str:
    return (f"{codigo};{periodo};Titular {codigo};CL {codigo} # 1-2;{municipio};{uso};{estrato};"
            f"S;S;N;01;0101;{estado}\n")


# October's cadastre: rows 2-6 of the file.
OCTUBRE = HEADER + (
    fila("001", "2026-10")
    + fila("002", "2026-10", municipio="20011")
    + fila("003", "2026-10", municipio="05001")      # row 4: Medellín is not configured
    + fila("004", "2026-10", municipio="20570")
    + fila("005", "2026-10", estado="retirado"))     # row 6: not a code of estado: quarantined
# November's: the same four accounts; 004 is now commercial but keeps an estrato.
NOVIEMBRE = HEADER + (
    fila("001", "2026-11") + fila("002", "2026-11", municipio="20011")
    + fila("003", "2026-11") + fila("004", "2026-11", uso="comercial", estrato="3"))

# The rules judged on a first snapshot: every domain rule of the cadastre but the
# vanished-account one, which needs a previous snapshot to compare with.
PRIMERA_FOTO = [r.id for r in reglas_de("suscriptores")
                if not r.estructural and r.id != "catastro.cuenta_desaparecida"]


@pytest.fixture
def config(tmp_path) -> Path:
    """The shipped configuration, copied: its folders (datos/calidad...) fall under tmp_path."""
    path = tmp_path / "config.toml"
    shutil.copyfile(SHIPPED_CONFIG, path)
    return path


@pytest.fixture
def settings(almacen, config):
    return load_settings(config, almacen=almacen)


def cargar(settings, carpeta: Path, **archivos: str) -> list[FileResult]:
    carpeta.mkdir()
    for nombre, texto in archivos.items():
        write(carpeta / f"{nombre}.csv", texto)
    return load_folder(carpeta, settings, forzar=True)


def consultar(settings, funcion, periodo: str | None = None):
    engine = w.create_engine(settings.almacen_url)
    try:
        with engine.connect() as conn:
            return funcion(conn, periodo)
    finally:
        engine.dispose()


def resumen(controles) -> list[tuple]:
    return [(c.fuente, c.regla, c.fallidas, c.total, c.ejemplos) for c in controles]


def cifras_octubre() -> list[tuple]:
    """October's file alone: 4 of its 5 rows stored, 1 flagged by the municipality rule."""
    ok = [("suscriptores", regla, 0, 4, []) for regla in PRIMERA_FOTO]
    municipio = PRIMERA_FOTO.index("catastro.municipio_configurado")
    ok[municipio] = ("suscriptores", "catastro.municipio_configurado", 1, 4, ["003 | 2026-10"])
    # The quarantine check counts of the rows read: 1 of 5.
    return ok + [("suscriptores", "cuarentena", 1, 5, [f"005 | 2026-10: {CODIGO_INVALIDO}"])]


def test_un_archivo_con_un_hallazgo_y_una_fila_en_cuarentena(settings, tmp_path):
    [r] = cargar(settings, tmp_path / "oct", suscriptores_2026_10=OCTUBRE)
    # 1 of 4 stored rows (25 %) is past the 2 % tolerance: loaded only because forced.
    assert (r.estado, r.leidas, r.cargadas, r.cuarentena) == ("forzado", 5, 4, 1)
    controles = consultar(settings, auditoria.calidad)
    assert resumen(controles) == cifras_octubre()
    municipio = next(c for c in controles if c.regla == "catastro.municipio_configurado")
    assert municipio.tolerancia == settings.tolerancia_calidad == 0.02
    assert municipio.severidad == "error" and municipio.excede
    assert municipio.descripcion.startswith("El municipio (código DANE)")
    cuarentena = controles[-1]
    assert (cuarentena.tolerancia, cuarentena.severidad) == (None, "error")
    assert cuarentena.descripcion == auditoria.DESCRIPCION_CUARENTENA


def test_periodo_filtra_las_cargas(settings, tmp_path):
    [octubre] = cargar(settings, tmp_path / "oct", suscriptores_2026_10=OCTUBRE)
    [noviembre] = cargar(settings, tmp_path / "nov", suscriptores_2026_11=NOVIEMBRE)
    assert noviembre.estado == "forzado"       # estrato rule: 1 of 4 rows, past 2 %
    assert consultar(settings, auditoria.cargas_vigentes) == [octubre.carga_id, noviembre.carga_id]
    assert consultar(settings, auditoria.cargas_vigentes, "2026-11") == [noviembre.carga_id]

    # November alone: 004 (commercial with estrato 3) flagged of 4 rows; October's 001-004
    # are all in November's snapshot, so no account vanished (0 of October's 4).
    nov = {(c.regla): (c.fallidas, c.total, c.ejemplos)
           for c in consultar(settings, auditoria.calidad, "2026-11")}
    assert nov == {**{regla: (0, 4, []) for regla in PRIMERA_FOTO},
                   "catastro.estrato_segun_uso": (1, 4, ["004 | 2026-11"]),
                   "catastro.cuenta_desaparecida": (0, 4, [])}
    assert resumen(consultar(settings, auditoria.calidad, "2026-10")) == cifras_octubre()

    # Both periods: the judged rows add up (4 + 4); the quarantine's 1 row is of all the
    # rows read by the two files (5 + 4).
    todos = {c.regla: (c.fallidas, c.total) for c in consultar(settings, auditoria.calidad)}
    assert todos == {**{regla: (0, 8) for regla in PRIMERA_FOTO},
                     "catastro.estrato_segun_uso": (1, 8),
                     "catastro.municipio_configurado": (1, 8),
                     "catastro.cuenta_desaparecida": (0, 4),
                     "cuarentena": (1, 9)}


def test_una_exportacion_nueva_del_periodo_reemplaza_los_resultados(settings, tmp_path):
    [viejo] = cargar(settings, tmp_path / "v1", suscriptores_2026_10=OCTUBRE)
    # The corrected export: 003 and 005 fixed, and a new commercial account 006 with estrato 2.
    corregido = HEADER + (fila("001", "2026-10") + fila("002", "2026-10", municipio="20011")
                          + fila("003", "2026-10") + fila("004", "2026-10", municipio="20570")
                          + fila("005", "2026-10")
                          + fila("006", "2026-10", uso="comercial", estrato="2"))
    [nuevo] = cargar(settings, tmp_path / "v2", suscriptores_2026_10_corregido=corregido)
    assert consultar(settings, auditoria.cargas_vigentes) == [nuevo.carga_id]
    # Only the new load counts: 006 flagged of its 6 stored rows; no quarantine any more.
    got = {c.regla: (c.fallidas, c.total, c.ejemplos) for c in consultar(settings, auditoria.calidad)}
    assert got == {**{regla: (0, 6, []) for regla in PRIMERA_FOTO},
                   "catastro.estrato_segun_uso": (1, 6, ["006 | 2026-10"])}
    # The old load's results are still recorded: the report leaves them out, it does not lose them.
    engine = w.create_engine(settings.almacen_url)
    try:
        with engine.connect() as conn:
            kept = conn.execute(sa.select(sa.func.count()).select_from(w.resultado_regla).where(
                w.resultado_regla.c.carga_id == viejo.carga_id)).scalar_one()
    finally:
        engine.dispose()
    assert kept == len(PRIMERA_FOTO)


def test_una_carga_sigue_vigente_mientras_sea_la_ultima_de_algun_periodo(settings, tmp_path):
    # One file with September and October; then a newer October; and payments (a keyed
    # source: every load of it stays current).
    [ambos, pagos] = cargar(settings, tmp_path / "a",
                            suscriptores_2026_09_10=HEADER + fila("001", "2026-09")
                            + fila("001", "2026-10"),
                            pagos=("id,codigo,fecha_pago,valor\n"
                                   "P1,001,2026-10-14,0\n"          # not positive: flagged
                                   "P2,001,2026-11-02,5000\n"))
    [octubre] = cargar(settings, tmp_path / "b", suscriptores_2026_10=HEADER + fila("001", "2026-10"))
    [pagos_2] = cargar(settings, tmp_path / "c", pagos_2=("id,codigo,fecha_pago,valor\n"
                                                           "P1,001,2026-10-14,100\n"))
    # The first file is still the latest of September, so it stays current.
    assert consultar(settings, auditoria.cargas_vigentes) == [
        ambos.carga_id, pagos.carga_id, octubre.carga_id, pagos_2.carga_id]
    assert consultar(settings, auditoria.cargas_vigentes, "2026-09") == [ambos.carga_id]
    # October: the first file has October rows too; the payments of both files are October's.
    assert consultar(settings, auditoria.cargas_vigentes, "2026-10") == [
        ambos.carga_id, pagos.carga_id, octubre.carga_id, pagos_2.carga_id]
    # November: only the first payments file has a November payment.
    assert consultar(settings, auditoria.cargas_vigentes, "2026-11") == [pagos.carga_id]
    # P1's 0 of the first payments file: 1 of 2, then 0 of 1 in the second: 1 of 3.
    got = {c.regla: (c.fallidas, c.total, c.ejemplos, c.tolerancia)
           for c in consultar(settings, auditoria.calidad, "2026-10") if c.fuente == "pagos"}
    assert got["recaudo.valor_no_positivo"] == (1, 3, ["P1"], None)


def test_un_archivo_todo_en_cuarentena_se_reporta_hasta_la_siguiente_carga(settings, tmp_path):
    # Both rows have an unknown estado: nothing is stored, so the file replaced no period.
    [malo] = cargar(settings, tmp_path / "a", suscriptores_2026_10=HEADER
                    + fila("001", "2026-10", estado="x") + fila("002", "2026-10", estado="y"))
    assert (malo.estado, malo.cargadas, malo.cuarentena) == ("cargado", 0, 2)
    assert consultar(settings, auditoria.cargas_vigentes) == [malo.carga_id]
    assert [(c.regla, c.fallidas, c.total) for c in consultar(settings, auditoria.calidad)] == [
        ("cuarentena", 2, 2)]
    [bueno] = cargar(settings, tmp_path / "b", suscriptores_2026_10=HEADER + fila("001", "2026-10"))
    assert consultar(settings, auditoria.cargas_vigentes) == [bueno.carga_id]


def test_sin_cargas_o_sin_el_periodo_es_un_error_claro(settings, config, almacen, tmp_path, capsys):
    assert main(["calidad", "--config", str(config), "--almacen", almacen]) == 2
    err = capsys.readouterr().err
    assert "No hay cargas en el almacén" in err and "cauce cargar" in err
    assert "Traceback" not in err
    with pytest.raises(CauceError) as e:
        consultar(settings, auditoria.cargas_vigentes)
    assert e.value.codigo == 2

    cargar(settings, tmp_path / "oct", suscriptores_2026_10=OCTUBRE)
    assert main(["calidad", "--periodo", "2026-12", "--config", str(config),
                 "--almacen", almacen]) == 2
    err = capsys.readouterr().err
    assert "periodo 2026-12" in err and "Traceback" not in err
    assert main(["calidad", "--periodo", "2026-13", "--config", str(config),
                 "--almacen", almacen]) == 2
    assert "no es válido" in capsys.readouterr().err


def test_json_por_la_linea_de_comandos(settings, config, almacen, tmp_path, capsys):
    cargar(settings, tmp_path / "in", suscriptores_2026_10=OCTUBRE,
           pagos="id,codigo,fecha_pago,valor\nP1,001,2026-10-14,0\nP2,001,2026-10-15,5000\n")
    assert main(["calidad", "--formato", "json", "--config", str(config),
                 "--almacen", almacen]) == 0
    out = capsys.readouterr().out
    assert "código DANE" in out                      # ensure_ascii=False: accents as written
    objetos = json.loads(out)
    assert all(set(o) == {"fuente", "regla", "descripcion", "severidad", "fallidas", "total",
                          "tolerancia", "ejemplos"} for o in objetos)
    # The cadastre's checks, then the payments' (the contract's order of sources).
    por_regla = {(o["fuente"], o["regla"]): o for o in objetos}
    assert [o["fuente"] for o in objetos] == (["suscriptores"] * (len(PRIMERA_FOTO) + 1)
                                              + ["pagos"] * (len(objetos) - len(PRIMERA_FOTO) - 1))
    assert objetos[len(PRIMERA_FOTO)]["regla"] == "cuarentena"
    assert por_regla["suscriptores", "catastro.municipio_configurado"] == {
        "fuente": "suscriptores", "regla": "catastro.municipio_configurado",
        "descripcion": "El municipio (código DANE) es uno de los municipios configurados de la "
                       "empresa.",
        "severidad": "error", "fallidas": 1, "total": 4, "tolerancia": 0.02,
        "ejemplos": ["003 | 2026-10"]}
    # Payments' rules do not gate a load: tolerancia is null. P1 pays 0: 1 of 2.
    valor = por_regla["pagos", "recaudo.valor_no_positivo"]
    assert (valor["fallidas"], valor["total"], valor["tolerancia"], valor["ejemplos"]) == (
        1, 2, None, ["P1"])

    salida = tmp_path / "informes" / "calidad.json"
    assert main(["calidad", "--formato", "json", "--salida", str(salida), "--config", str(config),
                 "--almacen", almacen]) == 0
    assert json.loads(salida.read_text(encoding="utf-8")) == objetos
    assert str(salida) in capsys.readouterr().out


def test_tabla_en_pantalla(settings, config, almacen, tmp_path, capsys):
    cargar(settings, tmp_path / "in", suscriptores_2026_10=OCTUBRE,
           pagos="id,codigo,fecha_pago,valor\nP1,001,2026-10-14,0\nP2,001,2026-10-15,5000\n")
    assert main(["calidad", "--periodo", "2026-10", "--config", str(config),
                 "--almacen", almacen]) == 0
    out = capsys.readouterr().out
    assert "Calidad de los datos de octubre de 2026" in out
    for heading in ("Fuente", "Regla", "Señaladas", "Proporción", "Tolerancia", "Estado",
                    "Ejemplos"):
        assert heading in out
    linea = next(x for x in out.splitlines() if "catastro.municipio_configurado" in x)
    # 1 of 4 = 25,0 %, past 2,0 %: "excede", with the flagged key.
    assert all(s in linea for s in ("1 / 4", "25,0 %", "2,0 %", "excede", "003 | 2026-10"))
    linea = next(x for x in out.splitlines() if "recaudo.valor_no_positivo" in x)
    assert all(s in linea for s in ("1 / 2", "50,0 %", "—", "aviso", "P1"))
    linea = next(x for x in out.splitlines() if "catastro.estrato_segun_uso" in x)
    assert all(s in linea for s in ("0 / 4", "0,0 %", "sin hallazgos"))
    assert "«hallazgo»" in out and "--formato html" in out

    assert main(["calidad", "--salida", "x.txt", "--config", str(config),
                 "--almacen", almacen]) == 2


def test_miles_y_estado_dentro_de_la_tolerancia():
    control = auditoria.Control("consumo.negativo", "error", 12, 1234, 0.02, fuente="lecturas",
                                ejemplos=["1 | 2026-10", "2 | 2026-10", "3 | 2026-10",
                                          "4 | 2026-10"])
    console = informe_console()
    informe.tabla([control], console)
    out = console.export_text()
    # 12 of 1.234 is 0,97 %: within 2 %; four keys, three shown.
    assert "12 / 1.234" in out and "1,0 %" in out and "dentro" in out
    assert "1 | 2026-10, 2 | 2026-10, 3 | 2026-10, …" in out and "4 | 2026-10" not in out


def informe_console() -> Console:
    return Console(record=True, width=200, file=io.StringIO())


def test_html_con_las_suites_de_las_cargas(settings, config, almacen, tmp_path, capsys):
    with pytest.raises(CauceError) as e:
        informe.html(settings, None)
    # The domain names no command (the dashboard has its own remedy); the terminal adds it.
    assert e.value.codigo == 2 and "cauce cargar" not in e.value.mensaje
    assert main(["calidad", "--formato", "html", "--config", str(config),
                 "--almacen", almacen]) == 2
    assert "cauce cargar" in capsys.readouterr().err

    cargar(settings, tmp_path / "oct", suscriptores_2026_10=OCTUBRE)
    index = informe.html(settings, None)
    assert index.is_file() and index.is_relative_to(settings.calidad_dir)
    assert "cauce.suscriptores" in index.read_text(encoding="utf-8")

    # Copied: the folder of an earlier report is replaced whole.
    docs = tmp_path / "docs"
    docs.mkdir()
    write(docs / "index.html", "informe anterior")
    write(docs / "viejo.txt", "x")
    assert main(["calidad", "--formato", "html", "--salida", str(docs), "--config", str(config),
                 "--almacen", almacen]) == 0
    assert str(docs / "index.html") in capsys.readouterr().out
    assert "cauce.suscriptores" in (docs / "index.html").read_text(encoding="utf-8")
    assert not (docs / "viejo.txt").exists()
    assert (docs / "static").is_dir()

    # A folder with other files is not wiped.
    otra = tmp_path / "mis_documentos"
    otra.mkdir()
    write(otra / "carta.txt", "no borrar")
    with pytest.raises(CauceError):
        informe.html(settings, otra)
    assert (otra / "carta.txt").read_text() == "no borrar"
