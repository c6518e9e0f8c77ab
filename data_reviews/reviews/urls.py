from django.urls import path

from data_reviews.reviews import views

urlpatterns = [
    path("data/reviews/", views.review_list, name="review_list"),
    path("data/reviews/new/", views.review_create, name="review_create"),
    path("data/reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("data/reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("data/reviews/<int:pk>/print/", views.review_print, name="review_print"),
    path("data/reviews/<int:pk>/export.docx", views.review_export, name="review_export"),
    path("data/reviews/<int:pk>/data/add/", views.review_source_add, name="review_source_add"),
    path("data/reviews/<int:pk>/successes/add/", views.review_success_add, name="review_success_add"),
    path("data/reviews/<int:pk>/problems/add/", views.review_problem_add, name="review_problem_add"),
    path(
        "data/reviews/<int:pk>/problems/<int:problem_pk>/actions/add/",
        views.review_action_add,
        name="review_action_add",
    ),
    path(
        "data/reviews/<int:pk>/problems/<int:problem_pk>/check/",
        views.review_check_record,
        name="review_check_record",
    ),
    path("data/reviews/problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("data/reviews/problems/<int:pk>/edit/", views.problem_edit, name="problem_edit"),
]
