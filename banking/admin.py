"""Administrators set each programme's bank account and account mapping here (their own programmes only)."""

from django.contrib import admin

from neem.admin import ProgrammeScopedAdmin

from .models import AccountMapping, BankAccount


@admin.register(BankAccount)
class BankAccountAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    list_display = ["programme", "holder_name", "iban", "bic", "bankgiro"]


@admin.register(AccountMapping)
class AccountMappingAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    list_display = ["programme", "principal_receivable", "interest_income", "bank", "voucher_series"]
