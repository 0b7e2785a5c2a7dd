"""Cauce: analítica comercial para empresas de acueducto, alcantarillado y aseo."""

__version__ = "0.1.0"


class CauceError(Exception):
    """An error a user can act on: a Spanish message in plain words and the exit code of
    ``cli.md``; ``detalle``, when there is one, is the technical line for the administrator
    (the configuration's section to change), which the dashboard shows apart, smaller."""

    def __init__(self, mensaje: str, codigo: int = 2, detalle: str | None = None):
        super().__init__(mensaje)
        self.mensaje = mensaje
        self.codigo = codigo
        self.detalle = detalle


class SinCargas(CauceError):
    """Something was asked of a warehouse that has not loaded it yet. The message says what
    is missing; each interface adds how to load (a command in the terminal, a page on the
    dashboard), so the layers below never word an interface's remedy."""
