"""The test modules' asserts rewritten once per run, before the parallel workers start.

pytest rewrites each test module's ``assert`` statements so a failure shows its values, and
keeps the result in the module's ``__pycache__``; but where Python is told not to write
bytecode (``PYTHONDONTWRITEBYTECODE``), and on a fresh checkout where all workers start at
once, every worker rewrites every module itself: some 10 s of a core each, three times over,
before the first test runs. Here the controlling process rewrites them first, split over the
machine's cores, into the cache pytest itself reads (a pyc checked against the source's hash,
so an edited module is rewritten again), and the workers load them from there.

Only the cache is touched: the workers rewrite whatever is missing or out of date as before,
and with ``--assert=plain``, one process or any error here, nothing is done.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

_config: pytest.Config | None = None


def _modules(root: Path, config_dir: Path, args: list[str]) -> list[Path]:
    """The files a worker rewrites: every conftest file under ``root`` and the test modules
    the run collects (``args``: files, folders, node ids, relative to ``config_dir``)."""
    found = set(root.rglob("conftest.py"))
    for arg in args:
        path = (config_dir / arg.split("::")[0]).resolve()
        if path.is_dir():
            found.update(path.rglob("test_*.py"))
        elif path.name.startswith("test_") and path.suffix == ".py":
            found.add(path)
    return sorted(found)


def _rewrite(paths: list[Path]) -> int:
    """Rewrite ``paths`` into pytest's cache where it has no current copy; how many were."""
    from _pytest.assertion import rewrite

    assert _config is not None
    state = _config.stash[rewrite.assertstate_key]
    done = 0
    for path in paths:
        cache = rewrite.get_cache_dir(path)
        pyc = cache / (path.name[:-3] + rewrite.PYC_TAIL)
        if rewrite._read_pyc(path, pyc) is not None:
            continue
        source_hash, code = rewrite._rewrite_test(path, _config)
        if rewrite.try_makedirs(cache) and rewrite._write_pyc(state, code, source_hash, pyc):
            done += 1
    return done


def pytest_sessionstart(session: pytest.Session) -> None:
    """In the controlling process of a parallel run (before xdist starts its workers, which
    it does last), rewrite the test modules over the machine's cores."""
    global _config
    config = session.config
    if hasattr(config, "workerinput") or not config.pluginmanager.has_plugin("dsession"):
        return
    if config.getoption("assertmode") != "rewrite":
        return
    paths = _modules(Path(__file__).parent, config.invocation_params.dir, list(config.args))
    cores = max(1, min(len(os.sched_getaffinity(0)), 4))
    _config = config
    try:
        shares = [paths[i::cores] for i in range(cores)]
        with multiprocessing.get_context("fork").Pool(cores) as pool:
            pool.map(_rewrite, shares)
    except Exception:  # a cache only: the workers rewrite whatever is missing
        return
    finally:
        _config = None
