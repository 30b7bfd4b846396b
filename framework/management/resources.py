"""The resource `startapp` renders: a model name and its fields, parsed from the command line."""

from __future__ import annotations

import hashlib
import keyword
import re
from dataclasses import dataclass

# Django's limit on the length of an index name (models.E034).
MAX_INDEX_NAME = 30

#: The model when `--model` is not given: an example to rename.
DEFAULT_MODEL = "Item"
DEFAULT_FIELDS = "name:str"

# Fields every model of the template has, besides the ones given.
TEMPLATE_FIELDS = ("id", "pk", "owner", "owner_id", "created_at", "updated_at")
# Names the app's modules import next to the model's own: a model called so would hide them.
TEMPLATE_NAMES = (
    "AbstractBaseUser", "AppConfig", "Decimal", "ModelViewSet", "QuerySet", "admin", "datetime",
    "models", "pytest", "serializers", "services", "selectors", "settings", "task", "tasks",
)

NOT_A_CLASS_NAME = "'{name}' is not a model name: use a Python class name in CapWords, such as Book"
TAKEN_MODEL_NAME = "'{name}' is a name the app's code already uses; choose another model name"
SAME_AS_APP = "the model '{name}' has the name of its app; name the app in lower case, such as {lower}"
BAD_FIELD = "--fields: '{spec}' is not name:type (types: {types}; a '?' after the type makes it optional)"
BAD_FIELD_NAME = "--fields: '{name}' is not a field name: use lower case letters, digits and single underscores"
KEYWORD_FIELD = "--fields: '{name}' is a Python keyword; choose another field name"
UNKNOWN_TYPE = "--fields: '{spec}' has an unknown type '{type}' (types: {types})"
RESERVED_FIELD = "--fields: '{name}' is a field every model of the template has already"
MODEL_ATTRIBUTE = "--fields: '{name}' is an attribute of every Django model; choose another field name"
MODEL_FIELD = "--fields: '{name}' is the name of the model itself; choose another field name"
DUPLICATE_FIELD = "--fields: '{name}' is given twice"
NO_FIELDS = "--fields: no field given (expected, for example, \"title:str published:date\")"


@dataclass(frozen=True)
class FieldType:
    """How a field type of `--fields` is written in the model, the migration, the services and the tests."""

    #: The model field and its options: `models.CharField(max_length=200)` is `CharField`, `max_length=200`.
    field_class: str
    options: str
    annotation: str
    #: Two values of this type in a JSON request, and the Python values the database then holds.
    json_sample: str
    python_sample: str
    json_edit: str
    python_edit: str
    #: Whether `?name=...` filters a list by it, and `?search=` looks in it.
    filterable: bool = True
    searchable: bool = False


def _text(field_class: str, options: str, *, filterable: bool = True) -> FieldType:
    return FieldType(
        field_class, options, "str", '"An example"', '"An example"', '"Changed"', '"Changed"',
        filterable=filterable, searchable=True,
    )


FIELD_TYPES: dict[str, FieldType] = {
    "str": _text("CharField", "max_length=200"),
    "text": _text("TextField", "", filterable=False),
    "int": FieldType("IntegerField", "", "int", "42", "42", "43", "43"),
    "decimal": FieldType(
        "DecimalField", "decimal_places=2, max_digits=12", "Decimal",
        '"9.99"', 'Decimal("9.99")', '"10.50"', 'Decimal("10.50")',
    ),
    "bool": FieldType("BooleanField", "default=False", "bool", "True", "True", "False", "False"),
    "date": FieldType(
        "DateField", "", "datetime.date",
        '"2024-05-01"', "datetime.date(2024, 5, 1)", '"2024-06-02"', "datetime.date(2024, 6, 2)",
    ),
    "datetime": FieldType(
        "DateTimeField", "", "datetime.datetime",
        '"2024-05-01T12:30:00Z"', "datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.timezone.utc)",
        '"2024-06-02T08:00:00Z"', "datetime.datetime(2024, 6, 2, 8, 0, tzinfo=datetime.timezone.utc)",
    ),
    "email": FieldType(
        "EmailField", "max_length=254", "str",
        '"ann@example.com"', '"ann@example.com"', '"bob@example.com"', '"bob@example.com"', searchable=True,
    ),
    "url": FieldType(
        "URLField", "max_length=200", "str",
        '"https://example.com/"', '"https://example.com/"', '"https://example.org/"', '"https://example.org/"',
    ),
}
TYPE_NAMES = ", ".join(FIELD_TYPES)

_CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]*\Z")
# Django refuses field names with a double underscore or a trailing one.
_FIELD_NAME = re.compile(r"[a-z](?:_?[a-z0-9])*\Z")
_SPEC = re.compile(r"(?P<name>[^:]+):(?P<type>[a-z]+)(?P<optional>\??)\Z")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    optional: bool

    @property
    def kind(self) -> FieldType:
        return FIELD_TYPES[self.type]

    @property
    def options(self) -> str:
        """The model field's keyword arguments, sorted as `makemigrations` writes them."""
        options = [option for option in self.kind.options.split(", ") if option]
        if self.optional:
            # Text is optional as an empty string, other types as NULL (Django's convention).
            options += ["blank=True"] if self.kind.annotation == "str" else ["blank=True", "null=True"]
        return ", ".join(sorted(options))

    @property
    def declaration(self) -> str:
        return f"models.{self.kind.field_class}({self.options})"

    @property
    def annotation(self) -> str:
        if not self.optional:
            return self.kind.annotation
        return f"{self.kind.annotation} | None"

    @property
    def parameter(self) -> str:
        """The field as a keyword parameter of the create service."""
        if self.type == "bool":
            # The model's default: the API does not require a boolean, so neither may the service.
            return f"{self.name}: bool = False"
        if not self.optional:
            return f"{self.name}: {self.kind.annotation}"
        if self.kind.annotation == "str":
            return f'{self.name}: str = ""'
        return f"{self.name}: {self.kind.annotation} | None = None"

    @property
    def required(self) -> bool:
        """Whether a create request must give it."""
        return not self.optional and self.type != "bool"


@dataclass(frozen=True)
class Resource:
    """A model of an app, as `startapp --model NAME --fields SPEC` describes it."""

    model: str
    fields: tuple[Field, ...]
    app: str = ""

    @property
    def owner_index(self) -> str:
        """The name of the index of the owner's list (owner, newest first): app and model, within Django's limit."""
        name = f"{self.app}_{self.snake}_owner_newest"
        if len(name) <= MAX_INDEX_NAME:
            return name
        # Unique per app and model (index names are unique in a database), as Django's own names are.
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        return f"{name[:MAX_INDEX_NAME - 9]}_{digest}"

    @property
    def snake(self) -> str:
        return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", self.model).lower()

    @property
    def words(self) -> str:
        """The model's name in words: BookCategory -> book category."""
        return self.snake.replace("_", " ")

    @property
    def slug(self) -> str:
        return self.snake.replace("_", "-")

    @property
    def plural(self) -> str:
        """The plural of the model's name in snake case: book -> books, category -> categories."""
        name = self.snake
        if re.search(r"[^aeiou]y\Z", name):
            return name[:-1] + "ies"
        if re.search(r"(s|x|z|ch|sh)\Z", name):
            return name + "es"
        return name + "s"

    @property
    def plural_words(self) -> str:
        return self.plural.replace("_", " ")

    @property
    def route(self) -> str:
        """The URL segment under /api/v1/: the plural, with hyphens (book_categories -> book-categories)."""
        return self.plural.replace("_", "-")

    @property
    def label(self) -> Field | None:
        """The field that names an instance (its `__str__`): the first required text field, if any."""
        return next((field for field in self.fields if field.kind.annotation == "str" and not field.optional), None)

    @property
    def filterable(self) -> list[str]:
        return [field.name for field in self.fields if field.kind.filterable]

    @property
    def searchable(self) -> list[str]:
        return [field.name for field in self.fields if field.kind.searchable]

    @property
    def searched(self) -> Field | None:
        """A text field the tests search in (an email would not take any text)."""
        return next((field for field in self.fields if field.type in ("str", "text")), None)

    @property
    def required(self) -> list[Field]:
        return [field for field in self.fields if field.required]

    @property
    def imports_datetime(self) -> bool:
        return any(field.type in ("date", "datetime") for field in self.fields)

    @property
    def imports_decimal(self) -> bool:
        return any(field.type == "decimal" for field in self.fields)


def parse_model_name(name: str, *, app_name: str) -> str:
    """`name` if it can name the app's model; raises ValueError naming the problem."""
    if not _CLASS_NAME.match(name) or keyword.iskeyword(name):
        raise ValueError(NOT_A_CLASS_NAME.format(name=name))
    if name == app_name:
        raise ValueError(SAME_AS_APP.format(name=name, lower=name.lower()))
    if name in TEMPLATE_NAMES:
        raise ValueError(TAKEN_MODEL_NAME.format(name=name))
    return name


def parse_fields(spec: str, *, model: str = DEFAULT_MODEL) -> tuple[Field, ...]:
    """Fields from `"title:str author:str published:date?"`; raises ValueError naming the first bad one."""
    from django.db import models

    snake = Resource(model, ()).snake
    fields: list[Field] = []
    for item in spec.replace(",", " ").split():
        match = _SPEC.match(item)
        if match is None:
            raise ValueError(BAD_FIELD.format(spec=item, types=TYPE_NAMES))
        name, type_ = match["name"], match["type"]
        if not _FIELD_NAME.match(name):
            raise ValueError(BAD_FIELD_NAME.format(name=name))
        if keyword.iskeyword(name):
            raise ValueError(KEYWORD_FIELD.format(name=name))
        if type_ not in FIELD_TYPES:
            raise ValueError(UNKNOWN_TYPE.format(spec=item, type=type_, types=TYPE_NAMES))
        if name in TEMPLATE_FIELDS:
            raise ValueError(RESERVED_FIELD.format(name=name))
        if hasattr(models.Model, name):
            raise ValueError(MODEL_ATTRIBUTE.format(name=name))
        if name == snake:
            # The services take the instance under this name, next to the fields.
            raise ValueError(MODEL_FIELD.format(name=name))
        if any(field.name == name for field in fields):
            raise ValueError(DUPLICATE_FIELD.format(name=name))
        fields.append(Field(name, type_, optional=bool(match["optional"])))
    if not fields:
        raise ValueError(NO_FIELDS)
    return tuple(fields)


def resource(*, app_name: str, model: str | None = None, fields: str | None = None) -> Resource:
    """The resource of `startapp`: the model `model` (default Item) with `fields` (default name:str)."""
    model = parse_model_name(model or DEFAULT_MODEL, app_name=app_name)
    return Resource(model, parse_fields(DEFAULT_FIELDS if fields is None else fields, model=model), app=app_name)
