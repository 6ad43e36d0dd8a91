from django.views.generic import DetailView

from .models import Company, Person, Show


class ShowDetailView(DetailView):
    model = Show


class PersonDetailView(DetailView):
    model = Person


class CompanyDetailView(DetailView):
    model = Company
