"""The records behind a number in a real browser (issue 15, items 1 and 14): an analyst and
an administrator click "Descargar CSV" and "Descargar Excel" under the records behind a
number and under Crítica's lists of stopped meters and regressive readings, receive the
file and find in it exactly the rows the page says it counts; a ``consulta`` user is
offered no such button there. "Ver registros" brings the records into view, and the
numerator's rows alone can be shown and downloaded.

The module serves its own demo: the whole small demo (to 2026-10) loaded without the data
checks, with one account per role.
"""
from __future__ import annotations

import csv
import io
import re
import shutil

import openpyxl
import pytest

from cauce.settings import SHIPPED_CONFIG, load_settings
from cauce.acciones import cuentas
from etl.demo import generate
from etl.load import load_folder
from tests.dashboards.navegador import HASTA, ir, quieta, sin_errores, titulo

CLAVE = "clave de prueba 123"
ROLES = ("administrador", "analista", "consulta")      # each account is named after its role


@pytest.fixture(scope="module")
def demo(pw, tmp_path_factory):
    """The small demo to 2026-10, all loaded, and an account of each role."""
    raiz = tmp_path_factory.mktemp("descargas")
    config = raiz / "config.toml"
    shutil.copyfile(SHIPPED_CONFIG, config)
    url = f"duckdb:///{raiz / 'almacen.duckdb'}"
    settings = load_settings(config, almacen=url)
    generate(raiz / "historia", settings, "pequena", 1, HASTA, True)
    resultados = load_folder(raiz / "historia", settings, revisar=False)
    malos = [(r.archivo, r.estado) for r in resultados if r.estado not in ("cargado", "forzado")]
    assert not malos, f"the demo must load: {malos}"
    for rol in ROLES:
        cuentas.agregar(settings.usuarios_archivo, rol, rol, CLAVE)
    return raiz, config, url, []


def entrar_como(pestana, expect, usuario: str, pagina_: str) -> None:
    """Sign in as ``usuario`` and open ``pagina_`` from the sidebar."""
    pagina = pestana.pagina
    pagina.goto(pestana.direccion)
    expect(titulo(pagina)).to_contain_text("Cauce")
    quieta(pagina)
    pagina.get_by_label("Usuario").fill(usuario)
    pagina.get_by_label("Contraseña", exact=True).fill(CLAVE)
    pagina.get_by_role("button", name="Entrar").click()
    pagina.locator('a[data-testid="stSidebarNavLink"]').first.wait_for()
    abrir(pagina, expect, pagina_)


def abrir(pagina, expect, nombre: str) -> None:
    """Open a page and wait for it to be drawn to its end (the records come last)."""
    ir(pagina, nombre)
    expect(titulo(pagina)).to_contain_text(f"{nombre}: ")
    expect(pagina.get_by_text("Los registros detrás de los números", exact=True)).to_be_visible()
    quieta(pagina)


def principal(pagina) -> str:
    return pagina.locator('[data-testid="stMain"]').inner_text()


def cuentas_dichas(pagina, patron: str) -> list[int]:
    """The counts the page's captions state, in page order: "2 filas. Las descargas las
    traen todas" under each of Crítica's lists, "1.234 registros; se muestran 500" under the
    records."""
    leyendas = pagina.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]')
    return [int(m[1].replace(".", "")) for t in leyendas.all_inner_texts()
            if (m := re.match(rf"([\d.]+) {patron}", t.strip()))]


def bajar(pestana, clave: str, boton: str) -> bytes:
    """Click the download button of key ``clave`` (its "Descargar CSV" or "Descargar Excel")
    and return the file the browser received."""
    pagina = pestana.pagina
    clase = re.sub(r"[^a-zA-Z0-9_-]", "-", clave)          # as Streamlit writes a key's class
    contenedor = pagina.locator(f".st-key-{clase}")
    with pagina.expect_download() as descarga:
        contenedor.get_by_role("button", name=boton).click()
    ruta = descarga.value.path()
    assert descarga.value.failure() is None, descarga.value.failure()
    return ruta.read_bytes()


def filas_csv(datos: bytes) -> list[list[str]]:
    """The rows of a downloaded CSV, as the user's Excel splits them (the shipped
    configuration's separator), without the header."""
    separador = load_settings(SHIPPED_CONFIG).csv.separador
    assert datos.startswith(b"\xef\xbb\xbf"), "the CSV must start with the UTF-8 BOM"
    filas = list(csv.reader(io.StringIO(datos.decode("utf-8-sig")), delimiter=separador))
    return filas[1:]


def filas_xlsx(datos: bytes) -> int:
    hoja = openpyxl.load_workbook(io.BytesIO(datos), read_only=True).active
    return sum(1 for _ in hoja.iter_rows(min_row=2))


@pytest.mark.lento
@pytest.mark.parametrize("rol", ["analista", "administrador"])
def test_los_registros_y_las_listas_de_critica_se_descargan(pestana, pw, rol):
    expect, pagina = pw.expect, pestana.pagina
    entrar_como(pestana, expect, rol, "Crítica")
    pestana.captura(f"Crítica ({rol})")
    sin_errores(pagina, "Crítica")
    periodo = HASTA
    listas = cuentas_dichas(pagina, r"filas\. Las descargas las traen todas")
    assert len(listas) == 2, listas       # stopped meters, then regressive readings
    for id, esperadas in zip(("critica.consumo_cero_recurrente", "critica.lectura_regresiva"),
                             listas):
        assert esperadas > 0, f"the demo seeds {id} in {periodo}"
        csv_ = filas_csv(bajar(pestana, f"csv_{id}_{periodo}", "Descargar CSV"))
        assert len(csv_) == esperadas, f"{id}: {len(csv_)} filas en el CSV"
        assert filas_xlsx(bajar(pestana, f"xlsx_{id}_{periodo}", "Descargar Excel")) == esperadas
    # The month's deviations, a working list: the page shows its first rows and says how many
    # it has; the file is made when the button is pressed, with all of them.
    [desviaciones] = cuentas_dichas(pagina, r"filas[;.].*Las descargas traen la lista completa")
    csv_ = filas_csv(bajar(pestana, f"csv_desviaciones_{periodo}", "Descargar CSV"))
    assert desviaciones > 0 and len(csv_) == desviaciones
    pestana.paso(f"listas de Crítica ({rol})")

    # The records behind the page's first card (the deviations), both files.
    [registros] = cuentas_dichas(pagina, "registros")
    clave = f"registros_critica.desviaciones_{periodo}"
    assert len(filas_csv(bajar(pestana, f"csv_{clave}", "Descargar CSV"))) == registros
    assert filas_xlsx(bajar(pestana, f"xlsx_{clave}", "Descargar Excel")) == registros
    pestana.paso(f"registros de Crítica ({rol})")

    # A page whose records run to many pages: Recaudo's collection efficiency.
    abrir(pagina, expect, "Recaudo")
    [registros] = cuentas_dichas(pagina, "registros")
    assert registros > 500
    clave = f"registros_recaudo.eficiencia_{periodo}"
    assert len(filas_csv(bajar(pestana, f"csv_{clave}", "Descargar CSV"))) == registros
    pestana.captura(f"Recaudo ({rol})")
    sin_errores(pagina, "Recaudo")
    pestana.paso(f"registros de Recaudo ({rol})")


@pytest.mark.lento
def test_consulta_no_ve_botones_de_descarga_de_registros(pestana, pw):
    expect, pagina = pw.expect, pestana.pagina
    entrar_como(pestana, expect, "consulta", "Crítica")
    for nombre in ("Crítica", "Recaudo"):
        if nombre != "Crítica":
            abrir(pagina, expect, nombre)
        main = pagina.locator('[data-testid="stMain"]')
        expect(main.get_by_text("Su rol (consulta) ve solo cifras agregadas").first).to_be_visible()
        assert main.get_by_role("button", name=re.compile("Descargar")).count() == 0, nombre
        assert "registros;" not in principal(pagina)
        pestana.captura(f"{nombre} (consulta)")


@pytest.mark.lento
def test_ver_registros_los_trae_a_la_vista_y_el_numerador_se_descarga_solo(pestana, pw):
    """Item 14: a card's "Ver registros" scrolls the page to the records, far below; the
    switch keeps only the numerator's rows (the payments), and the download follows it."""
    expect, pagina = pw.expect, pestana.pagina
    pagina.set_viewport_size({"width": 1440, "height": 900})     # a laptop's screen
    entrar_como(pestana, expect, "analista", "Recaudo")
    encabezado = pagina.get_by_role("heading", name="Los registros detrás de los números")
    expect(encabezado).not_to_be_in_viewport()
    pagina.locator(".st-key-registros_recaudo-eficiencia_oportuna").get_by_role("button").click()
    expect(encabezado).to_be_in_viewport()
    quieta(pagina)
    elegido = pagina.locator('[data-testid="stMain"]').get_by_role("combobox", name="Indicador")
    assert elegido.input_value() == "Recaudo oportuno"
    pestana.captura("Recaudo oportuno: sus registros a la vista")

    pagina.get_by_text("Solo las filas del numerador", exact=True).click()
    expect(pagina.get_by_text(re.compile(r"registros? que suman? al numerador"))).to_be_visible()
    quieta(pagina)
    pestana.captura("Recaudo oportuno: solo el numerador")
    sin_errores(pagina, "Recaudo")
    [pagos] = cuentas_dichas(pagina, r"registros? que suman? al numerador")
    assert pagos > 0
    filas = filas_csv(bajar(pestana, f"csv_registros_recaudo.eficiencia_oportuna_{HASTA}"
                                     "_numerador", "Descargar CSV"))
    assert len(filas) == pagos
    assert {f[0] for f in filas} == {"pago"}          # the first column: what each row is
