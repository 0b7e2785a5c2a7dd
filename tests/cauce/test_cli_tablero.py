"""`cauce tablero` starts the dashboard on the configuration and warehouse it was given."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_tablero_serves_the_app_until_stopped(tmp_path):
    puerto = puerto_libre()
    almacen = f"duckdb:///{tmp_path / 'almacen.duckdb'}"
    proceso = subprocess.Popen([sys.executable, "-m", "cauce", "tablero", "--puerto", str(puerto),
                                "--sin-navegador", "--almacen", almacen], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        respuesta = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{puerto}/_stcore/health",
                                            timeout=2) as r:
                    respuesta = r.read().decode()
                    break
            except OSError:
                assert proceso.poll() is None, proceso.communicate()
                time.sleep(0.5)
        assert respuesta == "ok"
        with urllib.request.urlopen(f"http://127.0.0.1:{puerto}/", timeout=5) as r:
            assert r.status == 200
    finally:
        proceso.terminate()
        salida, errores = proceso.communicate(timeout=30)
    assert f"http://localhost:{puerto}" in salida
    assert "Traceback" not in errores
