"""gunicorn.conf.py: what the app server is told, read as gunicorn reads it."""

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_the_loaded_application_is_frozen_out_of_the_collector_before_a_worker_forks():
    conf = runpy.run_path(str(CONF))
    made_before = [[number] for number in range(10)]  # lists: objects the collector tracks

    def collected() -> set[int]:
        return {id(o) for o in gc.get_objects()}

    assert {id(o) for o in made_before} <= collected()
    try:
        conf["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() >= len(made_before)
        assert not {id(o) for o in made_before} & collected()
    finally:
        gc.unfreeze()
    assert conf["preload_app"] is True
