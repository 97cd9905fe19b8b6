"""Demo borough: the home page, editorial pages and site settings."""

from wagtail.models import Page, Site

from .models import (
    FooterSettings,
    HomePage,
    HomePageFeatured,
    NavigationSettings,
    SiteSettings,
    StandardPage,
)

ACCESSIBILITY_STATEMENT = [
    ("h2", "Using this website"),
    (
        "p",
        "Kelderby Borough Council runs this website. We want as many people as possible to be "
        "able to use it. You should be able to change colours, contrast levels and fonts, zoom "
        "in up to 400% without the text spilling off the screen, navigate the whole site using "
        "just a keyboard or speech recognition software, and listen to it with a screen reader.",
    ),
    (
        "p",
        "Every map on the site has a list of the same places beside it, and every chart has a "
        "table of its figures.",
    ),
    ("h2", "How accessible this website is"),
    (
        "p",
        "This website is fully compliant with the Web Content Accessibility Guidelines version "
        "2.2 AA standard. Each page is checked automatically with axe-core before it is released.",
    ),
    ("h2", "Reporting accessibility problems"),
    (
        "p",
        "If you find a problem not listed on this page, or you need something in a different "
        "format such as large print, easy read or audio, email access@kelderby.example or call "
        "01632 960 000. We reply within 5 working days.",
    ),
    ("h2", "Enforcement procedure"),
    (
        "p",
        "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the "
        "accessibility regulations. If you are not happy with how we respond to your complaint, "
        "contact the Equality Advisory and Support Service (EASS).",
    ),
    ("h2", "Preparation of this statement"),
    (
        "p",
        "This statement was prepared on 22 November 2026. The website was last tested on "
        "22 November 2026 with automated checks and keyboard-only testing.",
    ),
]

PRIVACY_NOTICE = [
    ("h2", "Who we are"),
    (
        "p",
        "Kelderby Borough Council is the data controller for the information you give on this "
        "website. Our data protection officer can be reached at dpo@kelderby.example.",
    ),
    ("h2", "What we collect and why"),
    (
        "p",
        "When you create an account we keep your email address, the name you choose to show, "
        "and, if you give them, your postcode and ward. When you take part we keep what you "
        "say. Equality monitoring answers are optional, kept apart from your answers and only "
        "ever reported in groups large enough that no one can be identified.",
    ),
    (
        "p",
        "We use this information to run engagement on services we commission (our lawful basis "
        "is public task) and, where you ask us to, to tell you what was decided (consent).",
    ),
    ("h2", "Cookies"),
    (
        "p",
        "Visitors who are not signed in get no cookies while reading the site. Signing in sets "
        "a session cookie, and forms set a security cookie that prevents cross-site request "
        "forgery. Both are strictly necessary and we use no analytics or advertising cookies.",
    ),
    ("h2", "How long we keep it"),
    (
        "p",
        "Responses are kept for six years after the decision they informed, in line with our "
        "retention schedule. You can download everything we hold about you, or delete your "
        "account, from your account page. Deleting your account removes your name and contact "
        "details; what you said stays, anonymised, so that published results do not change.",
    ),
    ("h2", "Your rights"),
    (
        "p",
        "You have the right to access, correct and erase your data, and to complain to the "
        "Information Commissioner's Office (ICO).",
    ),
]


def _rich(pairs):
    from django.utils.html import format_html_join
    from django.utils.text import slugify

    html = []
    for tag, text in pairs:
        if tag == "h2":
            html.append(format_html_join("", '<h2 id="{}">{}</h2>', [(slugify(text), text)]))
        else:
            html.append(format_html_join("", "<p>{}</p>", [(text,)]))
    return "".join(html)


def _standard_page(home, slug, title, introduction, body_pairs, show_contents=True):
    page = home.get_children().filter(slug=slug).first()
    if page:
        return page.specific
    page = StandardPage(
        title=title,
        slug=slug,
        introduction=introduction,
        show_contents=show_contents,
        body=[("text", _rich(body_pairs))],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def load(*, stdout):
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        # The stock Wagtail welcome page, made by Wagtail's migrations, gives way to ours.
        for page in root.get_children():
            if page.specific_class is Page:
                page.delete()
        home = HomePage(
            title="Kelderby: services we shape together",
            slug="home",
            hero_heading="Shape the services Kelderby commissions",
            introduction=(
                "Kelderby Borough Council decides with residents how public services are "
                "designed, who runs them and what they achieve. See what is open now, tell us "
                "what matters to you, and find out what we decided."
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Coproduce Kelderby",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Coproduce Kelderby"
        site.save()

    about = _standard_page(
        home,
        "about",
        "How Kelderby commissions with residents",
        "We follow the commissioning cycle – analyse, plan, do, review – and residents take part at every stage.",
        [
            ("h2", "The commissioning cycle"),
            (
                "p",
                "Commissioning is how the council decides what services residents need, how they "
                "should be provided and by whom. We start from the strengths a community already "
                "has as well as its needs, count social value and not only cost, and appraise "
                "every way of running a service on evidence – in-house, contracted out, a mutual "
                "owned by its staff, or community-led.",
            ),
            ("h2", "How you can take part"),
            (
                "p",
                "Budget conversations, asset mapping, citizen commissioner panels and "
                "consultations each serve a stage of the cycle. After each stage we publish what "
                "you said and what we decided.",
            ),
        ],
    )
    accessibility = _standard_page(
        home,
        "accessibility",
        "Accessibility statement",
        "This statement applies to the Coproduce Kelderby website.",
        ACCESSIBILITY_STATEMENT,
    )
    privacy = _standard_page(
        home,
        "privacy",
        "Privacy notice",
        "How Kelderby Borough Council uses the information you give on this website.",
        PRIVACY_NOTICE,
    )

    settings = SiteSettings.for_site(site)
    if not settings.pk:
        settings.save()
    navigation = NavigationSettings.for_site(site)
    if not navigation.links:
        navigation.links = [("link", {"text": "How it works", "page": about, "external_url": ""})]
        navigation.save()
    footer = FooterSettings.for_site(site)
    if not footer.links:
        footer.links = [
            (
                "link",
                {"text": "Accessibility statement", "page": accessibility, "external_url": ""},
            ),
            ("link", {"text": "Privacy notice", "page": privacy, "external_url": ""}),
            ("link", {"text": "About Coproduce", "page": about, "external_url": ""}),
        ]
        footer.contact = "Kelderby Borough Council, Town Hall, Market Square, Kelderby KX1 1AA"
        footer.save()
    if not home.featured.exists():
        # Through a revision, so the editor's next edit starts from it.
        home.featured.add(HomePageFeatured(page=about, sort_order=0))
        home.save_revision().publish()
