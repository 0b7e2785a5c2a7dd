"""What every part of the generator shares: settings, the random stream, the dates, the output."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cauce.settings import Settings
from etl.contract import SOURCES

from .salida import Archivo, Defectos
from .tiempo import Calendario, Habiles, dia, fin_de_mes


@dataclass
class Contexto:
    settings: Settings
    rng: np.random.Generator
    salida: Path
    meses: list[tuple[int, int]]
    cal: list[Calendario]
    habiles: Habiles
    defectos: Defectos
    escala: int
    ordenes: object = None
    siguiente_factura: int = 100_000_001
    siguiente_pago: int = 1
    filas: dict[str, int] = field(default_factory=lambda: {name: 0 for name in SOURCES})
    archivos: int = 0

    @property
    def T(self) -> int:
        return len(self.meses)

    def periodo(self, t: int) -> str:
        return f"{self.meses[t][0]:04d}-{self.meses[t][1]:02d}"

    def ms(self, t: int) -> int:
        """First day of month t."""
        return dia(*self.meses[t])

    def me(self, t: int) -> int:
        """Last day of month t."""
        return fin_de_mes(*self.meses[t])

    def archivo(self, fuente: str, etiqueta: int | str) -> str:
        return f"{fuente}_{self.periodo(etiqueta) if isinstance(etiqueta, int) else etiqueta}.csv"

    @contextmanager
    def abrir(self, fuente: str, etiqueta: int | str):
        with Archivo(self.salida / self.archivo(fuente, etiqueta), fuente) as out:
            yield out
        self.filas[fuente] += out.filas
        self.archivos += 1

    def escribir(self, fuente: str, etiqueta: int | str, n: int, columnas: dict) -> None:
        with self.abrir(fuente, etiqueta) as out:
            out.agregar(n, columnas)
