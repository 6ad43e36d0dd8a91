"""Image renditions: each uploaded image made once into WebP copies in a few widths.

Hero images, posters, headshots and author photos are uploaded at whatever size an editor has.
Pages serve them through ``srcset`` from renditions made here, after the upload's transaction
commits (never on a page view): the original turned upright by its EXIF orientation, resized to
each width in ``WIDTHS`` no larger than the original, saved as WebP under ``renditions/`` in
media storage with its metadata (EXIF, GPS, XMP) left behind.

What was made is recorded on the row in a JSON field next to the image (``<image
field>_renditions``): the source's name and size and each rendition's width, height and
storage name. The ``responsive_image`` template tag renders from that record alone, so a page
view touches neither the disk nor the database for images.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_save
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

WIDTHS = (320, 640, 960, 1280)
WEBP_QUALITY = 80
FOLDER = "renditions"

RenditionInfo = dict[str, Any]


@dataclass(frozen=True)
class ImageSlot:
    """A model's image field and the JSON field recording its renditions."""

    model: type[models.Model]
    image_field: str

    @property
    def info_field(self) -> str:
        return f"{self.image_field}_renditions"


def slots() -> list[ImageSlot]:
    from articles.models import Article, Author
    from catalog.models import Person, Show

    return [
        ImageSlot(Article, "hero_image"),
        ImageSlot(Show, "poster"),
        ImageSlot(Person, "headshot"),
        ImageSlot(Author, "photo"),
    ]


def target_widths(source_width: int) -> list[int]:
    """The widths to make: each of ``WIDTHS`` the source can fill, or the source's own width
    when it is narrower than all of them (images are never enlarged)."""
    return sorted({min(width, source_width) for width in WIDTHS})


def make_renditions(image: FieldFile) -> RenditionInfo:
    """Make the WebP renditions of a stored image and return the record of what was made.

    Raises ``OSError`` (or Pillow's ``DecompressionBombError``) when the file is not an image
    Pillow can read.
    """
    storage = image.storage
    with storage.open(image.name, "rb") as handle:
        data = handle.read()
    digest = hashlib.sha256(data).hexdigest()[:10]
    with Image.open(io.BytesIO(data)) as opened:
        upright = ImageOps.exif_transpose(opened)
        icc_profile = opened.info.get("icc_profile")
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    pixels = upright.convert("RGBA" if has_alpha else "RGB")
    source_width, source_height = pixels.size

    source = PurePosixPath(image.name)
    stem = PurePosixPath(FOLDER, source.parent, f"{source.stem}-{digest}")
    renditions = []
    for width in target_widths(source_width):
        height = max(1, round(source_height * width / source_width))
        resized = (
            pixels
            if width == source_width
            else pixels.resize((width, height), Image.Resampling.LANCZOS)
        )
        buffer = io.BytesIO()
        # Only pixels (and the colour profile) are written: no exif=, no xmp=.
        options = {"icc_profile": icc_profile} if icc_profile else {}
        resized.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4, **options)
        name = storage.save(f"{stem}-{width}w.webp", ContentFile(buffer.getvalue()))
        renditions.append({"width": width, "height": height, "name": name})
    return {
        "source": image.name,
        "width": source_width,
        "height": source_height,
        "renditions": renditions,
    }


def stale(image: FieldFile, info: RenditionInfo | None) -> bool:
    """Whether the record describes some other image than the one stored now."""
    return (info or {}).get("source", "") != (image.name or "")


def refresh_renditions(instance: models.Model, slot: ImageSlot, *, force: bool = False) -> bool:
    """Bring one row's renditions in line with its image; return whether anything was made.

    Idempotent: nothing happens when the record already describes the stored image, unless
    ``force``. Old renditions are deleted once new ones are recorded. The record is written
    with ``update()`` (no ``save()``, so no signal loop and ``updated_at`` stays), and only
    while the row still holds the same image.
    """
    image: FieldFile = getattr(instance, slot.image_field)
    old: RenditionInfo = getattr(instance, slot.info_field) or {}
    if not force and not stale(image, old):
        return False
    if image.name:
        try:
            info = make_renditions(image)
        except (OSError, ValueError, Image.DecompressionBombError) as error:
            # Recorded, so a broken upload is not retried on every save: pages show the original.
            logger.warning("No renditions for %s %s: %s", slot.model.__name__, instance.pk, error)
            info = {"source": image.name, "error": str(error)[:200], "renditions": []}
    else:
        info = {}
    slot.model._default_manager.filter(
        pk=instance.pk, **{slot.image_field: image.name or ""}
    ).update(**{slot.info_field: info})
    setattr(instance, slot.info_field, info)
    # Cached pages still point at the old files (or the original): make them stale.
    from .cache import purge

    purge(instance)
    kept = {r["name"] for r in info.get("renditions", [])}
    for rendition in old.get("renditions", []):
        if rendition["name"] not in kept:
            image.storage.delete(rendition["name"])
    return True


def refresh_all(*, force: bool = False) -> dict[str, int]:
    """Make missing (or, with ``force``, all) renditions for every image: a backfill for images
    stored before renditions existed or by code that bypassed ``save()``. Returns counts per
    model."""
    made: dict[str, int] = {}
    for slot in slots():
        rows = slot.model._default_manager.exclude(**{slot.image_field: ""}).only(
            "pk", slot.image_field, slot.info_field
        )
        made[slot.model._meta.verbose_name_plural] = sum(
            refresh_renditions(row, slot, force=force) for row in rows.iterator()
        )
    return made


def _after_save(sender: type[models.Model], instance: models.Model, **kwargs) -> None:
    """post_save: when the image changed, make renditions once the transaction commits."""
    if kwargs.get("raw"):
        return
    for slot in slots():
        if sender is not slot.model:
            continue
        if not stale(getattr(instance, slot.image_field), getattr(instance, slot.info_field)):
            continue
        pk = instance.pk

        def refresh(slot: ImageSlot = slot, pk: Any = pk) -> None:
            fresh = slot.model._default_manager.filter(pk=pk).first()
            if fresh is not None:
                refresh_renditions(fresh, slot)

        transaction.on_commit(refresh)


def connect_signals() -> None:
    for slot in slots():
        post_save.connect(
            _after_save, sender=slot.model, dispatch_uid=f"renditions-{slot.model._meta.label}"
        )


def srcset(info: RenditionInfo | None, storage) -> dict[str, Any] | None:
    """What an ``<img>`` needs from a record: src, srcset, width and height; None without
    renditions. Pure string work: ``storage.url`` builds an address, it reads no file."""
    renditions = (info or {}).get("renditions") or []
    if not renditions:
        return None
    ordered = sorted(renditions, key=lambda r: r["width"])
    default = next((r for r in ordered if r["width"] >= 960), ordered[-1])
    return {
        "src": storage.url(default["name"]),
        "srcset": ", ".join(f"{storage.url(r['name'])} {r['width']}w" for r in ordered),
        "width": default["width"],
        "height": default["height"],
    }
