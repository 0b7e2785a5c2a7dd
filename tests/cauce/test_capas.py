"""The layers of ``architecture.md`` hold: every contract of ``.importlinter`` is kept (the
same check ``.ci/run`` makes with ``lint-imports``), so ``python -m pytest`` fails too when a
change folds a layer back or closes an import cycle."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent.parent


def test_every_import_contract_is_kept():
    orden = [sys.executable, "-c", "import sys; from importlinter.cli import "
             "lint_imports_command; sys.exit(lint_imports_command())", "--no-cache"]
    salida = subprocess.run(orden, cwd=RAIZ, capture_output=True, text=True, timeout=300)
    assert salida.returncode == 0, salida.stdout + salida.stderr
    assert "0 broken" in salida.stdout
