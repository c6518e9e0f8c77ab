from django.urls import path

from data_reviews.scores import slides_views, views

urlpatterns = [
    path("data/", views.district_dashboard, name="score_district_dashboard"),
    path("data/my-school/", views.my_school, name="score_my_school"),
    path("data/schools/<int:pk>/", views.school_dashboard, name="score_school_dashboard"),
    path("data/slides/", slides_views.district_slides, name="score_district_slides"),
    path("data/schools/<int:pk>/slides/", slides_views.school_slides, name="score_school_slides"),
    path("data/slides/<int:pk>/", slides_views.slides_detail, name="score_slides_detail"),
    path("data/slides/<int:pk>/progress/", slides_views.slides_progress, name="score_slides_progress"),
    path("data/slides/<int:pk>/download/", slides_views.slides_download, name="score_slides_download"),
    path("data/imports/", views.import_list, name="score_import_list"),
    path("data/imports/<int:pk>/", views.import_detail, name="score_import_detail"),
    path("data/imports/<int:pk>/progress/", views.import_progress, name="score_import_progress"),
    path("data/imports/<int:pk>/import/", views.import_start, name="score_import_start"),
    path("data/imports/<int:pk>/check/", views.import_recheck, name="score_import_recheck"),
    path("data/imports/<int:pk>/problems.csv", views.import_problems_csv, name="score_import_problems_csv"),
    path("data/imports/<int:pk>/map-school/", views.import_map_school, name="score_import_map_school"),
    path("data/imports/<int:pk>/new-school/", views.import_new_school, name="score_import_new_school"),
    path("data/students/delete/", views.student_records_delete, name="student_records_delete"),
    path("data/rules/", views.rule_list, name="score_rule_list"),
    path("data/rules/<int:pk>/delete/", views.rule_delete, name="score_rule_delete"),
]
