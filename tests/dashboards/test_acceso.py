"""Sign-in and roles (Ley 1581 de 2012): nobody reaches a page signed out; the password is
checked and repeated failures slow down; ``consulta`` sees aggregates only, on every page;
loading data is the administrator's; OIDC (st.login) gives the role of the e-mail's account.

The warehouse holds one account whose holder, document, phone, address and debt are written
here, so the tests can look for each of them in everything a page sends to the browser."""
from __future__ import annotations

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cauce.settings import load_settings
from cauce.acciones import cuentas
from tests.dashboards.conftest import APP, CLAVE, FACTURAS, PAGOS, config_propia, cuenta, sesion, texto
from tests.indicators.conftest import cargar

PAGINAS = ["resumen", "recaudo", "cartera", "facturacion", "critica", "pqr", "ordenes", "nsu",
           "tarifas", "calendario", "rutas", "metas", "calidad", "reportes", "reunion"]
NOMBRE, DOCUMENTO, TELEFONO = "MARIELA QUINTERO DAZA", "49771234", "3157654321"
DIRECCION, DEUDA = "CR 9 # 14-52 BARRIO NOVALITO", 123457
PERSONALES = [NOMBRE, DOCUMENTO, TELEFONO, DIRECCION, "123.457", "123457"]
SUSCRIPTORES = ("codigo,periodo,nombre,documento,direccion,municipio_dane,uso,estrato,acueducto,"
                "alcantarillado,aseo,ciclo,ruta,estado,telefono\n"
                f"S01,2026-10,{NOMBRE},{DOCUMENTO},{DIRECCION},20001,residencial,2,S,S,S,01,0101,"
                f"activo,{TELEFONO}\n"
                "S02,2026-10,OTRO TITULAR,11111111,CL 2,20011,residencial,3,S,S,S,01,0101,activo,"
                "3000000000\n")
# S01 owes an invoice due on 20 September (41 days late at the 31 October cut-off), S02 another
# one: the totals (323.457) are not S01's debt
CARTERA = ("fecha_corte,codigo,numero_factura,servicio,fecha_vencimiento,saldo\n"
           f"2026-10-31,S01,F0,acueducto,2026-09-20,{DEUDA}\n"
           "2026-10-31,S02,F00,acueducto,2026-09-20,200000\n")


@pytest.fixture
def almacen(tmp_path, monkeypatch):
    url = f"duckdb:///{tmp_path / 'almacen.duckdb'}"
    cargar(url, {"suscriptores_2026-10.csv": SUSCRIPTORES, "facturas_2026-10.csv": FACTURAS,
                 "pagos_2026-10.csv": PAGOS, "cartera_2026-10.csv": CARTERA}, tmp_path / "exportes")
    config = config_propia(tmp_path / "config")
    monkeypatch.setenv("CAUCE_CONFIG", str(config))
    monkeypatch.setenv("CAUCE_ALMACEN", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield config
    st.cache_data.clear()
    st.cache_resource.clear()


def archivo_de_cuentas():
    import os
    return load_settings(os.environ["CAUCE_CONFIG"]).usuarios_archivo


def en(at: AppTest, pagina: str) -> AppTest:
    at.run()
    if pagina != "resumen":
        at.switch_page(f"paginas/{pagina}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def formulario(at: AppTest, nombre: str, clave: str) -> AppTest:
    at.text_input[0].input(nombre)
    at.text_input[1].input(clave)
    return at.button[0].click().run()


def firmado(at: AppTest) -> bool:
    """Signed in: the page's cards are drawn and no sign-in is offered."""
    return bool(at.metric) and not at.text_input


# --- Signed out ----------------------------------------------------------------------------------

@pytest.mark.parametrize("pagina", PAGINAS + ["cargar", "documentos"])
def test_no_page_is_reachable_signed_out(almacen, pagina):
    cuenta("analista")                       # accounts exist: the form is offered
    at = AppTest.from_file(APP, default_timeout=60)
    en(at, pagina)
    assert [t.label for t in at.text_input] == ["Usuario", "Contraseña"]
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")
    assert not at.file_uploader
    assert [t.value for t in at.title] == [":material/water_drop: Cauce"]
    contenido = texto(at)
    assert all(p not in contenido for p in PERSONALES)
    assert "25,0" not in contenido           # not even an aggregate


def test_without_accounts_the_page_says_how_to_create_the_first(almacen):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.text_input and not at.metric
    assert "cauce usuarios agregar NOMBRE --rol administrador" in at.info[0].value


@pytest.mark.parametrize("rol, dice", [
    ("analista", "Pida a un administrador de Cauce que cargue las exportaciones del mes."),
    ("administrador", "Cargue las exportaciones del mes en la página **Cargar datos**")])
def test_an_empty_warehouse_tells_each_role_what_to_do(tmp_path, monkeypatch, rol, dice):
    monkeypatch.setenv("CAUCE_CONFIG", str(config_propia(tmp_path / "config")))
    monkeypatch.setenv("CAUCE_ALMACEN", f"duckdb:///{tmp_path / 'nada.duckdb'}")
    st.cache_data.clear()
    st.cache_resource.clear()
    at = en(sesion(rol, 60), "recaudo")
    assert not at.error
    assert dice in at.info[0].value
    assert [x.proto.label for x in at.get("page_link")] == (
        ["Ir a Cargar datos"] if rol == "administrador" else [])


def test_a_damaged_accounts_file_is_said_in_spanish_and_lets_nobody_in(almacen):
    archivo = archivo_de_cuentas()
    cuenta("analista")
    archivo.write_text("[cuentas.analista\nrol = ", encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_usuario"] = "analista"
    at.run()
    assert not at.exception and not at.metric and not at.text_input
    assert f"No se pudo leer el archivo de cuentas {archivo}" in at.error[0].value
    assert "cauce usuarios agregar" in at.error[0].value


# --- The form ------------------------------------------------------------------------------------

def test_the_right_password_signs_in_and_a_wrong_one_does_not(almacen):
    cuenta("analista")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    formulario(at, "analista", "otra clave cualquiera")
    assert [e.value for e in at.error] == ["Usuario o contraseña incorrectos."]
    assert not firmado(at)
    formulario(at, "nadie", CLAVE)           # an unknown name reads the same
    assert [e.value for e in at.error] == ["Usuario o contraseña incorrectos."]
    formulario(at, "  Analista ", CLAVE)      # the name as typed, in any case
    assert not at.error
    assert firmado(at)
    assert "analista · analista" in texto(at)
    at.button(key="salir").click().run()
    assert not firmado(at) and [t.label for t in at.text_input] == ["Usuario", "Contraseña"]


def test_repeated_failures_make_the_account_wait_even_with_the_right_password(almacen):
    cuenta("consulta")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    try:
        for _ in range(cuentas.INTENTOS_LIBRES):
            formulario(at, "consulta", "no es la clave")
            assert [e.value for e in at.error] == ["Usuario o contraseña incorrectos."]
        formulario(at, "consulta", CLAVE)
        assert not firmado(at)
        assert re.fullmatch(r"Demasiados intentos fallidos con esta cuenta\. Espere \d+ s y vuelva "
                            r"a intentarlo\.", at.error[0].value)
    finally:
        cuentas.intentos.exito("consulta")   # other tests sign in with this account


def test_the_wait_doubles_with_each_failure_and_a_success_clears_it(tmp_path):
    ahora = [1000.0]
    registro = cuentas.Intentos(reloj=lambda: ahora[0])
    archivo = tmp_path / "usuarios.toml"
    cuentas.agregar(archivo, "ana", "analista", CLAVE)

    def falla():
        with pytest.raises(Exception, match="incorrectos"):
            cuentas.entrar(archivo, "ana", "mala clave", registro)
    for _ in range(3):                       # three free failures
        falla()
    assert registro.espera("ana") == 1.0     # then 1 s, 2 s, 4 s…
    ahora[0] += 1.0
    falla()
    assert registro.espera("ana") == 2.0
    ahora[0] += 2.0
    falla()
    assert registro.espera("ana") == 4.0
    ahora[0] += 3.0                           # still 1 s to wait: refused unchecked
    with pytest.raises(Exception, match="Espere 2 s"):
        cuentas.entrar(archivo, "ana", CLAVE, registro)
    ahora[0] += 1.0
    assert cuentas.entrar(archivo, "ana", CLAVE, registro) == cuentas.Usuario("ana", "analista")
    assert registro.espera("ana") == 0.0
    assert registro.espera("otra") == 0.0     # an account's failures are its own


# --- Roles ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("pagina", PAGINAS)
def test_consulta_sees_no_personal_data_on_any_page(almacen, pagina):
    at = en(sesion("consulta", 60), pagina)
    contenido = texto(at)
    assert [p for p in PERSONALES if p in contenido] == []
    assert "S01" not in contenido            # not even an account number
    # downloads: the month's catalogue, the checks' table, the published tariffs, the routes'
    # figures and the proposed goals (aggregates), nothing else
    descargas = [b.key for b in at.get("download_button")]
    assert all(re.fullmatch(r"(csv|xlsx)_(indicadores|calidad|tarifas_vigentes|tarifas_indexadas"
                            r"|rutas|metas)_[\w-]+", d) for d in descargas), descargas


@pytest.mark.parametrize("pagina", ["cartera", "reportes"])
def test_consulta_is_told_why_the_lists_are_missing(almacen, pagina):
    at = en(sesion("consulta", 60), pagina)
    assert any("Su rol (consulta) ve solo cifras agregadas" in c.value for c in at.caption)
    assert firmado(at) or at.title[0].value.startswith("Reportes")


def test_analista_sees_the_collection_list_with_the_holder_and_the_debt(almacen):
    """The same probes as for consulta find the personal data where it may be shown."""
    at = en(sesion("analista", 60), "cartera")
    assert "csv_persuasivo_2026-10" in [b.key for b in at.get("download_button")]
    contenido = texto(at)
    assert NOMBRE in contenido and DIRECCION in contenido and "S01" in contenido
    lista = at.dataframe[0].value
    saldos = dict(zip(lista["Cuenta"], lista["Saldo vencido"].astype(float)))
    assert saldos == {"S01": DEUDA, "S02": 200000}


def test_consulta_gets_the_presentation_but_not_the_workbook(almacen):
    at = en(sesion("consulta", 60), "reportes")
    assert "Preparar el informe" not in [b.label for b in at.button]
    next(b for b in at.button if b.label == "Preparar la presentación").click().run()
    assert not at.exception
    botones = at.get("download_button")
    html = next(b for b in botones if b.proto.label == "Descargar la presentación (.html)")
    # the button serves a file, an HTML one (the media URL carries the type's extension), and
    # no button serves the workbook
    assert html.proto.url.endswith(".html")
    assert not [b for b in botones if b.proto.url.endswith(".xlsx")]


@pytest.mark.parametrize("rol", ["analista", "consulta"])
def test_only_the_administrator_loads_data(almacen, rol):
    at = en(sesion(rol, 60), "resumen")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("paginas/cargar.py")      # not among the session's pages

    admin = en(sesion("administrador", 60), "cargar")
    assert admin.file_uploader and admin.title[0].value == "Cargar datos"


def test_removing_an_account_or_changing_its_role_applies_at_the_next_click(almacen):
    cuenta("administrador")                  # not the only account
    at = en(sesion("analista", 60), "cartera")
    assert NOMBRE in texto(at)
    cuentas.agregar(archivo_de_cuentas(), "analista", "consulta", CLAVE)
    at.run()
    assert NOMBRE not in texto(at) and firmado(at)
    cuentas.quitar(archivo_de_cuentas(), "analista")
    at.run()
    assert not firmado(at) and [t.label for t in at.text_input] == ["Usuario", "Contraseña"]


# --- OIDC (st.login) -----------------------------------------------------------------------------

@pytest.fixture
def oidc(almacen):
    texto_ = almacen.read_text(encoding="utf-8").replace('modo = "local"', 'modo = "oidc"')
    almacen.write_text(texto_, encoding="utf-8")
    cuentas.agregar(archivo_de_cuentas(), "ana@empresa.co", "analista", None)
    st.cache_resource.clear()                # the settings are read again


def test_oidc_signed_out_offers_the_organisations_sign_in_only(oidc):
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": False}
    at.run()
    assert [b.label for b in at.button] == ["Entrar con la cuenta de la empresa"]
    assert not at.text_input and not at.metric


def test_oidc_gives_the_role_of_the_emails_account(oidc):
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": True, "email": "Ana@Empresa.co", "name": "Ana"}
    en(at, "cartera")
    assert firmado(at) and NOMBRE in texto(at)
    assert "ana@empresa.co · analista" in texto(at)


def test_oidc_an_email_without_an_account_sees_nothing(oidc):
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": True, "email": "intruso@otra.co"}
    en(at, "cartera")
    assert not firmado(at) and NOMBRE not in texto(at)
    assert "La cuenta intruso@otra.co no tiene acceso a Cauce" in at.error[0].value
    assert [b.label for b in at.button] == ["Cerrar sesión"]


# --- Meetings: aggregates whatever the role -------------------------------------------------------

def test_meeting_mode_shows_no_personal_data_even_to_the_administrator(almacen):
    at = en(sesion("administrador", 60), "reunion")
    vistas = []
    while True:                                         # every slide, to the last
        vistas.append(at.title[0].value)
        contenido = texto(at)
        assert [p for p in PERSONALES if p in contenido] == [] and "S01" not in contenido
        siguiente = next(b for b in at.button if b.label == "Siguiente ▶")
        if siguiente.disabled:
            break
        siguiente.click().run()
    assert len(set(vistas)) == len(vistas) > 5


def test_the_presentation_holds_no_personal_data_even_for_the_administrator(almacen):
    at = en(sesion("administrador", 60), "reportes")
    next(b for b in at.button if b.label == "Preparar el informe").click().run()
    html = at.session_state["informe"][3]
    presentacion = html.decode("utf-8")
    assert "Cartera" in presentacion                   # it is the month's presentation
    assert [p for p in PERSONALES if p in presentacion] == [] and "S01" not in presentacion
