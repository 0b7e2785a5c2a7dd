"""The bad-input corpus (issue 7): every kind of bad export file and bad configuration a user
can produce, through the real command line (``cauce cargar CARPETA --config ... --almacen ...``).

For every case the test asserts what a user relies on: the exit code of ``cli.md`` (0 loaded,
1 a whole file refused, 2 unusable input), one Spanish message that names the file (and the
row and column where there is one) and says what to do, no traceback, and the warehouse as it
was. A small good data set (``generar.base``) is loaded first, so a bad load has something to
damage; each case runs on its own copy of that warehouse.

What "as it was" means. ``etl/load.py`` loads each file in one transaction, and the load record
(``carga``), the file's quarantined rows (``cuarentena``) and its rules' results
(``resultado_regla``, ``hallazgo``) are written inside that transaction. So:

- a refused file (exit 1) or an unusable input (exit 2) leaves EVERY table identical, the load
  record and the quarantine included: a refusal records nothing in the warehouse (the refused
  file's report goes to the quality folder, ``[almacen] calidad``, outside it);
- a file that loads (exit 0), with some rows quarantined by design (``data-contract.md``: a value
  that does not parse as its type is quarantined, the rest of the file loads), changes only its
  own source table (by exactly its good rows), adds one ``carga`` record, exactly its bad rows to
  ``cuarentena`` and its rules' results; every other table is identical and nothing is removed.

The corpus is written by ``generar.py`` at test time (nothing binary is committed). Expected
values are worked out by hand from the files it writes, not read from Cauce's output.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import openpyxl
import pytest
import sqlalchemy as sa

from cauce.cli import main
from tests.conftest import pg_schema, rows, snapshot
from tests.entradas_malas.generar import (DIEZ_MB, FORMULAS, MILLON, NOMBRE_CORCHETES,
                                          NOMBRE_RARO, PG_INALCANZABLE, SQL, generar)

CARGA = ("carga", "cuarentena", "resultado_regla", "hallazgo")   # what any loaded file records
GUARDADOS = "resultado_indicador"    # computed again whole after a load (indicators.guardados)


class Salida(NamedTuple):
    codigo: int
    stdout: str
    stderr: str

    @property
    def texto(self) -> str:
        """Both outputs with the terminal's line wrapping undone."""
        return " ".join((self.stdout + self.stderr).split())


def cauce(*args: str) -> Salida:
    """``cauce ARGS`` in this process (Great Expectations is imported once for the module). An
    exception that escapes ``main`` fails the test with its traceback, as a user would see it."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            codigo = main(list(args))
        except SystemExit as e:
            codigo = e.code
    return Salida(codigo, out.getvalue(), err.getvalue())


def cargar(corpus: Path, caso: str, url: str | None) -> Salida:
    """``cauce cargar`` of a case's folder with its configuration (or the shipped one) on the
    warehouse ``url`` (``None``: the one the configuration names)."""
    config = corpus / caso / "config.toml"
    config = config if config.exists() else corpus / "config.toml"
    almacen = ["--almacen", url] if url else []
    return cauce("cargar", str(corpus / caso / "entrada"), "--config", str(config), *almacen)


_INGLES = re.compile(r"\b(the|of|is|not|file|directory|exists|such|invalid|failed|expected|"
                     r"refused|connection|error|line|column)\b")


def ingles(texto: str) -> list[str]:
    """English words of a message, leaving out paths and URLs (a temporary folder's name)."""
    return _INGLES.findall(re.sub(r"\S*/\S*", "", texto))


def sin_traza(s: Salida) -> None:
    assert "Traceback" not in s.stdout + s.stderr


@pytest.fixture(scope="module", autouse=True)
def en_carpeta_propia(tmp_path_factory):
    """Run from an empty folder: nothing a load writes may land in the project."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp_path_factory.mktemp("cwd"))
        yield


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    carpeta = tmp_path_factory.mktemp("entradas_malas")
    generar(carpeta)
    return carpeta


def _cargar_base(corpus: Path, url: str) -> None:
    s = cauce("cargar", str(corpus / "base"), "--config", str(corpus / "config.toml"),
              "--almacen", url)
    assert s.codigo == 0, s.texto
    assert rows(url, "SELECT fuente, filas_cargadas, filas_cuarentena FROM carga ORDER BY id") == [
        ("suscriptores", 3, 0), ("lecturas", 3, 0), ("facturas", 3, 0), ("pagos", 3, 0),
        ("pqr", 2, 0)]


@pytest.fixture(scope="module")
def base(corpus, tmp_path_factory) -> Path:
    """A DuckDB warehouse holding the good base; each case works on a copy of it."""
    path = tmp_path_factory.mktemp("base") / "almacen.duckdb"
    _cargar_base(corpus, f"duckdb:///{path}")
    assert not path.with_suffix(".duckdb.wal").exists()     # closed: the file is all of it
    return path


@pytest.fixture
def url(base, tmp_path) -> str:
    copia = tmp_path / "almacen.duckdb"
    shutil.copyfile(base, copia)
    return f"duckdb:///{copia}"


@pytest.fixture(scope="module")
def pg_con_base(corpus):
    """A PostgreSQL schema of this module's own, holding the good base."""
    with pg_schema() as url:
        _cargar_base(corpus, url)
        yield url


def solo_cambia(antes: dict, despues: dict, *fuentes: str) -> None:
    """A loaded file changed only its own sources and its load's records, removing nothing
    (the indicators kept for the new load replace the old ones)."""
    assert despues.keys() == antes.keys()
    for tabla in antes:
        if tabla == GUARDADOS:
            continue
        if tabla in fuentes or tabla in CARGA:
            assert not Counter(antes[tabla]) - Counter(despues[tabla]), f"{tabla}: filas borradas"
        else:
            assert despues[tabla] == antes[tabla], tabla


def ultima_carga(url: str) -> tuple:
    [fila] = rows(url, "SELECT archivo, fuente, filas_leidas, filas_cargadas, filas_cuarentena, "
                       "estado FROM carga WHERE id = (SELECT max(id) FROM carga)")
    return fila


# --- a whole file refused: exit 1, nothing changes --------------------------------------------

RECHAZADOS = {   # case: (the file the message names, what it must say: what is wrong, what to do)
    "vacio": ("pagos_2026-11.csv", ["vacío", "Exporte de nuevo el archivo con la fila de encabezados"]),
    "binario_csv": ("pagos_2026-11.csv", ["el byte 0x81 de la línea 1",
                                          "no es texto UTF-8 ni Windows-1252", "Exporte"]),
    "xlsx_corrupto": ("pagos_2026-11.xlsx", ["libro de Excel", "dañado", "guárdelo como"]),
    "xlsx_cifrado": ("pagos_2026-11.xlsx", ["contraseña", "quítele la contraseña",
                                            "guárdelo como «Libro de Excel (.xlsx)»"]),
    "xlsx_sin_hojas": ("pagos_2026-11.xlsx", ["ninguna hoja", "Ponga los datos en una hoja"]),
    "xlsx_solo_grafico": ("pagos_2026-11.xlsx", ["libro de Excel", "guárdelo como"]),
    "xlsx_hoja_vacia": ("pagos_2026-11.xlsx", ["«Hoja1»", "encabezados en la primera fila"]),
    "xlsx_hoja_danada": ("pagos_2026-11.xlsx", ["dañado", "guárdelo como"]),
    "texto_como_xlsx": ("pagos_2026-11.xlsx", ["no es un .xlsx", "guárdelo como"]),
    "separador_tabulador": ("pagos_2026-11.csv", ["separadas por tabuladores", "coma",
                                                  "Expórtelo como «CSV"]),
    "utf16": ("pagos_2026-11.csv", ["UTF-16", "Guárdelo como «CSV UTF-8"]),
    "codificacion_mixta": ("suscriptores_2026-11.csv", ["la línea 2 está en UTF-8",
                                                        "la línea 4 en Windows-1252",
                                                        "Expórtelo de nuevo"]),
    "falta_columna": ("pagos_2026-11.csv", ["fecha_pago", "Revise el encabezado"]),
    "encabezado_repetido": ("pagos_2026-11.csv", ["«Valor»", "dos veces", "Deje una sola"]),
    "fuente_desconocida": ("recaudos_2026-11.csv", ["fuente conocida", "Renómbrelo"]),
    # October's readings again with a negative consumption: past the gate's tolerance (2 %),
    # refused whole; the October readings already loaded stay.
    "consumo_negativo": ("lecturas_2026-10.csv", ["consumo.negativo", "1 de 3 filas",
                                                  "Corrija el archivo", "--forzar"]),
}


def revisar_rechazo(corpus: Path, caso: str, url: str) -> None:
    archivo, frases = RECHAZADOS[caso]
    antes = snapshot(url)
    s = cargar(corpus, caso, url)
    sin_traza(s)
    assert s.codigo == 1, s.texto
    assert s.texto.count("Rechazado ") == 1
    mensaje = s.texto.split("Rechazado ", 1)[1]
    assert mensaje.startswith(f"{archivo}: ")
    for frase in frases:
        assert frase in mensaje, frase
    assert not ingles(mensaje)
    assert f"│ {archivo} │" in s.texto and "│ rechazado │" in s.texto
    assert snapshot(url) == antes


@pytest.mark.parametrize("caso", RECHAZADOS)
def test_un_archivo_inutilizable_se_rechaza_entero_y_nada_cambia(corpus, url, caso):
    revisar_rechazo(corpus, caso, url)


# --- unusable input: exit 2, one line on standard error, nothing changes -----------------------

def _linea_de(path: Path, texto: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(texto) + 1


def entradas_inutilizables(corpus: Path) -> dict[str, list[str]]:
    """case: what the message must say (the file or folder at fault first)."""
    def config(caso):
        return str(corpus / caso / "config.toml")
    mala = corpus / "config_no_toml" / "config.toml"
    return {
        "config_tipo_incorrecto": [config("config_tipo_incorrecto"), "[almacen] memoria_mb",
                                   "'mucha'", "se espera", "Corrija el archivo"],
        "config_clave_desconocida": [config("config_clave_desconocida"), "[formato]", "separador",
                                     "Revise la ortografía"],
        "config_sin_seccion": [config("config_sin_seccion"), "falta la sección [facturacion]",
                               "Cópiela"],
        "config_no_toml": [str(mala), "no es TOML válido",
                           f"línea {_linea_de(mala, 'memoria_mb = 512,5')}", "Revise"],
        "carpeta_sin_exportaciones": [str(corpus / "carpeta_sin_exportaciones" / "entrada"),
                                      "no tiene archivos .csv ni .xlsx"],
    }


INUTILIZABLES = ["config_tipo_incorrecto", "config_clave_desconocida", "config_sin_seccion",
                 "config_no_toml", "carpeta_sin_exportaciones"]
# The English a message still carries: the detail of an OS, TOML or driver error (see the test
# below); the rest of the message is checked everywhere.
def revisar_salida_2(s: Salida, frases: list[str], caso: str) -> None:
    sin_traza(s)
    assert s.codigo == 2, s.texto
    assert s.stdout == ""
    assert s.stderr.startswith("Error: ") and s.stderr.count("\n") == 1     # one line
    for frase in frases:
        assert frase in s.texto, frase
    assert not ingles(s.texto)


@pytest.mark.parametrize("caso", INUTILIZABLES)
def test_una_configuracion_o_carpeta_inutilizable_sale_con_2(corpus, url, caso):
    antes = snapshot(url)
    revisar_salida_2(cargar(corpus, caso, url), entradas_inutilizables(corpus)[caso], caso)
    assert snapshot(url) == antes


def almacenes_malos(corpus: Path) -> dict[str, list[str]]:
    """case (its config.toml names the warehouse): what the message must say."""
    archivo = corpus / "duckdb_bajo_un_archivo" / "no_es_carpeta"   # a regular file
    return {
        "postgres_inalcanzable": ["No se pudo abrir el almacén", PG_INALCANZABLE, "Revise la URL"],
        "duckdb_bajo_un_archivo": [str(archivo), "Elija otra ruta"],
        "duckdb_en_proc": ["/proc/cauce", "Elija otra ruta"],
    }


@pytest.mark.parametrize("caso", ["postgres_inalcanzable", "duckdb_bajo_un_archivo",
                                  "duckdb_en_proc"])
def test_un_almacen_inalcanzable_o_imposible_sale_con_2(corpus, caso, monkeypatch):
    monkeypatch.delenv("CAUCE_ALMACEN", raising=False)
    archivo = corpus / "duckdb_bajo_un_archivo" / "no_es_carpeta"
    contenido = archivo.read_bytes()
    revisar_salida_2(cargar(corpus, caso, None), almacenes_malos(corpus)[caso], caso)
    assert archivo.read_bytes() == contenido


@pytest.mark.parametrize("caso", ["config_no_toml", "postgres_inalcanzable",
                                  "duckdb_bajo_un_archivo", "duckdb_en_proc"])
def test_el_detalle_tecnico_tambien_en_espanol(corpus, url, caso, monkeypatch):
    monkeypatch.delenv("CAUCE_ALMACEN", raising=False)
    s = cargar(corpus, caso, url if caso == "config_no_toml" else None)
    assert s.codigo == 2
    assert not ingles(s.texto)


# --- rows that cannot be stored: quarantined by design, the rest loads, exit 0 ----------------

CUARENTENA = {   # case: (file, rows read, ids loaded, [(row, key, column, value, reason says)])
    "fechas_imposibles": ("pagos_2026-11.csv", 5, {"Q1"}, [
        (3, "Q2", "fecha_pago", "0000-00-00", "fecha"),
        (4, "Q3", "fecha_pago", "31/02/2026", "fecha"),
        (5, "Q4", "fecha_pago", "2026.11.05", "fecha"),
        (6, "Q5", "fecha_pago", "5-nov-2026", "fecha")]),
    "letras_en_numeros": ("pagos_2026-11.csv", 3, {"Q1", "Q3"}, [
        (3, "Q2", "valor", "cinco mil", "no es un número")]),
    "numero_gigante": ("pagos_2026-11.csv", 2, {"Q1"}, [
        (3, "Q2", "valor", "1e20", "demasiado grande")]),
    "xlsx_celdas_error": ("pagos_2026-11.xlsx", 3, {"Q1"}, [
        (3, "Q2", "valor", "#¡VALOR!", "no es un número"),
        (4, "Q3", "valor", "#N/A", "no es un número")]),
    # A NUL cannot be stored as text (PostgreSQL refuses it); the quarantine shows it as ␀.
    "bytes_nulos": ("pagos_2026-11.csv", 3, {"Q1"}, [
        (3, "Q2", "entidad", "Banco␀Agrario", "carácter nulo"),
        (4, "Q␀3", "id", "Q␀3", "carácter nulo")]),
}


def revisar_cuarentena(corpus: Path, caso: str, url: str) -> None:
    archivo, leidas, cargados, malas = CUARENTENA[caso]
    antes = snapshot(url)
    s = cargar(corpus, caso, url)
    sin_traza(s)
    assert s.codigo == 0, s.texto
    n = len(malas)
    assert f"│ {archivo} │ pagos │ cargado │ {leidas} │ {leidas - n} │ {n} │" in s.texto
    assert "tabla «cuarentena»" in s.texto and not ingles(s.texto)
    despues = snapshot(url)
    solo_cambia(antes, despues, "pagos")
    nuevos = {r[0] for r in rows(url, "SELECT id FROM pagos")} - {r[0] for r in antes["pagos"]}
    assert nuevos == cargados
    assert ultima_carga(url) == (archivo, "pagos", leidas, leidas - n, n, "cargado")
    got = rows(url, "SELECT archivo, fila, clave, columna, valor, motivo FROM cuarentena "
                    "ORDER BY fila")
    assert [r[:5] for r in got] == [(archivo, *m[:4]) for m in malas]
    for r, m in zip(got, malas):
        assert m[4] in r[5], r


@pytest.mark.parametrize("caso", CUARENTENA)
def test_las_filas_imposibles_van_a_cuarentena_y_el_resto_se_carga(corpus, url, caso):
    revisar_cuarentena(corpus, caso, url)


def foto_sin(url: str, tabla: str) -> dict[str, list[tuple]]:
    """``snapshot`` but one table (a million quarantined rows are counted, not compared)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {t: sorted((tuple(r) for r in conn.exec_driver_sql(f'SELECT * FROM "{t}"')),
                              key=repr)
                    for t in sorted(sa.inspect(engine).get_table_names()) if t != tabla}
    finally:
        engine.dispose()


@pytest.mark.lento
def test_un_millon_de_filas_con_una_columna_mala(corpus, url):
    """Every amount is «N/D»: a million rows quarantined, each with its row and key, none
    loaded, and nothing else changes."""
    antes = foto_sin(url, "cuarentena")
    s = cargar(corpus, "millon_filas", url)
    sin_traza(s)
    assert s.codigo == 0, s.texto
    assert "│ pagos_2026-11.csv │ pagos │ cargado │ 1.000.000 │ 0 │ 1.000.000 │" in s.texto
    despues = foto_sin(url, "cuarentena")
    solo_cambia(antes, despues, "pagos")
    assert despues["pagos"] == antes["pagos"]
    assert ultima_carga(url) == ("pagos_2026-11.csv", "pagos", MILLON, 0, MILLON, "cargado")
    assert rows(url, "SELECT count(*), count(DISTINCT fila), min(fila), max(fila) FROM cuarentena "
                     "WHERE archivo = 'pagos_2026-11.csv' AND columna = 'valor' AND valor = 'N/D' "
                     "AND motivo = 'no es un número'") == [(MILLON, MILLON, 2, MILLON + 1)]
    assert rows(url, "SELECT fila, clave FROM cuarentena WHERE fila IN (2, 1000001) "
                     "ORDER BY fila") == [(2, "M0"), (MILLON + 1, f"M{MILLON - 1}")]


# --- files that load: what they hold is kept exactly, nothing runs -----------------------------

def test_un_archivo_solo_con_encabezados_no_cambia_los_datos(corpus, url):
    antes = snapshot(url)
    s = cargar(corpus, "solo_encabezados", url)
    sin_traza(s)
    assert s.codigo == 0
    assert "│ pagos_2026-11.csv │ pagos │ cargado │ 0 │ 0 │ 0 │" in s.texto
    despues = snapshot(url)
    solo_cambia(antes, despues, "pagos")
    assert despues["pagos"] == antes["pagos"] and despues["cuarentena"] == antes["cuarentena"]
    assert ultima_carga(url) == ("pagos_2026-11.csv", "pagos", 0, 0, 0, "cargado")


def test_un_pago_negativo_se_carga_y_se_senala(corpus, url):
    """data-contract: a payment's valor is > 0, a rule that informs (it does not gate): the row
    is real money, so it loads and is flagged for correction at the source."""
    antes = snapshot(url)
    s = cargar(corpus, "dinero_negativo", url)
    sin_traza(s)
    assert s.codigo == 0
    assert "│ pagos_2026-11.csv │ pagos │ cargado │ 2 │ 2 │ 0 │" in s.texto
    assert "recaudo.valor_no_positivo" in s.texto
    solo_cambia(antes, snapshot(url), "pagos")
    assert rows(url, "SELECT valor FROM pagos WHERE id = 'Q2'") == [(Decimal("-5000.0000"),)]
    assert ("recaudo.valor_no_positivo", 3, "Q2") in rows(
        url, "SELECT regla, fila, clave FROM hallazgo")


def test_un_campo_de_10_mb_se_guarda_entero(corpus, url):
    antes = snapshot(url)
    s = cargar(corpus, "campo_10mb", url)
    sin_traza(s)
    assert s.codigo == 0, s.texto
    assert "│ pagos_2026-11.csv │ pagos │ cargado │ 2 │ 2 │ 0 │" in s.texto
    solo_cambia(antes, snapshot(url), "pagos")
    assert rows(url, f"SELECT length(entidad), entidad = repeat('A', {DIEZ_MB}) FROM pagos "
                     f"WHERE id = 'Q2'") == [(DIEZ_MB, True)]


def revisar_sql(corpus: Path, url: str) -> None:
    """SQL and quoting metacharacters in every text field are stored as written; the table
    they name is untouched (``solo_cambia``: facturas identical)."""
    antes = snapshot(url)
    s = cargar(corpus, "sql_metacaracteres", url)
    sin_traza(s)
    assert s.codigo == 0, s.texto
    assert "│ pagos_2026-11.csv │ pagos │ cargado │ 2 │ 2 │ 0 │" in s.texto
    despues = snapshot(url)
    solo_cambia(antes, despues, "pagos")
    assert despues["facturas"] == antes["facturas"] and len(despues["facturas"]) == 3
    assert sorted(rows(url, "SELECT id, codigo, numero_factura, entidad FROM pagos WHERE "
                            "carga_id = (SELECT max(id) FROM carga)")) == sorted([
        (SQL["id"], SQL["codigo"], SQL["numero_factura"], SQL["entidad"]),
        ("Q2", "002", "F-2", "Banco")])


def test_metacaracteres_sql_se_guardan_como_texto(corpus, url):
    revisar_sql(corpus, url)


def test_formulas_quedan_como_texto_en_el_almacen_y_en_las_listas(corpus, url, tmp_path):
    """Text starting with =, +, - or @ loads as written; the working lists (CSV and Excel)
    never turn it into a formula: in the CSV it starts with ' (README), in the workbook it is a
    text cell."""
    antes = snapshot(url)
    s = cargar(corpus, "inyeccion_formulas", url)
    sin_traza(s)
    assert s.codigo == 0, s.texto
    solo_cambia(antes, snapshot(url), "suscriptores", "cartera")
    campos = list(FORMULAS)
    assert rows(url, f"SELECT {', '.join(campos)} FROM suscriptores WHERE codigo = '900'") == [
        tuple(FORMULAS[c] for c in campos)]

    columnas = {"nombre": "Nombre", "documento": "Documento", "direccion": "Dirección",
                "barrio": "Barrio", "telefono": "Teléfono"}
    config = str(corpus / "config.toml")
    for nombre in ("lista.csv", "lista.xlsx"):
        s = cauce("listas", "persuasivo", "--periodo", "2026-11", "--salida",
                  str(tmp_path / nombre), "--config", config, "--almacen", url)
        sin_traza(s)
        assert s.codigo == 0, s.texto
    with open(tmp_path / "lista.csv", encoding="utf-8-sig", newline="") as f:
        # for Colombian Excel by default ([formato.csv]): ";" between columns
        [fila] = [r for r in csv.DictReader(f, delimiter=";") if r["Cuenta"] == "900"]
    assert {c: fila[t] for c, t in columnas.items()} == {c: "'" + FORMULAS[c] for c in columnas}

    hoja = openpyxl.load_workbook(tmp_path / "lista.xlsx").worksheets[0]
    encabezado = [c.value for c in hoja[1]]
    [fila] = [r for r in hoja.iter_rows(min_row=2) if r[encabezado.index("Cuenta")].value == "900"]
    for c, t in columnas.items():
        celda = fila[encabezado.index(t)]
        assert (celda.data_type, celda.value) == ("s", FORMULAS[c]), t
    with zipfile.ZipFile(tmp_path / "lista.xlsx") as z:
        hojas = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any(re.search(rb"<f[ >]", z.read(n)) for n in hojas)


def test_un_nombre_con_espacios_y_puntos_se_carga_y_se_archiva_por_su_huella(corpus, url):
    antes = snapshot(url)
    s = cargar(corpus, "nombre_raro", url)
    sin_traza(s)
    assert s.codigo == 0, s.texto
    assert f"│ {NOMBRE_RARO} │ pagos │ cargado │ 3 │ 3 │ 0 │" in s.texto
    solo_cambia(antes, snapshot(url), "pagos")
    assert ultima_carga(url) == (NOMBRE_RARO, "pagos", 3, 3, 0, "cargado")
    original = corpus / "nombre_raro" / "entrada" / NOMBRE_RARO
    huella = hashlib.sha256(original.read_bytes()).hexdigest()
    [archivado] = (corpus / "datos" / "archivo").glob(f"pagos_*_{huella}.csv")
    assert archivado.read_bytes() == original.read_bytes()
    # Nothing else is written under its name but the quality report, in its own folder.
    assert all(p == original or corpus / "datos" / "calidad" in p.parents
               for p in corpus.rglob("*copia (2)*"))


# --- the command line's own output: text from files printed as written -------------------------

def test_un_encabezado_con_corchetes_no_rompe_el_resumen(corpus, url):
    s = cargar(corpus, "encabezado_con_marcas", url)
    assert s.codigo == 0
    assert "se ignoraron las columnas que no están en el contrato: [/]." in s.texto


def test_un_nombre_con_corchetes_se_muestra_tal_cual(corpus, url):
    s = cargar(corpus, "nombre_con_corchetes", url)
    assert s.codigo == 0
    assert f"│ {NOMBRE_CORCHETES} │" in s.texto


def test_el_mensaje_muestra_la_seccion_de_la_configuracion(corpus, url):
    s = cargar(corpus, "falta_columna", url)
    assert "[mapeo.pagos.columnas]" in s.texto


# --- the same on PostgreSQL, and the real command in its own process ---------------------------

@pytest.mark.parametrize("caso", ["binario_csv", "falta_columna", "codificacion_mixta",
                                  "sql_metacaracteres", "bytes_nulos"])
def test_en_postgresql(corpus, pg_con_base, caso):
    if caso in RECHAZADOS:
        revisar_rechazo(corpus, caso, pg_con_base)
    elif caso == "sql_metacaracteres":
        revisar_sql(corpus, pg_con_base)
    else:
        revisar_cuarentena(corpus, caso, pg_con_base)


def test_la_orden_real_en_su_proceso(corpus, base, tmp_path):
    copia = tmp_path / "almacen.duckdb"
    shutil.copyfile(base, copia)
    antes = snapshot(f"duckdb:///{copia}")
    out = subprocess.run(
        [sys.executable, "-m", "cauce", "cargar", str(corpus / "binario_csv" / "entrada"),
         "--config", str(corpus / "config.toml"), "--almacen", f"duckdb:///{copia}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr
    assert "Rechazado pagos_2026-11.csv: el byte 0x81 de la línea 1" in " ".join(out.stdout.split())
    assert snapshot(f"duckdb:///{copia}") == antes
