import pytest
from django.http import QueryDict

from framework.api import filters
from tests.api.conftest import assert_problem
from tests.testapp.models import Book, EveryField

pytestmark = pytest.mark.django_db

BOOKS = "/api/v1/books/"


@pytest.fixture
def books():
    return Book.objects.bulk_create(Book(title=f"book {n:02}", pages=n % 3) for n in range(25))


def test_page_envelope(api, books):
    body = api.get(BOOKS).json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 25 and len(body["results"]) == 20
    assert body["next"].endswith("?page=2") and body["previous"] is None


@pytest.mark.parametrize("page", ["0", "abc", "999999", "-1"])
def test_pages_that_do_not_exist(api, books, page):
    assert_problem(api.get(BOOKS, {"page": page}), 404, "not_found")


def test_page_size_is_capped(api, books, settings):
    settings.FRAMEWORK = {"API_MAX_PAGE_SIZE": 7}

    assert len(api.get(BOOKS, {"page_size": 100000}).json()["results"]) == 7
    assert len(api.get(BOOKS, {"page_size": 3}).json()["results"]) == 3


def test_filter_by_declared_field(api, books):
    body = api.get(BOOKS, {"pages": 2, "page_size": 100}).json()

    assert body["count"] == 8 and {book["pages"] for book in body["results"]} == {2}


def test_filter_with_an_invalid_value(api, books):
    body = assert_problem(api.get(BOOKS, {"pages": "many"}), 400, "validation_error")

    assert body["errors"][0]["field"] == "pages"


@pytest.mark.parametrize("value", ["0.5", "2.0", " 2", "1e1", "٣"])
def test_an_integer_filter_takes_digits_only(api, books, value):
    body = assert_problem(api.get(BOOKS, {"pages": value}), 400, "validation_error")

    assert body["errors"][0]["field"] == "pages"


def test_an_empty_filter_value_is_no_filter(api, books):
    assert api.get(BOOKS, {"pages": "", "ordering": "", "page": ""}).json()["count"] == 25


class EveryFieldFilterSet(filters.FilterSet):
    class Meta:
        model = EveryField
        fields = ["boolean", "maybe", "integer", "positive_big", "decimal", "floating"]


def filtered(query: str) -> EveryFieldFilterSet:
    return EveryFieldFilterSet(data=QueryDict(query), queryset=EveryField.objects.all())


@pytest.mark.parametrize(
    ("query", "field"),
    [("boolean=abc", "boolean"), ("boolean=1", "boolean"), ("maybe=TRUE", "maybe"), ("integer=1.5", "integer"),
     ("positive_big=x", "positive_big"), ("decimal=1e51", "decimal"), ("floating=-1e51", "floating"),
     ("decimal=NaN", "decimal")],
)
def test_a_filter_value_of_another_type_than_the_schemas_is_refused(query, field):
    filterset = filtered(query)

    assert not filterset.is_valid()
    assert set(filterset.errors) == {field}


def test_filter_values_of_the_schemas_types_filter():
    EveryField.objects.create(boolean=True, integer=7, decimal="2.5", floating=0.5)
    EveryField.objects.create(boolean=False, integer=3)

    assert filtered("boolean=true").qs.count() == 1 and filtered("boolean=false").qs.count() == 1
    assert filtered("integer=-3").qs.count() == 0 and filtered(f"integer={10**40}").qs.count() == 0
    assert filtered("decimal=2.50").qs.count() == 1 and filtered("decimal=-1e50").qs.count() == 0
    assert filtered("boolean=&integer=").qs.count() == 2


def test_the_boolean_filter_renders_its_choice_in_the_browsable_apis_form():
    assert 'value="true" selected' in str(filtered("boolean=true").form["boolean"])


def test_ordering_by_declared_fields(api, books):
    titles = [book["title"] for book in api.get(BOOKS, {"ordering": "-title", "page_size": 3}).json()["results"]]

    assert titles == ["book 24", "book 23", "book 22"]


@pytest.mark.parametrize("ordering", ["id", "created_at", "-title,secret", "title__nonexistent"])
def test_ordering_by_undeclared_fields_is_refused(api, books, ordering):
    body = assert_problem(api.get(BOOKS, {"ordering": ordering}), 400, "validation_error")

    assert body["errors"][0]["field"] == "ordering"
    assert "title, pages" in body["errors"][0]["message"]


def test_a_view_that_declares_no_ordering_fields_cannot_be_ordered(api, books, monkeypatch):
    monkeypatch.setattr("tests.testapp.views.BookViewSet.ordering_fields", None)

    body = assert_problem(api.get(BOOKS, {"ordering": "title"}), 400, "validation_error")

    assert body["errors"][0]["message"] == "This list cannot be ordered."


def test_listing_twenty_rows_costs_two_queries(api, books, django_assert_num_queries):
    with django_assert_num_queries(2):
        api.get(BOOKS)


@pytest.mark.parametrize("size", ["null", "abc", "0", "-3", "2.5", "٣"])
def test_a_page_size_that_is_not_a_whole_number_of_1_or_more_is_a_400(api, books, size):
    body = assert_problem(api.get(BOOKS, {"page_size": size}), 400, "validation_error")

    assert body["errors"][0]["field"] == "page_size"


@pytest.fixture
def filtersets_made(monkeypatch):
    """The FilterSets django-filter makes (one per request it filters)."""
    from django_filters.filterset import BaseFilterSet

    made = []
    init = BaseFilterSet.__init__

    def counting(self, *args, **kwargs):
        made.append(type(self))
        init(self, *args, **kwargs)

    monkeypatch.setattr(BaseFilterSet, "__init__", counting)
    return made


def test_a_list_without_filter_parameters_makes_no_filterset(api, books, filtersets_made):
    body = api.get(BOOKS, {"page": 2, "page_size": 5, "ordering": "title"}).json()

    assert body["count"] == 25 and len(body["results"]) == 5
    assert filtersets_made == []


def test_filterset_fields_become_one_filterset_class_per_view(api, books, filtersets_made):
    for pages in (1, 2):
        assert api.get(BOOKS, {"pages": pages}).status_code == 200

    assert len(filtersets_made) == 2 and filtersets_made[0] is filtersets_made[1]


def test_a_views_own_filterset_class_runs_without_parameters(books):
    import django_filters
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from framework.api.filters import DjangoFilterBackend

    class LongBooks(django_filters.FilterSet):
        class Meta:
            model = Book
            fields = ["pages"]

        def filter_queryset(self, queryset):
            return super().filter_queryset(queryset).filter(pages__gt=0)

    view = type("View", (), {"filterset_class": LongBooks})()
    request = Request(APIRequestFactory().get(BOOKS))

    filtered = DjangoFilterBackend().filter_queryset(request, Book.objects.all(), view)

    assert filtered.count() == Book.objects.filter(pages__gt=0).count() < len(books)
