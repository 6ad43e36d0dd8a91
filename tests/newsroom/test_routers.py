"""The read-replica router: public page reads go to ``replica`` when DATABASE_REPLICA_URL is
set; editors, the admin, writes and reads inside a transaction stay on the primary.

``tests.settings`` defines ``replica`` as a mirror of ``default``, so both see the same rows;
which alias served a read shows in each object's ``_state.db``.
"""

import pytest
from django.contrib.auth.models import User
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from newsroom.routers import REPLICA_DB_ALIAS, ReplicaRouter
from tests import factories as f

# Transactional tests: a test's own open transaction would (rightly) keep reads on the primary.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

REPLICA_URL = "postgres://reader@replica.example.com:5432/newsroom"


@pytest.fixture
def replica_on(settings):
    settings.DATABASE_REPLICA_URL = REPLICA_URL


def test_public_story_page_reads_from_the_replica_when_configured(client, replica_on):
    w = f.renewal_scenario()

    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections[REPLICA_DB_ALIAS]) as replica:
        response = client.get(w.story.get_absolute_url())

    assert response.status_code == 200
    assert response.context["article"]._state.db == REPLICA_DB_ALIAS
    assert response.context["mentions"]
    # The rows beside the story (bylines, tags, mentions, the panel) are replica reads too.
    assert any("articles_mention" in q["sql"] for q in replica.captured_queries)
    assert not any("articles_mention" in q["sql"] for q in primary.captured_queries)


def test_public_profile_pages_read_from_the_replica(client, replica_on):
    w = f.renewal_scenario()

    show = client.get(w.ballard.get_absolute_url()).context["show"]
    person = client.get(w.maggie.get_absolute_url()).context["person"]

    assert show._state.db == REPLICA_DB_ALIAS
    assert person._state.db == REPLICA_DB_ALIAS


def test_without_replica_url_every_read_is_from_the_primary(client):
    w = f.renewal_scenario()

    response = client.get(w.story.get_absolute_url())

    assert response.context["article"]._state.db == "default"


def test_logged_in_editor_reads_from_the_primary(client, replica_on):
    w = f.renewal_scenario()
    editor = User.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(editor)

    response = client.get(w.story.get_absolute_url())

    assert response.status_code == 200
    assert response.context["article"]._state.db == "default"


def test_reads_outside_a_request_and_inside_transactions_use_the_primary(replica_on):
    f.article("A story")

    assert Article.objects.get()._state.db == "default"
    with transaction.atomic():
        assert Article.objects.get()._state.db == "default"


def test_writes_and_migrations_never_go_to_the_replica(settings, replica_on):
    router = ReplicaRouter()

    assert router.db_for_write(Article) == "default"
    assert router.allow_migrate(REPLICA_DB_ALIAS, "articles") is False
    assert router.allow_migrate("default", "articles") is True


def test_router_is_silent_when_no_replica_is_configured(settings):
    settings.DATABASE_REPLICA_URL = ""

    assert ReplicaRouter().db_for_read(Article) is None
