from pathlib import Path

from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=200)
    pages = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


# tests/api/test_fast_serialization.py: every model field type, serialized by the fast path and by DRF.


#: The FilePathField's folder (the migration computes it the same way: it names no checkout's path).
THIS_FOLDER = str(Path(__file__).resolve().parent)


class Shelf(models.Model):
    """What an `EveryField` row points to: a primary key of another auto type."""

    id = models.SmallAutoField(primary_key=True)
    name = models.CharField(max_length=50)


class Tag(models.Model):
    id = models.AutoField(primary_key=True)
    label = models.CharField(max_length=50)


class EveryField(models.Model):
    """One field of each type Django has (the ImageField apart: it needs Pillow; see the test)."""

    class Colour(models.TextChoices):
        RED = "red", "Red"
        BLUE = "blue", "Blue"

    class Size(models.IntegerChoices):
        SMALL = 1
        LARGE = 2

    id = models.BigAutoField(primary_key=True)
    boolean = models.BooleanField(default=False)
    maybe = models.BooleanField(null=True)
    char = models.CharField(max_length=100, blank=True)
    nullable_char = models.CharField(max_length=100, null=True)
    colour = models.CharField(max_length=10, choices=Colour.choices, default=Colour.RED)
    size = models.IntegerField(choices=Size.choices, null=True)
    text = models.TextField(blank=True)
    slug = models.SlugField(blank=True)
    email = models.EmailField(blank=True)
    url = models.URLField(blank=True)
    integer = models.IntegerField(null=True)
    small = models.SmallIntegerField(null=True)
    big = models.BigIntegerField(null=True)
    positive = models.PositiveIntegerField(null=True)
    positive_small = models.PositiveSmallIntegerField(null=True)
    positive_big = models.PositiveBigIntegerField(null=True)
    floating = models.FloatField(null=True)
    decimal = models.DecimalField(max_digits=20, decimal_places=6, null=True)
    date = models.DateField(null=True)
    time = models.TimeField(null=True)
    moment = models.DateTimeField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    duration = models.DurationField(null=True)
    identifier = models.UUIDField(null=True)
    address = models.GenericIPAddressField(null=True)
    document = models.JSONField(null=True)
    attachment = models.FileField(blank=True)
    path = models.FilePathField(path=THIS_FOLDER, match=r".*\.py$", blank=True)
    binary = models.BinaryField(null=True)
    incremented = models.GeneratedField(
        expression=models.F("integer") + 1, output_field=models.BigIntegerField(), db_persist=True
    )
    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE, null=True, related_name="rows")
    tags = models.ManyToManyField(Tag, blank=True, related_name="rows")

    class Meta:
        ordering = ["id"]


class Label(models.Model):
    """A one-to-one to an `EveryField` row."""

    row = models.OneToOneField(EveryField, on_delete=models.CASCADE, related_name="label")
    text = models.CharField(max_length=50)
