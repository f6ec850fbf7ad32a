from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    path("my/reminders/", views.my_reminders, name="my_reminders"),
    path("my/messages/<int:case_pk>/", views.my_messages, name="my_messages"),
    path("my/documents/<int:case_pk>/", views.my_documents, name="my_documents"),
    path("case-documents/<int:document_pk>/", views.document_download, name="document_download"),
    path("case-documents/<int:document_pk>/delete/", views.document_delete, name="document_delete"),
    path("cases/<int:case_pk>/invite/", views.case_invite, name="case_invite"),
    path("cases/<int:case_pk>/messages/", views.case_message, name="case_message"),
    path("cases/<int:case_pk>/documents/", views.case_document, name="case_document"),
    path("check-in/<str:token>/", views.check_in, name="check_in"),
]
