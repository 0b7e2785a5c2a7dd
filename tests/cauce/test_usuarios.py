"""`cauce usuarios agregar|listar|quitar`: the dashboard's accounts, with only a hash of each
password, in a file its owner alone may read."""
from __future__ import annotations

import stat
import subprocess
import sys
import tomllib
from pathlib import Path

from argon2 import PasswordHasher

CLAVE = "río Guatapurí 2026"


def cauce(*args: str, cwd: Path, entrada: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cauce", "usuarios", *args], cwd=cwd,
                          input=entrada, capture_output=True, text=True, timeout=120)


def archivo(carpeta: Path) -> Path:
    """Where the shipped configuration keeps the accounts: datos/usuarios.toml of the working
    folder (the tests run where there is no config.toml)."""
    return carpeta / "datos" / "usuarios.toml"


def test_an_account_keeps_an_argon2_hash_never_the_password(tmp_path):
    out = cauce("agregar", "Ana.Perez", "--rol", "analista", cwd=tmp_path, entrada=CLAVE + "\n")
    assert out.returncode == 0, out.stderr
    assert "Cuenta ana.perez creada con el rol analista" in out.stdout
    texto = archivo(tmp_path).read_text(encoding="utf-8")
    assert CLAVE not in texto
    cuenta = tomllib.loads(texto)["cuentas"]["ana.perez"]
    assert cuenta["rol"] == "analista"
    assert cuenta["clave"].startswith("$argon2id$")
    assert PasswordHasher().verify(cuenta["clave"], CLAVE)          # checked independently
    assert stat.S_IMODE(archivo(tmp_path).stat().st_mode) == 0o600  # its owner's only


def test_adding_again_changes_the_role_and_password(tmp_path):
    cauce("agregar", "ana", "--rol", "consulta", cwd=tmp_path, entrada=CLAVE + "\n")
    antes = tomllib.loads(archivo(tmp_path).read_text(encoding="utf-8"))["cuentas"]["ana"]
    out = cauce("agregar", "ana", "--rol", "administrador", cwd=tmp_path,
                entrada="otra clave más larga\n")
    assert out.returncode == 0 and "actualizada" in out.stdout
    despues = tomllib.loads(archivo(tmp_path).read_text(encoding="utf-8"))["cuentas"]["ana"]
    assert despues["rol"] == "administrador" and despues["clave"] != antes["clave"]
    assert PasswordHasher().verify(despues["clave"], "otra clave más larga")


def test_list_and_remove(tmp_path):
    cauce("agregar", "ana", "--rol", "analista", cwd=tmp_path, entrada=CLAVE + "\n")
    cauce("agregar", "luis", "--rol", "consulta", cwd=tmp_path, entrada=CLAVE + "\n")
    out = cauce("listar", cwd=tmp_path)
    assert out.returncode == 0
    filas = [linea for linea in out.stdout.splitlines() if "ana" in linea or "luis" in linea]
    assert len(filas) == 2 and "analista" in filas[0] and "consulta" in filas[1]
    assert "$argon2" not in out.stdout
    out = cauce("quitar", "ana", cwd=tmp_path)
    assert out.returncode == 0 and "quitada" in out.stdout
    assert set(tomllib.loads(archivo(tmp_path).read_text(encoding="utf-8"))["cuentas"]) == {"luis"}


def test_bad_requests_exit_2_in_spanish_and_change_nothing(tmp_path):
    cauce("agregar", "ana", "--rol", "analista", cwd=tmp_path, entrada=CLAVE + "\n")
    antes = archivo(tmp_path).read_bytes()
    for args, entrada, mensaje in [
        (("agregar", "luis", "--rol", "consulta"), "corta\n", "al menos 10 caracteres"),
        (("agregar", "luis"), CLAVE + "\n", "Falta el rol"),
        (("agregar", "luis perez", "--rol", "consulta"), CLAVE + "\n", "sin espacios"),
        (("agregar", "--rol", "consulta"), CLAVE + "\n", "Falta el nombre"),
        (("quitar", "pedro"), None, "No hay una cuenta 'pedro'"),
        (("agregar", "luis", "--rol", "jefe"), CLAVE + "\n", "«jefe» no es un valor válido"),
    ]:
        out = cauce(*args, cwd=tmp_path, entrada=entrada)
        assert out.returncode == 2, (args, out.stdout, out.stderr)
        assert mensaje in out.stderr and "Traceback" not in out.stderr, (args, out.stderr)
    assert archivo(tmp_path).read_bytes() == antes


def test_with_oidc_the_account_is_an_email_and_no_password_is_asked(tmp_path):
    config = tmp_path / "config.toml"
    shipped = Path(__file__).resolve().parents[2] / "config.toml"
    config.write_text(shipped.read_text(encoding="utf-8").replace('modo = "local"', 'modo = "oidc"'),
                      encoding="utf-8")
    out = cauce("agregar", "Ana@Empresa.co", "--rol", "consulta", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    cuenta = tomllib.loads(archivo(tmp_path).read_text(encoding="utf-8"))["cuentas"]
    assert cuenta == {"ana@empresa.co": {"rol": "consulta"}}
