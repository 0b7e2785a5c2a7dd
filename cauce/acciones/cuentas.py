"""The dashboard's accounts, below both interfaces: `cauce usuarios` writes them, the sign-in page
checks them. Who may sign in and with which role.

One small TOML file (``[acceso] usuarios`` in ``config.toml``), written only by
``cauce usuarios`` and readable only by its owner, keeps each account's role and, for
local sign-in, the argon2 hash of its password, never the password. With OIDC sign-in
(``st.login``) the account is the e-mail the provider vouches for, with no password here.

Repeated failed attempts on an account are slowed down: after :data:`INTENTOS_LIBRES`
failures in a row, each new attempt waits twice as long as the last one (up to
:data:`ESPERA_MAXIMA_S`), whatever the password, until one succeeds.

A local sign-in survives reloads through a session token (:func:`emitir`) the browser keeps
in a cookie: signed with a secret kept beside the accounts file (readable by its owner only),
it names the account and says until when it holds, never the password. Every use reads the
account again (:func:`sesion`); *Cerrar sesión* closes the token for good (:func:`cerrar`).
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomli_w
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadData, URLSafeSerializer

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
    _escribir_privado(archivo, "# Cuentas del tablero de Cauce: rol y huella argon2 de la "
                      "contraseña.\n# Lo escribe «cauce usuarios»; no lo edite a mano ni lo "
                      "comparta.\n\n" + tomli_w.dumps({"cuentas": dict(sorted(cuentas.items()))}))


def _escribir_privado(archivo: Path, texto: str) -> None:
    """Write a file readable by its owner only, replacing the old one at once."""
    archivo.parent.mkdir(parents=True, exist_ok=True)
    temporal = archivo.with_name(f".{archivo.name}.{os.getpid()}.{threading.get_ident()}")
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


# --- Sessions that survive a reload --------------------------------------------------------------

_cierre = threading.Lock()         # one writer of the closed sessions at a time


def emitir(archivo: Path, u: Usuario, horas: float, reloj=time.time) -> str:
    """A signed token for the browser's cookie: the account, a random id, until when it holds
    (``horas`` from now) and a fingerprint of the account's password hash, so a new password
    ends the account's open sessions. Never the password."""
    datos = {"cuenta": u.nombre, "id": secrets.token_urlsafe(12),
             "hasta": int(reloj() + horas * 3600), "clave": _huella(leer(archivo).get(u.nombre))}
    return _firmante(archivo).dumps(datos)


def sesion(archivo: Path, token: str, reloj=time.time) -> Usuario | None:
    """The account a session token names, as the file says now (a removed account or a changed
    role takes effect at once); None when the token is forged, expired, closed, or its account
    is gone or has a new password."""
    datos = _abrir(archivo, token)
    if datos is None or datos["hasta"] <= reloj() or datos["id"] in _cerradas(archivo):
        return None
    cuenta = leer(archivo).get(datos["cuenta"])
    if cuenta is None or _huella(cuenta) != datos["clave"]:
        return None
    return Usuario(datos["cuenta"], cuenta["rol"])


def segundos(archivo: Path, token: str, reloj=time.time) -> int:
    """How long the token still holds (0 when it does not): the cookie's lifetime."""
    datos = _abrir(archivo, token)
    return 0 if datos is None else max(0, int(datos["hasta"] - reloj()))


def cerrar(archivo: Path, token: str, reloj=time.time) -> None:
    """*Cerrar sesión*: the token is refused from now on, wherever a copy of it is kept. Its id
    is kept among the closed sessions until it would have expired anyway."""
    datos = _abrir(archivo, token)
    if datos is None:
        return
    ruta = _ruta_cerradas(archivo)
    with _cierre:
        ahora = reloj()
        vigentes = {i: h for i, h in _cerradas(archivo).items() if h > ahora}
        vigentes[datos["id"]] = datos["hasta"]
        _escribir_privado(ruta, "# Sesiones del tablero cerradas antes de vencer (las escribe "
                                "Cauce).\n\n" + tomli_w.dumps({"cerradas": vigentes}))


def _huella(cuenta: dict | None) -> str:
    """A short fingerprint of the account's stored password hash ("" without one)."""
    clave = (cuenta or {}).get("clave", "")
    return hashlib.sha256(clave.encode()).hexdigest()[:16] if clave else ""


def _abrir(archivo: Path, token: str) -> dict | None:
    """The token's content when its signature is this installation's; else None."""
    try:
        datos = _firmante(archivo).loads(token or "")
    except BadData:
        return None
    if not isinstance(datos, dict) or not {"cuenta", "id", "hasta", "clave"} <= set(datos):
        return None
    return datos


def _firmante(archivo: Path) -> URLSafeSerializer:
    return URLSafeSerializer(_secreto(archivo), salt="cauce.sesion")


def _secreto(archivo: Path) -> str:
    """The key that signs the session tokens, beside the accounts file and readable by its owner
    only; made on first use. Deleting it ends every open session."""
    ruta = archivo.with_name("sesiones.clave")
    try:
        return ruta.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    ruta.parent.mkdir(parents=True, exist_ok=True)
    clave = secrets.token_hex(32)
    try:
        descriptor = os.open(ruta, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:                  # another session made it first: theirs holds
        return ruta.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as f:
        f.write(clave + "\n")
    return clave


def _ruta_cerradas(archivo: Path) -> Path:
    return archivo.with_name("sesiones_cerradas.toml")


def _cerradas(archivo: Path) -> dict[str, int]:
    """The closed sessions' ids, with until when each would have held."""
    try:
        return dict(tomllib.loads(_ruta_cerradas(archivo).read_text(encoding="utf-8"))
                    .get("cerradas", {}))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise CauceError(f"No se pudo leer {_ruta_cerradas(archivo)}, la lista de sesiones "
                         f"cerradas del tablero: está dañada. Bórrela junto con "
                         f"{archivo.with_name('sesiones.clave')} (así se cierran todas las "
                         f"sesiones) y vuelva a entrar.") from e


class Boletos:
    """One-time tickets that hand a session token to the browser's cookie without the token
    ever being in the page: the page posts the ticket to the server's ``/_cauce/sesion``
    route, which sets the cookie. Single use, for a minute, in the dashboard's process."""

    VIGENCIA_S = 60

    def __init__(self, reloj=time.monotonic):
        self._reloj, self._lock, self._boletos = reloj, threading.Lock(), {}

    def dar(self, token: str, segundos_: int) -> str:
        boleto = secrets.token_urlsafe(24)
        with self._lock:
            ahora = self._reloj()
            self._boletos = {b: v for b, v in self._boletos.items() if v[2] > ahora}
            self._boletos[boleto] = (token, segundos_, ahora + self.VIGENCIA_S)
        return boleto

    def tomar(self, boleto: str) -> tuple[str, int] | None:
        """The token and its lifetime in seconds, once; None for an unknown or old ticket."""
        with self._lock:
            token, segundos_, hasta = self._boletos.pop(boleto, (None, 0, 0.0))
        return (token, segundos_) if token is not None and hasta > self._reloj() else None


boletos = Boletos()
