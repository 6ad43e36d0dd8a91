from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("news/", views.ArticleListView.as_view(), name="article_list"),
    path(
        "news/<int:year>/<str:month>/<str:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article_detail",
    ),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author_detail"),
    # Tag slugs may be Unicode (taggit keeps accents), hence str rather than slug.
    path("tags/<str:slug>/", views.TagDetailView.as_view(), name="tag_detail"),
    path("renewals/", views.ScorecardView.as_view(), name="scorecard"),
    # Feeds: the latest stories, and one beside every profile page ("<profile>/feed/").
    path("feeds/latest/", feeds.LatestStoriesFeed(), name="latest_feed"),
    path("feeds/latest/atom/", feeds.LatestStoriesAtomFeed(), name="latest_feed_atom"),
    path("shows/<slug:slug>/feed/", feeds.ShowFeed(), name="show_feed"),
    path("shows/<slug:slug>/feed/atom/", feeds.ShowAtomFeed(), name="show_feed_atom"),
    path("people/<slug:slug>/feed/", feeds.PersonFeed(), name="person_feed"),
    path("people/<slug:slug>/feed/atom/", feeds.PersonAtomFeed(), name="person_feed_atom"),
    path("companies/<slug:slug>/feed/", feeds.CompanyFeed(), name="company_feed"),
    path("companies/<slug:slug>/feed/atom/", feeds.CompanyAtomFeed(), name="company_feed_atom"),
    path("tags/<str:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("tags/<str:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag_feed_atom"),
    path("authors/<slug:slug>/feed/", feeds.AuthorFeed(), name="author_feed"),
    path("authors/<slug:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="author_feed_atom"),
]
