"""Cauce: analítica comercial para empresas de acueducto, alcantarillado y aseo."""

__version__ = "0.1.0"


class CauceError(Exception):
    """An error a user can act on: a Spanish message and the exit code of ``cli.md``."""

    def __init__(self, mensaje: str, codigo: int = 2):
        super().__init__(mensaje)
        self.mensaje = mensaje
        self.codigo = codigo
