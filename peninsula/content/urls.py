from django.urls import path

app_name = "content"
urlpatterns = [
    path("<slug:category_slug>/<int:pk>.html", lambda r, **k: None, name="article"),
    path("<slug:slug>/", lambda r, **k: None, name="category"),
    path("author/<slug:slug>/", lambda r, **k: None, name="author"),
]
