from framework.api.routers import router

from .views import BookViewSet, CatalogViewSet, ShelfBookViewSet

router.register("books", BookViewSet, basename="book")
router.register("shelf", ShelfBookViewSet, basename="shelf-book")
router.register("catalog", CatalogViewSet, basename="catalog")
