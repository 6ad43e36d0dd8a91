"""Names are matched as names: whole words, longest first, case, apostrophes, accents,
possessives, a title's own final period, and capitals that only a position explains."""

import pytest

from catalog.models import Company
from tests import factories as f

from .linking_helpers import linked_story, mention_of, names

pytestmark = pytest.mark.django_db


def test_the_longest_name_wins():
    f.show("Bosch", year_start=2014)
    f.show("Bosch: Legacy", year_start=2022)
    story, result = linked_story("The final season of Bosch: Legacy arrives in March.")
    assert names(result) == {"Bosch: Legacy"}
    assert '<a href="/shows/bosch-legacy/">Bosch: Legacy</a>' in story.body_html


def test_the_shorter_name_still_links_where_it_stands_alone():
    f.show("Bosch", year_start=2014)
    f.show("Bosch: Legacy", year_start=2022)
    _, result = linked_story(
        "Bosch: Legacy picked up where Bosch left off, and the two shows share a lead."
    )
    assert names(result) == {"Bosch", "Bosch: Legacy"}


def test_only_whole_words_match():
    f.show("Ozark", year_start=2017)
    f.person("Maggie Q")
    _, result = linked_story(
        "The Ozarks drew visitors all summer. A Maggie Quinlan wrote in; nobody from "
        "Ozark-themed tours answered."
    )
    assert names(result) == set()


def test_a_lowercase_common_word_is_never_a_name():
    f.company("Deadline", kind=Company.Kind.PUBLICATION)
    _, result = linked_story("The network missed the deadline for its fall schedule.")
    assert names(result) == set()


def test_a_name_written_as_the_catalog_writes_it_links():
    f.company("Deadline", kind=Company.Kind.PUBLICATION)
    _, result = linked_story("The news was first reported by Deadline on Tuesday.")
    assert names(result) == {"Deadline"}


@pytest.mark.parametrize(
    ("catalog", "text"),
    [("Conan O\u2019Brien", "Conan O'Brien"), ("Conan O'Brien", "Conan O\u2019Brien")],
    ids=["curly-in-catalog", "straight-in-catalog"],
)
def test_curly_and_straight_apostrophes_are_the_same(catalog, text):
    f.person(catalog)
    story, result = linked_story(f"The late-night host {text} will guest star.")
    assert names(result) == {catalog}
    assert f">{text}</a>" in story.body_html


@pytest.mark.parametrize(
    ("catalog", "text"),
    [("Renée Elise Goldsberry", "Renee Elise Goldsberry"), ("Chloe Sevigny", "Chloë Sevigny")],
)
def test_accents_are_optional(catalog, text):
    f.person(catalog)
    _, result = linked_story(f"The cast adds {text} in a recurring role.")
    assert names(result) == {catalog}


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_a_possessive_links_the_name_without_its_ending(apostrophe):
    f.person("Maggie Q")
    story, result = linked_story(f"Critics praised Maggie Q{apostrophe}s turn as the detective.")
    assert names(result) == {"Maggie Q"}
    assert f'<a href="/people/maggie-q/">Maggie Q</a>{apostrophe}s' in story.body_html


def test_a_title_keeps_its_own_final_period_in_the_middle_of_a_sentence():
    f.show("Magnum P.I.", year_start=2018)
    story, result = linked_story("She spent four years on Magnum P.I. and two on a legal drama.")
    assert names(result) == {"Magnum P.I."}
    assert ">Magnum P.I.</a>" in story.body_html


def test_a_title_whose_final_period_also_ends_the_sentence():
    f.show("Magnum P.I.", year_start=2018)
    _, result = linked_story("Before this she was a regular on Magnum P.I. Now she leads a show.")
    assert names(result) == {"Magnum P.I."}


def test_a_title_written_without_its_final_period():
    f.show("Magnum P.I.", year_start=2018)
    _, result = linked_story("Her credits include Magnum P.I, among others.")
    assert names(result) == {"Magnum P.I."}


def test_a_common_word_that_only_opens_a_sentence_is_not_the_show():
    f.show("Insecure", year_start=2016)
    _, result = linked_story("Insecure about the ratings, the network waited a month.")
    assert names(result) == set()


def test_the_same_word_inside_a_sentence_is_the_show():
    f.show("Insecure", year_start=2016)
    _, result = linked_story("She broke out on Insecure and has not stopped working since.")
    assert names(result) == {"Insecure"}


def test_a_common_word_in_a_title_case_headline_is_not_the_show():
    f.show("Insecure", year_start=2016)
    f.company("Deadline", kind=Company.Kind.PUBLICATION)
    _, result = linked_story(
        "Phone makers say their buyers are happier than ever with new screens.",
        title="Insecure Fans Rejoice as Phones Get Tougher",
    )
    assert names(result) == set()
    _, result = linked_story(
        "Networks race to finish their pilot orders before the upfronts.",
        title="Deadline Day for Pilots",
    )
    assert names(result) == set()


def test_a_headline_word_is_the_show_when_the_story_is_about_it():
    network = f.company("HBO", kind=Company.Kind.NETWORK)
    f.show("Insecure", year_start=2016, network=network)
    _, result = linked_story(
        "The comedy returns to HBO for a final run of episodes.",
        title="Insecure Renewed for Fifth and Final Season",
        kind="renewal",
    )
    assert names(result) == {"Insecure", "HBO"}
    assert mention_of(result, "Insecure").in_body is False


def test_a_character_named_after_a_show_comes_first_and_the_link_goes_on_the_show():
    f.show("Bosch", year_start=2014)
    story, result = linked_story(
        "Harry Bosch is back on the case. Bosch ran for seven seasons before the spinoff."
    )
    assert names(result) == {"Bosch"}
    assert "Harry Bosch is back" in story.body_html
    assert '<a href="/shows/bosch/">Bosch</a> ran' in story.body_html


def test_an_entity_named_twice_is_linked_once_on_its_first_mention():
    f.person("Maggie Q")
    story, _ = linked_story("Maggie Q leads the cast. Maggie Q also produces.")
    assert story.body_html.count("<a ") == 1
    assert story.body_html.index("<a ") < story.body_html.index("leads")


def test_links_are_written_into_text_only_never_inside_an_existing_link():
    f.person("Maggie Q")
    body = '<p>Read <a href="https://example.com/">Maggie Q on her new role</a> here.</p>'
    story, result = linked_story(body)
    assert names(result) == {"Maggie Q"}
    assert story.body_html == body
