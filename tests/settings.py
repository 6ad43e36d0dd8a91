"""Test settings: the project's settings plus a second database alias, ``replica``.

The alias mirrors ``default`` (Django points it at the test database), so the replica router
can be tested without a second server: it sends public reads to ``replica`` only when a test
sets ``DATABASE_REPLICA_URL``, as production does.
"""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import DATABASES

DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_REPLICA_URL = ""
