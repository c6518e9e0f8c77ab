from django.urls import path

from implementation_plans.processes import views

urlpatterns = [
    path("processes/", views.process_board, name="process_board"),
    path("processes/new/", views.process_custom_create, name="process_custom_create"),
    path("processes/start/<slug:slug>/", views.process_start, name="process_start"),
    path("processes/<int:pk>/", views.process_detail, name="process_detail"),
    path("processes/<int:pk>/draft/", views.process_edit, name="process_edit"),
    path("processes/<int:pk>/submit/", views.process_submit, name="process_submit"),
    path("processes/<int:pk>/co-authors/", views.process_co_authors, name="process_co_authors"),
    path("processes/<int:pk>/versions/", views.process_versions, name="process_versions"),
    path("processes/<int:pk>/versions/<int:number>/", views.process_version, name="process_version"),
    path("processes/<int:pk>/changes/", views.process_diff, name="process_diff"),
    path("processes/<int:pk>/print/", views.process_print, name="process_print"),
    path("processes/<int:pk>/download.docx", views.process_docx, name="process_docx"),
    path("processes/decisions/<int:version_pk>/approve/", views.version_approve, name="process_approve"),
    path(
        "processes/decisions/<int:version_pk>/request-changes/",
        views.version_request_changes,
        name="process_request_changes",
    ),
    path("processes/comments/<int:version_pk>/", views.version_comment, name="process_comment"),
    path("approvals/", views.approval_queue, name="approval_queue"),
]
