"""The session across reloads (the signed token the browser's cookie keeps) and the view in the
address (page, period and filters), without a browser: the token's code with a clock of its
own, and the app through AppTest. What a person sees in the browser is in
``test_navegador_sesion.py``.

The hand-made warehouse (two accounts, September and October 2026; the browser tests serve it
too): Eficiencia del recaudo is 25,0 % in October (Valledupar 100,0 %, Aguachica 0,0 %) and 50,0 %
in September (Valledupar 0,0 %, Aguachica 100,0 %); Valor facturado in October is 40.000
(estrato 2: 10.000).
"""
from __future__ import annotations

import base64
import json
import os
import stat

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cauce import CauceError
from cauce.settings import load_settings
from cauce.acciones import cuentas
from tests.dashboards.conftest import APP, CLAVE, config_propia, cuenta, sesion, texto
from tests.indicators.conftest import cargar

SUSCRIPTORES = ("codigo,periodo,direccion,municipio_dane,uso,estrato,acueducto,alcantarillado,"
                "aseo,ciclo,ruta,estado\n"
                + "".join(f"S01,{p},CL 1,20001,residencial,2,S,S,S,01,0101,activo\n"
                          f"S02,{p},CL 2,20011,residencial,3,S,S,S,01,0101,activo\n"
                          for p in ("2026-09", "2026-10")))
FACTURAS = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,cargo_fijo,"
            "valor_consumo,subsidio,contribucion,valor_total\n"
            "F3,S01,2026-09,acueducto,2026-09-05,2026-09-20,5000,15000,0,0,20000\n"
            "F4,S02,2026-09,acueducto,2026-09-05,2026-09-20,5000,15000,0,0,20000\n"
            "F1,S01,2026-10,acueducto,2026-10-05,2026-10-20,4000,6000,0,0,10000\n"
            "F2,S02,2026-10,acueducto,2026-10-05,2026-10-20,10000,20000,0,0,30000\n")
PAGOS = ("id,codigo,numero_factura,fecha_pago,valor,canal\n"
         "P2,S02,F4,2026-09-15,20000,banco\n"
         "P1,S01,F1,2026-10-15,10000,banco\n")
HORA = 3600


# --- The token, with a clock of its own -----------------------------------------------------------

@pytest.fixture
def archivo(tmp_path):
    a = tmp_path / "datos" / "usuarios.toml"
    cuentas.agregar(a, "ana", "analista", CLAVE)
    return a


def reloj(t: float):
    return lambda: t


def test_a_token_holds_for_its_hours_and_not_a_second_more(archivo):
    ana = cuentas.Usuario("ana", "analista")
    t0 = 1_800_000_000.0
    token = cuentas.emitir(archivo, ana, 8, reloj(t0))
    assert cuentas.sesion(archivo, token, reloj(t0)) == ana
    assert cuentas.sesion(archivo, token, reloj(t0 + 8 * HORA - 1)) == ana
    assert cuentas.sesion(archivo, token, reloj(t0 + 8 * HORA)) is None
    assert cuentas.segundos(archivo, token, reloj(t0 + 2 * HORA)) == 6 * HORA
    corto = cuentas.emitir(archivo, ana, 0.5, reloj(t0))
    assert cuentas.sesion(archivo, corto, reloj(t0 + 30 * 60)) is None


def test_a_token_names_the_account_never_the_password_and_cannot_be_forged(archivo, tmp_path):
    token = cuentas.emitir(archivo, cuentas.Usuario("ana", "analista"), 8)
    contenido, firma = token.rsplit(".", 1)
    datos = json.loads(base64.urlsafe_b64decode(contenido + "=" * (-len(contenido) % 4)))
    assert datos["cuenta"] == "ana" and CLAVE not in token and "argon2" not in token
    cuentas.agregar(archivo, "jefe", "administrador", CLAVE)
    otro = dict(datos, cuenta="jefe")          # the same signature on another account
    falso = base64.urlsafe_b64encode(json.dumps(otro).encode()).decode().rstrip("=")
    assert cuentas.sesion(archivo, f"{falso}.{firma}") is None
    ajeno = tmp_path / "otra" / "usuarios.toml"     # another installation's secret
    cuentas.agregar(ajeno, "ana", "analista", CLAVE)
    assert cuentas.sesion(ajeno, token) is None
    assert cuentas.sesion(archivo, "basura") is None and cuentas.sesion(archivo, "") is None


def test_every_use_reads_the_account_again(archivo):
    token = cuentas.emitir(archivo, cuentas.Usuario("ana", "analista"), 8)
    cuentas.agregar(archivo, "ana", "consulta", None)          # a new role, no password now
    assert cuentas.sesion(archivo, token) is None              # the password changed: out
    cuentas.agregar(archivo, "ana", "analista", CLAVE)         # the same text, a new hash
    assert cuentas.sesion(archivo, token) is None
    token = cuentas.emitir(archivo, cuentas.Usuario("ana", "analista"), 8)
    datos = cuentas.leer(archivo)
    datos["ana"]["rol"] = "consulta"                           # only the role changes
    cuentas.guardar(archivo, datos)
    assert cuentas.sesion(archivo, token) == cuentas.Usuario("ana", "consulta")
    cuentas.agregar(archivo, "otra", "administrador", CLAVE)
    cuentas.quitar(archivo, "ana")
    assert cuentas.sesion(archivo, token) is None


def test_closing_a_session_refuses_its_token_and_no_other(archivo):
    ana = cuentas.Usuario("ana", "analista")
    esta, otra = cuentas.emitir(archivo, ana, 8), cuentas.emitir(archivo, ana, 8)
    cuentas.cerrar(archivo, esta)
    assert cuentas.sesion(archivo, esta) is None
    assert cuentas.sesion(archivo, otra) == ana               # the same account elsewhere


def test_closed_sessions_are_forgotten_once_they_would_have_expired(archivo):
    ana = cuentas.Usuario("ana", "analista")
    t0 = 1_800_000_000.0
    vieja = cuentas.emitir(archivo, ana, 8, reloj(t0))
    cuentas.cerrar(archivo, vieja, reloj(t0))
    nueva = cuentas.emitir(archivo, ana, 8, reloj(t0 + 9 * HORA))
    cuentas.cerrar(archivo, nueva, reloj(t0 + 9 * HORA))
    cerradas = (archivo.parent / "sesiones_cerradas.toml").read_text(encoding="utf-8")
    assert cerradas.count(" = ") == 1 and str(int(t0 + 17 * HORA)) in cerradas


def test_the_secret_and_the_closed_sessions_are_readable_by_their_owner_only(archivo):
    token = cuentas.emitir(archivo, cuentas.Usuario("ana", "analista"), 8)
    cuentas.cerrar(archivo, token)
    for nombre in ("sesiones.clave", "sesiones_cerradas.toml"):
        modo = stat.S_IMODE(os.stat(archivo.parent / nombre).st_mode)
        assert modo == 0o600, (nombre, oct(modo))
    (archivo.parent / "sesiones.clave").unlink()              # a new secret: every session ends
    otro = cuentas.emitir(archivo, cuentas.Usuario("ana", "analista"), 8)
    (archivo.parent / "sesiones.clave").unlink()
    assert cuentas.sesion(archivo, otro) is None


def test_a_damaged_list_of_closed_sessions_is_said_in_spanish(archivo):
    token = cuentas.emitir(archivo, cuentas.Usuario("ana", "analista"), 8)
    (archivo.parent / "sesiones_cerradas.toml").write_text("[cerradas\n", encoding="utf-8")
    with pytest.raises(CauceError, match="la lista de sesiones cerradas del tablero: está dañada"):
        cuentas.sesion(archivo, token)


def test_a_ticket_hands_its_token_once_and_for_a_minute():
    ahora = [100.0]
    boletos = cuentas.Boletos(reloj=lambda: ahora[0])
    b = boletos.dar("el token", 3600)
    assert boletos.tomar(b) == ("el token", 3600)
    assert boletos.tomar(b) is None                           # once
    b = boletos.dar("el token", 3600)
    ahora[0] += 61
    assert boletos.tomar(b) is None                           # a minute
    assert boletos.tomar("inventado") is None


def test_the_hours_of_a_session_are_configured(tmp_path):
    config = config_propia(tmp_path)
    assert load_settings(config).sesion_horas == 8
    texto_ = config.read_text(encoding="utf-8")
    config.write_text(texto_.replace("sesion_horas = 8", "sesion_horas = 12"), encoding="utf-8")
    assert load_settings(config).sesion_horas == 12
    config.write_text(texto_.replace("sesion_horas = 8", "sesion_horas = 0"), encoding="utf-8")
    with pytest.raises(CauceError, match=r"\[acceso\] sesion_horas.*un número de horas mayor"):
        load_settings(config)


# --- The app: the session and the address --------------------------------------------------------

@pytest.fixture
def dos_meses(tmp_path, monkeypatch):
    url = f"duckdb:///{tmp_path / 'almacen.duckdb'}"
    cargar(url, {"suscriptores.csv": SUSCRIPTORES, "facturas.csv": FACTURAS, "pagos.csv": PAGOS},
           tmp_path / "exportes")
    monkeypatch.setenv("CAUCE_CONFIG", str(config_propia(tmp_path / "config")))
    monkeypatch.setenv("CAUCE_ALMACEN", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield load_settings(os.environ["CAUCE_CONFIG"]).usuarios_archivo
    st.cache_data.clear()
    st.cache_resource.clear()


def abrir(at: AppTest, pagina: str, **parametros) -> AppTest:
    """The app at ``/pagina?parametros``, as a link opens it."""
    for k, v in parametros.items():
        at.query_params[k] = v
    at.switch_page(f"paginas/{pagina}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tarjeta(at: AppTest, nombre: str) -> str:
    return next(m.value for m in at.metric if m.label == nombre)


def direccion(at: AppTest) -> dict[str, str]:
    return {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}


def test_an_address_opens_its_period_and_filters(dos_meses):
    at = abrir(sesion("analista"), "recaudo", periodo="2026-09", municipio="20011")
    assert at.title[0].value == "Recaudo: Septiembre de 2026 · Aguachica"
    assert tarjeta(at, "Eficiencia del recaudo") == "100,0 %"
    assert (at.selectbox(key="periodo").value, at.selectbox(key="municipio").value) == \
        ("2026-09", "20011")
    assert direccion(at) == {"periodo": "2026-09", "municipio": "20011"}


def test_the_view_is_written_to_the_address_with_its_period(dos_meses):
    at = abrir(sesion("analista"), "recaudo")
    assert tarjeta(at, "Eficiencia del recaudo") == "25,0 %"
    assert direccion(at) == {"periodo": "2026-10"}            # the period always
    at.selectbox(key="municipio").set_value("20001").run()
    assert tarjeta(at, "Eficiencia del recaudo") == "100,0 %"
    assert direccion(at) == {"periodo": "2026-10", "municipio": "20001"}
    at.selectbox(key="municipio").set_value("Todos").run()
    assert direccion(at) == {"periodo": "2026-10"}


def test_an_address_it_cannot_use_is_said_and_the_rest_applies(dos_meses):
    at = abrir(sesion("analista"), "recaudo", periodo="2030-01", municipio="99999",
               servicio="aseo")
    avisos = [t.value for t in at.toast]
    assert any("«2030-01», que no está en los datos: se muestra el último mes facturado" in a
               for a in avisos), avisos
    assert any("municipio «99999»" in a for a in avisos), avisos
    assert at.title[0].value == "Recaudo: Octubre de 2026 · aseo"
    assert direccion(at) == {"periodo": "2026-10", "servicio": "aseo"}


def test_signed_out_an_address_shows_the_sign_in_only_then_its_view(dos_meses):
    cuenta("analista")
    at = abrir(AppTest.from_file(APP, default_timeout=60), "recaudo", periodo="2026-09",
               municipio="20011")
    assert [t.label for t in at.text_input] == ["Usuario", "Contraseña"]
    assert not at.metric and "100,0" not in texto(at) and "Aguachica" not in texto(at)
    at.text_input[0].input("analista")
    at.text_input[1].input(CLAVE)
    at.button[0].click().run()
    assert at.title[0].value == "Recaudo: Septiembre de 2026 · Aguachica"
    assert tarjeta(at, "Eficiencia del recaudo") == "100,0 %"


def test_consulta_opening_a_link_sees_the_aggregates_and_the_notice_for_the_records(dos_meses):
    at = abrir(sesion("consulta"), "recaudo", periodo="2026-09", municipio="20011")
    assert tarjeta(at, "Eficiencia del recaudo") == "100,0 %"
    assert any("Su rol (consulta) ve solo cifras agregadas" in c.value for c in at.caption)
    assert not at.dataframe and "S02" not in texto(at)


@pytest.mark.parametrize("rol", ["analista", "consulta"])
def test_the_address_of_cargar_datos_tells_another_role_it_is_the_administrators(dos_meses, rol):
    at = sesion(rol)
    at.switch_page("paginas/cargar.py").run()       # before a run: the address /cargar
    assert not at.exception and not at.file_uploader
    assert at.title[0].value == "Cargar datos"
    assert f"Cargar datos es solo para el rol administrador; su rol es {rol}." in at.info[0].value


def test_signing_in_keeps_a_token_and_signing_out_closes_it(dos_meses):
    cuenta("analista")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.text_input[0].input("analista")
    at.text_input[1].input(CLAVE)
    at.button[0].click().run()
    token = at.session_state["_token"]
    assert cuentas.sesion(dos_meses, token) == cuentas.Usuario("analista", "analista")
    guiones = [h.proto.body for h in at.get("html")]
    assert any("/_cauce/sesion" in g for g in guiones) and not any(token in g for g in guiones)
    at.run()                                  # the ticket is handed over once
    assert not any("/_cauce/sesion" in h.proto.body for h in at.get("html"))

    at.button(key="salir").click().run()
    assert cuentas.sesion(dos_meses, token) is None           # closed on the server
    assert [t.label for t in at.text_input] == ["Usuario", "Contraseña"] and not at.metric
    assert any("/_cauce/salir" in h.proto.body for h in at.get("html"))


# --- Item 16: a bar's group filters the page (the click itself: the browser test) -----------------

def test_a_group_filter_shows_the_groups_value_and_its_chip_clears_it(dos_meses):
    at = abrir(sesion("analista"), "facturacion", periodo="2026-10", estrato="2")
    assert at.title[0].value == "Facturación y consumo: Octubre de 2026 · estrato 2"
    assert tarjeta(at, "Valor facturado") == "$ 10.000"
    chip = at.button(key="quitar_estrato")
    assert chip.label == "Filtrado por estrato 2 · quitar"
    chip.click().run()
    assert tarjeta(at, "Valor facturado") == "$ 40.000"
    assert direccion(at) == {"periodo": "2026-10"}
    assert not any(b.key == "quitar_estrato" for b in at.button)
