from django.utils.decorators import method_decorator
from django.views.decorators.http import condition
from django.views.generic import DetailView, ListView, TemplateView

from newsroom.caching import content_changed_at

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


@method_decorator(condition(last_modified_func=content_changed_at), name="dispatch")
class ScorecardView(TemplateView):
    """The renewal scorecard, filtered by platform and status through GET parameters."""

    template_name = "articles/scorecard.html"

    def get_context_data(self, **kwargs):
        scorecard, form = build_scorecard(self.request.GET)
        return super().get_context_data(scorecard=scorecard, form=form, **kwargs)
