"""The archive of loaded files (``[almacen] archivo``, by default ``datos/archivo/``).

Every file a load accepts is copied here once per content, before its load commits, as
``FUENTE_MOMENTO_SHA256.ext``: its source (a load reads the sources in order), the moment it
was loaded (the order of a source's files) and its hash. So the folder alone rebuilds the
warehouse with ``cauce cargar datos/archivo --forzar`` (README, «Si algo sale mal»).

A copy is written as a hidden ``.NAME.PID@HOST.parcial`` and renamed when whole. A load killed
mid-copy leaves its partial behind; the next archive on that host removes the partials whose
process is gone, and never those of a load still running.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import socket
from datetime import datetime
from pathlib import Path

from cauce.settings import Settings
from etl import contract as c


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def archive(path: Path, sha: str, source: c.Source, settings: Settings) -> Path:
    """The archived copy of a loaded file: the one already kept for its content, or a new
    one, written whole or not at all."""
    folder, suffix = settings.archivo_dir, path.suffix.lower()
    kept = next(folder.glob(f"*_{sha}{suffix}"), None) if folder.is_dir() else None
    if kept is not None:
        return kept
    target = folder / f"{source.name}_{datetime.now():%Y%m%dT%H%M%S%f}_{sha}{suffix}"
    folder.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(folder)
    partial = folder / f".{target.name}.{os.getpid()}@{socket.gethostname()}.parcial"
    try:
        shutil.copyfile(path, partial)
        os.replace(partial, target)
    except BaseException:       # a half copy would keep holding the space of a full disk
        partial.unlink(missing_ok=True)
        raise
    return target


def _remove_abandoned(folder: Path) -> None:
    """Remove the partial copies of this host's loads that were killed mid-copy. Only a
    clean-up: one that cannot be removed (another user's) stays, and the load goes on."""
    for partial in folder.glob(".*.parcial"):
        owner = re.fullmatch(r"\..+\.(\d+)@(.+)\.parcial", partial.name)
        if owner and owner[2] == socket.gethostname() and not _running(int(owner[1])):
            with contextlib.suppress(OSError):
                partial.unlink()


def _running(pid: int) -> bool:
    if os.name != "posix":      # no harmless probe of a process there: keep its partial
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:     # another user's process
        return True
    return True
