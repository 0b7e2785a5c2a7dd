"""The Streamlit dashboard (``architecture.md``: an interface, beside ``cauce.cli``).

``app.py`` is the navigation and sign-in, ``paginas/`` the pages, ``datos.py`` the cached
calls to the use cases (``cauce.acciones``): a page's number comes from a function of
``datos``, which calls a use case, which calls the catalogue.
"""
