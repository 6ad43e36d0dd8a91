"""A story about a show with hundreds of credits loads only the top of its billing."""

import pytest

from catalog.models import PANEL_CREDITS
from tests import factories as f

pytestmark = pytest.mark.django_db

STORY_QUERIES = 5


def story_about_show_with(n_credits: int):
    show = f.show("A big ensemble series")
    for order in range(1, n_credits + 1):
        f.credit(f.person(f"Ensemble Member {order:03d}"), show, character=f"Role {order}", order=order)
    return f.article("The ensemble series is renewed", main_show=show)


@pytest.mark.parametrize("n_credits", [3, PANEL_CREDITS + 25])
def test_story_panel_is_bounded_with_a_link_to_the_full_credits(
    client, django_assert_num_queries, n_credits
):
    story = story_about_show_with(n_credits)

    with django_assert_num_queries(STORY_QUERIES):
        response = client.get(story.get_absolute_url())

    html = response.content.decode()
    shown = min(n_credits, PANEL_CREDITS)
    assert html.count('href="/people/ensemble-member-') == shown
    assert "Ensemble Member 001" in html
    assert f"Ensemble Member {shown:03d}" in html
    assert f"Ensemble Member {shown + 1:03d}" not in html
    full_link = '<a href="/shows/a-big-ensemble-series/credits/">Full cast &amp; crew of A big ensemble series</a>'
    assert (full_link in html) == (n_credits > PANEL_CREDITS)
