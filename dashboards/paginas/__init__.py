"""The dashboard's pages: scripts Streamlit runs by path (``app.py`` lists them). A package so
the import contracts (``.importlinter``) read them like every other module."""
