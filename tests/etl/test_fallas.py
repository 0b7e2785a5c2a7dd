"""Faults in the middle of a load (issue 7), against the real command line: a process killed
with SIGKILL, a PostgreSQL server that goes away, a full disk; and the dashboard while a real
load writes the DuckDB file.

What a user relies on: each file is loaded whole or not at all (one transaction per file), so
after any fault the warehouse holds exactly what it held before the file that was loading (the
files loaded before it stay, whole); the load record (``carga``) never shows an unfinished load;
the message is one Spanish sentence or two, never a traceback; and running the same command
again finishes the job, giving the same warehouse as a load that was never interrupted.

The data are the ``mediana`` demo's (200.000 accounts): October 2026's cadastre, readings and
invoices (≈ 940.000 rows, 110 MB), loaded on top of September's cadastre and a preliminary
October invoice export (the first half of the final one, which the load replaces: a kill must
also undo the deletions). The generator has no way to write fewer than its 24 periods, and a
period's files depend on the accounts' history, so it runs once for the module (≈ 30 s) and
deletes every other file as soon as each period is written: the disk holds 300 MB at most,
never the full demo's 3,2 GB. Loading every period would repeat the same work 24 times (three
minutes) without reaching any state that one period does not.

Warehouses are compared table by table on their full contents, through a digest computed by
the database: the row count and, on DuckDB, the sum of a hash of each row's typed values (an
order-free digest of the multiset of rows); on PostgreSQL the MD5 of every row's text, sorted.
The load record's times (``inicio``, ``fin``) are left out, since a repeated load runs later.
The indicators a load keeps last (``resultado_indicador``, ``indicators.guardados``) are left
out too, and so are the expected tariff charges it keeps on the invoice rows (the columns
``warehouse.TARIFA_DE_LA_FILA`` and the table ``tarifa_calculada``, ``indicators.tarifas``) and
the accounts' reference history of the deviations (``historia_consumo`` and
``historia_calculada``, ``indicators.critica``): derived from the data, they are stale (never
read) until a load finishes them, and their sums of doubles may differ in the last bit from
one computation to the next; that a finished load leaves them current is checked apart
(``test_guardados``, ``test_tarifas``, ``test_critica``).
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st

from cauce.settings import SHIPPED_CONFIG, load_settings
from etl import warehouse as w
from etl.demo import generate
from tests.dashboards.conftest import FACTURAS, PAGOS, SUSCRIPTORES, config_propia, sesion, texto
from tests.indicators.conftest import cargar as cargar_en_proceso

SEMILLA = 7                          # the kills' moments and the PostgreSQL stop: reproducible
OCTUBRE = ("suscriptores_2026-10.csv", "lecturas_2026-10.csv", "facturas_2026-10.csv")  # load order
SEPTIEMBRE = "suscriptores_2026-09.csv"
PRELIMINAR = "facturas_2026-10_preliminar.csv"


# --- The data -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def mediana(tmp_path_factory) -> Path:
    """The files of the mediana demo this module loads (see the module's docstring)."""
    carpeta = tmp_path_factory.mktemp("mediana")
    conservar = {SEPTIEMBRE, *OCTUBRE}

    def podar(*_):                   # called after each period is written
        for f in carpeta.glob("*.csv"):
            if f.name not in conservar:
                f.unlink()
    generate(carpeta, load_settings(SHIPPED_CONFIG), "mediana", 1, "2026-10", progreso=podar)
    podar()
    assert sorted(f.name for f in carpeta.glob("*.csv")) == sorted(conservar)
    lineas = (carpeta / "facturas_2026-10.csv").read_bytes().splitlines(keepends=True)
    (carpeta / PRELIMINAR).write_bytes(b"".join(lineas[:len(lineas) // 2]))
    return carpeta


def carpeta_con(destino: Path, origen: Path, nombres) -> Path:
    """A folder holding (hard links to) some of the files of ``origen``."""
    destino.mkdir(parents=True)
    for nombre in nombres:
        os.link(origen / nombre, destino / nombre)
    return destino


# --- The command line ---------------------------------------------------------------------

def orden_cargar(carpeta: Path, url: str) -> list[str]:
    return [sys.executable, "-m", "cauce", "cargar", str(carpeta), "--almacen", url]


def cargar(carpeta: Path, url: str, cwd: Path, *opciones: str) -> subprocess.CompletedProcess:
    """``cauce cargar`` as a user runs it; the archive goes to ``cwd``/datos/archivo."""
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run(orden_cargar(carpeta, url) + list(opciones), cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def iniciar(carpeta: Path, url: str, cwd: Path) -> subprocess.Popen:
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(orden_cargar(carpeta, url), cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def un_mensaje_claro(salida: subprocess.CompletedProcess, archivo: str, *frases: str) -> str:
    """The command failed with exit code 2 and one Spanish error naming the file, no traceback."""
    error = salida.stderr.strip()
    assert salida.returncode == 2, (salida.returncode, salida.stdout[-2000:], error)
    assert "Traceback" not in salida.stdout + error, error
    assert error.startswith("Error: ") and len(error.splitlines()) == 1, error
    assert archivo in error, error
    for frase in ("ejecute otra vez la misma orden", *frases):
        assert frase in error, error
    for ingles in ("No space left", "connection", "server", "IO Error"):
        assert ingles not in error, error
    return error


def sha256(ruta: Path) -> str:
    with open(ruta, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def archivados(carpeta: Path) -> set[str]:
    """The hashes of the archive folder's files, each checked to be named by its source, the
    moment of its load and the SHA-256 of its bytes (a partial copy is not)."""
    huellas = set()
    for f in carpeta.iterdir():
        nombre = re.fullmatch(r"[a-z]+_\d{8}T\d{12}_([0-9a-f]{64})\.csv", f.name)
        assert nombre and nombre[1] == sha256(f), f.name
        huellas.add(nombre[1])
    return huellas


def de_octubre(referencia) -> set[str]:
    """What the archive must hold after the October load: its files' hashes."""
    return {sha256(referencia.octubre / n) for n in OCTUBRE}


# --- Comparing warehouses -----------------------------------------------------------------

Contenido = dict[str, tuple]


def contenido(url: str, sin_ids: bool = False) -> Contenido:
    """Each table's row count and digest (see the module's docstring). ``sin_ids``: each
    row's ``carga_id`` is replaced by its load's file hash and ``carga.id`` left out, where
    loads are numbered differently (a sequence jumps ahead after a PostgreSQL crash, and a
    file that fails inside the process has taken a number). DuckDB is opened read-only, as the
    dashboard does: a WAL left by a killed process is replayed but stays for the next load."""
    duckdb = url.startswith("duckdb")
    engine = w.create_engine(url, solo_lectura=duckdb)
    try:
        with engine.connect() as conn:
            nombres = sorted(sa.inspect(conn).get_table_names())
            assert set(nombres) == set(w.metadata.tables), nombres
            return {n: _huella(conn, w.metadata.tables[n], sin_ids, duckdb) for n in nombres
                    if n not in GUARDADAS}
    finally:
        engine.dispose()


# What the load keeps last, derived from the data (see the module's docstring).
GUARDADAS = {t.name for t in (w.resultado_indicador, w.tarifa_calculada, w.historia_consumo,
                              w.historia_calculada)}

# Columns a repeated load may write differently: the load record's times, and the kept
# tariff charges (see the module's docstring).
OMITIDAS = {"carga": {"inicio", "fin"}, "facturas": {n for n, _ in w.TARIFA_DE_LA_FILA}}


def _huella(conn: sa.Connection, tabla: sa.Table, sin_ids: bool, duckdb: bool) -> tuple:
    omitir = OMITIDAS.get(tabla.name, set()) | ({"id"} if sin_ids and tabla.name == "carga"
                                                 else set())
    columnas = [c for c in tabla.c if c.name not in omitir]
    origen = tabla
    if sin_ids and "carga_id" in tabla.c:
        carga = w.carga.alias("c")
        origen = tabla.join(carga, carga.c.id == tabla.c.carga_id)
        columnas = [carga.c.sha256 if c.name == "carga_id" else c for c in columnas]
    if duckdb:
        resumen = sa.select(sa.func.count(), sa.cast(sa.func.sum(sa.func.hash(*columnas)), sa.Text))
        return tuple(conn.execute(resumen.select_from(origen)).one())
    fila = sa.select(sa.cast(sa.tuple_(*columnas), sa.Text).label("r")).select_from(origen)
    sql = fila.compile(conn, compile_kwargs={"literal_binds": True})
    return tuple(conn.exec_driver_sql(
        f"SELECT count(*), md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) FROM ({sql}) s"
    ).one())


def indicadores_al_dia(url: str) -> bool:
    """Whether the indicators kept by the last load are there, under its number."""
    engine = w.create_engine(url, solo_lectura=url.startswith("duckdb"))
    try:
        with engine.connect() as conn:
            t = w.resultado_indicador
            ultima = sa.select(sa.func.max(w.carga.c.id)).scalar_subquery()
            return conn.execute(sa.select(sa.func.count()).where(t.c.carga_id == ultima)
                                ).scalar() > 0
    finally:
        engine.dispose()


def diferencias(a: Contenido, b: Contenido) -> dict:
    return {t: (a[t][0], b[t][0]) for t in a if a[t] != b[t]}


def sin_cargas_a_medias(url: str) -> None:
    """The load record shows only finished loads."""
    engine = w.create_engine(url, solo_lectura=True)
    try:
        with engine.connect() as conn:
            abiertas = conn.execute(sa.select(w.carga.c.archivo, w.carga.c.estado).where(
                sa.or_(w.carga.c.estado.not_in(["cargado", "forzado"]), w.carga.c.fin.is_(None))
            )).all()
    finally:
        engine.dispose()
    assert abiertas == []


def copiar_almacen(origen: Path, destino: Path) -> None:
    """A copy of a closed DuckDB warehouse (with its WAL, if it kept one)."""
    destino.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(origen, destino)
    if Path(f"{origen}.wal").exists():
        shutil.copyfile(f"{origen}.wal", f"{destino}.wal")


# --- The reference: loaded file by file, never interrupted ----------------------------------

@dataclass
class Referencia:
    antes: Path                      # the DuckDB warehouse before October (closed, checkpointed)
    octubre: Path                    # the folder the faulty loads load
    estados: list[Contenido]         # before October, then after each of its files
    segundos: float                  # how long the October load takes when nothing fails
    tamano_final: int                # bytes of the DuckDB file after it
    final_sin_ids: Contenido         # the last state, load numbers aside (see below)

    @property
    def final(self) -> Contenido:
        return self.estados[-1]


@pytest.fixture(scope="module")
def referencia(mediana, tmp_path_factory) -> Referencia:
    raiz = tmp_path_factory.mktemp("referencia")
    base = carpeta_con(raiz / "base", mediana, [SEPTIEMBRE, PRELIMINAR])
    octubre = carpeta_con(raiz / "octubre", mediana, OCTUBRE)
    antes = raiz / "antes.duckdb"
    salida = cargar(base, f"duckdb:///{antes}", raiz / "trabajo")
    assert salida.returncode == 0, salida.stderr

    # The states a load can leave between its files: October's files loaded one at a time.
    paso = raiz / "paso.duckdb"
    copiar_almacen(antes, paso)
    estados = [contenido(f"duckdb:///{antes}")]
    for k in range(1, len(OCTUBRE) + 1):
        salida = cargar(carpeta_con(raiz / f"primeros_{k}", mediana, OCTUBRE[:k]),
                        f"duckdb:///{paso}", raiz / "trabajo")
        assert salida.returncode == 0, salida.stderr
        estados.append(contenido(f"duckdb:///{paso}"))
    assert len({tuple(sorted(e.items())) for e in estados}) == len(estados)

    # The whole October folder in one load, timed: the load the faults interrupt.
    una_vez = raiz / "una_vez.duckdb"
    copiar_almacen(antes, una_vez)
    inicio = time.monotonic()
    salida = cargar(octubre, f"duckdb:///{una_vez}", raiz / "trabajo")
    segundos = time.monotonic() - inicio
    assert salida.returncode == 0, salida.stderr
    assert contenido(f"duckdb:///{una_vez}") == estados[-1]
    return Referencia(antes, octubre, estados, segundos, una_vez.stat().st_size,
                      contenido(f"duckdb:///{una_vez}", sin_ids=True))


# --- 1. SIGKILL -----------------------------------------------------------------------------

def test_a_load_killed_at_random_moments_leaves_whole_files_and_the_next_load_finishes(
        referencia, tmp_path):
    """Killed with SIGKILL at seeded random moments of the October load, one in each quarter of
    its duration (from start-up to the last commit), the warehouse holds exactly one of the
    states between files; the next load, not killed, exits 0 and leaves exactly the reference
    warehouse, whatever WAL the killed process left."""
    azar = random.Random(SEMILLA)
    matadas, estados_vistos, con_wal = 0, [], 0
    for ronda in range(8):
        if matadas == 4:
            break
        cwd = tmp_path / f"ronda_{ronda}"
        ruta = cwd / "almacen.duckdb"
        url = f"duckdb:///{ruta}"
        copiar_almacen(referencia.antes, ruta)
        proceso = iniciar(referencia.octubre, url, cwd)
        cuarto = ronda % 4            # a load that ends before its kill: the quarter comes again
        time.sleep((cuarto + azar.uniform(0.05, 0.95)) / 4 * referencia.segundos)
        if proceso.poll() is None:
            proceso.send_signal(signal.SIGKILL)
        _, errores = proceso.communicate(timeout=60)
        matadas += proceso.returncode == -signal.SIGKILL
        assert proceso.returncode in (0, -signal.SIGKILL), errores

        con_wal += Path(f"{ruta}.wal").exists()
        quedo = contenido(url)
        assert quedo in referencia.estados, (
            f"ronda {ronda}: a half-loaded file; tables that differ from the state before the "
            f"load: {diferencias(quedo, referencia.estados[0])}")
        estados_vistos.append(referencia.estados.index(quedo))
        sin_cargas_a_medias(url)

        salida = cargar(referencia.octubre, url, cwd)
        assert salida.returncode == 0, salida.stderr
        assert "Traceback" not in salida.stderr
        assert diferencias(contenido(url), referencia.final) == {}
        assert indicadores_al_dia(url)
        assert archivados(cwd / "datos" / "archivo") == de_octubre(referencia)
        shutil.rmtree(cwd)            # 60 MB a round
    assert matadas == 4, f"only {matadas} loads were still running when their kill came"
    print(f"states left by the kills (files done): {estados_vistos}; with a WAL: {con_wal}")


def test_a_wal_left_by_a_killed_load_is_recovered_by_the_dashboard_and_the_next_load(
        tmp_path, monkeypatch):
    """A load whose process is killed after committing, before DuckDB writes the WAL into the
    file (what a clean exit does), leaves a ``.wal``: the dashboard reads through it, and the
    next command-line load succeeds with the data of both loads."""
    ruta = tmp_path / "almacen.duckdb"
    url = f"duckdb:///{ruta}"
    config = config_propia(tmp_path / "config")
    primera, segunda = tmp_path / "primera", tmp_path / "segunda"
    for carpeta, archivos in ((primera, {"suscriptores_2026-10.csv": SUSCRIPTORES,
                                         "facturas_2026-10.csv": FACTURAS,
                                         "pagos_2026-10.csv": PAGOS}),
                              (segunda, {"pagos_2026-10_b.csv": PAGOS.replace(
                                  "P1,S01,F1,2026-10-15,10000", "P2,S02,F2,2026-10-20,20000")})):
        carpeta.mkdir()
        for nombre, datos in archivos.items():
            (carpeta / nombre).write_text(datos, encoding="utf-8")
    matar = subprocess.run([sys.executable, "-c", CARGAR_Y_MORIR, str(primera), url, str(config)],
                           cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert matar.returncode == -signal.SIGKILL, matar.stderr
    assert Path(f"{ruta}.wal").stat().st_size > 0

    monkeypatch.setenv("CAUCE_CONFIG", str(config))
    monkeypatch.setenv("CAUCE_ALMACEN", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        tablero = sesion(timeout=60)
        tablero.run()
        assert not tablero.exception
        # 10.000 paid of 40.000 billed in October: what the killed load committed
        assert [m.value for m in tablero.metric if m.label == "Eficiencia del recaudo"] == ["25,0 %"]

        salida = cargar(segunda, url, tmp_path)
        assert salida.returncode == 0, salida.stderr
        tablero = sesion(timeout=60)
        tablero.run()
        assert not tablero.exception
        # 10.000 + 20.000 paid of 40.000
        assert [m.value for m in tablero.metric if m.label == "Eficiencia del recaudo"] == ["75,0 %"]
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()

    # The same two loads, never killed, give the same warehouse.
    otra = f"duckdb:///{tmp_path / 'sin_fallas.duckdb'}"
    for carpeta in (primera, segunda):
        assert cargar(carpeta, otra, tmp_path / "sin_fallas", "--forzar").returncode == 0
    assert diferencias(contenido(url), contenido(otra)) == {}


# The first load of the small warehouse, as ``cauce cargar`` runs it but killed right after it
# commits: its engine is never disposed, so DuckDB never checkpoints the WAL into the file.
CARGAR_Y_MORIR = """
import os, signal, sys
from pathlib import Path
from cauce.settings import load_settings
from etl import warehouse as w
from etl.load import load_folder
settings = load_settings(sys.argv[3], sys.argv[2])
engine = w.create_engine(settings.almacen_url)
results = load_folder(Path(sys.argv[1]), settings, engine=engine, forzar=True)
assert {r.estado for r in results} <= {"cargado", "forzado"}, results
os.kill(os.getpid(), signal.SIGKILL)
"""


# --- 2. PostgreSQL going away -------------------------------------------------------------

@dataclass
class Servidor:
    """A PostgreSQL cluster of the test's own, run by ``usuario`` (initdb refuses root)."""
    bin: Path
    datos: Path
    puerto: int
    usuario: str | None

    def pg_ctl(self, *args: str) -> None:
        subprocess.run([str(self.bin / "pg_ctl"), "-D", str(self.datos), *args], user=self.usuario,
                       check=True, capture_output=True, timeout=120)

    def iniciar(self) -> None:
        self.pg_ctl("-o", f"-p {self.puerto} -k {self.datos.parent} -c listen_addresses=127.0.0.1 "
                          f"-c fsync=off", "-l", str(self.datos.parent / "registro.log"), "-w", "start")

    def detener(self) -> None:
        """The way a crash or a power cut stops it: no shutdown checkpoint."""
        self.pg_ctl("-m", "immediate", "-w", "stop")

    def url(self, base: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.puerto}/{base}"

    def sql(self, consulta: str, *parametros) -> list[tuple]:
        """Run one statement on the server's ``postgres`` database; its rows, if any."""
        import psycopg
        with psycopg.connect(host="127.0.0.1", port=self.puerto, user="postgres",
                             dbname="postgres", autocommit=True) as conn:
            cursor = conn.execute(consulta, parametros or None)
            return cursor.fetchall() if cursor.description else []


@contextlib.contextmanager
def servidor_propio():
    binarios = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not binarios:
        pytest.skip("no están los programas de PostgreSQL (initdb, pg_ctl) en "
                    "/usr/lib/postgresql/*/bin: no se puede arrancar un servidor propio")
    usuario = None
    if os.geteuid() == 0:
        try:
            import pwd
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("como root, initdb necesita el usuario «postgres» del sistema, que no existe")
        usuario = "postgres"
    raiz = Path(tempfile.mkdtemp(prefix="cauce-pg-"))    # not under pytest's root-only folder
    if usuario:
        shutil.chown(raiz, usuario)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        puerto = s.getsockname()[1]
    servidor = Servidor(binarios[-1].parent, raiz / "datos", puerto, usuario)
    try:
        subprocess.run([str(servidor.bin / "initdb"), "-D", str(servidor.datos), "-A", "trust",
                        "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"],
                       user=usuario, check=True, capture_output=True, timeout=120)
        servidor.iniciar()
        yield servidor
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            servidor.detener()
        shutil.rmtree(raiz, ignore_errors=True)


def esperar_la_transaccion(servidor: Servidor, base: str, proceso: subprocess.Popen) -> None:
    """Until the load's transaction has written its staging table (it is mid-file)."""
    limite = time.monotonic() + 120
    while time.monotonic() < limite and proceso.poll() is None:
        if servidor.sql("SELECT 1 FROM pg_stat_activity WHERE datname = %s AND pid <> "
                        "pg_backend_pid() AND xact_start IS NOT NULL AND "
                        "(query LIKE '%%_staging_%%' OR query LIKE 'COPY%%')", base):
            return
        time.sleep(0.05)
    raise AssertionError(f"the load never started its transaction: {proceso.communicate()}")


def test_postgresql_going_away_mid_load_is_a_clear_error_and_nothing_is_half_loaded(
        mediana, tmp_path):
    """A PostgreSQL server stopped (as by a crash) while a file loads: exit code 2 and one Spanish
    message naming the file; after the server restarts the warehouse is as before that load,
    and the same command then loads it, as a load that was never interrupted."""
    base = carpeta_con(tmp_path / "base", mediana, [SEPTIEMBRE])
    facturas = carpeta_con(tmp_path / "facturas", mediana, ["facturas_2026-10.csv"])
    with servidor_propio() as servidor:
        servidor.sql("CREATE DATABASE victima")
        victima = servidor.url("victima")
        salida = cargar(base, victima, tmp_path / "trabajo")
        assert salida.returncode == 0, salida.stderr
        servidor.sql("CREATE DATABASE referencia TEMPLATE victima")
        salida = cargar(facturas, servidor.url("referencia"), tmp_path / "referencia")
        assert salida.returncode == 0, salida.stderr
        antes, esperado = contenido(victima), contenido(servidor.url("referencia"), sin_ids=True)

        proceso = iniciar(facturas, victima, tmp_path / "trabajo")
        esperar_la_transaccion(servidor, "victima", proceso)
        time.sleep(random.Random(SEMILLA).uniform(0.3, 2.0))
        assert proceso.poll() is None, "the load ended before the server was stopped"
        servidor.detener()
        salida, errores = proceso.communicate(timeout=120)
        fallida = subprocess.CompletedProcess(proceso.args, proceso.returncode, salida, errores)
        un_mensaje_claro(fallida, "facturas_2026-10.csv", "Se perdió la conexión",
                         "el almacén quedó como estaba")

        servidor.iniciar()
        assert diferencias(contenido(victima), antes) == {}
        sin_cargas_a_medias(victima)
        salida = cargar(facturas, victima, tmp_path / "trabajo")
        assert salida.returncode == 0, salida.stderr
        assert diferencias(contenido(victima, sin_ids=True), esperado) == {}


# --- 3. A full disk -----------------------------------------------------------------------

@contextlib.contextmanager
def disco_pequeno(carpeta: Path, bytes_: int):
    """A tmpfs of ``bytes_`` mounted on ``carpeta``; yields a function that resizes it."""
    carpeta.mkdir(parents=True, exist_ok=True)
    montar = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={bytes_ // 1024}k", "tmpfs",
                             str(carpeta)], capture_output=True, text=True)
    if montar.returncode != 0:
        pytest.skip(f"no se puede montar un disco pequeño (tmpfs) para llenarlo: "
                    f"{montar.stderr.strip()} (hace falta ser root)")
    try:
        yield lambda n: subprocess.run(["mount", "-o", f"remount,size={n // 1024}k", str(carpeta)],
                                       check=True, capture_output=True)
    finally:
        if subprocess.run(["umount", str(carpeta)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "--lazy", str(carpeta)], check=True, capture_output=True)


@pytest.mark.parametrize("lleno", ["almacen", "archivo"])
def test_a_full_disk_mid_load_is_a_clear_error_and_after_freeing_space_the_load_finishes(
        referencia, tmp_path, lleno):
    """The disk of the DuckDB warehouse, or of the archive folder (``[almacen] archivo``), has
    room for about half of what the October load writes: the load stops with exit code 2 and
    one Spanish message naming the file; the warehouse holds exactly the files before it; no
    partial copy is left in the archive. With more room, the same command finishes the load."""
    disco, cwd = tmp_path / "disco", tmp_path / "trabajo"
    antes = referencia.antes.stat().st_size
    if lleno == "almacen":
        ruta, archivo = disco / "almacen.duckdb", cwd / "datos" / "archivo"
        tamano = antes + (referencia.tamano_final - antes) // 2
    else:
        ruta, archivo = tmp_path / "almacen.duckdb", cwd / "datos" / "archivo"
        disco = archivo
        tamano = sum((referencia.octubre / n).stat().st_size for n in OCTUBRE) // 2
    url = f"duckdb:///{ruta}"
    with disco_pequeno(disco, tamano) as redimensionar:
        copiar_almacen(referencia.antes, ruta)
        salida = cargar(referencia.octubre, url, cwd)
        fallido = next((n for n in OCTUBRE if n in salida.stderr), None)
        assert fallido, (salida.returncode, salida.stderr)
        un_mensaje_claro(salida, fallido, "Se llenó el disco", "Libere espacio",
                         "el almacén quedó como estaba")
        antes_del_fallo = OCTUBRE[:OCTUBRE.index(fallido)]
        assert all(n in salida.stdout for n in antes_del_fallo)   # the summary: what did load
        quedo = contenido(url)
        assert diferencias(quedo, referencia.estados[OCTUBRE.index(fallido)]) == {}
        print(f"disk of the {lleno} full while loading {fallido}")
        sin_cargas_a_medias(url)
        if archivo.exists():
            assert archivados(archivo) <= de_octubre(referencia)     # no partial copy

        redimensionar(4 * tamano)
        salida = cargar(referencia.octubre, url, cwd)
        assert salida.returncode == 0, salida.stderr
        # A file that failed inside the process took a load number, as a sequence does in a
        # transaction that rolls back: the loads that follow are numbered after it.
        assert diferencias(contenido(url, sin_ids=True), referencia.final_sin_ids) == {}
        assert archivados(archivo) == de_octubre(referencia)


# --- 4. The dashboard while a command-line load writes ---------------------------------------

def test_the_dashboard_during_a_real_load_shows_the_last_data_or_says_so_then_the_new_data(
        mediana, tmp_path, monkeypatch):
    """``tests/dashboards/test_concurrencia.py`` holds the file with a stand-in process; here a
    real ``cauce cargar`` of a mediana cadastre writes it while the dashboard is redrawn: no run
    fails, each shows October's figures or the «Carga en curso» notice, the load exits 0 (it
    waits for the dashboard's reads), and the next run shows the new period."""
    url = f"duckdb:///{tmp_path / 'almacen.duckdb'}"
    cargar_en_proceso(url, {"suscriptores_2026-10.csv": SUSCRIPTORES,
                            "facturas_2026-10.csv": FACTURAS, "pagos_2026-10.csv": PAGOS},
                      tmp_path / "exportes")
    monkeypatch.setenv("CAUCE_CONFIG", str(config_propia(tmp_path / "config")))
    monkeypatch.setenv("CAUCE_ALMACEN", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    septiembre = carpeta_con(tmp_path / "septiembre", mediana, [SEPTIEMBRE])
    try:
        tablero = sesion(timeout=120)
        tablero.run()
        assert [m.value for m in tablero.metric if m.label == "Eficiencia del recaudo"] == ["25,0 %"]

        carga = subprocess.Popen(orden_cargar(septiembre, url) + ["--forzar"], cwd=tmp_path,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        vistas = []
        while carga.poll() is None:
            tablero.run()
            assert not tablero.exception
            eficiencia = [m.value for m in tablero.metric if m.label == "Eficiencia del recaudo"]
            en_curso = "Carga en curso" in texto(tablero)
            assert eficiencia == ["25,0 %"] or en_curso, texto(tablero)
            vistas.append("en curso" if en_curso else "últimos datos")
            time.sleep(0.2)
        _, errores = carga.communicate()
        assert carga.returncode == 0, errores
        assert vistas, "the load ended before the dashboard was redrawn"

        tablero.run()
        assert not tablero.exception
        assert "Carga en curso" not in texto(tablero)
        assert tablero.selectbox(key="periodo").options == ["Octubre de 2026", "Septiembre de 2026"]
        print(f"dashboard runs during the load: {vistas}")
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
