from django.urls import path

from . import views

app_name = "submissions"

urlpatterns = [
    path("tougao/", views.submit, name="submit"),
    path("tougao/thanks/", views.thanks, name="thanks"),
]
