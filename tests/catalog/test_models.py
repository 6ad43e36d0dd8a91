import pytest
from django.db import IntegrityError, transaction

from catalog.models import Credit, Season, Show
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_slug_and_key_made_from_the_name_and_kept_unique():
    a = f.person("Maggie Q")
    b = f.person("Maggie Q")
    assert a.slug == "maggie-q" and a.key == "maggie-q"
    assert b.slug == "maggie-q-2" and b.key == "maggie-q-2"


def test_credit_is_unique_on_person_show_role_character():
    s, p = f.show("Ballard"), f.person("Maggie Q")
    f.credit(p, s, character="Renée Ballard")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.credit(p, s, character="Renée Ballard")
    # Another role on the same show is another credit.
    f.credit(p, s, role=Credit.Role.EXECUTIVE_PRODUCER)


def test_season_number_must_be_positive_and_unique_per_show():
    s = f.show()
    Season.objects.create(show=s, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Season.objects.create(show=s, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Season.objects.create(show=s, number=0)


def test_enum_columns_reject_unknown_values():
    s = f.show()
    with pytest.raises(IntegrityError), transaction.atomic():
        Show.objects.filter(pk=s.pk).update(kind="podcast")
    with pytest.raises(IntegrityError), transaction.atomic():
        Show.objects.filter(pk=s.pk).update(status="maybe")


@pytest.mark.parametrize("count", [1, 4, 5, 6, 12, 40])
def test_top_of_billing_is_the_head_of_the_full_billing_order(count):
    """Orders tie (crew often share one), and ties are broken by name: the head read without
    joining every credit must still be exactly the head of the full order."""
    show, other = f.show("An ensemble"), f.show("Another show")
    # Orders 0, 0, 0, 1, 1, 2, 2, 2, …, names deliberately not in creation order.
    for i, name in enumerate(["Zed", "Amy", "Lou", "Bo", "Cy", "Al", "Mo", "Di", "Ed", "Jo", "Ky"]):
        f.credit(f.person(name), show, order=[0, 0, 0, 1, 1, 2, 2, 2, 3, 5, 5][i])
    f.credit(f.person("Elsewhere"), other, order=0)

    full = list(Credit.objects.filter(show=show).show_page_values())
    head = list(Credit.objects.top_of_billing(show.pk, count))

    assert head == full[:count]
    assert [name for _, name, *_ in full[:4]] == ["Amy", "Lou", "Zed", "Bo"]
