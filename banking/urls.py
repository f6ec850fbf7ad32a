from django.urls import path

from . import views

app_name = "banking"

urlpatterns = [
    path("bank/statements/", views.statement_list, name="statement_list"),
    path("bank/statements/import/", views.statement_import, name="statement_import"),
    path("bank/statements/<int:pk>/", views.statement_detail, name="statement_detail"),
    path("bank/queue/", views.queue, name="queue"),
    path("bank/lines/<int:pk>/assign/", views.line_assign, name="line_assign"),
    path("bank/lines/<int:pk>/reject/", views.line_reject, name="line_reject"),
    path("bank/payouts/", views.payouts, name="payouts"),
    path("bank/payouts/<int:pk>/account/", views.payout_account, name="payout_account"),
    path("bank/payment-files/<int:pk>/", views.payment_file_download, name="payment_file_download"),
    path("bank/ledger-export/", views.ledger_export, name="ledger_export"),
]
