"""Content-Security-Policy on every response.

A small middleware rather than django-csp: Neem's pages need no nonces (every script is a static file,
values reach it through data- attributes), and what we do need is a policy per area (the Django and
Wagtail admins are third-party templates with inline scripts or styles), which django-csp 4 only offers
per view or as a list of excluded prefixes. Thirty lines we own are easier to audit than a dependency.

- Neem's own pages and the public site: scripts and styles from our origin only, no inline script, no
  inline style, nothing framed, no plugins, forms post only to us, never framed by another site.
- The card-payment page adds Stripe.js's origin (settings.STRIPE_JS_URL, localstripe's in tests), and
  only that page (`allow_stripe`).
- /admin/ (Django's admin): scripts from our origin only; inline styles allowed.
- /cms-admin/ (Wagtail's admin): Wagtail's own templates carry inline scripts (date pickers, inline
  panels), so this one area allows 'unsafe-inline' for scripts and styles. Only editors and
  administrators reach it, and it frames its own preview.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

HEADER = "Content-Security-Policy"
STRIPE_ORIGIN = "https://js.stripe.com"

BASE = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "frame-src": ("'none'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}

AREAS = (
    (
        "/cms-admin/",
        {
            "script-src": ("'self'", "'unsafe-inline'"),
            "style-src": ("'self'", "'unsafe-inline'"),
            "img-src": ("'self'", "data:", "blob:"),
            "frame-src": ("'self'",),
            "frame-ancestors": ("'self'",),
        },
    ),
    ("/admin/", {"style-src": ("'self'", "'unsafe-inline'")}),
)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def stripe_sources() -> dict[str, tuple[str, ...]]:
    js = origin(settings.STRIPE_JS_URL)
    if not js:
        return {}
    if js == STRIPE_ORIGIN:
        # Stripe's documented sources: Stripe.js, its frames (the card field, 3-D Secure) and its API.
        api = origin(settings.STRIPE_API_BASE) or "https://api.stripe.com"
        return {
            "script-src": (js,),
            "frame-src": (js, "https://hooks.stripe.com"),
            "connect-src": (api,),
        }
    # Another Stripe-protocol server (localstripe) serves its Stripe.js, frames and API from one origin.
    return {"script-src": (js,), "frame-src": (js,), "connect-src": (js,)}


def policy_for(path: str, *, stripe: bool = False) -> str:
    directives = dict(BASE)
    for prefix, overrides in AREAS:
        if path.startswith(prefix):
            directives |= overrides
            break
    if stripe:
        for name, sources in stripe_sources().items():
            kept = tuple(s for s in directives[name] if s != "'none'")
            directives[name] = kept + sources
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def allow_stripe(response):
    """Mark a response whose page loads Stripe.js (the card payment page)."""
    response.csp_allow_stripe = True
    return response


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = policy_for(request.path, stripe=getattr(response, "csp_allow_stripe", False))
        return response
