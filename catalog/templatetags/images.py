"""``{% responsive_image %}``: an ``<img>`` with ``srcset``, ``sizes``, ``width`` and ``height``
from the renditions recorded on the row (``newsroom.images``). Rendering reads that record
only: no file is opened, no image resized, no query run.

    {% load images %}
    {% responsive_image story.hero_image story.hero_image_renditions alt=story.hero_alt sizes="(min-width: 60rem) 60rem, 100vw" loading="eager" %}
"""

from django import template
from django.db.models.fields.files import FieldFile

from newsroom import images

register = template.Library()

LOADING = {"lazy", "eager"}


@register.inclusion_tag("includes/responsive_image.html")
def responsive_image(
    image: FieldFile | None,
    renditions: dict | None,
    *,
    alt: str = "",
    sizes: str = "100vw",
    loading: str = "lazy",
    css_class: str = "",
) -> dict:
    """``loading="lazy"`` unless the image is above the fold (then pass "eager")."""
    context = {
        "alt": alt,
        "sizes": sizes,
        "loading": loading if loading in LOADING else "lazy",
        "css_class": css_class,
        "image": None,
    }
    if not image or not image.name:
        return context
    # Without renditions yet (or an unreadable upload) the original is served as it is.
    context["image"] = images.srcset(renditions, image.storage) or {"src": image.url}
    return context


@register.simple_tag
def rendition_url(image: FieldFile | None, renditions: dict | None, width: int = 1280) -> str:
    """The address of the largest rendition no wider than ``width`` (for og:image and the
    like), the original's when there are none, or "" without an image."""
    if not image or not image.name:
        return ""
    fitting = [
        r for r in (renditions or {}).get("renditions") or [] if r["width"] <= width
    ]
    if not fitting:
        return image.url
    return image.storage.url(max(fitting, key=lambda r: r["width"])["name"])
