"""When the database cannot be reached the site answers 503 with Retry-After (a temporary
condition a CDN can ride out on its stale copy), not a bare 500."""

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from newsroom.views import server_error


def answer_to(exception: Exception):
    try:
        raise exception
    except Exception:
        return server_error(RequestFactory().get("/"))


def test_unreachable_database_is_a_503_with_retry_after():
    response = answer_to(OperationalError("connection refused"))

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert b"Please try again in a moment" in response.content


@pytest.mark.parametrize("exception", [RuntimeError("a bug"), ValueError("bad data")])
def test_other_errors_stay_500(exception):
    response = answer_to(exception)

    assert response.status_code == 500
    assert not response.has_header("Retry-After")
