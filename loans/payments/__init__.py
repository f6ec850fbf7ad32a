"""Online repayments: Stripe PaymentIntents paid from the borrower's page, signed webhooks, reconciliation.

Only `stripe_api` talks to Stripe; everything else works with plain dicts, Decimals and currency codes.
"""
