"""The dashboard's web server (what ``cauce tablero`` runs): Streamlit's own (``st.App``) and
two small routes that keep a local sign-in across reloads in a cookie the page's scripts
cannot read.

Streamlit lets a script read the request's cookies (``st.context.cookies``) but not set one,
and an HttpOnly cookie can only come from a server's response; so:

- ``POST /_cauce/sesion`` takes the one-time ticket a sign-in gave the page
  (``cuentas.boletos``) and answers with the cookie holding the signed session token
  (HttpOnly, SameSite=Lax, for the token's own lifetime; Secure over HTTPS);
- ``POST /_cauce/salir`` answers with the cookie deleted (*Cerrar sesión* has already closed
  the token on the server, so a copy kept elsewhere opens nothing either).

Both refuse a post from another site's page.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from streamlit import config

from cauce.acciones import cuentas
from dashboards.acceso import COOKIE, RUTA_SALIR, RUTA_SESION

_BASE = "/" + (config.get_option("server.baseUrlPath") or "").strip("/")


def _ruta(nombre: str) -> str:
    return _BASE.rstrip("/") + "/" + nombre


def _cookie(request: Request) -> dict:
    return dict(key=COOKIE, path=_BASE, httponly=True, samesite="lax",
                secure=request.url.scheme == "https")


def _de_otro_sitio(request: Request) -> bool:
    """A post another site's page made (the browser names its origin): refused."""
    origen = request.headers.get("origin")
    return origen is not None and urlsplit(origen).netloc != request.url.netloc


async def _sesion(request: Request) -> Response:
    if _de_otro_sitio(request):
        return Response(status_code=403)
    boleto = (await request.body()).decode("ascii", errors="replace")
    dado = cuentas.boletos.tomar(boleto)
    if dado is None:
        return Response(status_code=403)
    token, segundos = dado
    respuesta = Response(status_code=204)
    respuesta.set_cookie(value=token, max_age=segundos, **_cookie(request))
    return respuesta


async def _salir(request: Request) -> Response:
    if _de_otro_sitio(request):
        return Response(status_code=403)
    respuesta = Response(status_code=204)
    respuesta.delete_cookie(**_cookie(request))
    return respuesta


app = st.App("app.py", routes=[Route(_ruta(RUTA_SESION), _sesion, methods=["POST"]),
                               Route(_ruta(RUTA_SALIR), _salir, methods=["POST"])])
