"""The test's own transaction told from the code's: relies on a private attribute of Django's TestCase.

If a test here fails after a Django upgrade, Django changed how TestCase marks its
atomic blocks: update framework/testing/transactions.py (checked against Django 5.2 and 6.1).
"""

import django
import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from framework.testing.transactions import in_code_transaction

CHANGED = (
    f"Django {django.get_version()} no longer marks TestCase's atomic blocks with Atomic._from_testcase: "
    "framework/testing/transactions.py needs another way to tell the test's transaction from the code's"
)


@pytest.mark.django_db
def test_the_tests_own_transaction_is_marked_as_djangos_testcase_does():
    blocks = connections[DEFAULT_DB_ALIAS].atomic_blocks

    assert blocks, "pytest-django's db fixture opened no atomic block"
    assert all(getattr(block, "_from_testcase", None) is True for block in blocks), CHANGED
    with transaction.atomic():
        assert getattr(connections[DEFAULT_DB_ALIAS].atomic_blocks[-1], "_from_testcase", None) is False, CHANGED


@pytest.mark.django_db
def test_only_the_codes_transaction_counts():
    assert not in_code_transaction(DEFAULT_DB_ALIAS)
    with transaction.atomic():
        assert in_code_transaction(DEFAULT_DB_ALIAS)
        with transaction.atomic():
            assert in_code_transaction(DEFAULT_DB_ALIAS)
    assert not in_code_transaction(DEFAULT_DB_ALIAS)


@pytest.mark.django_db(transaction=True)
def test_without_a_tests_transaction_the_codes_counts_alone():
    assert not in_code_transaction(DEFAULT_DB_ALIAS)
    with transaction.atomic():
        assert in_code_transaction(DEFAULT_DB_ALIAS)
