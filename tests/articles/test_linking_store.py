"""What linking stores and who may change it: mentions, body links, editors' exclusions and
additions, automatic tags, and the page that renders the stored result without matching."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import gazetteer, services
from articles.linking import link_article
from articles.models import Article, Mention
from catalog.models import Company
from tests import factories as f
from tests.page import Page

from .linking_helpers import linked_story, names

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    prime = f.company("Prime Video", kind=Company.Kind.STREAMER)
    studio = f.company("Amazon MGM Studios", kind=Company.Kind.STUDIO)
    bosch = f.show("Bosch", year_start=2014, network=prime)
    ballard = f.show(
        "Ballard", year_start=2025, network=prime, studios=[studio], spinoff_of=bosch,
        tags=["crime drama", "Bosch universe"],
    )
    lead = f.person("Maggie Q")
    f.credit(lead, ballard, character="Renée Ballard")
    return {"prime": prime, "studio": studio, "bosch": bosch, "ballard": ballard, "lead": lead}


BODY = (
    "<p>Prime Video renewed Ballard, the Bosch spinoff starring Maggie Q, for a second "
    "season.</p><p>Amazon MGM Studios produces the series.</p>"
)


def test_mentions_are_stored_with_foreign_keys_how_and_where(catalog):
    story, _ = linked_story(BODY, title="Ballard Renewed", kind=Article.Kind.RENEWAL)
    rows = list(story.mentions.order_by("position"))
    assert [m.show.title if m.show_id else m.target.name for m in rows] == [
        "Prime Video", "Ballard", "Bosch", "Maggie Q", "Amazon MGM Studios",
    ]  # fmt: skip
    assert {m.found for m in rows} == {Mention.Found.AUTOMATIC}
    lead = story.mentions.get(person=catalog["lead"])
    assert story.body[3:][lead.position : lead.position + len("Maggie Q")] == "Maggie Q"
    assert story.body_html.count("<a ") == 5
    assert '<a href="/people/maggie-q/">Maggie Q</a>' in story.body_html


def test_linking_twice_changes_nothing(catalog):
    story, _ = linked_story(BODY, title="Ballard Renewed", kind=Article.Kind.RENEWAL)
    before = list(story.mentions.values_list("pk", "position", "matched_text"))
    html = story.body_html
    result = link_article(story)
    story.refresh_from_db()
    assert list(story.mentions.values_list("pk", "position", "matched_text")) == before
    assert story.body_html == html
    assert (result.mentions_created, result.mentions_updated, result.mentions_deleted) == (0, 0, 0)


def test_an_edit_that_drops_a_name_drops_its_automatic_mention(catalog):
    story, _ = linked_story(BODY, title="Ballard Renewed", kind=Article.Kind.RENEWAL)
    story.body = "<p>Prime Video renewed Ballard for a second season.</p>"
    story.save()
    link_article(story)
    assert "Maggie Q" not in {str(m.target) for m in story.mentions.all()}


def test_an_editors_exclusion_survives_edits_and_relinks(catalog):
    story, _ = linked_story(BODY, title="Ballard Renewed", kind=Article.Kind.RENEWAL)
    wrong = story.mentions.get(show=catalog["bosch"])
    services.mention_exclude(mention=wrong)
    story.refresh_from_db()
    assert "/shows/bosch/" not in story.body_html
    story.body = BODY.replace("a second season", "a second season, as Bosch did before")
    story.save()
    services.article_relink(article=story)
    link_article(story)
    story.refresh_from_db()
    assert story.mentions.get(show=catalog["bosch"]).excluded is True
    assert "/shows/bosch/" not in story.body_html
    assert not Article.objects.published().mentioning(show=catalog["bosch"]).exists()


def test_an_exclusion_is_kept_even_while_the_name_is_gone_from_the_text(catalog):
    story, _ = linked_story(BODY, title="Ballard Renewed", kind=Article.Kind.RENEWAL)
    services.mention_exclude(mention=story.mentions.get(show=catalog["bosch"]))
    story.body = "<p>Prime Video renewed Ballard.</p>"
    story.save()
    link_article(story)
    story.body = BODY
    story.save()
    link_article(story)
    story.refresh_from_db()
    assert story.mentions.get(show=catalog["bosch"]).excluded is True
    assert "/shows/bosch/" not in story.body_html


def test_an_exclusion_can_be_undone(catalog):
    story, _ = linked_story(BODY, title="Ballard Renewed", kind=Article.Kind.RENEWAL)
    mention = services.mention_exclude(mention=story.mentions.get(show=catalog["bosch"]))
    services.mention_include(mention=mention)
    story.refresh_from_db()
    assert '<a href="/shows/bosch/">Bosch</a>' in story.body_html


def test_an_editors_addition_survives_relinks_and_links_the_text_when_it_can(catalog):
    nameless = f.person("Titus Welliver")
    story, _ = linked_story(BODY, title="Ballard Renewed", kind=Article.Kind.RENEWAL)
    added = services.mention_add(article=story, target=nameless)
    assert added.found == Mention.Found.EDITOR
    story.body = BODY + "<p>Welliver returns too.</p>"
    story.save()
    link_article(story)
    link_article(story)
    mention = story.mentions.get(person=nameless)
    assert mention.found == Mention.Found.EDITOR
    assert not mention.excluded
    assert Article.objects.published().mentioning(person=nameless).get() == story


def test_adding_an_excluded_entity_back_lifts_the_exclusion(catalog):
    story, _ = linked_story(BODY, title="Ballard Renewed", kind=Article.Kind.RENEWAL)
    services.mention_exclude(mention=story.mentions.get(show=catalog["bosch"]))
    services.mention_add(article=story, target=catalog["bosch"])
    link_article(story)
    story.refresh_from_db()
    mention = story.mentions.get(show=catalog["bosch"])
    assert (mention.found, mention.excluded) == (Mention.Found.EDITOR, False)
    assert '<a href="/shows/bosch/">Bosch</a>' in story.body_html


# -- tags ------------------------------------------------------------------------------------


def test_publishing_a_story_about_a_show_gives_it_the_shows_tags_and_its_kind(catalog):
    story, result = linked_story(BODY, title="Ballard Renewed", kind=Article.Kind.RENEWAL)
    assert set(story.tags.names()) == {"crime drama", "Bosch universe", "Prime Video", "renewals"}
    assert set(result.tags_added) == {"crime drama", "Bosch universe", "Prime Video", "renewals"}


def test_a_removed_tag_stays_removed_on_relink(catalog):
    story, _ = linked_story(BODY, title="Ballard Renewed", kind=Article.Kind.RENEWAL)
    before = set(story.tags.names())
    story.tags.remove("Prime Video")
    services.article_record_tag_edit(article=story, before=before, after=set(story.tags.names()))
    link_article(story)
    link_article(story)
    assert "Prime Video" not in set(story.tags.names())
    story.tags.add("Prime Video")
    services.article_record_tag_edit(
        article=story, before=before - {"Prime Video"}, after=set(story.tags.names())
    )
    story.tags.remove("Prime Video")
    story.refresh_from_db()
    assert story.removed_tags == []
    link_article(story)
    assert "Prime Video" in set(story.tags.names())


def test_a_tag_page_gathers_stories_and_shows_of_a_topic(client, catalog):
    story, _ = linked_story(BODY, title="Ballard Renewed", kind=Article.Kind.RENEWAL)
    page = client.get("/tags/crime-drama/").content.decode()
    assert story.title in page
    assert "Ballard" in page


# -- the page renders what was stored ---------------------------------------------------------


def test_the_story_page_renders_stored_links_without_matching(client, catalog):
    story, _ = linked_story(BODY, title="Ballard Renewed", kind=Article.Kind.RENEWAL)
    gazetteer.clear_gazetteer_cache()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(story.get_absolute_url()).content.decode()
    assert gazetteer._cached is None
    assert not any("catalog_catalogversion" in q["sql"] for q in queries)
    assert '<a href="/people/maggie-q/">Maggie Q</a>' in page
    assert 'id="story-body"' in page


def _story_with_mentions(n: int) -> Article:
    people = [f.person(f"Actor Number{i} Example") for i in range(n)]
    body = "".join(f"<p>{p.name} joins the cast.</p>" for p in people)
    story, result = linked_story(
        "<p>Prime Video renewed Ballard.</p>" + body, title="Ballard Renewed",
        kind=Article.Kind.RENEWAL,
    )
    assert len(result.linked) == n + 2, names(result)
    return story


@pytest.mark.parametrize("n", [3, 30])
def test_the_story_page_costs_the_same_with_more_links(client, catalog, django_assert_num_queries, n):
    story = _story_with_mentions(n)
    with django_assert_num_queries(5):
        response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    people = [h for h in Page(response).hrefs('//*[@id="story-body"]') if h.startswith("/people/")]
    assert len(people) == n


def test_json_ld_about_and_mentions_come_from_linking(client, catalog):
    story, _ = linked_story(BODY, title="Ballard Renewed", kind=Article.Kind.RENEWAL)
    services.mention_exclude(mention=story.mentions.get(show=catalog["bosch"]))
    [data] = [d for d in Page(client.get(story.get_absolute_url())).jsonld() if d["@type"] == "NewsArticle"]
    assert data["about"]["url"].endswith("/shows/ballard/")
    urls = {m["url"].split("//", 1)[-1].split("/", 1)[-1] for m in data["mentions"]}
    assert urls == {
        "companies/prime-video/", "shows/ballard/", "people/maggie-q/",
        "companies/amazon-mgm-studios/",
    }  # fmt: skip
