"""Administrators set each programme's bank account and account mapping here."""

from django.contrib import admin

from .models import AccountMapping, BankAccount


@admin.register(BankAccount)
class BankAccountAdmin(admin.ModelAdmin):
    list_display = ["programme", "holder_name", "iban", "bic", "bankgiro"]


@admin.register(AccountMapping)
class AccountMappingAdmin(admin.ModelAdmin):
    list_display = ["programme", "principal_receivable", "interest_income", "bank", "voucher_series"]
