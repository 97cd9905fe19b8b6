"""Site-wide response headers.

`ContentSecurityPolicyMiddleware` replaces django-csp's middleware so that the
public site keeps its strict policy while the Wagtail admin gets a policy it
works under: the admin's page editor runs inline scripts and styles (inline
panels, choosers, date pickers), which the public policy rightly forbids.
django-csp 4 reads only the `CONTENT_SECURITY_POLICY` dict; this middleware
chooses, per request path, between it and `ADMIN_CONTENT_SECURITY_POLICY`.

Framing follows the same split, and the two headers say the same thing: the
public site is never framed (`X-Frame-Options: DENY`, `frame-ancestors
'none'`); the admin and the previews it frames (Wagtail renders a preview as a dummy
request for the page's address) say `SAMEORIGIN` and `'self'`.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings


def admin_policy_applies(path):
    return path.startswith(tuple(settings.ADMIN_CSP_URL_PREFIXES))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        # A view's own decorator (`csp_override`) still wins over the path's policy.
        if report_only or parts.config is not None:
            return parts
        if admin_policy_applies(request.path_info):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        elif getattr(request, "is_dummy", False):
            # Wagtail renders a preview through the middleware as a request for
            # the page's own address: the public policy, framed by the admin.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        return parts

    def process_response(self, request, response):
        framed = admin_policy_applies(request.path_info) or getattr(request, "is_dummy", False)
        if framed and "X-Frame-Options" not in response:
            # Set before Django's XFrameOptionsMiddleware, which then leaves it.
            response["X-Frame-Options"] = "SAMEORIGIN"
        return super().process_response(request, response)


class PermissionsPolicyMiddleware:
    """Send `Permissions-Policy` from settings.PERMISSIONS_POLICY {feature: [origins]}."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
