"""Site-wide response headers.

`ContentSecurityPolicyMiddleware` replaces django-csp's middleware so that the
public site keeps its strict policy while the Wagtail admin gets a policy it
works under: the admin's page editor runs inline scripts and styles (inline
panels, choosers, date pickers), which the public policy rightly forbids.
django-csp 4 reads only the `CONTENT_SECURITY_POLICY` dict; this middleware
chooses, per request path, between it and `ADMIN_CONTENT_SECURITY_POLICY`.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings


def admin_policy_applies(path):
    return path.startswith(tuple(settings.ADMIN_CSP_URL_PREFIXES))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        # A view's own decorator (`csp_override`) still wins over the path's policy.
        if not report_only and parts.config is None and admin_policy_applies(request.path_info):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts
