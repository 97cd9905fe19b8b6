"""The declared answers of the permission matrix (tests/coproduce/test_permission_matrix.py).

Each row gives, for one URL pattern, the answer each role gets to a GET, in
the order of ROLES:

- `ok`: 200
- `login`: a redirect to the sign-in page
- `redirect`: a redirect anywhere else
- a status code: `403`, `404`, `405`, …

A pattern's row is its entry in ROUTES (the route as Django joins it, e.g.
"my/profile/"), else the row of the longest matching prefix in PREFIXES.
To declare a new URL, add its route to ROUTES with the row you mean; the test
that finds it missing prints the line to fill in.
"""

import re

from django.db.models import Model

ROLES = (
    "anonymous",
    "unverified",
    "resident",
    "group_lead",
    "panel_member",
    "officer",
    "editor",
    "superuser",
)

# Rows that many patterns share.
PUBLIC = "ok ok ok ok ok ok ok ok"
SIGNED_IN = "login ok ok ok ok ok ok ok"
# The Wagtail admin sends everyone without `wagtailadmin.access_admin` to sign
# in, and a member of staff without the permission a screen needs back to the
# dashboard with a message (`redirect`).
ADMIN = "login login login login login ok ok ok"
OFFICERS = "login login login login login ok redirect ok"
EDITORS = "login login login login login redirect ok ok"
SUPERUSERS = "login login login login login redirect redirect ok"
# The example object does not exist for that screen (or not in that state).
ADMIN_404 = "login login login login login 404 404 404"
# Actions that only take a POST.
ADMIN_POST_ONLY = "login login login login login 405 405 405"

ROUTES = {
    # The Wagtail admin: the exceptions to PREFIXES below.
    "admin/login/": "login login login login login login login login",
    "admin/logout/": "redirect ok ok ok ok ok ok ok",
    "admin/^password_reset/": "redirect redirect redirect redirect redirect redirect redirect redirect",
    "admin/api/main/^pages/": ADMIN,
    "admin/api/main/^pages/<int:pk>/action/<str:action_name>/": ADMIN_POST_ONLY,
    "admin/api/main/^documents/": ADMIN,
    "admin/api/main/^images/": ADMIN,
    # Wagtail's own page for testing error reporting: it fails on purpose.
    "admin/failwhale/": "login login login login login 500 500 500",
    "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/": ADMIN_404,
    "admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/": ADMIN_404,
    "admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/preview/": ADMIN_404,
    "admin/pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/": ADMIN_404,
    "admin/pages/create/<slug:app_label>/<slug:model_name>": ADMIN_404,
    "admin/pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/results/": ADMIN_404,
    "admin/pages/<int:page_id>/convert_alias/": ADMIN_404,
    "admin/pages/<int:page_to_move_id>/set_position/": ADMIN_POST_ONLY,
    "admin/pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/": ADMIN_404,
    "admin/pages/workflow/collect_action_data/<int:page_id>/<slug:action_name>/<int:task_state_id>/": ADMIN_404,
    "admin/pages/workflow/preview/<int:page_id>/<int:task_id>/": "login login login login login redirect redirect redirect",
    "admin/pages/<int:page_id>/lock/": ADMIN_POST_ONLY,
    "admin/pages/<int:page_id>/unlock/": ADMIN_POST_ONLY,
    "admin/pages/<int:page_id>/revisions/": "login login login login login redirect redirect redirect",
    "admin/pages/<int:page_id>/workflow_history/detail/<int:workflow_state_id>/": ADMIN_404,
    "admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/": ADMIN_404,
    "admin/collections/<int:pk>/": "login login login login login redirect redirect 404",
    "admin/collections/<int:pk>/delete/": ADMIN_404,
    "admin/workflows/enable/<int:pk>/": ADMIN_POST_ONLY,
    "admin/workflows/remove/<int:page_pk>/": ADMIN_POST_ONLY,
    "admin/workflows/remove/<int:page_pk>/<int:workflow_pk>/": ADMIN_POST_ONLY,
    "admin/workflows/tasks/add/<str:app_label>/<str:model_name>/": ADMIN_404,
    "admin/workflows/tasks/select_type/": "login login login login login redirect redirect redirect",
    "admin/workflows/tasks/edit/<int:pk>/": ADMIN_404,
    "admin/workflows/tasks/enable/<int:pk>/": ADMIN_POST_ONLY,
    "admin/workflows/task_chooser/": ADMIN,
    "admin/workflows/task_chooser/results/": ADMIN,
    "admin/workflows/task_chooser/create/": ADMIN,
    "admin/workflows/task_chooser/<int:task_id>/": ADMIN,
    "admin/reports/locked/": EDITORS,
    "admin/reports/locked/results/": EDITORS,
    "admin/editing-sessions/ping/<str:app_label>/<str:model_name>/<str:object_id>/<int:session_id>/": ADMIN_404,
    "admin/editing-sessions/release/<int:session_id>/": ADMIN_404,
    "admin/block-preview/": ADMIN_404,
    "admin/commissioning/briefs/": OFFICERS,
    "admin/commissioning/briefs/<int:pk>/draft-decision/": ADMIN_POST_ONLY,
    "admin/reports/audit-trail/": OFFICERS,
    "admin/reports/audit-trail/results/": OFFICERS,
    "admin/assetmap/moderation/edit/<int:pk>/": OFFICERS,
    "admin/delivery/readings/import/": OFFICERS,
    "admin/themes/<int:set_id>/propose/": ADMIN_POST_ONLY,
    "admin/themes/<int:set_id>/suggestion/<int:suggestion_id>/dismiss/": ADMIN_POST_ONLY,
    "admin/forms/submissions/<int:page_id>/": ADMIN_404,
    "admin/forms/submissions/<int:page_id>/results/": ADMIN_404,
    "admin/forms/submissions/<int:page_id>/delete/": "login login login login login redirect redirect redirect",
    "admin/redirects/<int:redirect_id>/": "login login login login login redirect 404 404",
    "admin/redirects/<int:redirect_id>/delete/": ADMIN_404,
    "admin/redirects/import/process/": "login login login login login redirect 405 405",
    "admin/searchpicks/<int:query_id>/": "login login login login login redirect redirect 404",
    "admin/searchpicks/<int:query_id>/delete/": ADMIN_404,
    "admin/searchpicks/queries/chooser/": ADMIN,
    "admin/searchpicks/queries/chooser/results/": ADMIN,
    "admin/snippets/": "login login login login login redirect redirect redirect",
    "admin/documents/multiple/<int:doc_id>/": ADMIN_POST_ONLY,
    "admin/documents/multiple/create_from_uploaded_document/<int:uploaded_file_id>/": ADMIN_POST_ONLY,
    "admin/documents/multiple/<int:doc_id>/delete/": ADMIN_POST_ONLY,
    "admin/documents/multiple/delete_upload/<int:uploaded_file_id>/": ADMIN_POST_ONLY,
    "admin/images/<int:image_id>/": ADMIN_404,
    "admin/images/<int:image_id>/delete/": ADMIN_404,
    "admin/images/<int:image_id>/generate_url/": ADMIN_404,
    "admin/images/<int:image_id>/generate_url/output/": ADMIN_404,
    "admin/images/<int:image_id>/preview/<str:filter_spec>/": ADMIN_404,
    "admin/images/usage/<int:image_id>/": ADMIN_404,
    "admin/images/multiple/<int:image_id>/": ADMIN_POST_ONLY,
    "admin/images/multiple/create_from_uploaded_image/<int:uploaded_file_id>/": ADMIN_POST_ONLY,
    "admin/images/multiple/<int:image_id>/delete/": ADMIN_POST_ONLY,
    "admin/images/multiple/delete_upload/<int:uploaded_file_id>/": ADMIN_POST_ONLY,
    "admin/snippets/commissioning/ward/": ADMIN,
    "admin/snippets/commissioning/ward/results/": ADMIN,
    "admin/snippets/commissioning/ward/delete/<int:pk>/": SUPERUSERS,
    "admin/snippets/choose/commissioning/ward/create/": EDITORS,
    "admin/snippets/commissioning/outcome/delete/<int:pk>/": SUPERUSERS,
    "admin/snippets/commissioning/socialvaluecriterion/delete/<int:pk>/": SUPERUSERS,
    "admin/snippets/commissioning/assetcategory/": ADMIN,
    "admin/snippets/commissioning/assetcategory/results/": ADMIN,
    "admin/snippets/commissioning/assetcategory/delete/<int:pk>/": SUPERUSERS,
    "admin/snippets/choose/commissioning/assetcategory/create/": EDITORS,
    "admin/snippets/commissioning/participation/": OFFICERS,
    "admin/snippets/commissioning/participation/results/": OFFICERS,
    "admin/snippets/commissioning/participation/inspect/<int:pk>/": OFFICERS,
    "admin/snippets/choose/commissioning/participation/create/": SUPERUSERS,
    "admin/snippets/commissioning/decisionnotification/": OFFICERS,
    "admin/snippets/commissioning/decisionnotification/results/": OFFICERS,
    "admin/snippets/commissioning/decisionnotification/inspect/<int:pk>/": OFFICERS,
    "admin/snippets/choose/commissioning/decisionnotification/create/": SUPERUSERS,
    "admin/snippets/delivery/commitment/delete/<int:pk>/": SUPERUSERS,
    "admin/snippets/delivery/commitment/history/<int:pk>/revisions/<int:revision_id>/revert/": ADMIN_404,
    "admin/snippets/choose/delivery/commitment/create/": OFFICERS,
    "admin/snippets/delivery/deliveryarrangement/delete/<int:pk>/": SUPERUSERS,
    "admin/snippets/delivery/deliveryarrangement/history/<int:pk>/revisions/<int:revision_id>/revert/": ADMIN_404,
    "admin/snippets/choose/delivery/deliveryarrangement/create/": OFFICERS,
    "admin/snippets/delivery/indicator/delete/<int:pk>/": SUPERUSERS,
    "admin/snippets/delivery/indicator/history/<int:pk>/revisions/<int:revision_id>/revert/": ADMIN_404,
    "admin/snippets/choose/delivery/indicator/create/": OFFICERS,
    "admin/snippets/delivery/reading/edit/<int:pk>/": SUPERUSERS,
    "admin/snippets/delivery/reading/delete/<int:pk>/": SUPERUSERS,
    "admin/snippets/delivery/reading/usage/<int:pk>/": SUPERUSERS,
    "admin/snippets/choose/delivery/reading/create/": OFFICERS,
    "admin/snippets/delivery/reviewdecision/": OFFICERS,
    "admin/snippets/delivery/reviewdecision/results/": OFFICERS,
    "admin/snippets/delivery/reviewdecision/add/": OFFICERS,
    "admin/snippets/choose/delivery/reviewdecision/chosen/<str:pk>/": ADMIN_404,
    "admin/snippets/choose/delivery/reviewdecision/create/": OFFICERS,
    "admin/snippets/delivery/reviewresponse/": OFFICERS,
    "admin/snippets/delivery/reviewresponse/results/": OFFICERS,
    "admin/snippets/delivery/reviewresponse/inspect/<int:pk>/": OFFICERS,
    "admin/snippets/choose/delivery/reviewresponse/create/": SUPERUSERS,
    "admin/snippets/delivery/deliverydigest/": OFFICERS,
    "admin/snippets/delivery/deliverydigest/results/": OFFICERS,
    "admin/snippets/delivery/deliverydigest/add/": SUPERUSERS,
    "admin/snippets/choose/delivery/deliverydigest/chosen/<str:pk>/": ADMIN_404,
    "admin/snippets/choose/delivery/deliverydigest/create/": SUPERUSERS,
    "admin/budget/comments/new/": SUPERUSERS,
    "admin/budget/comments/delete/<int:pk>/": SUPERUSERS,
    "admin/budget/comments/copy/<int:pk>/": SUPERUSERS,
    "admin/budget/comments/<int:pk>/publish/": ADMIN_POST_ONLY,
    "admin/budget/comments/<int:pk>/reject/": ADMIN_POST_ONLY,
    "admin/budget/comments/publish-selected/": ADMIN_POST_ONLY,
    "admin/budget/responses/new/": SUPERUSERS,
    "admin/budget/responses/edit/<int:pk>/": SUPERUSERS,
    "admin/budget/responses/delete/<int:pk>/": SUPERUSERS,
    "admin/budget/responses/history/<int:pk>/": SUPERUSERS,
    "admin/budget/responses/history-results/<int:pk>/": SUPERUSERS,
    "admin/budget/responses/usage/<int:pk>/": SUPERUSERS,
    "admin/budget/responses/copy/<int:pk>/": SUPERUSERS,
    "admin/asset/new/": SUPERUSERS,
    "admin/asset/delete/<int:pk>/": SUPERUSERS,
    "admin/asset/copy/<int:pk>/": SUPERUSERS,
    "admin/assetrevision/": OFFICERS,
    "admin/assetrevision/results/": OFFICERS,
    "admin/assetrevision/inspect/<int:pk>/": OFFICERS,
    "admin/communitygroup/delete/<int:pk>/": SUPERUSERS,
    "admin/panels/lottery/": ADMIN,
    "admin/panels/lottery/run/<int:run_id>/": OFFICERS,
    "admin/panels/invitations/": ADMIN,
    "admin/panels/invitations/letters/<int:batch_id>/": OFFICERS,
    "admin/panels_application/": OFFICERS,
    "admin/panels_application/results/": OFFICERS,
    "admin/panels_application/delete/<int:pk>/": "login login login login login redirect 404 ok",
    "admin/panels_application/inspect/<int:pk>/": "login login login login login ok 404 ok",
    "admin/panels_meeting/delete/<int:pk>/": "login login login login login ok 404 ok",
    "admin/panels_option/delete/<int:pk>/": "login login login login login ok 404 ok",
    "admin/panels_criterion/delete/<int:pk>/": "login login login login login ok 404 ok",
    "admin/consultations/responses/": OFFICERS,
    "admin/consultations/responses/results/": OFFICERS,
    "admin/consultations/responses/inspect/<int:pk>/": OFFICERS,
    "admin/users/delete/<int:pk>/": "login login login login login redirect redirect redirect",
    "admin/images/chooser/chosen/<str:pk>/": ADMIN_404,
    "admin/images/chooser/<int:image_id>/select_format/": ADMIN_404,
    "admin/sprite/": PUBLIC,
    "admin/jsi18n/": PUBLIC,
    "admin/^.*/$": ADMIN_404,
    # The site, allauth's account pages, the API.
    r"documents/^(\d+)/(.*)$": "login login login login login ok login ok",
    "documents/authenticate_with_password/<int:restriction_id>/": "404 404 404 404 404 404 404 404",
    "search/": PUBLIC,
    "sitemap.xml": PUBLIC,
    "favicon.ico": "redirect " * 7 + "redirect",
    "accounts/login/": "ok redirect redirect redirect redirect redirect redirect redirect",
    "accounts/logout/": "redirect ok ok ok ok ok ok ok",
    "accounts/inactive/": PUBLIC,
    "accounts/signup/": "ok redirect redirect redirect redirect redirect redirect redirect",
    "accounts/reauthenticate/": SIGNED_IN,
    "accounts/reauthenticate/code/": "login redirect ok ok ok ok ok ok",
    "accounts/reauthenticate/code/confirm/": "login redirect redirect redirect redirect redirect redirect redirect",
    "accounts/email/": SIGNED_IN,
    "accounts/confirm-email/": PUBLIC,
    "accounts/password/change/": SIGNED_IN,
    "accounts/password/set/": "login redirect redirect redirect redirect redirect redirect redirect",
    "accounts/password/reset/": PUBLIC,
    "accounts/login/code/confirm/": "login redirect redirect redirect redirect redirect redirect redirect",
    r"accounts/^confirm-email/(?P<key>[-:\w]+)/$": PUBLIC,
    "accounts/password/reset/key/done/": PUBLIC,
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": PUBLIC,
    "accounts/password/reset/done/": PUBLIC,
    "accounts/2fa/": SIGNED_IN,
    "accounts/2fa/authenticate/": "login redirect redirect redirect redirect redirect redirect redirect",
    "accounts/2fa/reauthenticate/": "login redirect redirect redirect redirect ok ok ok",
    "accounts/2fa/totp/activate/": "login redirect redirect redirect redirect redirect redirect redirect",
    "accounts/2fa/totp/deactivate/": "login 404 404 404 404 redirect redirect redirect",
    "accounts/2fa/recovery-codes/": "login 404 404 404 404 redirect redirect redirect",
    "accounts/2fa/recovery-codes/generate/": "login redirect redirect redirect redirect redirect redirect redirect",
    "accounts/2fa/recovery-codes/download/": "login 404 404 404 404 redirect redirect redirect",
    "accounts/2fa/webauthn/": SIGNED_IN,
    "accounts/2fa/webauthn/add/": "login redirect redirect redirect redirect redirect redirect redirect",
    "accounts/2fa/webauthn/reauthenticate/": "login redirect redirect redirect redirect redirect redirect redirect",
    "accounts/2fa/webauthn/keys/<int:pk>/remove/": "login redirect redirect redirect redirect redirect redirect redirect",
    "accounts/2fa/webauthn/keys/<int:pk>/edit/": "login redirect redirect redirect redirect redirect redirect redirect",
    "my/profile/": SIGNED_IN,
    "my/profile/about-you/": SIGNED_IN,
    "my/profile/data/": "login 403 ok ok ok ok ok ok",
    "my/profile/delete/": "login ok ok ok ok ok ok 403",
    "my/profile/deleted/": PUBLIC,
    "my/confirm-email/again/": PUBLIC,
    "take-part/": PUBLIC,
    "my/participation/": SIGNED_IN,
    "api/assets.geojson": PUBLIC,
    "api/assets.csv": PUBLIC,
    "api/assets/points.json": PUBLIC,
    "api/assets/<int:pk>.json": PUBLIC,
    # The first ORUK version's feeds moved to the HSDS 3.0 UK profile's paths.
    "api/openreferral/services.json": "redirect " * 7 + "redirect",
    "api/openreferral/organizations.json": "redirect " * 7 + "redirect",
    "api/openreferral/": PUBLIC,
    "api/openreferral/services": PUBLIC,
    "api/openreferral/organizations": PUBLIC,
    # An id that names no record (the matrix's ids name none here).
    "api/openreferral/services/<str:id>": "404 " * 7 + "404",
    "api/openreferral/organizations/<str:id>": "404 " * 7 + "404",
    "community-assets/": "redirect redirect redirect redirect redirect redirect redirect redirect",
    "community-assets/new/": SIGNED_IN,
    "community-assets/mine/": SIGNED_IN,
    "community-groups/new/": SIGNED_IN,
    "community-groups/invitations/<str:token>/": "404 404 404 404 404 404 404 404",
    "community-groups/<slug:slug>/": "login 404 404 ok 404 ok 404 ok",
    "community-groups/<slug:slug>/members/<int:pk>/role/": "login 405 405 405 405 405 405 405",
    "community-groups/<slug:slug>/members/<int:pk>/remove/": "login 405 405 405 405 405 405 405",
    "community-assets/<int:pk>/": PUBLIC,
    "community-assets/<int:pk>/edit/": "login 403 403 403 403 403 403 403",
    "community-assets/<int:pk>/send/": "login 405 405 405 405 405 405 405",
    "what-we-said-we-would-do/": PUBLIC,
    "what-we-said-we-would-do/commitments.<str:fmt>": PUBLIC,
    "join/": PUBLIC,
    "join/register/": "redirect redirect redirect redirect redirect redirect redirect redirect",
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": "404 404 404 404 404 404 404 404",
    # Sends people to allauth's sign-in: no second way in.
    "_util/login/": "login login login login login login login login",
    r"^((?:[\w\-]+/)*)$": PUBLIC,
}

# Whole areas, by the start of their route: a row here covers every pattern
# below it that has no row of its own in ROUTES.
PREFIXES = {
    "admin/": ADMIN,
    "admin/api/": ADMIN_404,
    "admin/asset/": OFFICERS,
    "admin/assetmap/": OFFICERS,
    "admin/assetrevision/": SUPERUSERS,
    "admin/budget/": OFFICERS,
    "admin/choose-page/": ADMIN,
    "admin/collections/": SUPERUSERS,
    "admin/commissioning/": ADMIN_404,
    "admin/communitygroup/": OFFICERS,
    "admin/consultations/": SUPERUSERS,
    "admin/documents/": ADMIN,
    "admin/forms/": ADMIN,
    "admin/groupmembership/": OFFICERS,
    "admin/groups/": SUPERUSERS,
    "admin/images/": ADMIN,
    "admin/pages/": ADMIN,
    "admin/panels/": ADMIN_404,
    "admin/panels_application/": SUPERUSERS,
    "admin/panels_criterion/": OFFICERS,
    "admin/panels_meeting/": OFFICERS,
    "admin/panels_option/": OFFICERS,
    "admin/password_reset/": "redirect redirect redirect redirect redirect redirect redirect redirect",
    "admin/redirects/": EDITORS,
    "admin/reports/": ADMIN,
    "admin/searchpicks/": SUPERUSERS,
    "admin/settings/": ADMIN_404,
    "admin/sites/": SUPERUSERS,
    "admin/snippets/choose/commissioning/": ADMIN,
    "admin/snippets/choose/delivery/": ADMIN,
    "admin/snippets/commissioning/assetcategory/": EDITORS,
    "admin/snippets/commissioning/decisionnotification/": SUPERUSERS,
    "admin/snippets/commissioning/outcome/": ADMIN,
    "admin/snippets/commissioning/participation/": SUPERUSERS,
    "admin/snippets/commissioning/socialvaluecriterion/": ADMIN,
    "admin/snippets/commissioning/ward/": EDITORS,
    "admin/snippets/delivery/commitment/": OFFICERS,
    "admin/snippets/delivery/deliveryarrangement/": OFFICERS,
    "admin/snippets/delivery/deliverydigest/": ADMIN_404,
    "admin/snippets/delivery/indicator/": OFFICERS,
    "admin/snippets/delivery/reading/": OFFICERS,
    "admin/snippets/delivery/reviewdecision/": ADMIN_404,
    "admin/snippets/delivery/reviewresponse/": SUPERUSERS,
    "admin/themes/": OFFICERS,
    "admin/users/": SUPERUSERS,
    "admin/workflows/": SUPERUSERS,
}


def declared_row(route):
    """The declared answers (a tuple in ROLES order) for `route`, or None."""
    row = ROUTES.get(route)
    if row is None:
        prefixes = [prefix for prefix in PREFIXES if route.startswith(prefix)]
        if not prefixes:
            return None
        row = PREFIXES[max(prefixes, key=len)]
    answers = tuple(row.split())
    if len(answers) != len(ROLES):
        raise ValueError(f"{route}: {len(answers)} answers for {len(ROLES)} roles: {row!r}")
    return answers


def format_row(row):
    return " ".join(row)


# --- concrete URLs from the demo borough ------------------------------------------------

# Routes written as regular expressions that a value per group cannot fill in.
EXAMPLE_URLS = {
    "^((?:[\\w\\-]+/)*)$": "/",
    "admin/^.*/$": "/admin/no-such-admin-page/",
    "documents/^(\\d+)/(.*)$": "/documents/{document}/{document_filename}",
}

# Parameters named unlike their model.
MODEL_OF_PARAMETER = {"set_id": "themeset", "run_id": "lotteryrun", "batch_id": "printbatch"}
# For a parameter with no object in the demo: the same answer on every database
# (ids differ between SQLite and PostgreSQL, so "1" might exist on one only).
NO_SUCH_ID = 999_999

_PATH_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^()]*\)")


class ExampleUrls:
    """A concrete URL for each route, with the demo's objects for its parameters."""

    def __init__(self):
        from django.apps import apps
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Collection

        from assetmap.models import Asset, CommunityGroup
        from commissioning.models import EngagementPage

        self.apps = apps
        engagement = EngagementPage.objects.live().order_by("pk").first()
        document = get_document_model().objects.order_by("pk").first()
        image = get_image_model().objects.order_by("pk").first()
        self.values = {
            "page": engagement.pk,
            "programme": engagement.get_parent().pk,
            "revision": engagement.latest_revision_id,
            "image": image.pk if image else 1,
            "document": document.pk if document else 1,
            "document_filename": document.filename if document else "x.pdf",
            "collection": Collection.get_first_root_node().pk,
            "asset": Asset.objects.published().order_by("pk").first().pk,
            "group_slug": CommunityGroup.objects.order_by("pk").first().slug,
        }
        self.by_name = {
            "page_id": "page",
            "parent_page_id": "programme",
            "page_pk": "page",
            "page_to_move_id": "page",
            "destination_id": "programme",
            "engagement_id": "page",
            "programme_id": "programme",
            "revision_id": "revision",
            "image_id": "image",
            "document_id": "document",
            "doc_id": "document",
            "collection_id": "collection",
            "slug": "group_slug",
        }
        self.literal = {
            "app_label": "commissioning",
            "app_name": "commissioning",
            "content_type_app_name": "commissioning",
            "model_name": "ward",
            "content_type_model_name": "ward",
            "fmt": "csv",
            "stage": "analyse",
            "filter_spec": "original",
            "revision_id_a": "earliest",
            "revision_id_b": "latest",
            "token": "not-a-real-token",
            "key": "not-a-real-key",
            "uidb36": "1",
            "uidb64": "MQ",
            "action": "unknown",
            "action_name": "unknown",
        }

    def url(self, route, pattern):
        if route in EXAMPLE_URLS:
            return EXAMPLE_URLS[route].format(**self.values)
        model = _view_model(pattern)

        def fill(match):
            return str(self.value(match.group("name"), route, model))

        # Regular-expression groups first: "(?P<pk>…)" also looks like a path parameter.
        path = _REGEX_GROUP.sub(fill, route)
        path = _PATH_PARAMETER.sub(fill, path)
        path = path.replace("^", "").replace("$", "").replace("\\.", ".")
        return "/" + path

    def value(self, name, route, model):
        if name in self.literal:
            return self.literal[name]
        if name in self.by_name:
            return self.values[self.by_name[name]]
        if name in ("pk", "object_id"):
            return self._pk(route, model)
        model_name = MODEL_OF_PARAMETER.get(name, name.removesuffix("_id").replace("_", ""))
        return _first_pk(self._model_named(model_name))

    def _pk(self, route, model):
        if model is not None:
            return _first_pk(model)
        for word, key in (("pages", "page"), ("images", "image"), ("documents", "document")):
            if f"/{word}/" in f"/{route}":
                return self.values[key]
        if route.startswith("admin/assetmap/moderation/edit/"):
            return _first_pk(self._model_named("assetrevision"))
        if route.startswith(("community-assets/", "api/assets/", "admin/assetmap/moderation/")):
            return self.values["asset"]
        return NO_SUCH_ID

    def _model_named(self, model_name):
        for model in self.apps.get_models():
            if model._meta.model_name == model_name:
                return model
        return None


def _view_model(pattern):
    callback = pattern.callback
    initkwargs = getattr(callback, "view_initkwargs", None) or {}
    view_class = getattr(callback, "view_class", None)
    model = initkwargs.get("model") or getattr(view_class, "model", None)
    # Some views compute `model` per request (a descriptor on the class).
    return model if isinstance(model, type) and issubclass(model, Model) else None


def _first_pk(model):
    if model is None:
        return NO_SUCH_ID
    first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    return first if first is not None else NO_SUCH_ID
