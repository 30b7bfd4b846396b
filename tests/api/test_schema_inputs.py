"""The patterns the schema gives inputs, which the server checks too: each admits only what Django and DRF take."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from framework.api import schema_inputs


def test_whitespace_is_what_str_strip_takes_away():
    assert schema_inputs.WHITESPACE == "".join(chr(code) for code in range(0x110000) if chr(code).isspace())


@pytest.mark.parametrize(("value", "admitted"), [("a", True), (" a\t", True), ("", False), (" \u3000\x1c", False), ("a\x00", False)])
def test_a_non_blank_text_has_a_character_that_is_not_white_space_and_no_nul(value, admitted):
    assert schema_inputs.matches(schema_inputs.text(non_blank=True), value) is admitted


@pytest.mark.parametrize(
    ("whole", "places", "value", "admitted"),
    [
        (6, 2, "123456.78", True), (6, 2, "-0", True), (6, 2, ".5", True), (6, 2, "5.", True),
        (6, 2, "1234567", False), (6, 2, "1.234", False), (6, 2, "", False), (6, 2, "-", False), (6, 2, ".", False),
        (6, 2, "1e2", False), (6, 2, "+1", False), (6, 2, "\u0661", False), (6, 2, "1\n", False),
        (0, 3, "0.123", True), (0, 3, "-.5", True), (0, 3, "0", False), (4, 0, "1234", True), (4, 0, "1.0", False),
    ],
)
def test_a_decimal_pattern(whole, places, value, admitted):
    assert schema_inputs.matches(schema_inputs.decimal(whole, places), value) is admitted


@pytest.mark.parametrize("places", [0, 2])
def test_a_decimal_the_pattern_admits_is_one_decimal_reads_within_the_digits(places):
    for value in ["0", "-999", ".5", "12.", "-0.01"]:
        if schema_inputs.matches(schema_inputs.decimal(3, places), value):
            sign, digits, exponent = Decimal(value).as_tuple()
            assert -exponent <= places and len(digits) + exponent <= 3


@pytest.mark.parametrize(
    "url",
    ["https://example.com", "http://a.b-c.example.org:8080/x/y?q=1&r=%2F#frag", "ftp://localhost/", "ftps://10.0.0.255/~me",
     "https://EXAMPLE.com/a:b@c;d=e,f!$'()*+"],
)
def test_a_url_the_pattern_admits_is_one_djangos_validator_takes(url):
    assert schema_inputs.matches(schema_inputs.URL, url)
    URLValidator()(url)


@pytest.mark.parametrize(
    "url", ["", "example.com", "mailto:a@example.com", "https://x.a", "https://example.com/a b", "https://example.com/%zz",
            "https://example.com/#a#b", "https://-a.example.com/", "https://256.1.1.1/", "https://ex\u00e4mple.com/"],
)
def test_a_url_the_pattern_does_not_admit(url):
    assert not schema_inputs.matches(schema_inputs.URL, url)


def test_the_schema_pattern_is_anchored_at_both_ends_as_the_full_match_is():
    pattern = schema_inputs.schema_pattern("a|b")

    assert pattern == "^(?:a|b)$"
    assert re.search(pattern, "ab") is None and re.search(pattern, "b")


def test_a_url_djangos_validator_refuses_is_not_admitted_either():
    for url in ["https://x.a/", "http://a..b.com/"]:
        with pytest.raises(ValidationError):
            URLValidator()(url)
        assert not schema_inputs.matches(schema_inputs.URL, url)
