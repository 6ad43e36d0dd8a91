from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("shows/<slug:slug>/", views.ShowDetailView.as_view(), name="show_detail"),
    path("shows/<slug:slug>/credits/", views.ShowCreditsView.as_view(), name="show_credits"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<slug:slug>/credits/", views.PersonCreditsView.as_view(), name="person_credits"),
    path("companies/<slug:slug>/", views.CompanyDetailView.as_view(), name="company_detail"),
]
