from django.views.generic import DetailView, ListView, TemplateView

from .models import Article, Author


class HomeView(TemplateView):
    template_name = "articles/home.html"


class ArticleListView(ListView):
    queryset = Article.objects.published().for_listing()
    paginate_by = 20


class ArticleDetailView(DetailView):
    queryset = Article.objects.published().for_detail()


class AuthorDetailView(DetailView):
    model = Author


class TagDetailView(TemplateView):
    template_name = "articles/tag_detail.html"
