"""The public catalog pages: a show, a person, a company."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from catalog.models import Company, Credit, Show
from tests import factories as f
from tests.page import Page

pytestmark = pytest.mark.django_db

# The queries each page runs, whatever the amount of data (see the *_query_count tests).
# show (with what its deciding story says), credits, its studios, spinoffs, tags and seasons
# (one query), stories about and mentioning it (one query, with their bylines)
SHOW_QUERIES = 4
# person, credits, stories mentioning them and about their shows (one query, with their bylines)
PERSON_QUERIES = 3
# company, network shows, studio shows, stories with their bylines
COMPANY_QUERIES = 4


def unpublished(**fields) -> list[Article]:
    return [
        f.article("Hidden draft", status=Article.Status.DRAFT, **fields),
        f.article("Hidden future", published_at=timezone.now() + timedelta(hours=3), **fields),
        f.article(
            "Hidden archived",
            status=Article.Status.ARCHIVED,
            published_at=timezone.now() - timedelta(days=1),
            **fields,
        ),
    ]


# Show


def test_show_page_shows_platform_studio_status_spinoffs_and_seasons(client):
    w = f.renewal_scenario()
    legacy = f.show("Bosch: Legacy", spinoff_of=w.bosch, year_start=2022)
    f.season(w.ballard, 2, premiere_date=date(2026, 7, 9), is_final=True)

    page = Page(client.get("/shows/ballard/"))
    assert page.response.status_code == 200
    assert page.words("//h1") == "Ballard"
    facts = page.link_texts('//dl[contains(@class, "facts")]')
    assert facts["/companies/prime-video/"] == "Prime Video"
    assert facts["/companies/amazon-mgm-studios/"] == "Amazon MGM Studios"
    assert facts["/shows/bosch/"] == "Bosch"
    assert facts["https://www.imdb.com/title/tt29274555/"] == "IMDb"
    assert "Renewed" in page.words('//dl[contains(@class, "facts")]')
    assert set(page.hrefs('//ul[contains(@class, "tags")]')) == {
        "/tags/crime-drama/",
        "/tags/bosch-universe/",
    }
    seasons = page.find('//ul[contains(@class, "seasons")]/li')
    assert [li.get("id") for li in seasons] == ["season-1", "season-2"]
    assert "final season" in seasons[1].text_content()
    assert seasons[1].xpath(".//time/@datetime") == ["2026-07-09"]

    bosch = Page(client.get("/shows/bosch/"))
    assert bosch.link_texts('//dl[contains(@class, "facts")]')[legacy.get_absolute_url()] == "Bosch: Legacy"
    assert "/shows/ballard/" in bosch.hrefs('//dl[contains(@class, "facts")]')


def test_show_facts_and_seasons_say_each_thing_once_escaped(client):
    network = f.company("NBC <East>", kind=Company.Kind.NETWORK)
    studios = [f.company("Studio One", kind=Company.Kind.STUDIO), f.company("Studio Two", kind=Company.Kind.STUDIO)]
    show = f.show(
        "Harbor Lights", network=network, studios=studios, aliases=["Luces <del> Puerto", "HL"],
        wikidata_id="Q123", year_start=2023,
    )
    renewal = f.article("Harbor Lights renewed", main_show=show, kind=Article.Kind.RENEWAL)
    f.season(show, 1, premiere_date=date(2023, 3, 5), episode_count=1)
    f.season(show, 2, episode_count=10)

    page = Page(client.get(show.get_absolute_url()))
    facts = page.one('//dl[contains(@class, "facts")]')
    assert [" ".join(dt.text_content().split()) for dt in facts.xpath("dt")] == [
        "Network", "Studios", "Status", "Also known as", "Elsewhere",
    ]
    assert facts.xpath("dd[3]/a/@href") == [
        f"/renewals/?year={timezone.localtime(renewal.published_at).year}&platform={network.slug}"
    ]
    assert " ".join(facts.xpath("string(dd[3])").split()) == "Renewed · Renewal scorecard for NBC <East>"
    assert facts.xpath("string(dd[4])") == "Luces <del> Puerto, HL"
    assert facts.xpath("dd[5]/a/@href") == ["https://www.wikidata.org/wiki/Q123"]
    assert "<del>" not in page.html and "&lt;East&gt;" in page.html
    seasons = [" ".join(li.text_content().split()) for li in page.find('//ul[contains(@class, "seasons")]/li')]
    assert seasons == ["Season 1 — announced, premiere March 5, 2023, 1 episode", "Season 2 — announced, 10 episodes"]
    assert page.find('//ul[contains(@class, "seasons")]//time/@datetime') == ["2023-03-05"]

    plain = Page(client.get(f.show("Untitled").get_absolute_url()))
    bare = plain.one('//dl[contains(@class, "facts")]')
    assert [" ".join(dt.text_content().split()) for dt in bare.xpath("dt")] == ["Status"]
    assert bare.xpath("dd/a/@href") == ["/renewals/"]
    assert plain.words('//section[@aria-labelledby="seasons-heading"]') == "Seasons No seasons listed yet."


def test_show_page_lists_cast_in_billing_order_and_crew_by_role(client):
    show = f.show("Ensemble")
    second = f.person("Second Billed")
    first = f.person("First Billed")
    f.credit(second, show, character="The Partner", order=2)
    f.credit(first, show, character="The Lead", order=1)
    f.credit(f.person("A Producer"), show, Credit.Role.PRODUCER)
    f.credit(f.person("A Creator"), show, Credit.Role.CREATOR)
    f.credit(f.person("A Novelist"), show, Credit.Role.SOURCE_AUTHOR)

    page = Page(client.get(show.get_absolute_url()))
    panel = page.one('//section[contains(@class, "cast-crew")]')
    cast = panel.xpath(".//h3[.='Cast']/following-sibling::ul[1]/li")
    assert [li.xpath(".//a/@href")[0] for li in cast] == ["/people/first-billed/", "/people/second-billed/"]
    assert ["as The Lead" in cast[0].text_content(), "as The Partner" in cast[1].text_content()] == [True, True]
    assert [" ".join(h.text_content().split()) for h in panel.xpath(".//h3")] == [
        "Cast",
        "Created by",
        "Producers",
        "Based on the work of",
    ]


def test_show_page_lists_stories_about_it_and_stories_mentioning_it(client):
    w = f.renewal_scenario()
    about_bosch = f.article("Bosch wraps", main_show=w.bosch)
    hidden = unpublished(main_show=w.bosch)
    for story in unpublished():
        f.mention(story, w.bosch)
    excluded = f.article("Wrongly linked")
    f.mention(excluded, w.bosch, excluded=True)

    page = Page(client.get("/shows/bosch/"))
    about = page.hrefs('//section[@aria-labelledby="about-heading"]')
    mentioning = page.hrefs('//section[@aria-labelledby="mentioning-heading"]')
    assert about_bosch.get_absolute_url() in about
    assert w.story.get_absolute_url() in mentioning
    assert w.story.get_absolute_url() not in about
    assert excluded.get_absolute_url() not in page.hrefs()
    for story in hidden:
        assert story.title not in page.html
    assert "Hidden" not in page.html


def test_show_page_hides_a_season_announced_by_a_story_not_yet_public(client):
    show = f.show("Pending")
    f.season(show, 1)
    scheduled = f.article(
        "Pending renewed", status=Article.Status.SCHEDULED, published_at=timezone.now() + timedelta(days=1)
    )
    f.season(show, 2, announced_by=scheduled)
    live = f.article("Pending renewed again")
    f.season(show, 3, announced_by=live)

    page = Page(client.get(show.get_absolute_url()))
    seasons = [li.get("id") for li in page.find('//ul[contains(@class, "seasons")]/li')]
    assert seasons == ["season-1", "season-3"]
    [data] = page.jsonld()
    assert [s["seasonNumber"] for s in data["containsSeason"]] == [1, 3]


def test_show_json_ld_is_a_tv_series_with_roles_people_and_seasons(client, settings):
    settings.SITE_URL = "https://news.example.com"
    w = f.renewal_scenario()
    f.credit(f.person("Trey Batchelor"), w.ballard, Credit.Role.PRODUCER)

    [data] = Page(client.get("/shows/ballard/")).jsonld()

    base = "https://news.example.com"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "TVSeries"
    assert data["url"] == base + "/shows/ballard/"
    assert data["actor"] == [
        {
            "@type": "PerformanceRole",
            "actor": {"@type": "Person", "name": "Maggie Q", "url": base + "/people/maggie-q/"},
            "characterName": "Renée Ballard",
        }
    ]
    assert [p["url"] for p in data["director"]] == [base + "/people/jet-wilkinson/"]
    assert [p["url"] for p in data["producer"]] == [
        base + "/people/michael-connelly/",
        base + "/people/henrik-bastin/",
        base + "/people/kendall-sherwood/",
        base + "/people/trey-batchelor/",
    ]
    assert [p["url"] for p in data["creator"]] == [base + "/people/michael-connelly/"]
    assert data["containsSeason"] == [
        {
            "@type": "TVSeason",
            "name": "Season 1",
            "seasonNumber": 1,
            "numberOfEpisodes": 10,
            "url": base + "/shows/ballard/#season-1",
        }
    ]
    assert data["sameAs"] == [
        "https://www.imdb.com/title/tt29274555/",
        "https://www.wikidata.org/wiki/Q124606290",
    ]
    assert data["productionCompany"][0]["url"] == base + "/companies/amazon-mgm-studios/"


def test_film_json_ld_is_a_movie_without_seasons(client):
    film = f.show("A Star Is Born", kind=Show.Kind.FILM, year_start=2018)
    f.credit(f.person("A Director"), film, Credit.Role.DIRECTOR)
    page = Page(client.get(film.get_absolute_url()))
    [data] = page.jsonld()
    assert data["@type"] == "Movie"
    assert "containsSeason" not in data
    assert data["director"][0]["name"] == "A Director"
    assert page.find('//section[@aria-labelledby="seasons-heading"]') == []


def test_unknown_show_is_404(client):
    assert client.get("/shows/no-such-show/").status_code == 404


@pytest.mark.parametrize("n", [3, 30])
def test_show_query_count_does_not_grow(client, django_assert_num_queries, n):
    """The same queries with 3 or 30 credits, seasons, studios, spinoffs, tags and stories."""
    show = f.show(network=f.company(), spinoff_of=f.show(), studios=[f.company() for _ in range(n)])
    show.tags.add(*[f"tag {i}" for i in range(n)])
    for i in range(n):
        f.credit(f.person(), show, character=f"Role {i}", order=i)
        f.credit(f.person(), show, Credit.Role.EXECUTIVE_PRODUCER, order=i)
        f.season(show, i + 1, announced_by=f.article())
        f.show(spinoff_of=show)
        f.article(main_show=show, authors=[f.author()])
        f.mention(f.article(authors=[f.author()], main_show=f.show()), show)
    with django_assert_num_queries(SHOW_QUERIES):
        assert client.get(show.get_absolute_url()).status_code == 200


# Person


def test_person_page_groups_credits_by_show_and_role(client):
    w = f.renewal_scenario()
    f.credit(w.connelly, w.bosch, Credit.Role.SOURCE_AUTHOR)
    page = Page(client.get("/people/michael-connelly/"))
    assert page.response.status_code == 200
    assert page.words("//h1") == "Michael Connelly"
    credits = page.one('//aside[@aria-labelledby="credits-heading"]')
    shows = [h.xpath(".//a/@href")[0] for h in credits.xpath(".//h3")]
    assert shows == ["/shows/ballard/", "/shows/bosch/"]
    ballard_roles = [
        " ".join(li.text_content().split())
        for li in credits.xpath(".//h3[a/@href='/shows/ballard/']/following-sibling::ul[1]/li")
    ]
    assert ballard_roles == ["Creator", "Executive producer"]

    maggie = Page(client.get("/people/maggie-q/"))
    roles = maggie.words('//aside[@aria-labelledby="credits-heading"]//li')
    assert roles == "Cast, as Renée Ballard"


def test_person_page_lists_stories_mentioning_them_and_about_their_shows(client):
    w = f.renewal_scenario()
    # Two credits on Ballard: its stories must still come once.
    f.credit(w.maggie, w.ballard, Credit.Role.PRODUCER)
    about_ballard = f.article("Ballard sets a premiere date", main_show=w.ballard)
    about_other = f.article("Other news", main_show=f.show())
    hidden = unpublished(main_show=w.ballard)
    for story in unpublished():
        f.mention(story, w.maggie)

    page = Page(client.get("/people/maggie-q/"))
    mentioning = page.hrefs('//section[@aria-labelledby="mentioning-heading"]')
    about = page.hrefs('//section[@aria-labelledby="shows-stories-heading"]')
    assert [h for h in mentioning if h.startswith("/news/")] == [w.story.get_absolute_url()]
    assert [h for h in about if h.startswith("/news/")] == [about_ballard.get_absolute_url()]
    assert about_other.get_absolute_url() not in page.hrefs()
    for story in hidden:
        assert story.title not in page.html


def test_person_page_lists_each_story_once_and_fills_the_second_list(client):
    """Stories about their shows that also name them: the twenty newest are under "mentioning";
    older ones may fill "about their shows", which still lists twenty when there are."""
    actor = f.person("Series Lead")
    show = f.show("Long Runner")
    f.credit(actor, show)
    now = timezone.now()
    stories = [f.article(main_show=show, published_at=now - timedelta(hours=i + 1)) for i in range(50)]
    for story in stories[::2]:  # 25 name the actor
        f.mention(story, actor)

    page = Page(client.get(actor.get_absolute_url()))
    news = lambda section: [h for h in page.hrefs(f'//section[@aria-labelledby="{section}"]') if h.startswith("/news/")]  # noqa: E731
    mentioning, about = news("mentioning-heading"), news("shows-stories-heading")
    assert mentioning == [s.get_absolute_url() for s in stories[::2][:20]]
    expected = [s.get_absolute_url() for s in stories if s.get_absolute_url() not in mentioning][:20]
    assert about == expected
    assert not set(mentioning) & set(about)


def test_excluded_mention_does_not_list_the_story_on_the_person(client):
    w = f.renewal_scenario()
    page = Page(client.get("/people/titus-welliver/"))
    assert w.story.get_absolute_url() not in page.hrefs()


def test_person_stories_are_bounded_to_the_twenty_newest(client):
    actor = f.person("Busy Actor")
    now = timezone.now()
    stories = [f.article(published_at=now - timedelta(hours=i + 1)) for i in range(25)]
    for story in stories:
        f.mention(story, actor)
    page = Page(client.get(actor.get_absolute_url()))
    listed = [h for h in page.hrefs('//section[@aria-labelledby="mentioning-heading"]') if h.startswith("/news/")]
    assert listed == [s.get_absolute_url() for s in stories[:20]]


def test_person_json_ld(client, settings):
    settings.SITE_URL = "https://news.example.com"
    f.person("Amy Hill", imdb_id="nm0384511", wikidata_id="Q455364")
    [data] = Page(client.get("/people/amy-hill/")).jsonld()
    assert data == {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": "Amy Hill",
        "url": "https://news.example.com/people/amy-hill/",
        "sameAs": ["https://www.imdb.com/name/nm0384511/", "https://www.wikidata.org/wiki/Q455364"],
    }


def test_unknown_person_is_404(client):
    assert client.get("/people/no-such-person/").status_code == 404


@pytest.mark.parametrize("n", [3, 30])
def test_person_query_count_does_not_grow(client, django_assert_num_queries, n):
    actor = f.person()
    for i in range(n):
        show = f.show(network=f.company())
        f.credit(actor, show, character=f"Role {i}")
        f.credit(actor, show, Credit.Role.EXECUTIVE_PRODUCER)
        f.mention(f.article(authors=[f.author()], main_show=f.show()), actor)
        f.article(main_show=show, authors=[f.author()])
    with django_assert_num_queries(PERSON_QUERIES):
        assert client.get(actor.get_absolute_url()).status_code == 200


# Company


def test_company_page_lists_its_shows_and_stories(client):
    w = f.renewal_scenario()
    mentioning = f.article("Streamer news")
    f.mention(mentioning, w.prime)
    unrelated = f.article("Unrelated")
    hidden = unpublished(main_show=w.ballard)

    prime = Page(client.get("/companies/prime-video/"))
    assert prime.response.status_code == 200
    assert prime.words("//h1") == "Prime Video"
    network = prime.hrefs('//section[@aria-labelledby="network-shows-heading"]')
    assert network == ["/shows/ballard/", "/shows/bosch/"]
    stories = prime.hrefs('//section[@aria-labelledby="stories-heading"]')
    assert w.story.get_absolute_url() in stories
    assert mentioning.get_absolute_url() in stories
    assert unrelated.get_absolute_url() not in stories
    for story in hidden:
        assert story.title not in prime.html

    studio = Page(client.get("/companies/amazon-mgm-studios/"))
    assert studio.hrefs('//section[@aria-labelledby="studio-shows-heading"]') == ["/shows/ballard/"]
    assert w.story.get_absolute_url() in studio.hrefs("//main")

    deadline = Page(client.get("/companies/deadline/"))
    assert w.story.get_absolute_url() in deadline.hrefs("//main")

    [data] = prime.jsonld()
    assert data["@type"] == "Organization"
    assert data["url"].endswith("/companies/prime-video/")
    assert data["sameAs"] == ["https://www.wikidata.org/wiki/Q1141279"]


def test_company_shows_are_bounded(client):
    network = f.company("Big Network", kind=Company.Kind.NETWORK)
    for year in range(1950, 2010):
        f.show(network=network, year_start=year)
    page = Page(client.get(network.get_absolute_url()))
    shows = page.find('//section[@aria-labelledby="network-shows-heading"]//li')
    assert len(shows) == 50
    assert "(series, 2009)" in shows[0].text_content()
    assert "50 most recent" in page.words('//section[@aria-labelledby="network-shows-heading"]')


def test_company_stories_are_the_newest_twenty_of_every_way_it_is_concerned(client):
    """Named in a story, network or studio of its main show, or its source: the twenty
    newest of all of them, newest first; an excluded mention and other stories never."""
    studio = f.company("A Studio", kind=Company.Kind.STUDIO)
    network = f.company("A Network", kind=Company.Kind.NETWORK)
    on_network = f.show("On The Network", network=network, studios=[studio])
    elsewhere = f.show("Elsewhere", studios=[studio])
    now = timezone.now()
    concerning = []
    for i in range(24):
        at = now - timedelta(hours=2 * i + 1)
        way = i % 3
        if way == 0:
            story = f.article(main_show=elsewhere, published_at=at)  # as its show's studio
        elif way == 1:
            story = f.article(published_at=at)
            f.mention(story, studio)
        else:
            story = f.article(source=studio, published_at=at)
        concerning.append(story)
        other = f.article(main_show=on_network, published_at=at - timedelta(minutes=30))
        f.mention(other, studio, excluded=True)  # only on the network's page
    not_named = f.article(published_at=now - timedelta(minutes=5))
    f.mention(not_named, studio, excluded=True)

    page = Page(client.get(studio.get_absolute_url()))
    stories = [h for h in page.hrefs('//section[@aria-labelledby="stories-heading"]') if h.startswith("/news/")]
    # The studio of On The Network too: its stories interleave with the others.
    expected = Article.objects.published().filter(
        pk__in=[s.pk for s in concerning] + list(Article.objects.filter(main_show=on_network).values_list("pk", flat=True))
    ).order_by("-published_at", "-pk")[:20]
    assert stories == [a.get_absolute_url() for a in expected]
    assert not_named.get_absolute_url() not in page.hrefs()

    network_page = Page(client.get(network.get_absolute_url()))
    listed = [h for h in network_page.hrefs('//section[@aria-labelledby="stories-heading"]') if h.startswith("/news/")]
    about_its_show = Article.objects.filter(main_show=on_network).order_by("-published_at", "-pk")[:20]
    assert listed == [a.get_absolute_url() for a in about_its_show]


def test_unknown_company_is_404(client):
    assert client.get("/companies/no-such-company/").status_code == 404


@pytest.mark.parametrize("n", [3, 30])
def test_company_query_count_does_not_grow(client, django_assert_num_queries, n):
    company = f.company()
    for _ in range(n):
        on_network = f.show(network=company)
        f.show(studios=[company], network=f.company())
        f.article(main_show=on_network, authors=[f.author()])
        f.mention(f.article(authors=[f.author()]), company)
    with django_assert_num_queries(COMPANY_QUERIES):
        assert client.get(company.get_absolute_url()).status_code == 200


def test_person_page_writes_each_show_once_with_roles_ranked_and_every_character(client):
    person = f.person("A Versatile Actor")
    twins = f.show("Twin Peaks Again", year_start=2024)
    same_title_older = f.show("Twin Peaks Again", year_start=1990)
    undated = f.show("An Undated Pilot")
    f.credit(person, twins, Credit.Role.PRODUCER)
    f.credit(person, twins, character="Dale", order=2)
    f.credit(person, twins, character="Dougie", order=1)
    f.credit(person, twins, Credit.Role.CREATOR)
    f.credit(person, same_title_older, Credit.Role.DIRECTOR)
    f.credit(person, undated)

    credits = Page(client.get(person.get_absolute_url())).one('//aside[@aria-labelledby="credits-heading"]')
    headings = [" ".join(h.text_content().split()) for h in credits.xpath(".//h3")]
    assert headings == ["Twin Peaks Again (2024)", "Twin Peaks Again (1990)", "An Undated Pilot"]
    assert credits.xpath(".//h3/a/@href") == [
        twins.get_absolute_url(), same_title_older.get_absolute_url(), undated.get_absolute_url()
    ]
    roles = [
        [" ".join(li.text_content().split()) for li in ul.xpath("./li")]
        for ul in credits.xpath(".//h3/following-sibling::ul[1]")
    ]
    assert roles == [
        ["Cast, as Dougie and Dale", "Creator", "Producer"],
        ["Director"],
        ["Cast"],
    ]


def test_show_page_lists_studios_spinoffs_and_tags_each_in_its_own_order(client):
    show = f.show("Mothership", studios=[f.company("Zeta Studios"), f.company("Alpha Studios")],
                  tags=["Drama", "Comedy"])
    f.show("Later Spinoff", spinoff_of=show, year_start=2020)
    f.show("An Earlier Spinoff", spinoff_of=show, year_start=2018)
    f.show("Unrelated", studios=[f.company("Beta Studios")], tags=["Action"])

    page = Page(client.get(show.get_absolute_url()))
    facts = page.one('//dl[contains(@class, "facts")]')
    studios = facts.xpath('.//dt[starts-with(., "Studio")]/following-sibling::dd[1]/a/text()')
    spinoffs = facts.xpath('.//dt[starts-with(., "Spinoff")]/following-sibling::dd[1]/a/text()')
    assert studios == ["Alpha Studios", "Zeta Studios"]
    assert spinoffs == ["An Earlier Spinoff", "Later Spinoff"]
    assert page.find('//ul[@class="tags"]//a/text()') == ["Comedy", "Drama"]
    assert page.find('//ul[@class="tags"]//a/@href') == ["/tags/comedy/", "/tags/drama/"]


def test_show_lists_give_kind_years_and_network_except_the_pages_own(client):
    network = f.company("Crown <Network>", kind=Company.Kind.NETWORK)
    studio = f.company("Lot & Co")
    other = f.company("Other Network", kind=Company.Kind.NETWORK)
    f.show("Long Runner", network=network, studios=[studio], year_start=2015, year_end=2021)
    f.show("One Season", network=network, studios=[studio], year_start=2019, year_end=2019)
    f.show("Pilot <i>X</i>", network=other, studios=[studio], kind=Show.Kind.MINISERIES)

    own = Page(client.get(network.get_absolute_url()))
    items = [" ".join(li.text_content().split()) for li in own.find('//section[@aria-labelledby="network-shows-heading"]//li')]
    assert items == ["One Season (series, 2019)", "Long Runner (series, 2015–2021)"]

    made = Page(client.get(studio.get_absolute_url()))
    section = '//section[@aria-labelledby="studio-shows-heading"]'
    items = [" ".join(li.text_content().split()) for li in made.find(f"{section}//li")]
    assert items == [
        "One Season (series, 2019, Crown <Network>)",
        "Long Runner (series, 2015–2021, Crown <Network>)",
        "Pilot <i>X</i> (miniseries, Other Network)",
    ]
    assert "<i>X</i>" not in made.html  # escaped, shown as text
    assert made.find(f"{section}//p") == []  # no "most recent" note under the limit
