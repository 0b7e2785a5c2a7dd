"""Signing in to the dashboard, and what each role may see.

Nobody reaches a page signed out. ``[acceso] modo`` chooses how one signs in: ``local``
(an account of ``cauce usuarios`` and its password, checked by :mod:`cauce.acciones.cuentas`)
or ``oidc`` (the organisation's provider through ``st.login``; the e-mail it vouches for
must have an account, which gives the role). Every page run reads the account again, so
removing it or changing its role takes effect at the user's next click.

A local sign-in outlives the tab's session: the browser keeps a signed session token
(:func:`cuentas.emitir`) in a cookie its scripts cannot read (HttpOnly, SameSite=Lax), set
by the server's own route (``dashboards/servidor.py``), so a reload or a link opened in a new
tab is still signed in for ``[acceso] sesion_horas``. *Cerrar sesión* closes the token on the
server, forgets the cookie and hides the menu at once.

Roles (``cuentas.ROLES``): ``administrador`` loads data; ``consulta`` sees aggregates only,
never names, documents, addresses, phones or per-account debts (Ley 1581 de 2012): the
functions of ``datos`` that give such rows refuse it (:class:`SinPermiso`) and the pages
say so instead of drawing them.
"""
from __future__ import annotations

import functools
import json

import streamlit as st
from streamlit import config

from cauce import CauceError
from cauce.settings import Settings
from cauce.acciones import cuentas
from cauce.acciones.cuentas import Usuario

SESION = "_usuario"          # the signed-in account's name (local sign-in)
TOKEN = "_token"             # its session token, the one the browser's cookie keeps
COOKIE = "cauce_sesion"      # the cookie's name
RUTA_SESION = "_cauce/sesion"   # the server's routes (servidor.py) that set and forget it
RUTA_SALIR = "_cauce/salir"
_ACTUAL = "_quien"           # the user of this page run
_BOLETO = "_boleto"          # a ticket the next run hands to the browser (cuentas.Boletos)
_OLVIDAR = "_olvidar"        # signed out: the next run tells the browser to forget the cookie


class SinPermiso(Exception):
    """The user's role may not see personal data."""


def entrar(settings: Settings) -> Usuario | None:
    """The signed-in user; signed out, None after drawing the sign-in (the app then shows no
    menu and stops, keeping the address: once signed in, the link's page and filters open)."""
    u = _usuario(settings)
    st.session_state[_ACTUAL] = u
    if u is not None:
        _dar_cookie()
        return u
    _olvidar_cookie()
    _, centro, _ = st.columns([1, 1.3, 1])
    with centro:
        st.title(":material/water_drop: Cauce")
        st.caption(settings.empresa)
        if settings.acceso == "oidc":
            _entrar_oidc(settings)
        else:
            _entrar_local(settings)
    return None


def _usuario(settings: Settings) -> Usuario | None:
    archivo = settings.usuarios_archivo
    if settings.acceso == "oidc":
        return cuentas.usuario(archivo, st.user.get("email") or "") if st.user.is_logged_in else None
    token = st.session_state.get(TOKEN)
    if token is None and SESION not in st.session_state:
        token = st.context.cookies.get(COOKIE)      # a reload, or a link in a new tab
    if token is not None:
        u = cuentas.sesion(archivo, token)
        if u is not None:
            st.session_state[SESION], st.session_state[TOKEN] = u.nombre, token
            return u
        st.session_state.pop(TOKEN, None)
        st.session_state.pop(SESION, None)
        return None
    nombre = st.session_state.get(SESION)
    u = None if nombre is None else cuentas.usuario(archivo, nombre)
    if u is None:
        st.session_state.pop(SESION, None)
    return u


def _entrar_local(settings: Settings) -> None:
    if not cuentas.leer(settings.usuarios_archivo):
        st.info("Todavía no hay cuentas del tablero. En la terminal, cree la primera:\n\n"
                "`cauce usuarios agregar NOMBRE --rol administrador`", icon=":material/key:")
        return
    with st.form("entrar"):
        nombre = st.text_input("Usuario", max_chars=100, autocomplete="username")
        clave = st.text_input("Contraseña", type="password", max_chars=200,
                              autocomplete="current-password")
        if st.form_submit_button("Entrar", type="primary"):
            try:
                u = cuentas.entrar(settings.usuarios_archivo, nombre, clave)
            except CauceError as e:
                st.error(e.mensaje)
            else:
                _abrir_sesion(settings, u)
                st.rerun()


def _entrar_oidc(settings: Settings) -> None:
    if st.user.is_logged_in:        # the provider knows them; Cauce does not
        correo = st.user.get("email") or "(sin correo)"
        st.error(f"La cuenta {correo} no tiene acceso a Cauce. Pida a un administrador que la "
                 f"agregue: `cauce usuarios agregar {correo} --rol consulta`.")
        st.button("Cerrar sesión", on_click=st.logout)
        return
    proveedor = () if settings.proveedor_oidc is None else (settings.proveedor_oidc,)
    st.button("Entrar con la cuenta de la empresa", type="primary", icon=":material/login:",
              on_click=st.login, args=proveedor)


def _abrir_sesion(settings: Settings, u: Usuario) -> None:
    """Signed in: the session's account and its token, which the next run hands to the
    browser's cookie through a one-time ticket (the token itself never reaches the page)."""
    archivo = settings.usuarios_archivo
    token = cuentas.emitir(archivo, u, settings.sesion_horas)
    st.session_state[SESION], st.session_state[TOKEN] = u.nombre, token
    st.session_state[_BOLETO] = cuentas.boletos.dar(token, cuentas.segundos(archivo, token))


def _dar_cookie() -> None:
    boleto = st.session_state.pop(_BOLETO, None)
    if boleto is not None:
        _al_servidor(RUTA_SESION, boleto)


def _olvidar_cookie() -> None:
    if st.session_state.pop(_OLVIDAR, False):
        _al_servidor(RUTA_SALIR, "")


def _al_servidor(ruta: str, cuerpo: str) -> None:
    """Post to one of the server's session routes from the page (the cookie is HttpOnly: only a
    response of the server sets or deletes it). Without those routes (the app run by plain
    ``streamlit run``) the post fails quietly and the sign-in lasts as long as the tab."""
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    url = "/" + "/".join(p for p in (base, ruta) if p)
    st.html("<script>{const hueco = document.currentScript?.closest("
            "'[data-testid=\"stElementContainer\"]'); if (hueco) hueco.style.display = 'none';"
            f"fetch({json.dumps(url)}, {{method: 'POST', body: {json.dumps(cuerpo)}, "
            "credentials: 'same-origin'}).catch(() => {});}</script>",
            unsafe_allow_javascript=True)     # its container hidden: the page does not move


def barra(u: Usuario, settings: Settings) -> None:
    """Who is signed in, in the sidebar, and the way out."""
    st.sidebar.caption(f":material/person: {u.nombre} · {u.rol}")
    st.sidebar.button("Cerrar sesión", icon=":material/logout:", key="salir", type="tertiary",
                      on_click=st.logout if settings.acceso == "oidc" else _salir,
                      args=() if settings.acceso == "oidc" else (settings,))


def _salir(settings: Settings) -> None:
    """*Cerrar sesión*: the token is closed on the server (a copy of the cookie no longer
    opens anything), the session forgotten, and the browser told to drop the cookie."""
    token = st.session_state.get(TOKEN)
    if token is not None:
        cuentas.cerrar(settings.usuarios_archivo, token)
    st.session_state.clear()
    st.session_state[_OLVIDAR] = True


def actual() -> Usuario | None:
    return st.session_state.get(_ACTUAL)


def ve_personales() -> bool:
    """Whether the user of this page may see personal data."""
    u = actual()
    return u is not None and u.ve_personales


def personal(funcion):
    """For the functions of ``datos`` whose rows carry personal data: refused to a role that
    may not see it (the check runs before the cache is looked at)."""
    @functools.wraps(funcion)
    def con_control(*args, **kwargs):
        if not ve_personales():
            raise SinPermiso()
        return funcion(*args, **kwargs)
    return con_control


def aviso() -> None:
    """What a page draws where a ``consulta`` user would see personal data."""
    st.caption(":material/lock: Su rol (consulta) ve solo cifras agregadas: las filas con cuentas, "
               "nombres, documentos, direcciones, teléfonos o deudas son para los roles analista y "
               "administrador.")
