"""The use cases: what a person asks Cauce for, once, for every interface.

``architecture.md``'s layer between the computing layers (``indicators``, ``etl``,
``data_checks``) and the two interfaces (``cauce.cli`` with ``cauce.terminal``, and
``dashboards``). One module per capability:

- ``ajustes``: the settings a command or the dashboard starts with, their names checked;
- ``almacen``: opening the warehouse to read it, and what identifies its data;
- ``carga``: load a folder of exports and keep the indicators;
- ``indicadores``: the indicators of a period (by default the last billed), their trend and
  the records behind them;
- ``listas``: a working list; ``calidad``: the checks report; ``informes``: the workbook and
  the meeting presentation; ``sui``: a SUI report; ``demo``: the demonstration exports;
  ``proyeccion``: next year's projection and the goals it implies;
- ``cuentas``: the dashboard's accounts (``cauce usuarios`` and the sign-in page).

Each returns results and reasons as data (frames, dataclasses, ``etl.load.Remedio``), never
an interface's words: the terminal says «cauce cargar --forzar» where the upload page says
«marque …». A new capability (tariffs, documents, planning) is a module here over the
module of the layer below that computes it, called by both interfaces.
"""
