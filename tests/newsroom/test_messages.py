"""Messages are made only when used: readers' pages never build the message storage, and
the admin's messages still reach the next page an editor sees."""

import pytest
from django.utils.functional import empty

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_public_page_never_builds_the_message_storage(client):
    story = f.article("A public story")
    for url in ("/", story.get_absolute_url(), "/no-such-page/"):
        response = client.get(url)
        assert response.wsgi_request._messages._wrapped is empty, url
        assert "messages" not in response.cookies, url


def test_the_admin_message_reaches_the_next_page(admin_client):
    response = admin_client.post("/admin/articles/author/add/", {"name": "A New Writer", "slug": "a-new-writer"}, follow=True)
    assert response.status_code == 200
    texts = [str(m) for m in response.context["messages"]]
    assert any("A New Writer" in text and "added successfully" in text for text in texts), texts
    # Read once: the page after it has none.
    again = admin_client.get("/admin/articles/author/")
    assert [str(m) for m in again.context["messages"]] == []
