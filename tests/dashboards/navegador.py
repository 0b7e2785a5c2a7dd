"""What the dashboard's browser tests share (the tests are in ``test_navegador*.py``).

The dashboard in a real browser: ``cauce tablero`` serving the demo utility, driven by
headless Chromium (Debian's ``/usr/bin/chromium``) through Playwright.

The first test walks the app as a user does: it loads the month's exports on *Cargar
datos*, opens every page from the sidebar, changes the period, and pages through *Modo
reunión*. No page may show a Streamlit exception, an error box or a Python error name, no
JavaScript error may reach the page, and the server's log must have no traceback.

A screenshot of each page goes to ``tests/artefactos/navegador/`` (ignored by git), with the
server's log, the time each step took and, when a test fails, the page as it was then.

The warehouse holds the small demo (24 periods to 2026-10) up to 2026-09, loaded without
the data checks (as ``tests/indicators/test_catalogo_demo.py`` does, to save a minute); the
2026-10 files are what the browser uploads, so they go through the checks, and the pages
are visited on that month. Without Chromium or Playwright the tests are skipped, except
under CI, where that is a failure.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cauce.settings import SHIPPED_CONFIG, load_settings
from etl.demo import generate
from etl.load import load_folder

CHROMIUM = Path("/usr/bin/chromium")
ARGUMENTOS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--disable-quic"]
ARTEFACTOS = Path(__file__).resolve().parents[1] / "artefactos" / "navegador"
HASTA = "2026-10"
MES_SUBIDO = "Octubre de 2026"
USUARIO, CLAVE = "coordinadora", "una clave de prueba"   # the administrator the test creates
ESPERA_MS = 180_000         # a page's first draw computes its indicators: slow on a busy CI

# Sidebar title -> what the page's <h1> says; "{periodo}" is the sidebar's period.
# Modo reunión is left out: its <h1> is an indicator's name, and it is visited last.
PAGINAS = {
    "Resumen del mes": "Resumen del mes: {periodo}",
    "Recaudo": "Recaudo: {periodo}",
    "Cartera": "Cartera: {periodo}",
    "Facturación y consumo": "Facturación y consumo: {periodo}",
    "Crítica": "Crítica: {periodo}",
    "PQR": "PQR: {periodo}",
    "Órdenes de trabajo": "Órdenes de trabajo: {periodo}",
    "NSU": "NSU: {periodo}",
    "Calendario comercial": "Calendario comercial: {periodo}",
    "Tarifas": "Tarifas: {periodo}",
    "Rutas": "Rutas: {periodo}",
    "Metas y proyección": "Metas y proyección: {periodo}",
    "Calidad de datos": "Calidad de datos",
    "Cargar datos": "Cargar datos",
    "Reportes": "Reportes: {periodo}",
}
# What a page must never show: Streamlit's exception box, an st.error box (the app's own
# "could not read the warehouse" included), or a traceback / Python exception name.
CAJAS_DE_ERROR = '[data-testid="stException"], [data-testid="stAlertContentError"]'
TEXTO_DE_ERROR = re.compile(r"Traceback|\b\w*(Error|Exception)\b")


def _requisitos():
    """Playwright's sync API; without it or Chromium, skip (fail under CI) saying what is
    missing."""
    faltan = []
    if not CHROMIUM.exists():
        faltan.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        from playwright import sync_api
    except ImportError:
        sync_api = None
        faltan.append("playwright (pip install playwright)")
    if faltan:
        mensaje = "prueba en navegador sin " + " ni ".join(faltan)
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(f"{mensaje}: en CI es obligatoria.")
        pytest.skip(mensaje)
    return sync_api


# --- Fixtures: the demo warehouse, the server, the browser --------------------------------------

@pytest.fixture(scope="module")
def pw():
    return _requisitos()


@pytest.fixture(scope="module")
def artefactos(pw, request) -> Path:
    """The screenshots, times and server log of one test module, in a folder of its own."""
    carpeta = ARTEFACTOS / request.module.__name__.rsplit(".", 1)[-1]
    shutil.rmtree(carpeta, ignore_errors=True)
    carpeta.mkdir(parents=True)
    return carpeta


@pytest.fixture(scope="module")
def demo(pw, tmp_path_factory):
    """A config of its own (archive and GX context in the tmp folder), a DuckDB warehouse
    with the demo up to 2026-09, and the 2026-10 files, to upload."""
    raiz = tmp_path_factory.mktemp("tablero")
    config = raiz / "config.toml"
    shutil.copyfile(SHIPPED_CONFIG, config)
    url = f"duckdb:///{raiz / 'almacen.duckdb'}"
    settings = load_settings(config, almacen=url)
    historia, subir = raiz / "historia", raiz / "subir"
    generate(historia, settings, "pequena", 1, HASTA, True)
    subir.mkdir()
    for f in sorted(historia.glob(f"*_{HASTA}.csv")):
        f.rename(subir / f.name)
    resultados = load_folder(historia, settings, revisar=False)
    malos = [(r.archivo, r.estado, r.mensaje) for r in resultados
             if r.estado not in ("cargado", "forzado")]
    assert not malos, f"the demo's history must load: {malos}"
    cuenta = subprocess.run([sys.executable, "-m", "cauce", "usuarios", "agregar", USUARIO,
                             "--rol", "administrador", "--config", str(config)],
                            input=CLAVE + "\n", capture_output=True, text=True, timeout=120)
    assert cuenta.returncode == 0, cuenta.stderr
    return raiz, config, url, sorted(subir.iterdir())


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def servidor(demo, artefactos):
    """``cauce tablero`` on a free port, as a user starts it, answering; its whole process
    group (cauce and the Streamlit server under it) is stopped afterwards, also on failure."""
    raiz, config, url, _ = demo
    puerto = _puerto_libre()
    registro = artefactos / "servidor.log"
    env = {k: v for k, v in os.environ.items() if k != "CAUCE_TABLERO_CALENTAR"}  # as users run it
    env["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] = "none"
    with open(registro, "wb") as salida:
        proceso = subprocess.Popen(
            [sys.executable, "-m", "cauce", "tablero", "--sin-navegador", "--puerto", str(puerto),
             "--config", str(config), "--almacen", url],
            cwd=raiz, env=env, stdout=salida, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        direccion = f"http://127.0.0.1:{puerto}"
        limite = time.monotonic() + 90
        while True:
            if proceso.poll() is not None:
                pytest.fail(f"cauce tablero terminó (código {proceso.returncode}):\n"
                            f"{registro.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{direccion}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > limite:
                pytest.fail("cauce tablero no respondió en 90 s:\n"
                            f"{registro.read_text(errors='replace')}")
            time.sleep(0.5)
        yield direccion, registro
    finally:
        _detener(proceso)


def _detener(proceso: subprocess.Popen) -> None:
    """SIGTERM to the process group (cauce and the Streamlit server it started); SIGKILL to
    whatever of it is still there 15 s later."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proceso.pid, signal.SIGTERM)
    limite = time.monotonic() + 15
    with contextlib.suppress(subprocess.TimeoutExpired):
        proceso.wait(15)
    while time.monotonic() < limite:
        try:
            os.killpg(proceso.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proceso.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proceso.wait(5)


@pytest.fixture(scope="module")
def navegador(pw):
    with pw.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGUMENTOS)
        try:
            yield chromium
        finally:
            chromium.close()


class Sesion:
    """One user's tab on the app: its page, the JavaScript errors it saw, screenshots and
    the time of each step (both into the artefacts folder)."""

    def __init__(self, navegador, direccion: str, artefactos: Path, nombre: str):
        self.contexto = navegador.new_context(viewport={"width": 1600, "height": 2000},
                                              locale="es-CO")
        self.pagina = self.contexto.new_page()
        self.pagina.set_default_timeout(ESPERA_MS)
        self.direccion, self.artefactos, self.nombre = direccion, artefactos, nombre
        self.errores_js: list[str] = []
        self.pagina.on("pageerror", lambda e: self.errores_js.append(str(e)))
        self.pasos: list[tuple[str, float]] = []
        self._reloj = time.monotonic()
        self._capturas = 0

    def paso(self, que: str) -> None:
        ahora = time.monotonic()
        self.pasos.append((que, ahora - self._reloj))
        self._reloj = ahora

    def captura(self, nombre: str) -> None:
        self._capturas += 1
        slug = re.sub(r"\W+", "_", nombre.lower()).strip("_")
        ruta = self.artefactos / f"{self.nombre}_{self._capturas:02d}_{slug}.png"
        self.pagina.screenshot(path=ruta)

    def cerrar(self, fallo: bool) -> None:
        with open(self.artefactos / "tiempos.txt", "a", encoding="utf-8") as f:
            f.write(f"# {self.nombre}\n" + "".join(f"{s:7.1f} s  {q}\n" for q, s in self.pasos))
        if fallo:
            with contextlib.suppress(Exception):
                self.pagina.screenshot(path=self.artefactos / f"{self.nombre}_FALLO.png")
        self.contexto.close()


@pytest.fixture
def pestana(request, navegador, servidor, artefactos, pw):
    """A signed-out tab on the module's server (:class:`Sesion`); afterwards, no JavaScript
    error may have reached it and the server's log must hold no traceback."""
    pw.expect.set_options(timeout=ESPERA_MS)
    s = Sesion(navegador, servidor[0], artefactos, request.node.name.removeprefix("test_"))
    fallidas = request.session.testsfailed
    try:
        yield s
    finally:       # the test's own failure is counted before its fixtures are torn down
        s.cerrar(fallo=request.session.testsfailed > fallidas)
    assert not s.errores_js, f"errores de JavaScript en la página: {s.errores_js}"
    log = servidor[1].read_text(errors="replace")
    assert "Traceback" not in log, f"el servidor registró un error:\n{log}"


# --- Driving the page ---------------------------------------------------------------------------

def quieta(pagina, calma_s: float = 1.0, limite_s: float = ESPERA_MS / 1000) -> None:
    """Wait until the app has finished drawing: no "Running…" status and no placeholder
    skeleton for ``calma_s`` in a row."""
    ocupada = '[data-testid="stStatusWidget"], [data-testid="stSkeleton"]'
    inicio = ultima = time.monotonic()
    while time.monotonic() - inicio < limite_s:
        if pagina.locator(ocupada).count():
            ultima = time.monotonic()
        elif time.monotonic() - ultima >= calma_s:
            return
        pagina.wait_for_timeout(200)
    raise AssertionError(f"la app sigue ocupada tras {limite_s:.0f} s")


def sin_errores(pagina, donde: str) -> None:
    cajas = pagina.locator(CAJAS_DE_ERROR)
    assert cajas.count() == 0, f"{donde}: caja de error: {cajas.all_inner_texts()}"
    texto = pagina.locator("body").inner_text()
    hallado = TEXTO_DE_ERROR.search(texto)
    assert hallado is None, (f"{donde}: texto de error «{hallado[0]}»: "
                             f"…{texto[max(0, hallado.start() - 300):hallado.end() + 300]}…")


def titulo(pagina):
    return pagina.locator('[data-testid="stMain"] h1').first


def ir(pagina, titulo: str) -> None:
    """Click the page's link in the sidebar navigation (opening "View more" first when the
    link is among the hidden ones)."""
    enlace = pagina.locator(f'a[data-testid="stSidebarNavLink"]:has(span[label="{titulo}"])')
    mas = pagina.locator('[data-testid="stSidebarNavViewButton"]')
    if not enlace.is_visible() and mas.is_visible() and "more" in mas.inner_text():
        mas.click()
    enlace.click()


def selector(pagina, etiqueta: str):
    return pagina.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has=pagina.get_by_text(etiqueta, exact=True))


def opciones(pagina, etiqueta: str) -> list[str]:
    """The options of a sidebar selectbox (opened and closed again)."""
    selector(pagina, etiqueta).click()
    opciones = pagina.locator('[role="listbox"] [role="option"]')
    opciones.first.wait_for()
    textos = [t.strip() for t in opciones.all_inner_texts()]
    pagina.keyboard.press("Escape")
    opciones.first.wait_for(state="detached")
    return textos


def elegir(pagina, etiqueta: str, opcion: str) -> None:
    """Choose ``opcion`` in the sidebar selectbox labelled ``etiqueta``."""
    selector(pagina, etiqueta).click()
    pagina.locator('[role="listbox"] [role="option"]').filter(
        has_text=re.compile(rf"^\s*{re.escape(opcion)}\s*$")).click()


def elegido(pagina, etiqueta: str) -> str:
    """The option a sidebar selectbox shows (its combobox input holds the label)."""
    return pagina.locator('[data-testid="stSidebar"]').get_by_role(
        "combobox", name=etiqueta, exact=True).input_value()


def entrar(pagina, expect) -> None:
    """Signed out, the page shows the sign-in and nothing else; sign in as the test's
    administrator."""
    expect(titulo(pagina)).to_contain_text("Cauce")
    quieta(pagina)
    principal = pagina.locator('[data-testid="stMain"]')
    assert principal.locator('[data-testid="stMetric"]').count() == 0
    assert pagina.locator('a[data-testid="stSidebarNavLink"]').count() == 0
    pagina.get_by_label("Usuario").fill(USUARIO)
    pagina.get_by_label("Contraseña", exact=True).fill(CLAVE)
    pagina.get_by_role("button", name="Entrar").click()


