"""Demo: a panel recruited like a civic lottery, by letter.

The "Libraries review residents' panel" (reviewing the libraries' first year
under the community benefit society): a generated list of about 3,000
addresses across the demo wards is imported, 600 are drawn for invitations,
the letters PDF is made, 30 households register (online with their code, by
phone, on a paper slip), and the panel of 8 is drawn from them.

Everything goes through the services, deterministically (seeded generators,
fixed seeds), and each step is skipped when already done, so a second load
changes nothing.
"""

import random
from datetime import timedelta

from django.utils import timezone

from .models import (
    Application,
    Invitation,
    InvitationAddress,
    InvitationDraw,
    LotteryRun,
    PanelPage,
    PrintBatch,
    Quota,
)

SEED = 7007
INVITATION_SEED = 424242
LOTTERY_SEED = 515151
ADDRESSES = 3000
INVITED = 600
STREETS = [
    "Abbey Road", "Mill Lane", "Church Street", "Station Road", "Victoria Terrace", "Park View",
    "Orchard Close", "Canal Side", "Quarry Hill", "Elm Grove", "Harbour Walk", "Castle Street",
    "Brook Lane", "Fern Rise", "Market Place", "Chapel Row", "Willow Court", "Greenway",
]  # fmt: skip
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _postcode(rng, prefix):
    district, _, sector = prefix.partition(" ")
    sector = sector or str(rng.randint(1, 9))
    return f"{district} {sector}{rng.choice(LETTERS)}{rng.choice(LETTERS)}"


def demo_addresses_csv(wards, count=ADDRESSES, seed=SEED):
    """A CSV (bytes) of `count` made-up addresses, spread over the wards by population."""
    rng = random.Random(seed)
    total = sum(w.population for w in wards)
    lines = ["uprn,line_1,line_2,town,postcode"]
    n = 0
    for ward in sorted(wards, key=lambda w: w.slug):
        share = round(count * ward.population / total)
        for _ in range(share):
            n += 1
            number, street = rng.randint(1, 180), rng.choice(STREETS)
            flat = f"Flat {rng.randint(1, 12)}" if rng.random() < 0.2 else ""
            first, second = (flat, f"{number} {street}") if flat else (f"{number} {street}", "")
            lines.append(
                f"{100090000000 + n},{first},{second},Kelderby,"
                f"{_postcode(rng, rng.choice(ward.prefixes))}"
            )
    return ("\n".join(lines) + "\n").encode()


# (channel, with an email address)
CHANNEL_MIX = [(Application.LETTER, True)] * 20 + [
    (Application.PHONE, True),
    (Application.PHONE, True),
    (Application.PHONE, False),
    (Application.PHONE, False),
    (Application.PHONE, False),
    (Application.PHONE, False),
    (Application.PAPER, False),
    (Application.PAPER, False),
    (Application.PAPER, True),
    (Application.PAPER, False),
]


def _ensure_panel(programme, officer, now):
    from .demo import _ensure_panel as ensure

    opened = (now - timedelta(days=40)).replace(hour=9, minute=0, second=0, microsecond=0)
    return ensure(
        programme,
        "libraries-review-panel",
        {
            "title": "Libraries review residents' panel",
            "introduction": "Eight residents, chosen by a civic lottery, review the libraries' "
            "first year under the community benefit society.",
            "stage": "review",
            "opens_at": opened,
            "closes_at": opened + timedelta(days=35),
            "audience": PanelPage.BOROUGH,
            "purpose": "<p>The panel reviews the library service's first year against the grant "
            "agreement and tells Cabinet what should change.</p>",
            "commitment": "Three Saturday mornings at Kelderby Central Library, with lunch.",
            "meeting_schedule": "Saturdays 7, 14 and 21 March, 10am to 1pm.",
            "payment": "£75 for each morning, paid by bank transfer or voucher, plus travel "
            "and care costs.",
            "registration_phone": "01632 960 555",
            "reply_address": "Freepost KELDERBY PANEL, Town Hall, Kelderby KX1 1AA",
            "eligibility": "Anyone aged 16 or over living at an invited address.",
            "seats": 8,
            "attributes": ["ward", "age_band", "gender", "disability"],
            "include_open_applicants": False,
        },
        [officer],
    )


def _register(panel, officer, wards, stdout):
    from .demo import _applicants
    from .services import registration_submit

    if Application.objects.filter(panel=panel, invitation__isnull=False).exists():
        return 0
    rng = random.Random(SEED + 1)
    invitations = list(Invitation.objects.filter(panel=panel).order_by("pk"))
    chosen = rng.sample(invitations, len(CHANNEL_MIX))
    people = _applicants(rng, len(CHANNEL_MIX), wards, service_user_shares={"neither": 1},
                         domain="example.com")  # fmt: skip
    for n, (invitation, person, (channel, has_email)) in enumerate(
        zip(chosen, people, CHANNEL_MIX, strict=True)
    ):
        when = panel.opens_at + timedelta(days=3 + n)
        data = {
            **person,
            "email": person["email"] if has_email else "",
            "phone": "" if has_email and channel == Application.LETTER else f"07700 900{n:03d}",
            "consent": True,
        }
        application = registration_submit(
            code=invitation.code,
            data=data,
            channel=channel,
            entered_by=officer if channel != Application.LETTER else None,
            now=when,
        )
        Application.objects.filter(pk=application.pk).update(created_at=when)
    return len(CHANNEL_MIX)


def _draw(panel, officer):
    from .services import lottery_announce, lottery_execute, lottery_start

    if panel.lottery_runs.filter(kind=LotteryRun.DRAW, status=LotteryRun.COMPLETED).exists():
        return None
    for key, value, low, high in [("gender", "woman", 3, 5), ("gender", "man", 3, 5)]:
        Quota.objects.get_or_create(
            panel=panel, attribute=key, value=value, defaults={"minimum": low, "maximum": high}
        )
    run = lottery_announce(panel=panel, user=officer, seed=LOTTERY_SEED)
    run = lottery_start(run=run, user=officer)
    from .tasks import lottery_notify_task

    lottery_execute(run_id=run.pk)  # a no-op when the inline task backend already ran it
    # Told by email, or by letter (the result letters PDF) when they gave no email;
    # a no-op when the task already ran after the draw.
    lottery_notify_task.call(run.pk)
    run.refresh_from_db()
    return run


def load(programme, wards, officer, stdout):
    from .services import addresses_import, invitations_draw, letters_make, letters_request

    now = timezone.now()
    panel = _ensure_panel(programme, officer, now)
    if not InvitationAddress.objects.filter(panel=panel).exists() and not (
        InvitationDraw.objects.filter(panel=panel).exists()
    ):
        report = addresses_import(panel=panel, user=officer, data=demo_addresses_csv(wards))
        stdout.write(f"panels demo: {report.imported} invitation addresses imported.\n")
    if not InvitationDraw.objects.filter(panel=panel).exists():
        draw = invitations_draw(panel=panel, user=officer, size=INVITED, seed=INVITATION_SEED)
        InvitationDraw.objects.filter(pk=draw.pk).update(created_at=panel.opens_at)
        stdout.write(f"panels demo: {draw.invited} invitations drawn.\n")
    if not PrintBatch.objects.filter(panel=panel, kind=PrintBatch.INVITATIONS).exists():
        batch = letters_request(panel=panel, user=officer)
        letters_make(batch_id=batch.pk)  # a no-op when the inline task backend already made it
    registered = _register(panel, officer, wards, stdout)
    run = _draw(panel, officer)
    stdout.write(
        f"panels demo: libraries review panel recruited by letter ({registered} registrations"
        f"{', drawn' if run else ''}).\n"
    )
