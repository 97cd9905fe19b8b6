"""Public views of the asset map: thin, they parse the request and call services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from coproduce.cache import PAGES_GENERATION_KEY, remembered
from coproduce.forms import add_service_errors
from coproduce.ratelimit import RATE_LIMIT_MESSAGE, form_rate_limited, rate_limited
from coproduce.restrictions import public_pages
from coproduce.shared import serve_shared

from . import rules, selectors, services
from .forms import AssetForm, GroupMemberInviteForm, GroupMemberRoleForm, GroupRegisterForm
from .models import (
    Asset,
    AssetCallPage,
    AssetMapPage,
    AssetRevision,
    CommunityGroup,
    GroupMembership,
)

SUBMIT_LIMIT = 20  # submissions or edits per person per hour
GROUP_REGISTER_LIMIT = 5  # new groups per person per hour


def _map_page_crumb():
    map_page = AssetMapPage.objects.live().only("id", "url_path", "title").first()
    return {"title": map_page.title, "url": map_page.url} if map_page is not None else None


def _breadcrumbs(*extra):
    crumbs = [{"title": "Home", "url": "/"}]
    # The same on every asset page until the page tree changes.
    map_crumb = remembered(PAGES_GENERATION_KEY, "assetmap:map-crumb", _map_page_crumb)
    if map_crumb is not None:
        crumbs.append(dict(map_crumb))
    crumbs.extend(extra)
    return crumbs


def asset_map(request):
    """The map under a stable URL name, so pages of other apps can link to it."""
    map_page = (
        public_pages(AssetMapPage.objects.live()).only("id", "url_path").order_by("pk").first()
    )
    if map_page is None:
        raise Http404("There is no community assets map.")
    query = request.GET.urlencode()
    return redirect(map_page.get_url(request=request) + (f"?{query}" if query else ""))


def asset_detail(request, pk):
    asset = selectors.asset_detail(pk=pk)
    if asset is None or not rules.can_view_asset(request.user, asset):
        raise Http404("No such asset.")
    # The owner's parts of the page: its edit button and their edit awaiting moderation.
    can_edit = rules.can_edit_asset(request.user, asset)
    pending_edit = None
    if can_edit:
        pending_edit = asset.revisions.filter(status=AssetRevision.PENDING).first()
    personal = {"can_edit": can_edit, "pending_edit": pending_edit}
    return serve_shared(request, lambda mine: _asset_page(request, asset, mine), personal)


def _asset_page(request, asset, personal):
    crumbs = _breadcrumbs()
    return TemplateResponse(
        request,
        "assetmap/asset_detail.html",
        {
            **personal,
            "asset": asset,
            "photos": list(selectors.asset_public_photos(asset=asset)),
            "tags": list(asset.tags.all()),
            "outcomes": list(asset.outcomes.all()),
            "breadcrumbs": crumbs,
            "map_url": crumbs[1]["url"] if len(crumbs) > 1 else None,
            "map_settings": selectors.map_settings(),
        },
    )


def _call_from(request):
    """The asset call named by ?call= (or the form's hidden field), live only."""
    raw = request.POST.get("call") or request.GET.get("call")
    if not raw:
        return None
    try:
        return AssetCallPage.objects.live().get(pk=int(raw))
    except (ValueError, AssetCallPage.DoesNotExist):
        raise Http404("No such asset call.") from None


def _save(request, form, action):
    """Run `action` (a service call) and map its refusals onto the form."""
    if rate_limited(request, "assetmap-submit", limit=SUBMIT_LIMIT, period=3600):
        form.add_error(None, RATE_LIMIT_MESSAGE)
        return None
    try:
        return action()
    except ValidationError as error:
        add_service_errors(form, error)
    return None


@login_required
def asset_new(request):
    call = _call_from(request)
    outcomes = call.outcomes.all() if call is not None and call.outcomes.exists() else None
    form = AssetForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        outcomes=outcomes,
        initial={"group": request.GET.get("group")},
    )
    draft = request.POST.get("action") == "draft"
    if request.method == "POST" and form.is_valid():
        asset = _save(
            request,
            form,
            lambda: services.asset_submit(
                user=request.user,
                data=form.service_data(),
                photos=form.cleaned_data["photos"],
                call=call,
                draft=draft,
            ),
        )
        if asset is not None:
            messages.success(
                request,
                f"“{asset.name}” is saved as a draft."
                if draft
                else f"Thank you. “{asset.name}” will appear {asset.where_shown} "
                "once it has been checked.",
            )
            return redirect("assetmap:my_assets")
    return TemplateResponse(
        request,
        "assetmap/asset_form.html",
        {
            "form": form,
            "call": call,
            "call_open": call is None or call.is_open(),
            "title": "Add a community asset",
            "breadcrumbs": _breadcrumbs(),
            "map_settings": selectors.map_settings(),
        },
    )


@login_required
def asset_edit(request, pk):
    asset = selectors.asset_detail(pk=pk)
    if asset is None or not rules.can_view_asset(request.user, asset):
        raise Http404("No such asset.")
    if not rules.can_edit_asset(request.user, asset):
        raise PermissionDenied("You cannot edit this asset.")
    pending = asset.revisions.filter(status=AssetRevision.PENDING).first()
    initial_values = services.revision_values(pending) if pending else None
    form = AssetForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        current_group=asset.group,
        initial=AssetForm.initial_for(asset, initial_values),
    )
    draft = request.POST.get("action") == "draft" and asset.status != Asset.PUBLISHED
    if request.method == "POST" and form.is_valid():
        done = _save(
            request,
            form,
            lambda: (
                services.asset_update(
                    user=request.user,
                    asset=asset,
                    data=form.service_data(),
                    photos=form.cleaned_data["photos"],
                    draft=draft,
                )
                or True
            ),
        )
        if done is not None:
            if asset.status == Asset.PUBLISHED:
                message = (
                    "Your changes will replace the published version once they have been checked."
                )
            elif draft:
                message = f"“{asset.name}” is saved as a draft."
            else:
                message = (
                    f"“{asset.name}” will appear {asset.where_shown} once it has been checked."
                )
            messages.success(request, message)
            return redirect("assetmap:my_assets")
    return TemplateResponse(
        request,
        "assetmap/asset_form.html",
        {
            "form": form,
            "asset": asset,
            "pending": pending,
            "title": f"Edit “{asset.name}”",
            "breadcrumbs": _breadcrumbs({"title": asset.name, "url": asset.get_absolute_url()})
            if asset.is_published
            else _breadcrumbs({"title": "My assets", "url": reverse("assetmap:my_assets")}),
            "map_settings": selectors.map_settings(),
        },
    )


@login_required
@require_POST
def asset_send(request, pk):
    asset = selectors.asset_detail(pk=pk)
    if asset is None or not rules.can_edit_asset(request.user, asset):
        raise Http404("No such asset.")
    try:
        services.asset_submit_draft(user=request.user, asset=asset)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"“{asset.name}” will appear {asset.where_shown} once it has been checked."
        )
    return redirect("assetmap:my_assets")


@login_required
def my_assets(request):
    assets = list(selectors.assets_managed(user=request.user))
    for asset in assets:
        asset.pending_edit = next(
            (r for r in asset.recent_revisions if r.status == AssetRevision.PENDING), None
        )
        asset.last_decision = next(
            (r for r in asset.recent_revisions if r.status != AssetRevision.PENDING), None
        )
    return TemplateResponse(
        request,
        "assetmap/my_assets.html",
        {
            "assets": assets,
            "groups": list(request.user.community_groups.all()),
            "breadcrumbs": _breadcrumbs(),
        },
    )


def _my_assets_crumbs():
    return _breadcrumbs({"title": "My assets", "url": reverse("assetmap:my_assets")})


@login_required
def group_register(request):
    form = GroupRegisterForm(request.POST or None)
    if (
        request.method == "POST"
        and not form_rate_limited(
            request, form, "assetmap-group-register", limit=GROUP_REGISTER_LIMIT, period=3600
        )
        and form.is_valid()
    ):
        try:
            group = services.group_register(user=request.user, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"“{group.name}” is registered. You are its lead: invite its members here.",
            )
            return redirect("assetmap:group_detail", slug=group.slug)
    return TemplateResponse(
        request,
        "assetmap/group_register.html",
        {"form": form, "breadcrumbs": _my_assets_crumbs()},
    )


def _group_for(request, slug):
    group = CommunityGroup.objects.filter(slug=slug).first()
    if group is None or not rules.can_view_group_members(request.user, group):
        raise Http404("No such group.")
    return group


@login_required
def group_detail(request, slug):
    group = _group_for(request, slug)
    can_manage = rules.can_manage_group(request.user, group)
    add_form = None
    if can_manage:
        add_form = GroupMemberInviteForm(request.POST or None)
        if request.method == "POST" and add_form.is_valid():
            try:
                invitation, _ = services.group_member_invite(
                    user=request.user, group=group, **add_form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(add_form, error)
            else:
                # The same answer whether or not the address has an account.
                messages.success(
                    request,
                    f"We have emailed an invitation to {invitation.email}. They join "
                    f"{group.name} when they accept it, within "
                    f"{services.INVITATION_DAYS} days.",
                )
                return redirect("assetmap:group_detail", slug=group.slug)
    elif request.method == "POST":
        raise PermissionDenied("Only a lead of the group can change its members.")
    memberships = list(selectors.group_members(group=group))
    for membership in memberships:
        membership.role_form = GroupMemberRoleForm(
            initial={"role": membership.role}, prefix=f"member-{membership.pk}"
        )
    return TemplateResponse(
        request,
        "assetmap/group_detail.html",
        {
            "group": group,
            "memberships": memberships,
            "can_manage": can_manage,
            "add_form": add_form,
            "invitations": selectors.group_open_invitations(group=group) if can_manage else [],
            "breadcrumbs": _my_assets_crumbs(),
        },
    )


def _membership_for(request, slug, pk):
    group = _group_for(request, slug)
    membership = GroupMembership.objects.filter(group=group, pk=pk).select_related("user").first()
    if membership is None:
        raise Http404("No such member.")
    membership.group = group
    return membership


@login_required
@require_POST
def group_member_role(request, slug, pk):
    membership = _membership_for(request, slug, pk)
    form = GroupMemberRoleForm(request.POST, prefix=f"member-{membership.pk}")
    if not form.is_valid():
        messages.error(request, "Choose a role.")
    else:
        try:
            services.group_member_role_change(
                user=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"{membership.user.public_name} is now a {membership.get_role_display().lower()}.",
            )
    return redirect("assetmap:group_detail", slug=slug)


@login_required
@require_POST
def group_member_remove(request, slug, pk):
    membership = _membership_for(request, slug, pk)
    name = membership.user.public_name
    try:
        services.group_member_remove(user=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if membership.user_id == request.user.pk and not rules.is_moderator(request.user):
            messages.success(request, f"You have left {membership.group.name}.")
            return redirect("assetmap:my_assets")
        messages.success(request, f"{name} is no longer a member of {membership.group.name}.")
    return redirect("assetmap:group_detail", slug=slug)


def group_invitation(request, token):
    """The link in an invitation email: see what it is for, and accept it signed in."""
    invitation = services.group_invitation_for_token(token)
    error = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            membership = services.group_invitation_accept(user=request.user, token=token)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, f"You are now a member of {membership.group.name}.")
            return redirect("assetmap:group_detail", slug=membership.group.slug)
    return TemplateResponse(
        request,
        "assetmap/group_invitation.html",
        {"invitation": invitation, "error": error, "breadcrumbs": _breadcrumbs()},
        status=200 if invitation is not None or error else 404,
    )
