"""Context decides: second references by surname, characters in parentheses, same-named
entries, and the main show of a renewal story with the season it announces."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.linking import announced_season
from articles.models import Article, Suggestion
from articles.prose import build_doc
from catalog.models import Company, Credit, Show
from tests import factories as f

from .linking_helpers import linked_story, mention_of, names

pytestmark = pytest.mark.django_db


# -- second references ---------------------------------------------------------------------


def test_a_surname_alone_refers_to_the_person_named_in_full_before():
    f.person("Michael Connelly")
    story, result = linked_story(
        "The novels of Michael Connelly keep finding new screens. Connelly said he was thrilled."
    )
    assert names(result) == {"Michael Connelly"}
    assert mention_of(result, "Michael Connelly").how == "name"
    assert story.body_html.count("<a ") == 1


def test_a_surname_links_in_the_body_when_the_full_name_is_only_in_the_headline():
    f.person("Michael Connelly")
    story, result = linked_story(
        "Connelly will write and produce for the streamer through 2030.",
        title="Michael Connelly Signs a New Overall Deal",
    )
    mention = mention_of(result, "Michael Connelly")
    assert mention.in_body is True
    assert mention.how == "surname"
    assert '<a href="/people/michael-connelly/">Connelly</a> will write' in story.body_html


def test_a_surname_before_the_full_name_is_not_linked():
    f.person("Michael Connelly")
    story, _ = linked_story("Connelly fans, rejoice. Michael Connelly has a new show.")
    assert '<a href="/people/michael-connelly/">Michael Connelly</a>' in story.body_html
    assert ">Connelly</a>" not in story.body_html


def test_a_two_word_surname_is_a_second_reference():
    f.person("Jamie Boscardin Martin")
    _, result = linked_story(
        "Jamie Boscardin Martin joins as a producer. Boscardin Martin ran the writers room before."
    )
    assert names(result) == {"Jamie Boscardin Martin"}
    assert mention_of(result, "Jamie Boscardin Martin").matched_text == "Jamie Boscardin Martin"


def test_a_surname_shared_by_two_people_named_earlier_is_not_linked_and_is_reported():
    f.person("Lily Collins")
    f.person("Joan Collins")
    story, result = linked_story(
        "Lily Collins and Joan Collins share a scene. Collins called the day a gift."
    )
    assert names(result) == {"Lily Collins", "Joan Collins"}
    assert [a.text for a in result.ambiguous] == ["Collins"]
    assert story.body_html.count("<a ") == 2
    assert Suggestion.objects.filter(article=story, kind=Suggestion.Kind.AMBIGUOUS).exists()


def test_a_first_name_alone_is_not_a_reference():
    f.person("Maggie Q")
    f.person("Maggie Smith")
    story, result = linked_story("Maggie Q is the lead. Maggie said the stunts were real.")
    assert names(result) == {"Maggie Q"}
    assert story.body_html.count("<a ") == 1


def test_a_surname_never_named_in_full_is_not_linked():
    f.person("Michael Connelly")
    _, result = linked_story("Connelly said the show would return.")
    assert names(result) == set()


# -- characters ----------------------------------------------------------------------------


def test_a_character_in_front_of_an_actor_in_parentheses_links_the_actor_with_the_role():
    f.show("Ballard", year_start=2025)
    f.person("Maggie Q")
    story, result = linked_story(
        "The show follows Detective Renée Ballard (Maggie Q) as she runs a cold case unit."
    )
    assert names(result) == {"Maggie Q"}
    assert mention_of(result, "Maggie Q").character == "Renée Ballard"
    assert "/shows/ballard/" not in story.body_html


def test_a_character_named_after_a_show_does_not_link_the_show():
    f.show("Bosch", year_start=2014)
    f.person("Titus Welliver")
    f.show("Deadwood", year_start=2004)
    _, result = linked_story(
        "She works alongside retired investigator Harry Bosch (Titus Welliver, Deadwood)."
    )
    assert names(result) == {"Titus Welliver", "Deadwood"}
    assert mention_of(result, "Titus Welliver").character == "Harry Bosch"


def test_titles_in_parentheses_after_a_person_are_what_they_are_known_for():
    f.person("Courtney Taylor")
    f.show("Insecure", year_start=2016)
    _, result = linked_story("The ensemble adds Courtney Taylor (Insecure) as a new detective.")
    assert names(result) == {"Courtney Taylor", "Insecure"}
    assert mention_of(result, "Courtney Taylor").character == ""


# -- same names ----------------------------------------------------------------------------


@pytest.fixture
def two_fargos():
    fx = f.company("FX", kind=Company.Kind.NETWORK)
    film = f.show("Fargo", kind=Show.Kind.FILM, year_start=1996)
    series = f.show("Fargo", kind=Show.Kind.SERIES, year_start=2014, network=fx)
    return film, series


def test_the_platform_picks_the_series(two_fargos):
    _film, series = two_fargos
    story, result = linked_story("FX says Fargo will return with a new cast next year.")
    assert mention_of(result, "Fargo").pk == series.pk
    assert f'href="/shows/{series.slug}/"' in story.body_html


def test_a_year_picks_the_film(two_fargos):
    film, _series = two_fargos
    _, result = linked_story("The 1996 Fargo still plays at festivals every winter.")
    assert mention_of(result, "Fargo").pk == film.pk


def test_the_credits_of_a_named_person_pick_the_title(two_fargos):
    film, _series = two_fargos
    actor = f.person("John Carroll Lynch")
    f.credit(actor, film, character="Norm Gunderson")
    _, result = linked_story("John Carroll Lynch (Fargo) joins the cast as a retired sheriff.")
    assert mention_of(result, "Fargo").pk == film.pk


def test_a_name_nothing_decides_is_not_linked_and_is_shown_to_the_editor(two_fargos):
    story, result = linked_story("Everyone has a favourite scene from Fargo.")
    assert "Fargo" not in names(result)
    assert [a.text for a in result.ambiguous] == ["Fargo"]
    assert "<a " not in story.body_html
    ambiguous = Suggestion.objects.get(article=story, kind=Suggestion.Kind.AMBIGUOUS)
    assert ambiguous.person_name == "Fargo"


@pytest.fixture
def reba():
    wb = f.company("The WB", kind=Company.Kind.NETWORK)
    abc = f.company("ABC", kind=Company.Kind.NETWORK)
    sitcom = f.show("Reba", year_start=2001, network=wb)
    other = f.show("Malibu Country", year_start=2012, network=abc)
    singer = f.person("Reba McEntire", aliases=["Reba"])
    f.credit(singer, sitcom, character="Reba Hart")
    f.credit(singer, other, character="Reba Gallagher")
    return sitcom, singer


def test_a_show_and_a_person_sharing_a_name_the_platform_picks_the_show(reba):
    sitcom, _singer = reba
    _, result = linked_story("Reba aired for six seasons on The WB and lives on in reruns.")
    assert mention_of(result, "Reba").pk == sitcom.pk
    assert "Reba McEntire" not in names(result)


def test_a_show_and_a_person_sharing_a_name_other_credits_pick_the_person(reba):
    _sitcom, _singer = reba
    _, result = linked_story("Reba starred in Malibu Country, a comedy that lasted one season.")
    assert names(result) == {"Reba McEntire", "Malibu Country"}


# -- main show and the season a renewal announces -------------------------------------------


@pytest.fixture
def universe():
    prime = f.company("Prime Video", kind=Company.Kind.STREAMER)
    bosch = f.show("Bosch", year_start=2014, network=prime)
    ballard = f.show("Ballard", year_start=2025, network=prime, spinoff_of=bosch,
                     tags=["crime drama"])
    return {"prime": prime, "bosch": bosch, "ballard": ballard}


def test_the_main_show_of_a_renewal_is_inferred_from_headline_and_lede(universe):
    story, result = linked_story(
        "The Bosch spinoff returns to Prime Video for a second season after a strong debut.",
        title="Ballard Renewed at Prime Video",
        kind=Article.Kind.RENEWAL,
    )
    assert story.main_show == universe["ballard"]
    assert story.main_show_inferred is True
    assert story.season_number == 2
    assert result.season_number == 2


def test_an_editors_main_show_is_kept(universe):
    story, _ = linked_story(
        "Ballard renewed; Bosch fans cheer at Prime Video.",
        title="Ballard Renewed",
        kind=Article.Kind.RENEWAL,
        main_show=universe["bosch"],
    )
    assert story.main_show == universe["bosch"]
    assert story.main_show_inferred is False


def test_news_stories_get_no_inferred_main_show(universe):
    story, _ = linked_story("Ballard was the most watched show of the week.", title="Ballard tops charts")
    assert story.main_show is None


@pytest.mark.parametrize(
    ("title", "lede", "number", "final"),
    [
        ("Show Renewed", "The drama has been renewed for a second season.", 2, False),
        ("Show Renewed for Season 3", "The drama will return.", 3, False),
        ("Show to End", "The drama was renewed for a third and final season.", 3, True),
        ("Show Gets Sophomore Run", "It comes back for a sophomore season in May.", 2, False),
        ("Show Picked Up", "The comedy was picked up for season five.", 5, False),
    ],
)
def test_the_season_a_renewal_announces(title, lede, number, final):
    assert announced_season(build_doc(title, "", f"<p>{lede}</p>")) == (number, final)


def test_a_published_renewal_sets_the_shows_status_and_next_season(universe):
    ballard = universe["ballard"]
    linked_story(
        "Prime Video renewed the Bosch spinoff for a third and final season.",
        title="Ballard to End With Season 3",
        kind=Article.Kind.RENEWAL,
    )
    show = Show.objects.with_effective_status().get(pk=ballard.pk)
    assert show.effective_status == Show.Status.ENDING
    season = ballard.seasons.visible().get()
    assert (season.number, season.is_final) == (3, True)


def test_a_later_cancellation_overrides_an_earlier_renewal(universe):
    ballard = universe["ballard"]
    linked_story("Prime Video renewed Ballard for a second season.", title="Ballard Renewed",
                 kind=Article.Kind.RENEWAL)
    linked_story("Prime Video cancelled Ballard after all.", title="Ballard Cancelled",
                 kind=Article.Kind.CANCELLATION, published_at=timezone.now())
    assert Show.objects.with_effective_status().get(pk=ballard.pk).effective_status == "cancelled"


def test_an_editor_can_lock_the_status(universe):
    ballard = universe["ballard"]
    Show.objects.filter(pk=ballard.pk).update(status=Show.Status.ENDED, status_locked=True)
    linked_story("Prime Video renewed Ballard for a second season.", title="Ballard Renewed",
                 kind=Article.Kind.RENEWAL)
    assert Show.objects.with_effective_status().get(pk=ballard.pk).effective_status == "ended"


def test_a_renewal_scheduled_for_later_changes_nothing_visible_before_its_time(universe, time_machine):
    ballard = universe["ballard"]
    later = timezone.now() + timedelta(days=2)
    story, _ = linked_story(
        "Prime Video renewed the Bosch spinoff for a second season.",
        title="Ballard Renewed",
        kind=Article.Kind.RENEWAL,
        status=Article.Status.SCHEDULED,
        published_at=later,
    )
    assert story.main_show == ballard
    before = Show.objects.with_effective_status().get(pk=ballard.pk)
    assert before.effective_status == ballard.status
    assert not ballard.seasons.visible().exists()
    assert not Article.objects.published().about(ballard).exists()
    Article.objects.filter(pk=story.pk).update(status=Article.Status.PUBLISHED)
    assert not ballard.seasons.visible().exists()
    time_machine.move_to(later + timedelta(minutes=1))
    assert Show.objects.with_effective_status().get(pk=ballard.pk).effective_status == "renewed"
    assert ballard.seasons.visible().get().number == 2


def test_credits_keep_their_roles_for_the_panel(universe):
    lead = f.person("Maggie Q")
    f.credit(lead, universe["ballard"], character="Renée Ballard", role=Credit.Role.CAST)
    story, result = linked_story(
        "Maggie Q returns as the lead.", title="Ballard Renewed", kind=Article.Kind.RENEWAL
    )
    assert story.main_show == universe["ballard"]
    assert mention_of(result, "Maggie Q").linked
