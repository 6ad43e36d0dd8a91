from django.views.generic import DetailView, ListView, TemplateView

from .models import Article, Author
from .scorecard import build_scorecard


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


class ScorecardView(TemplateView):
    """The renewal scorecard, filtered by platform and status through GET parameters."""

    template_name = "articles/scorecard.html"

    def get_context_data(self, **kwargs):
        scorecard, form = build_scorecard(self.request.GET)
        return super().get_context_data(scorecard=scorecard, form=form, **kwargs)
