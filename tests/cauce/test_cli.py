"""The `cauce` command as a user runs it: Spanish output and the exit codes of cli.md."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import write


def cauce(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cauce", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_help_is_in_spanish(tmp_path):
    out = cauce("--help", cwd=tmp_path)
    assert out.returncode == 0
    assert "uso: cauce" in out.stdout and "comandos" in out.stdout
    out = cauce("cargar", "--help", cwd=tmp_path)
    assert "carpeta con los archivos .csv o .xlsx" in out.stdout


def test_load_exit_codes_and_summary(tmp_path):
    url = f"duckdb:///{tmp_path / 'a.duckdb'}"
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir(), bad.mkdir()
    write(good / "pagos.csv", "id,fecha_pago,valor\nP1,2026-10-01,5000\nP2,2026-10-01,mil\n")
    out = cauce("cargar", str(good), "--almacen", url, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "pagos.csv" in out.stdout and "Cargadas" in out.stdout and "cuarentena" in out.stdout

    write(bad / "pagos_2026-11.csv", "id;valor\nP3;1\n")
    out = cauce("cargar", str(bad), "--almacen", url, cwd=tmp_path)
    assert out.returncode == 1
    assert "rechazado" in out.stdout and "fecha_pago" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr

    out = cauce("cargar", str(tmp_path / "no-existe"), "--almacen", url, cwd=tmp_path)
    assert out.returncode == 2
    assert "no existe" in out.stderr and "Traceback" not in out.stderr


def test_unknown_option_exits_2(tmp_path):
    out = cauce("cargar", "x", "--rapido", cwd=tmp_path)
    assert out.returncode == 2 and "argumentos no reconocidos" in out.stderr


def test_an_unreachable_postgresql_is_a_clear_error(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "pagos.csv", "id,fecha_pago,valor\nP1,2026-10-01,5000\n")
    out = cauce("cargar", str(folder), "--almacen",
                "postgresql+psycopg://nadie@127.0.0.1:1/cauce?connect_timeout=2", cwd=tmp_path)
    assert out.returncode == 2
    assert "No se pudo abrir el almacén" in out.stderr and "Traceback" not in out.stderr


def test_a_duckdb_file_held_by_another_process_is_a_clear_error(tmp_path):
    import duckdb
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "pagos.csv", "id,fecha_pago,valor\nP1,2026-10-01,5000\n")
    holder = duckdb.connect(str(tmp_path / "a.duckdb"))     # e.g. another load running
    try:
        out = cauce("cargar", str(folder), "--almacen", f"duckdb:///{tmp_path / 'a.duckdb'}",
                    cwd=tmp_path)
    finally:
        holder.close()
    assert out.returncode == 2
    assert "ocupado por otro proceso" in out.stderr and "Traceback" not in out.stderr
