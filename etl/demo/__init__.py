"""The synthetic demo utility (``cauce demo``): a complete, coherent set of export files."""
from .generador import ESCALAS, generate
from .tiempo import ultimo_mes_completo

__all__ = ["ESCALAS", "generate", "ultimo_mes_completo"]
