import pytest
from django.http import QueryDict

from framework.api import serializers
from tests.testapp.models import Book


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
