"""The dashboard's accounts: who may sign in and with which role.

One small TOML file (``[acceso] usuarios`` in ``config.toml``), written only by
``cauce usuarios`` and readable only by its owner, keeps each account's role and, for
local sign-in, the argon2 hash of its password, never the password. With OIDC sign-in
(``st.login``) the account is the e-mail the provider vouches for, with no password here.

Repeated failed attempts on an account are slowed down: after :data:`INTENTOS_LIBRES`
failures in a row, each new attempt waits twice as long as the last one (up to
:data:`ESPERA_MAXIMA_S`), whatever the password, until one succeeds.
"""
from __future__ import annotations

import os
import re
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomli_w
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cauce import CauceError

ROLES = {
    "administrador": "carga datos y ve todo",
    "analista": "ve todo y trabaja las listas",
    "consulta": "solo cifras agregadas: sin nombres, documentos, direcciones, teléfonos ni deudas por cuenta",
}
CLAVE_MINIMA = 10                  # characters of a local password
INTENTOS_LIBRES = 3                # failures in a row before attempts are slowed down
ESPERA_MAXIMA_S = 300
_NOMBRE = re.compile(r"^[a-z0-9][a-z0-9._@+-]{1,99}$")

_hasher = PasswordHasher()
_SIN_CUENTA = _hasher.hash("una clave que nadie tiene")   # verified when the name is unknown


@dataclass(frozen=True)
class Usuario:
    nombre: str
    rol: str

    @property
    def ve_personales(self) -> bool:
        """Whether this user may see names, documents, addresses, phones and per-account
        debts (Ley 1581 de 2012): not the ``consulta`` role."""
        return self.rol in ("administrador", "analista")

    @property
    def carga(self) -> bool:
        return self.rol == "administrador"


def normalizar(nombre: str) -> str:
    """An account name as stored: trimmed, lower case, checked."""
    n = (nombre or "").strip().lower()
    if not _NOMBRE.match(n):
        raise CauceError(f"El nombre de cuenta {nombre!r} no sirve: use de 2 a 100 letras sin tilde, "
                         f"números, punto, guion, guion bajo o @ (un correo también sirve), sin "
                         f"espacios.")
    return n


def leer(archivo: Path) -> dict[str, dict]:
    """The accounts of the file (name -> {"rol", "clave"?}); none when it does not exist."""
    try:
        datos = tomllib.loads(archivo.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise CauceError(f"No se pudo leer el archivo de cuentas {archivo}: está dañado o no se "
                         f"puede abrir. Bórrelo y vuelva a crear las cuentas con «cauce usuarios "
                         f"agregar»; mientras tanto nadie entra al tablero.") from e
    cuentas = datos.get("cuentas", {})
    return {n: c for n, c in cuentas.items() if isinstance(c, dict) and c.get("rol") in ROLES}


def guardar(archivo: Path, cuentas: dict[str, dict]) -> None:
    """Write the file whole, readable by its owner only, replacing the old one at once."""
    archivo.parent.mkdir(parents=True, exist_ok=True)
    temporal = archivo.with_name(f".{archivo.name}.{os.getpid()}")
    texto = ("# Cuentas del tablero de Cauce: rol y huella argon2 de la contraseña.\n"
             "# Lo escribe «cauce usuarios»; no lo edite a mano ni lo comparta.\n\n"
             + tomli_w.dumps({"cuentas": dict(sorted(cuentas.items()))}))
    descriptor = os.open(temporal, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as f:
        f.write(texto)
    os.replace(temporal, archivo)


def agregar(archivo: Path, nombre: str, rol: str, clave: str | None) -> bool:
    """Add an account or change its role and password; True when it is new. ``clave`` None:
    an OIDC account (the provider checks who it is)."""
    if rol not in ROLES:
        raise CauceError(f"El rol {rol!r} no existe. Roles: {', '.join(ROLES)}.")
    nombre = normalizar(nombre)
    cuenta = {"rol": rol}
    if clave is not None:
        if len(clave) < CLAVE_MINIMA:
            raise CauceError(f"La contraseña es muy corta: use al menos {CLAVE_MINIMA} caracteres.")
        cuenta["clave"] = _hasher.hash(clave)
    cuentas = leer(archivo)
    nueva = nombre not in cuentas
    cuentas[nombre] = cuenta
    guardar(archivo, cuentas)
    return nueva


def quitar(archivo: Path, nombre: str) -> None:
    cuentas = leer(archivo)
    n = normalizar(nombre)
    if n not in cuentas:
        raise CauceError(f"No hay una cuenta {n!r} en {archivo}. «cauce usuarios listar» muestra "
                         f"las que hay.")
    del cuentas[n]
    guardar(archivo, cuentas)


def usuario(archivo: Path, nombre: str) -> Usuario | None:
    """The account as the file says now (a removed account or a changed role takes effect at
    the session's next page)."""
    try:
        n = normalizar(nombre)
    except CauceError:
        return None
    cuenta = leer(archivo).get(n)
    return None if cuenta is None else Usuario(n, cuenta["rol"])


class Intentos:
    """Failed sign-ins per account, shared by every session of the dashboard's process."""

    def __init__(self, reloj=time.monotonic):
        self._reloj, self._lock, self._fallos = reloj, threading.Lock(), {}

    def espera(self, nombre: str) -> float:
        """Seconds before the account may try again (0: now)."""
        with self._lock:
            n, ultimo = self._fallos.get(nombre, (0, 0.0))
        if n < INTENTOS_LIBRES:
            return 0.0
        return max(0.0, ultimo + min(ESPERA_MAXIMA_S, 2.0 ** (n - INTENTOS_LIBRES)) - self._reloj())

    def fallo(self, nombre: str) -> None:
        with self._lock:
            n, _ = self._fallos.get(nombre, (0, 0.0))
            self._fallos[nombre] = (n + 1, self._reloj())

    def exito(self, nombre: str) -> None:
        with self._lock:
            self._fallos.pop(nombre, None)


intentos = Intentos()


def entrar(archivo: Path, nombre: str, clave: str, registro: Intentos = intentos) -> Usuario:
    """The account, when the password is its own; else a Spanish message (the same for an
    unknown name and a wrong password, so the form tells no one which accounts exist)."""
    n = (nombre or "").strip().lower()
    espera = registro.espera(n)
    if espera > 0:
        raise CauceError(f"Demasiados intentos fallidos con esta cuenta. Espere {int(espera) + 1} s "
                         f"y vuelva a intentarlo.")
    cuenta = leer(archivo).get(n) if _NOMBRE.match(n) else None
    guardada = (cuenta or {}).get("clave")
    try:
        _hasher.verify(guardada or _SIN_CUENTA, clave or "")
        if guardada is None:
            raise VerificationError()
    except (VerificationError, InvalidHashError):
        registro.fallo(n)
        raise CauceError("Usuario o contraseña incorrectos.") from None
    registro.exito(n)
    return Usuario(n, cuenta["rol"])
