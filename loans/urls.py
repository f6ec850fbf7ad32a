from django.urls import path

from . import views
from .payments import views as payment_views

app_name = "loans"

urlpatterns = [
    path("loans/calculator/", views.calculator, name="calculator"),
    path("cases/<int:case_pk>/loan-application/", views.application_new, name="application_new"),
    path("loans/applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("loans/applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("loans/applications/<int:pk>/vote/", views.vote, name="vote"),
    path("loans/applications/<int:pk>/decide/", views.decide, name="decide"),
    path("committee/", views.committee_queue, name="committee_queue"),
    path("committee/minutes/<str:day>/", views.minutes, name="minutes"),
    path("loans/<int:pk>/", views.loan_detail, name="loan_detail"),
    path("loans/<int:pk>/disburse/", views.disburse, name="disburse"),
    path("loans/<int:pk>/repay/", views.repay, name="repay"),
    path("loans/<int:pk>/payoff/", views.payoff, name="payoff"),
    path("loans/<int:pk>/reschedule/", views.reschedule, name="reschedule"),
    path("loans/<int:pk>/write-off/", views.write_off, name="write_off"),
    path("loans/<int:pk>/recovery/", views.recovery, name="recovery"),
    path("loans/<int:pk>/entries/<int:entry_pk>/reverse/", views.reverse, name="reverse"),
    path("loans/<int:pk>/receipts/<int:entry_pk>/", views.receipt, name="receipt"),
    path("loans/<int:pk>/agreement.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("my/loans/<int:pk>/", views.my_loan, name="my_loan"),
    path("my/loans/<int:pk>/agreement/", views.my_agreement, name="my_agreement"),
    path("my/loans/<int:pk>/pay/", payment_views.pay, name="pay"),
    path("my/loans/<int:pk>/pay/<int:payment_pk>/", payment_views.pay_card, name="pay_card"),
    path("my/loans/<int:pk>/pay/<int:payment_pk>/status/", payment_views.pay_status, name="pay_status"),
    path("stripe/webhook/", payment_views.webhook, name="stripe_webhook"),
    path("loans/reconciliation/", payment_views.reconciliation, name="reconciliation"),
    path("loans/online-payments/flagged/", payment_views.flags, name="payment_flags"),
    path("loans/online-payments/<int:payment_pk>/resolve/", payment_views.flag_resolve, name="payment_flag_resolve"),
]
