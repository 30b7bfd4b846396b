from framework.api.routers import router

from .views import BookViewSet

router.register("books", BookViewSet, basename="book")
