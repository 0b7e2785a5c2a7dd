"""The commercial indicators over the warehouse (``architecture.md``: the layer above ``etl``).

The catalogue (``catalogo``, one module per area registered in ``catalogo.AREAS``), the
working lists (``listas``, registered in ``listas.LISTAS``), the SUI layouts (``sui``), the
monthly workbook (``informe``) and the meeting's presentation (``presentacion``). A new
capability of this layer (tariffs, documents, a projection) is a module here that the use
cases (``cauce.acciones``) call.
"""

# A trend's length, everywhere it is drawn or kept: the same month of last year is in it.
MESES_DE_TENDENCIA = 13
