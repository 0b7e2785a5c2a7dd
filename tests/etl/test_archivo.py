"""The archive of loaded files: each content kept once, whole, and what a load killed mid-copy
leaves behind is cleared by the next load on the same host, never a running load's copy."""
from __future__ import annotations

import dataclasses
import hashlib
import socket
import subprocess
import sys

import pytest

from cauce.settings import SHIPPED_CONFIG, load_settings
from etl.archivo import archive, file_sha256
from etl.contract import SOURCES
from tests.conftest import write

PAGOS = "id,codigo,numero_factura,fecha_pago,valor,canal\nP1,S01,F1,2026-10-15,10000,banco\n"


@pytest.fixture
def entorno(tmp_path):
    settings = dataclasses.replace(load_settings(SHIPPED_CONFIG), archivo_dir=tmp_path / "archivo")
    export = write(tmp_path / "pagos_2026-10.csv", PAGOS)
    return settings, export, hashlib.sha256(PAGOS.encode()).hexdigest()


def test_a_file_is_kept_whole_once_per_content(entorno):
    settings, export, sha = entorno
    assert file_sha256(export) == sha
    primera = archive(export, sha, SOURCES["pagos"], settings)
    assert primera.name.startswith("pagos_") and primera.name.endswith(f"_{sha}.csv")
    assert primera.read_text() == PAGOS
    assert archive(export, sha, SOURCES["pagos"], settings) == primera
    assert list(settings.archivo_dir.iterdir()) == [primera]


def test_the_partial_copy_of_a_killed_load_is_removed_and_a_running_loads_is_kept(entorno):
    settings, export, sha = entorno
    ninguno = 999_999_999                   # above Linux's largest pid: no such process
    vivo = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        carpeta, host = settings.archivo_dir, socket.gethostname()
        carpeta.mkdir()
        nombre = "lecturas_20261007T101010000000_" + "0" * 64 + ".csv"
        muerta = write(carpeta / f".{nombre}.{ninguno}@{host}.parcial", "co")
        en_curso = write(carpeta / f".{nombre}.{vivo.pid}@{host}.parcial", "codigo,per")
        otro_host = write(carpeta / f".{nombre}.{ninguno}@otro-{host}.parcial", "codigo")

        guardado = archive(export, sha, SOURCES["pagos"], settings)

        assert not muerta.exists()
        assert en_curso.exists() and otro_host.exists()
        assert sorted(carpeta.iterdir()) == sorted([guardado, en_curso, otro_host])
    finally:
        vivo.kill()
        vivo.wait()


def test_a_partial_copy_that_cannot_be_removed_does_not_stop_the_archive(entorno):
    settings, export, sha = entorno
    carpeta = settings.archivo_dir
    # a name of an abandoned copy that unlink refuses (a folder; as root, permissions never do)
    terca = carpeta / f".lecturas_x.csv.999999999@{socket.gethostname()}.parcial"
    terca.mkdir(parents=True)
    guardado = archive(export, sha, SOURCES["pagos"], settings)
    assert guardado.read_text() == PAGOS
    assert terca.is_dir()
