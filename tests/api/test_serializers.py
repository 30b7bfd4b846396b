import pytest
from django.http import QueryDict

from framework.api import serializers
from tests.testapp.models import Book, EveryField


class BookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Book
        fields = ["title", "pages"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": 0, "pages": 1}, "title"),
        ({"title": True, "pages": 1}, "title"),
        ({"title": "a", "pages": "1"}, "pages"),
        ({"title": "a", "pages": True}, "pages"),
        ({"title": "a", "pages": 1.0}, "pages"),
    ],
)
def test_a_json_value_of_another_type_than_the_field_is_refused(data, field):
    serializer = BookSerializer(data=data)

    assert not serializer.is_valid()
    assert set(serializer.errors) == {field}
    assert serializer.errors[field][0].code == "invalid"


def test_json_values_of_the_right_type_are_taken():
    serializer = BookSerializer(data={"title": "a", "pages": 1})

    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == {"title": "a", "pages": 1}


def test_form_data_is_all_strings_and_is_parsed_as_drf_does():
    serializer = BookSerializer(data=QueryDict("title=a&pages=12"))

    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["pages"] == 12


def test_the_module_offers_the_rest_of_drfs_serializers():
    assert serializers.CharField and serializers.Serializer and serializers.ValidationError


class LinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = EveryField
        fields = ["url", "decimal"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"decimal": ""}, "decimal"),  # DRF reads a blank as null, for forms
        ({"decimal": " 1 "}, "decimal"),
        ({"decimal": "1e3"}, "decimal"),
        ({"decimal": "1234567890123456"}, "decimal"),  # 20 digits, 6 of them places: 14 whole digits at most
        ({"url": "https://example.com/%zz"}, "url"),
        ({"url": "HTTPS://example.com/"}, "url"),
        ({"url": "https://x.a/"}, "url"),  # Django's URLValidator wants two letters after the last dot too
        ({"url": "  "}, "url"),  # DRF strips it to a blank
        ({"url": " https://example.com/"}, "url"),
    ],
)
def test_a_decimal_or_url_the_schema_does_not_admit_is_refused(data, field):
    serializer = LinkSerializer(data=data)

    assert not serializer.is_valid()
    assert set(serializer.errors) == {field}
    assert serializer.errors[field][0].code == "invalid"


@pytest.mark.parametrize(
    "data",
    [{"decimal": "-12345678901234.123456", "url": "https://a-b.example.com:8443/p/a?q=1&r=%20#top"}, {"decimal": None, "url": ""},
     {"decimal": ".5", "url": "ftp://127.0.0.1/"}],
)
def test_a_decimal_or_url_the_schema_admits_is_taken(data):
    serializer = LinkSerializer(data=data)

    assert serializer.is_valid(), serializer.errors


def test_form_data_reads_a_blank_decimal_as_null_as_drf_does():
    serializer = LinkSerializer(data=QueryDict("decimal=&url="))

    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["decimal"] is None
