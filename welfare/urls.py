from django.urls import path

from welfare import views

app_name = "welfare"

urlpatterns = [
    path("", views.todo, name="todo"),
]
