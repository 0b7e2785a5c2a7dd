"""Signing in to the dashboard, and what each role may see.

Nobody reaches a page signed out. ``[acceso] modo`` chooses how one signs in: ``local``
(an account of ``cauce usuarios`` and its password, checked by :mod:`dashboards.cuentas`)
or ``oidc`` (the organisation's provider through ``st.login``; the e-mail it vouches for
must have an account, which gives the role). Every page run reads the account again, so
removing it or changing its role takes effect at the user's next click.

Roles (``cuentas.ROLES``): ``administrador`` loads data; ``consulta`` sees aggregates only,
never names, documents, addresses, phones or per-account debts (Ley 1581 de 2012): the
functions of ``datos`` that give such rows refuse it (:class:`SinPermiso`) and the pages
say so instead of drawing them.
"""
from __future__ import annotations

import functools

import streamlit as st

from cauce import CauceError
from cauce.settings import Settings
from dashboards import cuentas
from dashboards.cuentas import Usuario

SESION = "_usuario"          # the signed-in account's name (local sign-in)
_ACTUAL = "_quien"           # the user of this page run


class SinPermiso(Exception):
    """The user's role may not see personal data."""


def entrar(settings: Settings) -> Usuario:
    """The signed-in user; signed out, the sign-in and the run stops."""
    u = _usuario(settings)
    st.session_state[_ACTUAL] = u
    if u is not None:
        return u
    _, centro, _ = st.columns([1, 1.3, 1])
    with centro:
        st.title(":material/water_drop: Cauce")
        st.caption(settings.empresa)
        if settings.acceso == "oidc":
            _entrar_oidc(settings)
        else:
            _entrar_local(settings)
    st.stop()


def _usuario(settings: Settings) -> Usuario | None:
    archivo = settings.usuarios_archivo
    if settings.acceso == "oidc":
        return cuentas.usuario(archivo, st.user.get("email") or "") if st.user.is_logged_in else None
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
                st.session_state[SESION] = u.nombre
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


def barra(u: Usuario, settings: Settings) -> None:
    """Who is signed in, in the sidebar, and the way out."""
    st.sidebar.caption(f":material/person: {u.nombre} · {u.rol}")
    st.sidebar.button("Cerrar sesión", icon=":material/logout:", key="salir", type="tertiary",
                      on_click=st.logout if settings.acceso == "oidc" else _salir)


def _salir() -> None:
    st.session_state.clear()


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
