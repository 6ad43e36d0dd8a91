"""Image uploads: checked by Pillow before anything is stored, and stored under safe names.

Hero images, posters, headshots and author photos come from editors' desktops and from the
web. Before one is written to storage it must be a real image (Pillow reads it, whatever its
name says), in a format every browser shows (JPEG, PNG, WebP, GIF), under a size in bytes and
a size in pixels. The pixel limit is checked from the header, before any decoding: a
"decompression bomb" (a small file that claims tens of thousands of pixels a side) is refused
with a form error, never decoded into gigabytes of memory.

The stored name is a random one with the extension of the format Pillow found: nothing an
uploader typed (paths, unicode tricks, ``.html``, ``.svg``) reaches a file name, and two
uploads never overwrite each other.

The checks run in the forms (``SafeImageField``, used by every admin that edits an image
through ``SafeImageUploadsAdminMixin``); imports that fetch images should call
``check_image`` the same way.
"""

from __future__ import annotations

import uuid
import warnings
from io import BytesIO
from typing import IO

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from PIL import Image

# Pillow format name → the extension stored files get.
ALLOWED_FORMATS: dict[str, str] = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def safe_image_name(image_format: str) -> str:
    """A fresh, unguessable file name for an image of the given Pillow format."""
    return f"{uuid.uuid4().hex}.{ALLOWED_FORMATS[image_format]}"


def check_image(file: IO[bytes], *, size: int | None = None) -> str:
    """Check that ``file`` is an allowed image within the limits; return its Pillow format.

    Raises ``ValidationError`` with a message an editor can act on. Reads the header and
    verifies the file's structure; never decodes the pixels.
    """
    max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    max_pixels = settings.IMAGE_UPLOAD_MAX_PIXELS
    if size is not None and size > max_bytes:
        raise ValidationError(
            "This file is %(size)s; images may be at most %(max)s.",
            code="image_too_large",
            params={"size": filesizeformat(size), "max": filesizeformat(max_bytes)},
        )
    not_an_image = ValidationError(
        "This file is not an image Pillow can read (JPEG, PNG, WebP or GIF), whatever its "
        "name says.",
        code="invalid_image",
    )
    too_many_pixels = ValidationError(
        "This image claims more pixels than the site accepts (at most %(max)s million); "
        "resize it before uploading.",
        code="image_too_many_pixels",
        params={"max": f"{max_pixels / 1_000_000:g}"},
    )
    try:
        with warnings.catch_warnings():
            # Pillow only warns about images between its limit and twice that: refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_many_pixels from exc
    except Exception as exc:
        raise not_an_image from exc
    with image:
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError(
                "%(format)s images are not accepted: upload a JPEG, PNG, WebP or GIF.",
                code="image_format",
                params={"format": image.format or "This kind of"},
            )
        width, height = image.size
        if width * height > max_pixels:
            raise too_many_pixels
        try:
            image.verify()
        except Exception as exc:
            raise not_an_image from exc
        return image.format


class SafeImageField(forms.ImageField):
    """An image form field that applies ``check_image`` and renames the upload safely."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        if hasattr(data, "temporary_file_path"):
            source: IO[bytes] = open(data.temporary_file_path(), "rb")  # noqa: SIM115
        else:
            source = BytesIO(data.read())
        with source:
            image_format = check_image(source, size=getattr(upload, "size", None))
        upload.content_type = Image.MIME.get(image_format)
        upload.name = safe_image_name(image_format)
        if hasattr(upload, "seek") and callable(upload.seek):
            upload.seek(0)
        return upload


class SafeImageUploadsAdminMixin:
    """For model admins: every image field is edited through ``SafeImageField``."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.ImageField):
            kwargs["form_class"] = SafeImageField
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class RequiredAltTextFormMixin:
    """For model forms: an image field that holds an image needs its alt text filled in.

    ``alt_text_for`` maps image fields to their alt-text fields. Readers who cannot see the
    image hear or read the alt text instead; an image without it is a blank to them.
    """

    alt_text_for: dict[str, str] = {}

    def clean(self):
        cleaned = super().clean()
        for image_field, alt_field in self.alt_text_for.items():
            if image_field not in self.fields or alt_field not in self.fields:
                continue
            image = cleaned.get(image_field)
            if image is False:  # "clear" was ticked
                continue
            if image is None:
                image = getattr(self.instance, image_field, None)
            if image and not (cleaned.get(alt_field) or "").strip():
                self.add_error(
                    alt_field,
                    "Describe the image for readers who cannot see it: an image needs alt text.",
                )
        return cleaned
