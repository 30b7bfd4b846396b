import pytest

from framework.management.resources import (
    BAD_FIELD_NAME,
    DUPLICATE_FIELD,
    KEYWORD_FIELD,
    MODEL_ATTRIBUTE,
    NOT_A_CLASS_NAME,
    RESERVED_FIELD,
    SAME_AS_APP,
    TAKEN_MODEL_NAME,
    Field,
    parse_fields,
    parse_model_name,
    resource,
)


@pytest.mark.parametrize(
    ("model", "route", "snake"),
    [("Book", "books", "book"), ("Category", "categories", "category"), ("Box", "boxes", "box"),
     ("Day", "days", "day"), ("BookCategory", "book-categories", "book_category"), ("HTTPLog", "httplogs", "httplog")],
)
def test_route_is_the_plural_of_the_model_in_kebab_case(model, route, snake):
    book = resource(app_name="library", model=model)

    assert book.route == route
    assert book.snake == snake


def test_defaults_are_an_item_with_a_name():
    item = resource(app_name="library")

    assert item.model == "Item"
    assert item.fields == (Field("name", "str", optional=False),)


def test_fields_are_parsed_in_order_with_their_options():
    fields = parse_fields("title:str published:date? price:decimal pages:int? summary:text?")

    assert [(field.name, field.declaration) for field in fields] == [
        ("title", "models.CharField(max_length=200)"),
        ("published", "models.DateField(blank=True, null=True)"),
        ("price", "models.DecimalField(decimal_places=2, max_digits=12)"),
        ("pages", "models.IntegerField(blank=True, null=True)"),
        # Optional text is an empty string, not NULL.
        ("summary", "models.TextField(blank=True)"),
    ]
    assert [field.parameter for field in fields] == [
        "title: str", "published: datetime.date | None = None", "price: Decimal",
        "pages: int | None = None", 'summary: str = ""',
    ]


def test_commas_separate_fields_too():
    assert [field.name for field in parse_fields("title:str, author:str")] == ["title", "author"]


def test_a_boolean_is_never_required_in_a_request():
    assert not parse_fields("done:bool")[0].required


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("book", NOT_A_CLASS_NAME.format(name="book")),
        ("1Book", NOT_A_CLASS_NAME.format(name="1Book")),
        ("Book-Shelf", NOT_A_CLASS_NAME.format(name="Book-Shelf")),
        ("None", NOT_A_CLASS_NAME.format(name="None")),
        ("QuerySet", TAKEN_MODEL_NAME.format(name="QuerySet")),
        ("Library", SAME_AS_APP.format(name="Library", lower="library")),
    ],
)
def test_bad_model_names_are_refused_with_the_reason(model, message):
    with pytest.raises(ValueError) as caught:
        parse_model_name(model, app_name="Library")

    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("title", "'title' is not name:type"),
        ("title:string", "'title:string' has an unknown type 'string'"),
        ("Title:str", BAD_FIELD_NAME.format(name="Title")),
        ("a__b:str", BAD_FIELD_NAME.format(name="a__b")),
        ("class:str", KEYWORD_FIELD.format(name="class")),
        ("created_at:datetime", RESERVED_FIELD.format(name="created_at")),
        ("save:str", MODEL_ATTRIBUTE.format(name="save")),
        ("title:str title:text", DUPLICATE_FIELD.format(name="title")),
        ("book:str", "'book' is the name of the model itself"),
        ("  ", "no field given"),
    ],
)
def test_bad_field_specs_are_refused_naming_the_field(spec, message):
    with pytest.raises(ValueError, match="^--fields: ") as caught:
        parse_fields(spec, model="Book")

    assert message in str(caught.value)


def test_the_owner_index_is_named_by_app_and_model_within_django_s_limit():
    assert resource(app_name="library", model="Book").owner_index == "library_book_owner_newest"
    long_one = resource(app_name="library_inventory_management", model="BookCategoryEntry").owner_index
    other = resource(app_name="library_inventory_management", model="BookCategoryEntries").owner_index
    assert len(long_one) <= 30 and len(other) <= 30 and long_one != other
    assert long_one.startswith("library_inventory_man")
