"""Trade-press patterns become suggestions; accepting one writes the catalog and relinks the
story; the queue works from a terminal too (``suggestions``), and ``relink_articles``."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles import services
from articles.models import Article, Suggestion
from catalog.models import Credit, Person
from tests import factories as f

from .linking_helpers import linked_story, names

pytestmark = pytest.mark.django_db

STORY = (
    "<p>The streamer renewed Harbor Lights for a second season.</p>"
    "<p>The drama stars Maggie Q as Detective Ana Reyes. Its cast also features Courtney "
    "Taylor (Insecure) and Michael Mosley.</p>"
    "<p>The series is executive produced by Henrik Bastin, Kendall Sherwood and Trish "
    "Hofmann, with Jasmine Russ and Trey Batchelor serving as co-executive producers.</p>"
)


@pytest.fixture
def harbor():
    show = f.show("Harbor Lights", year_start=2024)
    lead = f.person("Maggie Q")
    f.show("Insecure", year_start=2016)
    return show, lead


def pending(story) -> dict[tuple[str, str], Suggestion]:
    return {
        (s.person.name if s.person_id else s.person_name, s.role): s
        for s in Suggestion.objects.filter(article=story, status=Suggestion.Status.PENDING)
        .exclude(kind=Suggestion.Kind.AMBIGUOUS)
    }


def test_trade_press_patterns_become_suggestions_with_their_roles(harbor):
    show, _lead = harbor
    story, _ = linked_story(STORY, title="Harbor Lights Renewed", kind=Article.Kind.RENEWAL)
    found = pending(story)
    assert {k: s.show_id for k, s in found.items()} == {
        ("Henrik Bastin", Credit.Role.EXECUTIVE_PRODUCER): show.pk,
        ("Kendall Sherwood", Credit.Role.EXECUTIVE_PRODUCER): show.pk,
        ("Trish Hofmann", Credit.Role.EXECUTIVE_PRODUCER): show.pk,
        ("Jasmine Russ", Credit.Role.CO_EXECUTIVE_PRODUCER): show.pk,
        ("Trey Batchelor", Credit.Role.CO_EXECUTIVE_PRODUCER): show.pk,
        ("Courtney Taylor", Credit.Role.CAST): show.pk,
        ("Michael Mosley", Credit.Role.CAST): show.pk,
        ("Maggie Q", Credit.Role.CAST): show.pk,
    }
    assert found[("Maggie Q", Credit.Role.CAST)].kind == Suggestion.Kind.CREDIT
    assert found[("Maggie Q", Credit.Role.CAST)].character == "Ana Reyes"
    assert found[("Courtney Taylor", Credit.Role.CAST)].kind == Suggestion.Kind.PERSON
    assert found[("Courtney Taylor", Credit.Role.CAST)].known_for == ["Insecure"]
    assert "co-executive producers" in found[("Jasmine Russ", "co_executive_producer")].evidence


def test_a_character_in_front_of_an_unknown_actor_is_suggested():
    show = f.show("Harbor Lights", year_start=2024)
    story, _ = linked_story(
        "<p>Harbor Lights follows Detective Ana Reyes (Courtney Taylor) on the night shift.</p>",
        title="Harbor Lights Renewed", kind=Article.Kind.RENEWAL,
    )
    s = pending(story)[("Courtney Taylor", Credit.Role.CAST)]
    assert (s.show_id, s.character) == (show.pk, "Ana Reyes")


def test_facts_the_catalog_has_are_not_suggested(harbor):
    show, lead = harbor
    f.credit(lead, show, character="Ana Reyes")
    story, _ = linked_story(STORY, title="Harbor Lights Renewed", kind=Article.Kind.RENEWAL)
    assert ("Maggie Q", Credit.Role.CAST) not in pending(story)


def test_accepting_creates_the_person_and_credit_and_relinks_the_story(harbor):
    show, _ = harbor
    story, result = linked_story(STORY, title="Harbor Lights Renewed", kind=Article.Kind.RENEWAL)
    assert "Henrik Bastin" not in names(result)
    s = pending(story)[("Henrik Bastin", Credit.Role.EXECUTIVE_PRODUCER)]
    services.suggestion_accept(suggestion=s)
    person = Person.objects.get(name="Henrik Bastin")
    assert Credit.objects.filter(person=person, show=show, role="executive_producer").exists()
    assert story.mentions.filter(person=person).exists()
    story.refresh_from_db()
    assert f'<a href="/people/{person.slug}/">Henrik Bastin</a>' in story.body_html
    s.refresh_from_db()
    assert (s.status, s.person) == (Suggestion.Status.ACCEPTED, person)


def test_accepting_a_credit_for_a_known_person_adds_the_character(harbor):
    show, lead = harbor
    story, _ = linked_story(STORY, title="Harbor Lights Renewed", kind=Article.Kind.RENEWAL)
    services.suggestion_accept(suggestion=pending(story)[("Maggie Q", Credit.Role.CAST)])
    assert Credit.objects.get(person=lead, show=show).character == "Ana Reyes"


def test_a_rejected_suggestion_stays_rejected_on_relink(harbor):
    story, _ = linked_story(STORY, title="Harbor Lights Renewed", kind=Article.Kind.RENEWAL)
    s = pending(story)[("Michael Mosley", Credit.Role.CAST)]
    services.suggestion_reject(suggestion=s)
    services.article_relink(article=story)
    assert ("Michael Mosley", Credit.Role.CAST) not in pending(story)
    assert Suggestion.objects.get(pk=s.pk).status == Suggestion.Status.REJECTED
    assert not Person.objects.filter(name="Michael Mosley").exists()


def test_an_ambiguous_name_cannot_be_accepted():
    from django.core.exceptions import ValidationError

    f.person("Lily Collins")
    f.person("Joan Collins")
    story, _ = linked_story("Lily Collins and Joan Collins star. Collins said yes.")
    ambiguous = Suggestion.objects.get(article=story, kind=Suggestion.Kind.AMBIGUOUS)
    with pytest.raises(ValidationError):
        services.suggestion_accept(suggestion=ambiguous)


# -- the suggestions command -----------------------------------------------------------------


def test_the_suggestions_command_lists_the_queue_as_json(harbor):
    show, _ = harbor
    story, _ = linked_story(STORY, title="Harbor Lights Renewed", kind=Article.Kind.RENEWAL)
    out = StringIO()
    call_command("suggestions", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == 8
    bastin = next(r for r in rows if r["person"] == "Henrik Bastin")
    assert bastin == {
        "kind": "person",
        "story": story.slug,
        "person": "Henrik Bastin",
        "person_key": None,
        "show": show.key,
        "role": "executive_producer",
        "character": "",
        "evidence": bastin["evidence"],
    }
    assert "executive produced by Henrik Bastin" in bastin["evidence"]
    lead = next(r for r in rows if r["person"] == "Maggie Q")
    assert (lead["kind"], lead["person_key"], lead["character"]) == ("credit", "maggie-q", "Ana Reyes")


def test_the_suggestions_command_lists_one_story_in_words(harbor):
    story, _ = linked_story(STORY, title="Harbor Lights Renewed", kind=Article.Kind.RENEWAL)
    linked_story("<p>Starring Amy Hill.</p>", title="Another Story")
    out = StringIO()
    call_command("suggestions", "--story", story.slug, stdout=out)
    text = out.getvalue()
    assert "Henrik Bastin (not in the catalog) — executive producer on Harbor Lights" in text
    assert "8 pending suggestions" in text
    assert "Amy Hill" not in text


def test_the_suggestions_command_accepts_them_all(harbor):
    story, _ = linked_story(STORY, title="Harbor Lights Renewed", kind=Article.Kind.RENEWAL)
    out = StringIO()
    call_command("suggestions", "--accept-all", stdout=out)
    assert "Accepted 8 suggestions" in out.getvalue()
    assert Person.objects.filter(name__in=["Henrik Bastin", "Trey Batchelor"]).count() == 2
    assert story.mentions.filter(person__name="Trey Batchelor").exists()
    # what is left is the next step: the new person's known-for title, now that they exist
    left = Suggestion.objects.filter(status=Suggestion.Status.PENDING).select_related("show")
    assert [(s.person.name, s.show.title) for s in left] == [("Courtney Taylor", "Insecure")]


def test_the_suggestions_command_rejects_an_unknown_story():
    with pytest.raises(CommandError, match="no-such-story"):
        call_command("suggestions", "--story", "no-such-story", stdout=StringIO())


# -- relink_articles -------------------------------------------------------------------------


class Terminal(StringIO):
    """An output stream that says it is a terminal, as a shell's would."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def stale_stories():
    old = f.article("Old story", body="<p>Maggie Q was cast.</p>",
                    published_at=timezone.now() - timedelta(days=30))
    new = f.article("New story", body="<p>Maggie Q returns.</p>")
    draft = f.article("Draft", body="<p>Maggie Q again.</p>", status=Article.Status.DRAFT)
    f.person("Maggie Q")
    return old, new, draft


def test_relink_articles_links_published_stories_after_a_catalog_change(stale_stories):
    old, new, draft = stale_stories
    out = StringIO()
    call_command("relink_articles", stdout=out)
    assert "Relinked 2 stories: 2 links" in out.getvalue()
    assert old.mentions.count() == new.mentions.count() == 1
    assert draft.mentions.count() == 0


def test_relink_articles_since_a_date_and_by_slug(stale_stories):
    old, new, _ = stale_stories
    call_command("relink_articles", "--since", (timezone.now() - timedelta(days=2)).date().isoformat(),
                 stdout=StringIO())
    assert (old.mentions.count(), new.mentions.count()) == (0, 1)
    call_command("relink_articles", old.slug, stdout=StringIO())
    assert old.mentions.count() == 1


def test_relink_articles_draws_a_progress_bar_on_a_terminal(stale_stories):
    out = Terminal()
    call_command("relink_articles", stdout=out)
    assert "2/2 [" in out.getvalue()
    assert "Relinked 2 stories" in out.getvalue()


def test_relink_articles_says_which_slug_is_unknown(stale_stories):
    with pytest.raises(CommandError, match="nope"):
        call_command("relink_articles", "nope", stdout=StringIO())
    with pytest.raises(CommandError, match="expected a date"):
        call_command("relink_articles", "--since", "yesterday", stdout=StringIO())
