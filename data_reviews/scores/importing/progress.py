"""How far a running check or import has got, kept outside the database.

An import writes all its rows in one transaction, so a progress UPDATE made inside it is seen
by nobody until the import is over (and on SQLite a second connection cannot write while it
runs). Each stage is therefore also written here, where the import page's progress poll reads
it at once: in Redis when the broker is Redis (every web and worker machine shares it), else in
a small file under MTSS_VAR_DIR (the embedded set-up runs on one machine). Progress is a hint:
a store that cannot be reached is logged and the page shows the last stage the database holds.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

# A stage older than this belongs to a worker that died; the database's own stage is shown then.
KEEP_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Stage:
    progress: int
    stage: str
    status: str
    attempts: int


def _database() -> str:
    """Batch ids are per database: keys carry the database's name so two never share one."""
    return hashlib.sha256(str(connection.settings_dict["NAME"]).encode()).hexdigest()[:16]


def _redis() -> Any | None:
    url = str(getattr(settings, "CELERY_BROKER_URL", ""))
    if not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=1.5)


def _key(batch_id: int) -> str:
    return f"mtss:import-progress:{_database()}:{batch_id}"


def _file(batch_id: int) -> Path:
    return Path(settings.VAR_DIR) / "import-progress" / f"{_database()}-{batch_id}.json"


def stage_write(*, batch_id: int, progress: int, stage: str, status: str, attempts: int) -> None:
    """Record the stage a batch has reached (at once, whatever transaction is open)."""
    value = json.dumps({"progress": progress, "stage": stage, "status": status, "attempts": attempts})
    try:
        client = _redis()
        if client is not None:
            client.set(_key(batch_id), value, ex=KEEP_SECONDS)
            return
        path = _file(batch_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole and renamed, so a reader never sees half of it.
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as out:
            out.write(value)
        os.replace(out.name, path)
    except Exception:
        logger.warning("Could not record the progress of import batch %s", batch_id, exc_info=True)


def stage_read(batch_id: int) -> Stage | None:
    try:
        client = _redis()
        if client is not None:
            raw = client.get(_key(batch_id))
        else:
            path = _file(batch_id)
            raw = path.read_text() if path.exists() else None
        if not raw:
            return None
        data = json.loads(raw)
        return Stage(
            int(data["progress"]), str(data["stage"])[:120], str(data["status"]), int(data["attempts"])
        )
    except Exception:
        logger.warning("Could not read the progress of import batch %s", batch_id, exc_info=True)
        return None


def stage_clear(batch_id: int) -> None:
    try:
        client = _redis()
        if client is not None:
            client.delete(_key(batch_id))
        else:
            _file(batch_id).unlink(missing_ok=True)
    except Exception:
        logger.warning("Could not clear the progress of import batch %s", batch_id, exc_info=True)


# A start of a check or import clears the stages of the one before it; the last stage of a run
# stays until then, so a page that read the batch just before the run committed shows that stage.


def with_live_stage(batch: Any) -> Any:
    """The batch with the stage its running check or import has reached, if that is further on
    than what the database shows; a stage left by an earlier run (another status or start) is ignored."""
    if not batch.is_running:
        return batch
    live = stage_read(batch.pk)
    same_run = live is not None and (live.status, live.attempts) == (batch.status, batch.attempts)
    if live is not None and same_run and live.progress > batch.progress:
        batch.progress, batch.stage = live.progress, live.stage
    return batch
