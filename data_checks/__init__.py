"""data_checks: the Great Expectations suites and domain rules, run as a gate inside the load.

``reglas`` declares the rules, ``suites`` builds the GX context and suites from
them, ``validar`` judges one chunk. GX's usage analytics are switched off here,
before any submodule imports GX: Cauce sends nothing anywhere.
"""
import os

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
