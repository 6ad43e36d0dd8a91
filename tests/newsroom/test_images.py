import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template import Context, Template
from PIL import ExifTags, Image

from articles.cards import story_cards, story_list_html
from articles.models import Article, Author
from catalog.models import Person, Show
from newsroom.images import WIDTHS, refresh_renditions, slots, target_widths
from tests import factories as f

pytestmark = pytest.mark.django_db


def photo(width: int, height: int, *, fmt: str = "JPEG", gps: bool = False, rotate: bool = False, mode: str = "RGB") -> bytes:
    """A real image file; with ``gps`` it carries camera EXIF and a GPS position, with
    ``rotate`` an EXIF orientation saying "turn 90 degrees"."""
    image = Image.new(mode, (width, height), (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30))
    exif = Image.Exif()
    if rotate:
        exif[ExifTags.Base.Orientation] = 6
    if gps:
        exif[ExifTags.Base.Make] = "A camera maker"
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(
            {
                ExifTags.GPS.GPSLatitudeRef: "N",
                ExifTags.GPS.GPSLatitude: (34.0, 5.0, 30.0),
                ExifTags.GPS.GPSLongitudeRef: "W",
                ExifTags.GPS.GPSLongitude: (118.0, 19.0, 40.0),
            }
        )
    buffer = io.BytesIO()
    image.save(buffer, fmt, **({"exif": exif} if len(exif) else {}))
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def media_files(settings) -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the after-commit hooks of whatever the block saves, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_widths_never_enlarge():
    assert target_widths(4000) == list(WIDTHS)
    assert target_widths(700) == [320, 640, 700]
    assert target_widths(200) == [200]


def test_saving_a_hero_image_makes_webp_renditions_without_metadata(on_commit, settings):
    original = photo(2400, 1200, gps=True, rotate=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    with on_commit():
        story = f.article(hero_image=upload("ballard.jpg", original))
    story.refresh_from_db()
    info = story.hero_image_renditions

    # EXIF orientation applied: the 2400x1200 photo stands upright as 1200x2400.
    assert (info["width"], info["height"]) == (1200, 2400)
    assert info["source"] == story.hero_image.name
    assert [r["width"] for r in info["renditions"]] == [320, 640, 960, 1200]
    for rendition in info["renditions"]:
        assert rendition["name"].startswith("renditions/heroes/")
        path = Path(settings.MEDIA_ROOT) / rendition["name"]
        with Image.open(path) as made:
            assert made.format == "WEBP"
            assert made.size == (rendition["width"], rendition["height"])
            assert rendition["height"] == rendition["width"] * 2
            assert "exif" not in made.info and "xmp" not in made.info
            assert len(made.getexif()) == 0
            assert not made.getexif().get_ifd(ExifTags.IFD.GPSInfo)
            assert b"Exif" not in path.read_bytes()


@pytest.mark.parametrize("model", ["show", "person", "author"])
def test_posters_headshots_and_author_photos_get_renditions(on_commit, model):
    with on_commit():
        if model == "show":
            obj = f.show(poster=upload("poster.png", photo(800, 1200, fmt="PNG")))
        elif model == "person":
            obj = f.person(headshot=upload("face.jpg", photo(500, 500)))
        else:
            obj = f.author(photo=upload("writer.jpg", photo(300, 300)))
    obj.refresh_from_db()
    slot = next(s for s in slots() if isinstance(obj, s.model))
    info = getattr(obj, slot.info_field)

    assert info["renditions"]
    assert all(r["name"].endswith("w.webp") for r in info["renditions"])
    assert max(r["width"] for r in info["renditions"]) == min(info["width"], max(WIDTHS))


def test_transparent_png_keeps_its_alpha(on_commit, settings):
    with on_commit():
        show = f.show(poster=upload("logo.png", photo(400, 200, fmt="PNG", mode="RGBA")))
    show.refresh_from_db()
    name = show.poster_renditions["renditions"][0]["name"]
    with Image.open(Path(settings.MEDIA_ROOT) / name) as made:
        assert made.mode == "RGBA"


def test_renditions_are_made_once(on_commit, settings):
    with on_commit():
        story = f.article(hero_image=upload("once.jpg", photo(1000, 500)))
    story.refresh_from_db()
    before = media_files(settings)

    with on_commit() as callbacks:
        story.title = "Edited headline"
        story.save()
    story.refresh_from_db()

    assert callbacks == []
    assert media_files(settings) == before
    assert refresh_renditions(story, slots()[0]) is False


def test_replacing_or_clearing_the_image_replaces_or_removes_renditions(on_commit, settings):
    with on_commit():
        story = f.article(hero_image=upload("first.jpg", photo(1000, 500)))
    story.refresh_from_db()
    first = {r["name"] for r in story.hero_image_renditions["renditions"]}

    with on_commit():
        story.hero_image = upload("second.jpg", photo(700, 700))
        story.save()
    story.refresh_from_db()
    second = {r["name"] for r in story.hero_image_renditions["renditions"]}

    assert story.hero_image_renditions["source"] == story.hero_image.name
    assert not first & second
    assert first.isdisjoint(media_files(settings))
    assert second <= media_files(settings)

    with on_commit():
        story.hero_image = ""
        story.save()
    story.refresh_from_db()
    assert story.hero_image_renditions == {}
    assert not any(name.startswith("renditions/") for name in media_files(settings))


def test_a_broken_upload_is_recorded_and_served_as_it_is(on_commit):
    with on_commit():
        story = f.article(hero_image=upload("broken.jpg", b"this is not an image"))
    story.refresh_from_db()

    assert story.hero_image_renditions["renditions"] == []
    assert story.hero_image_renditions["source"] == story.hero_image.name
    html = render('{% responsive_image s.hero_image s.hero_image_renditions alt="x" %}', s=story)
    assert f'src="{story.hero_image.url}"' in html
    assert "srcset" not in html


def render(source: str, **context) -> str:
    return Template("{% load images %}" + source).render(Context(context))


def test_template_tag_renders_srcset_from_the_record_alone(on_commit, settings, django_assert_num_queries):
    with on_commit():
        story = f.article(hero_image=upload("tag.jpg", photo(1600, 900)), hero_alt='Maggie Q as "Ballard" & co')
    story = Article.objects.get(pk=story.pk)
    files = media_files(settings)
    # The original may even be gone: rendering never opens a file.
    (Path(settings.MEDIA_ROOT) / story.hero_image.name).unlink()

    with django_assert_num_queries(0):
        html = render(
            '{% responsive_image s.hero_image s.hero_image_renditions alt=s.hero_alt sizes="(min-width: 60rem) 60rem, 100vw" %}',
            s=story,
        )

    assert media_files(settings) == files - {story.hero_image.name}
    names = [r["name"] for r in story.hero_image_renditions["renditions"]]
    assert html.startswith("<img ")
    assert 'srcset="' + ", ".join(f"/media/{n} {w}w" for n, w in zip(names, [320, 640, 960, 1280], strict=True)) + '"' in html
    assert 'sizes="(min-width: 60rem) 60rem, 100vw"' in html
    assert 'width="960" height="540"' in html
    assert 'loading="lazy"' in html
    assert 'alt="Maggie Q as &quot;Ballard&quot; &amp; co"' in html


def test_template_tag_without_image_renders_nothing_and_eager_is_allowed(on_commit):
    story = f.article()
    assert render("{% responsive_image s.hero_image s.hero_image_renditions %}", s=story).strip() == ""
    with on_commit():
        person = f.person(headshot=upload("p.jpg", photo(400, 400)))
    person.refresh_from_db()
    html = render('{% responsive_image p.headshot p.headshot_renditions alt="" loading="eager" %}', p=person)
    assert 'loading="eager"' in html and 'alt=""' in html
    html = render('{% responsive_image p.headshot p.headshot_renditions loading="bogus" %}', p=person)
    assert 'loading="lazy"' in html


def test_rendition_url_picks_the_largest_that_fits(on_commit):
    with on_commit():
        show = f.show(poster=upload("poster.jpg", photo(2000, 3000)))
    show.refresh_from_db()
    url = render("{% rendition_url s.poster s.poster_renditions 1000 %}", s=show)
    assert url.endswith("-960w.webp")
    assert render("{% rendition_url s.poster s.poster_renditions %}", s=show).endswith("-1280w.webp")
    assert render("{% rendition_url s.poster s.poster_renditions %}", s=f.show()) == ""


def test_command_fills_in_images_stored_without_save(settings):
    from io import StringIO

    story = f.article()
    # Written by a path that bypasses save() (a bulk import): no hook ran.
    stored = Path(settings.MEDIA_ROOT, "heroes", "bulk.jpg")
    stored.parent.mkdir(parents=True)
    stored.write_bytes(photo(900, 600, gps=True))
    Article.objects.filter(pk=story.pk).update(hero_image="heroes/bulk.jpg")
    Author.objects.create(name="No photo")

    out = StringIO()
    call_command("make_renditions", stdout=out)
    story.refresh_from_db()

    assert [r["width"] for r in story.hero_image_renditions["renditions"]] == [320, 640, 900]
    assert "1 image(s) processed" in out.getvalue()
    out = StringIO()
    call_command("make_renditions", stdout=out)
    assert "0 image(s) processed" in out.getvalue()


def test_slots_cover_every_public_image():
    assert {(s.model, s.image_field) for s in slots()} == {
        (Article, "hero_image"), (Show, "poster"), (Person, "headshot"), (Author, "photo")
    }


def test_a_card_read_as_a_row_shows_the_same_image_as_the_story(on_commit):
    """Card rows carry the renditions as JSON text, decoded only for a card with an image."""
    with on_commit():
        pictured = f.article("Pictured", hero_image=upload("card.jpg", photo(1600, 900)))
    plain = f.article("Plain")
    stories = Article.objects.filter(pk__in=[pictured.pk, plain.pk]).order_by("pk")

    cards = story_cards(stories, 2)

    assert cards[0].renditions == Article.objects.get(pk=pictured.pk).hero_image_renditions
    assert cards[1].renditions is None and cards[1].image == ""
    from_rows = str(story_list_html(cards[:1]))
    assert 'srcset="' in from_rows and 'width="960" height="540"' in from_rows
    assert from_rows == str(story_list_html(stories.for_listing().filter(pk=pictured.pk)))
