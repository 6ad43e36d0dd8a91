"""Image uploads: real images only, allowed formats, size and pixel limits, safe names."""

from __future__ import annotations

import io
import os
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Article
from newsroom.uploads import check_image
from tests import factories as f
from tests.articles.test_richtext import story_post

pytestmark = pytest.mark.django_db


def image_bytes(image_format: str, size=(40, 30), noise: bool = False) -> bytes:
    buffer = io.BytesIO()
    if noise:
        image = Image.frombytes("RGB", size, bytes(os.urandom(size[0] * size[1] * 3)))
    else:
        image = Image.new("RGB", size, (200, 40, 40))
    image.save(buffer, format=image_format)
    return buffer.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A small, valid PNG that claims ``width`` by ``height`` one-bit pixels (all zero)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def upload_story(client, name: str, content: bytes, **overrides):
    data = story_post(**{"hero_alt": "Maggie Q in a scene from Ballard", **overrides})
    data["hero_image"] = SimpleUploadedFile(name, content)
    return client.post(reverse("admin:articles_article_add"), data)


@pytest.mark.parametrize(("image_format", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("GIF", "gif")])
def test_real_images_are_stored_under_a_safe_unique_name(admin_client, image_format, extension):
    response = upload_story(admin_client, "../../etc/My Photo<script>.html", image_bytes(image_format))
    assert response.status_code == 302, response.context["errors"]
    story = Article.objects.get()
    name = story.hero_image.name
    assert name.startswith("heroes/") and name.endswith(f".{extension}")
    stem = name.rsplit("/", 1)[1].split(".")[0]
    assert len(stem) == 32 and all(c in "0123456789abcdef" for c in stem)
    assert story.hero_image.storage.exists(name)
    with Image.open(story.hero_image.path) as stored:
        assert stored.format == image_format


def test_two_uploads_with_the_same_name_do_not_collide(admin_client):
    upload_story(admin_client, "hero.png", image_bytes("PNG"))
    upload_story(admin_client, "hero.png", image_bytes("PNG"), slug="second", title="Second")
    names = [a.hero_image.name for a in Article.objects.all()]
    assert len(set(names)) == 2


def test_a_text_file_named_jpg_is_refused(admin_client):
    response = upload_story(admin_client, "photo.jpg", b"Just some words, not a picture at all.\n" * 20)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["hero_image"]
    assert "not an image" in errors[0]
    assert not Article.objects.exists()


def test_a_format_outside_the_list_is_refused(admin_client):
    response = upload_story(admin_client, "photo.bmp", image_bytes("BMP"))
    assert response.status_code == 200
    assert "BMP images are not accepted" in response.context["adminform"].form.errors["hero_image"][0]


@pytest.mark.parametrize("side", [8_000, 20_000])
def test_a_decompression_bomb_is_a_form_error_not_a_crash(admin_client, side):
    """8,000² is over our limit but under Pillow's; 20,000² is over Pillow's own."""
    bomb = png_bomb(side, side)
    assert len(bomb) < 200_000, "the file itself is small"
    response = upload_story(admin_client, "bomb.png", bomb)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["hero_image"]
    assert "more pixels than the site accepts" in errors[0]


def test_an_oversize_file_is_refused(admin_client, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 50_000
    big = image_bytes("PNG", size=(300, 300), noise=True)
    assert len(big) > 50_000
    response = upload_story(admin_client, "big.png", big)
    assert response.status_code == 200
    assert "images may be at most" in response.context["adminform"].form.errors["hero_image"][0]


def test_a_hero_image_needs_alt_text(admin_client):
    response = upload_story(admin_client, "hero.png", image_bytes("PNG"), hero_alt="  ")
    assert response.status_code == 200
    assert "alt text" in response.context["adminform"].form.errors["hero_alt"][0]
    # Without an image, no alt text is needed.
    response = admin_client.post(reverse("admin:articles_article_add"), story_post())
    assert response.status_code == 302


def test_posters_headshots_and_author_photos_are_checked_too(admin_client):
    for url_name, obj, field in [
        ("admin:catalog_show_change", f.show("Ballard"), "poster"),
        ("admin:catalog_person_change", f.person("Maggie Q"), "headshot"),
        ("admin:articles_author_change", f.author("TV Desk"), "photo"),
    ]:
        form = admin_client.get(reverse(url_name, args=[obj.pk])).context["adminform"].form
        assert type(form.fields[field]).__name__ == "SafeImageField", field


def test_check_image_accepts_a_real_png_and_reports_its_format():
    assert check_image(io.BytesIO(image_bytes("PNG"))) == "PNG"
    assert check_image(io.BytesIO(image_bytes("WEBP")), size=1000) == "WEBP"
