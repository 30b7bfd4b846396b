"""The Note API on Django Ninja, written as its documentation does: schemas, routes, pagination, auth classes.

The same resources as the baseline: the owner's notes (list, create) with a
session or a JWT, and every note to anyone (list, detail). simplejwt checks
the tokens, as on the baseline.
"""
from django.contrib.auth import authenticate, get_user_model
from django.shortcuts import get_object_or_404
from ninja import ModelSchema, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer, django_auth
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from .models import Note

api = NinjaAPI()


class JWTAuth(HttpBearer):
    def authenticate(self, request, token):
        try:
            access = AccessToken(token)
        except TokenError:
            return None
        user = get_user_model().objects.filter(pk=access["user_id"], is_active=True).first()
        if user is not None:
            request.user = user
        return user


class NoteSummary(ModelSchema):
    class Meta:
        model = Note
        fields = ["id", "title", "created_at", "updated_at"]


class NoteOut(ModelSchema):
    class Meta:
        model = Note
        fields = ["id", "title", "body", "created_at", "updated_at"]


class NoteIn(Schema):
    title: str
    body: str = ""


class Credentials(Schema):
    username: str
    password: str


class Tokens(Schema):
    access: str
    refresh: str


@api.post("/auth/token/", response=Tokens)
def token(request, credentials: Credentials):
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if user is None:
        raise HttpError(401, "No active account found with the given credentials")
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


@api.get("/notes/", response=list[NoteSummary], auth=[JWTAuth(), django_auth])
@paginate(PageNumberPagination)
def list_notes(request):
    return Note.objects.filter(owner=request.auth)


@api.post("/notes/", response={201: NoteOut}, auth=[JWTAuth(), django_auth])
def create_note(request, payload: NoteIn):
    return 201, Note.objects.create(owner=request.auth, **payload.dict())


@api.get("/public-notes/", response=list[NoteSummary])
@paginate(PageNumberPagination)
def list_public_notes(request):
    return Note.objects.all()


@api.get("/public-notes/{note_id}/", response=NoteOut)
def get_note(request, note_id: int):
    return get_object_or_404(Note, id=note_id)
