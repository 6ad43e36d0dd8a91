"""The newsroom's roles, as auth groups, and the object-level rules the admin applies.

Django's model permissions say what a person may do to stories in general; a newsroom also
needs "only your own drafts". The groups carry the model permissions (created by a data
migration through :func:`sync_roles`, so every install has them); the functions below add
ownership and status on top, and the admin (``articles.desk``) and the workflow services
(``articles.workflow``) both ask them, so a rule cannot hold in one and not the other.

- Writer: writes stories, edits their own while they are drafts, submits them for review.
- Editor: edits any story, publishes, schedules, unpublishes and archives.
- Catalog editor: shows, seasons, people, companies, credits and the suggestion queue.
- Superusers: everything.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

WRITER = "Writer"
EDITOR = "Editor"
CATALOG_EDITOR = "Catalog editor"

PUBLISH = "articles.publish_article"
EDIT_ANY = "articles.edit_any_article"

_CRUD = ("add", "change", "delete", "view")

# Group name → {app_label: {model: actions or custom codenames}}.
ROLES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    WRITER: {
        "articles": {
            "article": ("add", "change", "delete", "view"),
            "byline": _CRUD,
            "author": ("view",),
            "mention": ("view",),
            "suggestion": ("view",),
        },
        # Autocomplete for the story's main show and source needs view permission.
        "catalog": {"show": ("view",), "company": ("view",), "person": ("view",)},
        "taggit": {"tag": ("view",)},
    },
    EDITOR: {
        "articles": {
            "article": (*_CRUD, "publish_article", "edit_any_article"),
            "byline": _CRUD,
            "author": _CRUD,
            "mention": _CRUD,
            "suggestion": ("view", "change"),
        },
        "catalog": {
            model: ("view",) for model in ("show", "season", "person", "company", "credit")
        },
        "taggit": {"tag": _CRUD},
    },
    CATALOG_EDITOR: {
        "catalog": {model: _CRUD for model in ("show", "season", "person", "company", "credit")},
        "articles": {"suggestion": _CRUD, "article": ("view",), "mention": ("view",)},
        "taggit": {"tag": _CRUD},
    },
}


def _codename(action: str, model: str) -> str:
    return action if "_" in action else f"{action}_{model}"


def sync_roles(apps) -> None:
    """Create the role groups and give each exactly its permissions (idempotent).

    Called from a data migration, where custom permissions do not exist yet (Django creates
    them after migrating), so missing content types and permissions are created here.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for group_name, apps_models in ROLES.items():
        permissions = []
        for app_label, models in apps_models.items():
            for model, actions in models.items():
                content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
                for action in actions:
                    codename = _codename(action, model)
                    permission, _ = Permission.objects.get_or_create(
                        content_type=content_type,
                        codename=codename,
                        defaults={"name": f"Can {codename.replace('_', ' ')}"},
                    )
                    permissions.append(permission)
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.set(permissions)


# -- object-level rules -------------------------------------------------------------------------


def can_edit_any(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.has_perm(EDIT_ANY)


def can_publish(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.has_perm(PUBLISH)


def owned_by(user: AbstractBaseUser) -> Q:
    """Stories a person owns: created by them, or carrying their byline."""
    from .models import Byline

    bylined = Byline.objects.filter(author__user=user).values("article_id")
    return Q(created_by=user) | Q(pk__in=bylined)


def owns(user: AbstractBaseUser | AnonymousUser, article) -> bool:
    if not user.is_authenticated or article is None:
        return False
    if article.pk is None:
        return True  # a story being written now: the admin records its writer as creator
    if article.created_by_id == user.pk:
        return True
    return article.bylines.filter(author__user=user).exists()


def can_change_story(user: AbstractBaseUser | AnonymousUser, article) -> bool:
    """Editors change any story; writers only their own, and only while it is a draft."""
    if not user.has_perm("articles.change_article"):
        return False
    if article is None or can_edit_any(user):
        return True
    return article.status == article.Status.DRAFT and owns(user, article)


def can_view_story(user: AbstractBaseUser | AnonymousUser, article) -> bool:
    """Writers see their own stories in the admin; everyone with view rights sees all."""
    if not (user.has_perm("articles.view_article") or user.has_perm("articles.change_article")):
        return False
    if article is None or can_edit_any(user) or not user.has_perm("articles.change_article"):
        return True
    return owns(user, article)
