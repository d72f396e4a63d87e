from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("api/articles/<int:article_id>/comments", views.comments_newest, name="list"),
    path("api/articles/<int:article_id>/comments/hot", views.comments_hottest, name="hot"),
    path("api/comments/<int:comment_id>/up", views.comment_upvote, name="upvote"),
    path("comments/<int:article_id>/", views.comments_page_view, name="page"),
    # Outside /api/: the plain form's errors are a page, and the script's are JSON.
    path("comments/<int:article_id>/post", views.comment_post, name="post"),
]
