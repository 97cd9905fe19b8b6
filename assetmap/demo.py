"""Demo borough: community groups, 320 assets spread over Kelderby's wards,
the public map page and an asset call under "Day opportunities".

Deterministic (a seeded generator), bulk-created, and idempotent: assets are
looked up by name, groups and pages by slug, so a second run adds nothing.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from commissioning.models import AssetCategory, Outcome, ProgrammePage, Ward

from .models import (
    Asset,
    AssetCallPage,
    AssetMapPage,
    AssetRevision,
    CommunityGroup,
    GroupMembership,
    Postcode,
)

POSTCODES_CSV = Path(__file__).resolve().parent / "data" / "kelderby_postcodes.csv"

SEED = 20261122
PER_WARD = 40

GROUPS = [
    (
        "Fernhill Friends",
        "fernhill",
        "Neighbours who look after Fernhill's park, hall and orchard.",
    ),
    ("Brookside Growers", "brookside", "Allotment holders and community gardeners in Brookside."),
    (
        "Castlegate Youth Collective",
        "castlegate",
        "Young people running clubs and events in Castlegate.",
    ),
    (
        "Eastholme Elders Network",
        "eastholme",
        "Lunch clubs and befriending for older people in Eastholme.",
    ),
    (
        "Greywell Tenants and Residents Association",
        "greywell",
        "Tenants working for a better Greywell estate.",
    ),
    ("Harbourside Arts Network", "harbourside", "Artists, makers and venues by the old harbour."),
    ("Dunmere Disability Forum", "dunmere", "Disabled people and carers speaking up in Dunmere."),
]
# group slug -> demo account emails (role lead)
MEMBERS = {"fernhill-friends": ["group@example.org"]}

STREETS = [
    "Mill Lane",
    "Chapel Street",
    "Victoria Road",
    "Canal Side",
    "Station Road",
    "Moor Lane",
    "Church Street",
    "Queen Street",
    "Albert Terrace",
    "Market Place",
    "Park Road",
    "Bank Top",
    "Weavers Row",
    "Hollins Lane",
    "Spring Gardens",
    "Castle Street",
]
SAINTS = ["Mark", "Anne", "Peter", "Hilda", "Luke", "Bride", "James", "Chad"]

# (name template, kind, category slug, description, opening times, tags, outcome index)
TEMPLATES = [
    (
        "{ward} Community Centre",
        "space",
        "community-spaces",
        "A community centre with a main hall, two meeting rooms and a kitchen, available to local groups at low cost.",
        "Monday to Saturday, 9am to 9pm",
        ["room hire", "kitchen"],
        0,
    ),
    (
        "St {saint}'s Church Hall",
        "space",
        "community-spaces",
        "A church hall used by playgroups, slimming clubs and the local scouts. Open to any group.",
        "Weekdays, 10am to 4pm and most evenings",
        ["room hire"],
        0,
    ),
    (
        "{street} Scout Hut",
        "space",
        "community-spaces",
        "Scout hut with an outdoor area, available for hire when the scouts are not using it.",
        "Evenings and weekends by arrangement",
        ["outdoor space"],
        0,
    ),
    (
        "{ward} Tenants' Hall",
        "space",
        "community-spaces",
        "A small hall run by residents, used for coffee mornings, meetings and parties.",
        "By arrangement",
        ["room hire", "free"],
        0,
    ),
    (
        "{ward} Mosque community room",
        "space",
        "community-spaces",
        "A community room open to everyone for classes, meetings and celebrations.",
        "Daily, 10am to 8pm",
        ["room hire"],
        0,
    ),
    (
        "{ward} Park",
        "space",
        "green-spaces",
        "A town park with a playground, a bandstand and a pond, looked after by the council and volunteers.",
        "Open every day, dawn to dusk",
        ["free", "outdoor space", "play"],
        4,
    ),
    (
        "{street} Allotments",
        "space",
        "green-spaces",
        "Allotment plots, a shared polytunnel and a tool library. Waiting list open.",
        "Every day, 8am to dusk",
        ["growing", "outdoor space"],
        4,
    ),
    (
        "{ward} Nature Reserve",
        "space",
        "green-spaces",
        "Woodland and wetland walks with accessible boardwalks and bird hides.",
        "Open every day",
        ["free", "walking", "nature"],
        4,
    ),
    (
        "Friends of {ward} Park",
        "group",
        "green-spaces",
        "Volunteers who plant, litter-pick and run events in the park.",
        "Second Saturday of the month, 10am",
        ["volunteering", "Saturdays"],
        4,
    ),
    (
        "Community orchard, {street}",
        "space",
        "green-spaces",
        "An orchard of heritage apple and pear trees planted by residents; fruit is free to pick.",
        "Open every day",
        ["free", "growing"],
        4,
    ),
    (
        "{ward} Dementia Café",
        "group",
        "health-and-care",
        "A friendly café for people living with dementia and their carers, with music and activities.",
        "First Wednesday of the month, 2pm to 4pm",
        ["dementia", "carers", "free"],
        6,
    ),
    (
        "Carers' coffee morning, {ward}",
        "event",
        "health-and-care",
        "An informal coffee morning where carers meet, share tips and get advice.",
        "Fridays, 10am to 12pm",
        ["carers", "free"],
        0,
    ),
    (
        "{ward} Men's Shed",
        "group",
        "health-and-care",
        "A workshop where men (and anyone else) make, mend and chat.",
        "Tuesdays and Thursdays, 10am to 3pm",
        ["making", "wellbeing"],
        0,
    ),
    (
        "Talking therapies drop-in, {ward}",
        "service",
        "health-and-care",
        "Free, confidential support for anxiety and low mood, without a referral.",
        "Mondays, 1pm to 5pm",
        ["mental health", "free"],
        6,
    ),
    (
        "Befriending service, {ward}",
        "service",
        "health-and-care",
        "Trained volunteers who visit or phone older people living alone every week.",
        "By arrangement",
        ["older people", "volunteering"],
        6,
    ),
    (
        "{ward} Library",
        "space",
        "learning-and-skills",
        "A branch library with computers, free wi-fi, study space and a children's corner.",
        "Tuesday to Saturday, 9.30am to 5pm",
        ["free", "wi-fi", "books"],
        2,
    ),
    (
        "Digital drop-in, {ward}",
        "service",
        "learning-and-skills",
        "Volunteers help with phones, tablets, email and online forms.",
        "Wednesdays, 10am to 12pm",
        ["digital skills", "free"],
        2,
    ),
    (
        "English conversation club, {ward}",
        "group",
        "learning-and-skills",
        "A relaxed weekly club to practise spoken English. All levels welcome.",
        "Thursdays, 6pm to 7.30pm",
        ["ESOL", "free"],
        2,
    ),
    (
        "Bike repair skills share, {ward}",
        "skill",
        "learning-and-skills",
        "A volunteer mechanic teaches people to fix their own bikes.",
        "Saturdays, 10am to 1pm",
        ["cycling", "Saturdays", "making"],
        5,
    ),
    (
        "Homework club, {ward}",
        "service",
        "learning-and-skills",
        "Quiet space and volunteer tutors for pupils aged 8 to 16.",
        "Monday to Thursday, 3.30pm to 5.30pm",
        ["young people", "free"],
        3,
    ),
    (
        "{ward} Community Choir",
        "group",
        "arts-culture-and-heritage",
        "A choir for everyone: no auditions and no need to read music.",
        "Mondays, 7pm to 9pm",
        ["music", "singing"],
        0,
    ),
    (
        "{ward} Local History Society",
        "group",
        "arts-culture-and-heritage",
        "Talks, walks and an archive of photographs of the area.",
        "Third Tuesday of the month, 7.30pm",
        ["history", "heritage"],
        2,
    ),
    (
        "Open mic night, {street}",
        "event",
        "arts-culture-and-heritage",
        "A monthly open mic for music, poetry and comedy in a pub function room.",
        "Last Friday of the month, 8pm",
        ["music", "evenings"],
        0,
    ),
    (
        "Mural and signwriting skills, {ward}",
        "skill",
        "arts-culture-and-heritage",
        "A local artist who runs mural workshops with schools and groups.",
        "By arrangement",
        ["art", "young people"],
        5,
    ),
    (
        "{ward} Heritage Trail",
        "space",
        "arts-culture-and-heritage",
        "A waymarked walk past the ward's mills, chapels and canal locks.",
        "Open every day",
        ["walking", "heritage", "free"],
        4,
    ),
    (
        "{ward} Food Bank",
        "service",
        "food",
        "Emergency food parcels with referral, plus advice on benefits and bills.",
        "Tuesdays and Fridays, 11am to 2pm",
        ["food", "advice"],
        0,
    ),
    (
        "{ward} Community Fridge",
        "service",
        "food",
        "Surplus food from local shops, free for anyone to take.",
        "Daily, 10am to 6pm",
        ["food", "free"],
        0,
    ),
    (
        "Lunch club, {ward}",
        "event",
        "food",
        "A hot two-course lunch and company for older residents, £3.",
        "Wednesdays, 12pm to 2pm",
        ["older people", "food"],
        6,
    ),
    (
        "Community kitchen, {street}",
        "space",
        "food",
        "A training kitchen for cooking classes and community meals.",
        "Weekdays by arrangement",
        ["cooking", "room hire"],
        5,
    ),
    (
        "Growing plot, {ward}",
        "group",
        "food",
        "Residents growing vegetables together to share.",
        "Sundays, 10am to 12pm",
        ["growing", "food"],
        4,
    ),
    (
        "{ward} parkrun volunteers",
        "group",
        "sport-and-activity",
        "Volunteers who run the free weekly 5k; walkers welcome.",
        "Saturdays, 9am",
        ["running", "free", "Saturdays"],
        0,
    ),
    (
        "{ward} Inclusive Football Club",
        "group",
        "sport-and-activity",
        "Football for disabled and non-disabled players of all ages.",
        "Sundays, 11am",
        ["football", "inclusive"],
        1,
    ),
    (
        "Chair yoga, {ward}",
        "event",
        "sport-and-activity",
        "Gentle seated yoga for people with limited mobility.",
        "Thursdays, 11am",
        ["yoga", "inclusive"],
        1,
    ),
    (
        "{ward} Leisure Centre",
        "space",
        "sport-and-activity",
        "Pool, sports hall and gym with a hoist and changing places toilet.",
        "Daily, 7am to 10pm",
        ["swimming", "inclusive"],
        1,
    ),
    (
        "Walking netball, {ward}",
        "group",
        "sport-and-activity",
        "A slower game of netball for women of any age and fitness.",
        "Tuesdays, 6pm",
        ["netball", "older people"],
        6,
    ),
    (
        "Citizens Advice outreach, {ward}",
        "service",
        "advice-and-support",
        "Free advice on benefits, debt, housing and employment.",
        "Mondays, 10am to 1pm",
        ["advice", "free"],
        5,
    ),
    (
        "Debt advice surgery, {ward}",
        "service",
        "advice-and-support",
        "Appointments with a debt adviser; home visits possible.",
        "Thursdays by appointment",
        ["debt", "advice"],
        5,
    ),
    (
        "{ward} Credit Union",
        "organisation",
        "advice-and-support",
        "A savings and loans co-operative owned by its members.",
        "Weekdays, 10am to 3pm",
        ["money", "co-operative"],
        5,
    ),
    (
        "Housing rights drop-in, {ward}",
        "service",
        "advice-and-support",
        "Advice for private tenants facing repairs problems or eviction.",
        "Second Monday of the month, 5pm to 7pm",
        ["housing", "advice"],
        5,
    ),
    (
        "Volunteer tax helper, {ward}",
        "skill",
        "advice-and-support",
        "A retired accountant who helps people with self-assessment forms.",
        "By arrangement",
        ["money", "volunteering"],
        5,
    ),
    (
        "{ward} Youth Club",
        "group",
        "children-and-young-people",
        "Games, trips and a safe space for 11 to 18 year olds.",
        "Tuesday and Friday evenings, 6pm to 9pm",
        ["young people", "free"],
        3,
    ),
    (
        "Stay and play, {ward}",
        "event",
        "children-and-young-people",
        "Play sessions for babies and toddlers with their parents and carers.",
        "Mondays and Wednesdays, 9.30am to 11.30am",
        ["families", "free"],
        3,
    ),
    (
        "{ward} Family Hub",
        "service",
        "children-and-young-people",
        "Health visitors, parenting support and advice for families in one place.",
        "Weekdays, 9am to 5pm",
        ["families"],
        3,
    ),
    (
        "Holiday activities, {ward}",
        "event",
        "children-and-young-people",
        "Free holiday clubs with a meal for children on free school meals.",
        "School holidays",
        ["young people", "food", "free"],
        3,
    ),
    (
        "Kelderby Young Carers, {ward}",
        "organisation",
        "children-and-young-people",
        "Support, breaks and trips for children who care for someone at home.",
        "By arrangement",
        ["carers", "young people"],
        3,
    ),
]
ACCESS_NOTES = [
    "Step-free entrance and an accessible toilet.",
    "Hearing loop at reception. Assistance dogs welcome.",
    "Ramp at the side entrance; no accessible toilet.",
    "Level paths throughout; benches every 100 metres.",
    "",
]


def ward_cells(wards):
    """Each ward's sub-area of the borough's box: a 4 × 2 grid, in slug order."""
    box = settings.ASSETMAP_BOROUGH_BOUNDS
    width = (box["east"] - box["west"]) / 4
    height = (box["north"] - box["south"]) / 2
    cells = {}
    for index, ward in enumerate(sorted(wards, key=lambda w: w.slug)):
        column, row = index % 4, index // 4 % 2
        west = box["west"] + column * width
        south = box["south"] + row * height
        cells[ward.pk] = (south, west, south + height, west + width)
    return cells


def _postcode(ward, rng):
    prefix = ward.prefixes[0] if ward.prefixes else "KX1"
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    tail = rng.choice(letters) + rng.choice(letters)
    return f"{prefix}{tail}" if " " in prefix else f"{prefix} {rng.randint(1, 9)}{tail}"


def _postcodes(stdout):
    """The demo borough's postcode table, loaded as a council loads its own."""
    from .services import postcodes_import

    if not Postcode.objects.exists():
        with POSTCODES_CSV.open(encoding="utf-8", newline="") as file:
            result = postcodes_import(file=file)
        stdout.write(f"assetmap demo: {result.loaded} postcodes loaded")


def _postcodes_by_ward(wards):
    """{ward id: [(postcode, latitude, longitude)]} by the longest matching prefix."""
    by_ward = {ward.pk: [] for ward in wards}
    prefixes = sorted(
        ((prefix, ward.pk) for ward in wards for prefix in ward.prefixes),
        key=lambda item: -len(item[0]),
    )
    for postcode, latitude, longitude in Postcode.objects.values_list(
        "postcode", "latitude", "longitude"
    ):
        ward_id = next((pk for prefix, pk in prefixes if postcode.startswith(prefix)), None)
        if ward_id is not None:
            by_ward[ward_id].append((postcode, latitude, longitude))
    return by_ward


def _nearest_postcode(candidates, latitude, longitude, fallback):
    """The loaded postcode nearest the asset, so its postcode and its place agree."""
    if not candidates:
        return fallback
    return min(candidates, key=lambda c: (c[1] - latitude) ** 2 + ((c[2] - longitude) * 0.6) ** 2)[
        0
    ]


def _groups(stdout):
    from accounts.models import User

    by_ward = {}
    for name, ward_slug, description in GROUPS:
        group, _ = CommunityGroup.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "description": description,
                "email": f"hello@{slugify(name)}.example",
            },
        )
        by_ward[ward_slug] = group
        for email in MEMBERS.get(group.slug, []):
            user = User.objects.filter(email=email).first()
            if user is None:
                stdout.write(f"assetmap demo: no account {email}, not added to {name}")
                continue
            GroupMembership.objects.get_or_create(
                group=group, user=user, defaults={"role": GroupMembership.LEAD}
            )
    return by_ward


class _Template(NamedTuple):
    """One row of TEMPLATES."""

    name: str
    kind: str
    category: str
    description: str
    opening_times: str
    tags: list
    outcome: int


@dataclass
class _Draw:
    """One asset's random draws.

    Every draw happens before deciding whether to skip the asset, so a second
    run walks the same sequence and finds the same names.
    """

    street: str
    name: str
    number: int
    postcode: str
    latitude: float
    longitude: float
    phone: str
    accessibility: str
    created_days: int
    published_days: int
    extra: list
    # Each ward is thin on one outcome, so the officer view shows real gaps.
    thin: bool

    @classmethod
    def make(cls, rng, ward, template, cell):
        south, west, north, east = cell
        street = rng.choice(STREETS)
        name = template.name.format(ward=ward.name, street=street, saint=rng.choice(SAINTS))
        if ward.name not in name:
            name = f"{name}, {ward.name}"
        # Keyword arguments are evaluated in order: keep the order of the draws.
        return cls(
            street=street,
            name=name,
            number=rng.randint(1, 180),
            postcode=_postcode(ward, rng),
            latitude=round(rng.uniform(south + 0.002, north - 0.002), 6),
            longitude=round(rng.uniform(west + 0.002, east - 0.002), 6),
            phone=f"01632 96{rng.randint(1000, 9999)}",
            accessibility=rng.choice(ACCESS_NOTES),
            created_days=rng.randint(1, 400),
            published_days=rng.randint(0, 300),
            extra=rng.sample(
                ["free", "wheelchair accessible", "evenings", "weekends", "family friendly"], 1
            ),
            thin=rng.random() < 0.85,
        )


MODERATION_REASONS = {Asset.REJECTED: "It duplicates an asset already on the map."}


def _status(count):
    """Most assets are published; a few wait for an officer, fewer were rejected."""
    if count % 23 == 0:
        return Asset.PENDING
    if count % 97 == 0:
        return Asset.REJECTED
    return Asset.PUBLISHED


class _Borough:
    """What the demo assets are made from: wards, categories, outcomes and accounts."""

    def __init__(self, wards, categories):
        from accounts.models import User
        from commissioning.demo import OUTCOMES

        self.wards = sorted(wards, key=lambda w: w.slug)
        self.categories = categories
        by_title = {o.title: o for o in Outcome.objects.order_by("title")}
        self.outcomes = [by_title.get(title) for title, _ in OUTCOMES]
        self.group_user = User.objects.filter(email="group@example.org").first()
        self.resident = User.objects.filter(email="resident@example.org").first()
        self.cells = ward_cells(wards)
        self.postcodes = _postcodes_by_ward(wards)
        self.existing = set(Asset.objects.values_list("name", flat=True))
        self.now = timezone.now()

    def assets(self, groups_by_ward):
        """The assets not yet created, each with its tags and outcomes."""
        rng = random.Random(SEED)
        new, links = [], []
        count = 0
        for ward_index, ward in enumerate(self.wards):
            chosen = rng.sample(TEMPLATES, PER_WARD)
            group = groups_by_ward.get(ward.slug)
            for index, row in enumerate(chosen):
                count += 1
                template = _Template(*row)
                draw = _Draw.make(rng, ward, template, self.cells[ward.pk])
                if template.category not in self.categories or draw.name in self.existing:
                    continue
                self.existing.add(draw.name)
                owned = group is not None and index % 3 == 0
                new.append(
                    self._asset(ward, template, draw, count=count, group=group if owned else None)
                )
                links.append(
                    (
                        draw.name,
                        sorted(set(template.tags + draw.extra)),
                        self._outcomes(template, draw, ward_index),
                    )
                )
        return new, links

    def _asset(self, ward, template, draw, *, count, group):
        status = _status(count)
        created_days = draw.created_days
        if status == Asset.PENDING:
            # Waiting days, not months: officers keep up with the queue.
            created_days = created_days % 14 + 1
        return Asset(
            name=draw.name,
            kind=template.kind,
            category=self.categories[template.category],
            description=template.description,
            address=f"{draw.number} {draw.street}, Kelderby",
            postcode=_nearest_postcode(
                self.postcodes[ward.pk], draw.latitude, draw.longitude, draw.postcode
            ),
            latitude=draw.latitude,
            longitude=draw.longitude,
            ward=ward,
            contact_email=f"{slugify(draw.name)[:40]}@kelderby-community.example",
            contact_phone=draw.phone,
            opening_times=template.opening_times,
            accessibility=draw.accessibility,
            group=group,
            submitted_by=self._submitter(ward, group=group, count=count, status=status),
            status=status,
            moderation_reason=MODERATION_REASONS.get(status, ""),
            created_at=self.now - timedelta(days=created_days),
            published_at=_published_at(self.now, status, created_days, draw.published_days),
        )

    def _submitter(self, ward, *, group, count, status):
        """The demo group lead sent Fernhill's group assets; the demo resident sent
        some (including every pending and rejected one, to show moderation); the
        rest came from residents who are not demo accounts."""
        if group is not None and ward.slug == "fernhill":
            return self.group_user
        if count % 25 == 0 or status != Asset.PUBLISHED:
            return self.resident
        return None

    def _outcomes(self, template, draw, ward_index):
        related = {self.outcomes[template.outcome]}
        if draw.accessibility.startswith(("Step-free", "Level")):
            related.add(self.outcomes[1])
        if draw.thin:
            related.discard(self.outcomes[(ward_index * 3) % len(self.outcomes)])
        return [o for o in related if o is not None]


def _assets(stdout, groups_by_ward):
    wards = list(Ward.objects.all())
    categories = {c.slug: c for c in AssetCategory.objects.all()}
    if not wards or not categories:
        stdout.write("assetmap demo: no wards or categories, no assets created")
        return
    borough = _Borough(wards, categories)
    new, links = borough.assets(groups_by_ward)
    if not new:
        return
    Asset.objects.bulk_create(new, batch_size=500)
    ids = dict(Asset.objects.filter(name__in=[a.name for a in new]).values_list("name", "id"))
    _tag(links, ids)
    through = Asset.outcomes.through
    through.objects.bulk_create(
        [
            through(asset_id=ids[name], outcome_id=outcome.pk)
            for name, _, related in links
            for outcome in related
        ],
        batch_size=1000,
    )
    _date_history([a.name for a in new], borough.now)
    stdout.write(f"assetmap demo: {len(new)} assets created")


def _tag(links, ids):
    """Tag the new assets: `links` holds (name, tag names, outcomes), `ids` name -> id."""
    content_type = ContentType.objects.get_for_model(Asset)
    tag_objects = {}
    for tag_name in sorted({tag for _, tags, _ in links for tag in tags}):
        tag_objects[tag_name], _ = Tag.objects.get_or_create(
            name=tag_name, defaults={"slug": slugify(tag_name)}
        )
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(tag=tag_objects[tag], content_type=content_type, object_id=ids[name])
            for name, tags, _ in links
            for tag in tags
        ],
        batch_size=1000,
    )


def _published_at(now, status, created_days, published_days):
    """Checked after it was sent, and never later than today."""
    if status != Asset.PUBLISHED:
        return None
    return now - timedelta(days=min(published_days, created_days - 1))


def _date_history(names, now):
    """Last changed when published (or sent), and groups older than their assets.

    `updated_at` is set on every save, so bulk-created assets would all say
    "changed today"; groups and their leads date from before the first asset.
    """
    from django.db.models import Min
    from django.db.models.functions import Coalesce

    assets = Asset.objects.filter(name__in=names)
    assets.update(updated_at=Coalesce("published_at", "created_at"))
    for group in CommunityGroup.objects.filter(assets__name__in=names).distinct():
        first = Asset.objects.filter(group=group).aggregate(first=Min("created_at"))["first"]
        founded = min(first or now, now) - timedelta(days=30)
        if group.created_at > founded:
            CommunityGroup.objects.filter(pk=group.pk).update(created_at=founded)
            GroupMembership.objects.filter(group=group, joined_at__gt=founded).update(
                joined_at=founded
            )


def _pending_edit():
    """One proposed change to a published Fernhill asset, for the moderation queue."""
    from accounts.models import User

    user = User.objects.filter(email="group@example.org").first()
    asset = (
        Asset.objects.published().filter(group__slug="fernhill-friends").order_by("name").first()
    )
    if user is None or asset is None or asset.revisions.exists():
        return
    data = {
        "name": asset.name,
        "kind": asset.kind,
        "category": asset.category_id,
        "description": asset.description + " New this year: a monthly repair café.",
        "ward": asset.ward_id,
        "opening_times": asset.opening_times,
        "tags": sorted({*asset.tags.names(), "repair café"}),
    }
    AssetRevision.objects.create(asset=asset, data=data, submitted_by=user)


NAVIGATION_TEXT = "Community assets"


def _navigation_link():
    """The map in the header's navigation, as an editor would add it in the settings."""
    from wagtail.models import Site

    from coproduce.models import NavigationSettings

    map_page = AssetMapPage.objects.order_by("pk").first()
    site = Site.objects.filter(is_default_site=True).first()
    if map_page is None or site is None:
        return
    navigation = NavigationSettings.for_site(site)
    if any(block.value["text"] == NAVIGATION_TEXT for block in navigation.links):
        return
    navigation.links.append(
        ("link", {"text": NAVIGATION_TEXT, "page": map_page, "external_url": ""})
    )
    navigation.save()


def _pages(stdout):
    from coproduce.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        stdout.write("assetmap demo: no home page, map page not created")
    elif not AssetMapPage.objects.exists():
        home.add_child(
            instance=AssetMapPage(
                title="Community assets map",
                slug="assets",
                introduction="The places, groups, services and skills that make Kelderby "
                "strong, mapped by the people who run and use them.",
            )
        )
    _navigation_link()
    programme = ProgrammePage.objects.filter(slug="day-opportunities").first()
    if programme is None:
        stdout.write("assetmap demo: programme day-opportunities absent, asset call not created")
        return
    slug = "share-your-community-assets"
    if AssetCallPage.objects.filter(slug=slug).exists():
        return
    now = timezone.now()
    call = AssetCallPage(
        title="Share the places and groups that make a good day",
        slug=slug,
        introduction="Before we decide how to commission day opportunities, tell us what "
        "already works: the clubs, spaces, groups and people disabled adults value.",
        guidance="We especially want to hear about places that are step-free, groups run by "
        "disabled people, and activities in the evenings and at weekends.",
        stage="analyse",
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=40),
        audience=AssetCallPage.SIGNED_IN,
    )
    programme.add_child(instance=call)
    wanted = Outcome.objects.filter(
        title__in=[
            "Disabled adults live the lives they choose",
            "Fewer people socially isolated",
            "Good local jobs",
        ]
    )
    call.outcomes.set(wanted)
    call.save()  # parental many-to-many values are written on save
    call.save_revision().publish()


def load(*, stdout):
    _postcodes(stdout)
    groups_by_ward = _groups(stdout)
    _assets(stdout, groups_by_ward)
    _pending_edit()
    _pages(stdout)
