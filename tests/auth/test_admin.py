"""The admin pages: API keys (the key shown once, on creation) and rights."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import path
from rest_framework_api_key.models import APIKey as UnownedAPIKey

from framework.auth.models import APIKey, Right

urlpatterns = [path("admin/", admin.site.urls)]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_superuser("root", password="x")
    client.force_login(user)
    return user


def test_the_models_are_registered_and_the_librarys_unowned_keys_are_not():
    assert admin.site.is_registered(APIKey) and admin.site.is_registered(Right)
    assert not admin.site.is_registered(UnownedAPIKey)


def test_adding_a_key_shows_it_once(client, staff):
    response = client.post(
        "/admin/framework_auth/apikey/add/", {"name": "ci", "owner": staff.pk}, follow=True
    )

    obj = APIKey.objects.get()
    assert obj.owner == staff
    page = response.content.decode()
    assert f"The API key for ci is: {obj.prefix}." in page


@pytest.mark.parametrize("page", ["/admin/framework_auth/apikey/", "/admin/framework_auth/right/"])
def test_list_pages(client, staff, page):
    assert client.get(page).status_code == 200
