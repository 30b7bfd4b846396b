"""The fake_service fixture: routes and answers in turn, the calls received, and a failure for an unexpected call."""

from http import HTTPStatus

import pytest

from framework.services import RemoteClientError, service
from framework.services.registry import registry
from framework.testing.services import UNKNOWN_ERROR, FakeService, UnexpectedCall, fake_services


def test_answers_of_one_route_come_in_turn_the_last_one_repeated(fake_service):
    notes = fake_service("notes")
    notes.get("/n/", status=201).get("/n/", status=202)

    assert [service("notes").get("/n/").status_code for _ in range(3)] == [201, 202, 202]


def test_a_problem_is_filled_in_around_the_keys_given(fake_service):
    notes = fake_service("notes")
    notes.get("/n/", status=409, problem={"code": "conflict_here"})

    with pytest.raises(RemoteClientError) as caught:
        service("notes").get("/n/")

    assert caught.value.content_type == "application/problem+json"
    assert (caught.value.code, caught.value.detail) == ("conflict_here", HTTPStatus(409).description)


def test_an_unknown_error_kind_is_refused_naming_the_known_ones():
    with pytest.raises(ValueError) as caught:
        FakeService("notes").get("/n/", error="boom")

    assert str(caught.value) == UNKNOWN_ERROR.format(error="boom", choices="connect, connect_timeout, read_timeout, disconnect")


def test_an_unexpected_call_fails_the_test_even_when_the_code_caught_it():
    factory = fake_services()
    fake_service = next(factory)
    fake_service("notes")
    with pytest.raises(UnexpectedCall):
        service("notes").get("/nowhere/")

    with pytest.raises(pytest.fail.Exception) as caught:
        next(factory)

    assert "fake service 'notes' has no route GET /nowhere/" in str(caught.value)


def test_the_fake_is_gone_after_the_test():
    factory = fake_services()
    next(factory)("notes")

    with pytest.raises(StopIteration):
        next(factory)

    assert "notes" not in registry.transports and "notes" not in registry.overrides
