"""Print-ready letters as one PDF (A4, one letter per page) with reportlab.

Each letter is drawn into fixed frames on its own page, so a long text is cut
at the frame rather than spilling onto a second page: the print room's mail
merge relies on one page per household. The reply slip sits below a dashed
cut line at the foot of invitation letters.

The layout follows GOV.UK Notify's rules for precompiled letters, so the same
page can go to the print room or, one PDF per letter, to Notify: everything
inside the printable area (15 mm from the sides, 5 mm from the top and
bottom), the recipient's address alone in the address block (24.6–120 mm
from the left, 39.5–66.3 mm from the top: a window envelope's window), at
most 6 lines with the postcode last.
"""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, KeepInFrame, Paragraph

from coproduce.mail import email_context, site_url

WIDTH, HEIGHT = A4
MARGIN = 20 * mm
ADDRESS_LEFT = 26 * mm
ADDRESS_FIRST_BASELINE = 44 * mm  # from the top: the block starts at 39.5 mm
ADDRESS_LEADING = 4.3 * mm
ADDRESS_LINES = 6  # ends above the block's foot at 66.3 mm
INK = HexColor("#0b0c0c")
BRAND = HexColor("#1d70b8")

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14, spaceAfter=6)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=9, leading=11.5, spaceAfter=3)
HEADING = ParagraphStyle(
    "heading", parent=BODY, fontName="Helvetica-Bold", fontSize=14, leading=18
)
CODE = ParagraphStyle("code", parent=BODY, fontName="Helvetica-Bold", fontSize=16, leading=20)


def _p(text, style=BODY):
    return Paragraph(text, style)


def _plain(text):
    """Editor text (rich or plain) as escaped paragraph markup with line breaks kept."""
    return escape(strip_tags(text or "").strip()).replace("\n", "<br/>")


def _date(moment):
    return date_format(timezone.localtime(moment), "j F Y") if moment else ""


class LetterWriter:
    """Draws letters onto one canvas, one page each."""

    def __init__(self, title):
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=A4, pageCompression=1)
        self.canvas.setTitle(title)
        self.canvas.setAuthor(email_context()["council_name"])
        self.council = email_context()["council_name"]
        self.pages = 0

    def _letterhead(self):
        c = self.canvas
        # A simple text logo: the council's name in a coloured band.
        top = HEIGHT - 15 * mm
        c.setFillColor(BRAND)
        c.rect(MARGIN, top - 14 * mm, WIDTH - 2 * MARGIN, 14 * mm, stroke=0, fill=1)
        c.setFillColor(HexColor("#ffffff"))
        c.setFont("Helvetica-Bold", 16)
        c.drawString(MARGIN + 5 * mm, top - 9.5 * mm, self.council)
        c.setFillColor(INK)

    def _address(self, lines, when):
        c = self.canvas
        c.setFont("Helvetica", 10)
        if len(lines) > ADDRESS_LINES:  # keep the postcode on the last line
            lines = [*lines[: ADDRESS_LINES - 1], lines[-1]]
        top = HEIGHT - ADDRESS_FIRST_BASELINE
        for i, line in enumerate(lines):
            c.drawString(ADDRESS_LEFT, top - i * ADDRESS_LEADING, line[:48])
        c.drawRightString(WIDTH - MARGIN, top, _date(when))

    def _frame(self, flowables, *, bottom, top):
        frame = Frame(
            MARGIN, bottom, WIDTH - 2 * MARGIN, top - bottom, showBoundary=0, leftPadding=0,
            rightPadding=0, topPadding=0, bottomPadding=0,
        )  # fmt: skip
        frame.addFromList([KeepInFrame(WIDTH - 2 * MARGIN, top - bottom, flowables)], self.canvas)

    def _cut_line(self, y):
        c = self.canvas
        c.setDash(4, 3)
        c.line(MARGIN, y, WIDTH - MARGIN, y)
        c.setDash()
        c.setFont("Helvetica", 8)
        c.drawString(MARGIN, y + 2 * mm, "Cut here and post the slip below, or register online.")

    def page(self, *, address_lines, body, slip=None, when=None):
        self._letterhead()
        self._address(address_lines, when or timezone.now())
        slip_top = 82 * mm if slip else MARGIN
        self._frame(body, bottom=slip_top + 6 * mm, top=HEIGHT - MARGIN - 62 * mm)
        if slip:
            self._cut_line(slip_top)
            self._frame(slip, bottom=MARGIN, top=slip_top - 6 * mm)
        self.canvas.showPage()
        self.pages += 1

    def finish(self):
        self.canvas.save()
        return self.buffer.getvalue()


# ---------------------------------------------------------------- invitations


def join_url():
    return site_url("/join/")


def _invitation_body(panel, invitation, shared):
    body = [
        _p(f"You are invited to join the {escape(panel.title)}", HEADING),
        _p(
            "Dear resident, your household is one of a few chosen at random from every address "
            "in the borough. We are bringing together a panel of residents who reflect the "
            "borough, to help decide how a public service is run. You do not need any "
            "experience: we will give you the information and support you need."
        ),
        _p(f"<b>What the panel is for.</b> {shared['purpose']}"),
    ]
    if shared["commitment"]:
        body.append(_p(f"<b>What it involves.</b> {shared['commitment']}"))
    if shared["schedule"]:
        body.append(_p(f"<b>Dates.</b> {shared['schedule']}"))
    if shared["payment"]:
        body.append(_p(f"<b>Payment and expenses.</b> {shared['payment']}"))
    body.append(
        _p(
            f"<b>Register by {shared['closes']}.</b> Anyone aged 16 or over living at this "
            "address can register, but only one person per household. From everyone who "
            "registers, the panel is drawn by a fair lottery so that it matches the borough "
            "by ward, age, gender, ethnicity and disability."
        )
    )
    how = f"Go to <b>{escape(shared['url'])}</b> and enter your code:"
    body.append(_p(how))
    body.append(_p(escape(invitation.display_code), CODE))
    if shared["phone"]:
        body.append(
            _p(f"Or phone us on <b>{escape(shared['phone'])}</b> and give us the code above.")
        )
    body.append(_p(f"Yours faithfully,<br/>{escape(shared['council'])}"))
    return body


def _reply_slip(panel, invitation, shared):
    to = shared["reply_address"] or shared["council"]
    return [
        _p(f"<b>Reply slip: {escape(panel.title)}</b>. Code: <b>{invitation.display_code}</b>"),
        _p(
            "Name: ................................................................  "
            "Age: ..........  Gender: ..............................",
            SMALL,
        ),
        _p(
            "Phone: ..............................................  "
            "Email: ....................................................................",
            SMALL,
        ),
        _p(
            "Ethnic group: ..............................  Do you have a disability? "
            "Yes / No / Prefer not to say   Do you use the service? Yes / No / I am a carer",
            SMALL,
        ),
        _p(
            "Anything we should arrange so you can take part: "
            "....................................................................................",
            SMALL,
        ),
        _p(
            "[  ] I agree that the council may use my answers to draw a panel that reflects the "
            "borough, and keep them until the panel ends.   Signed: ..................................",
            SMALL,
        ),
        _p(f"Post to: {_plain(to)}", SMALL),
    ]


def _invitation_shared(panel):
    council = email_context()["council_name"]
    return {
        "council": council,
        "purpose": _plain(panel.purpose),
        "commitment": _plain(panel.commitment),
        "schedule": _plain(panel.meeting_schedule),
        "payment": _plain(panel.payment),
        "phone": panel.registration_phone,
        "reply_address": panel.reply_address,
        "closes": _date(panel.closes_at),
        "url": join_url().replace("https://", "").replace("http://", ""),
    }


def _invitations(panel):
    from .models import Invitation

    return (
        Invitation.objects.filter(panel=panel, address__isnull=False)
        .select_related("address")
        .order_by("pk")
        .iterator(chunk_size=2000)
    )


class _InvitationLetters:
    """What every invitation of a panel shares, and one invitation's page."""

    def __init__(self, panel):
        self.panel = panel
        self.shared = _invitation_shared(panel)
        draw = getattr(panel, "invitation_draw", None)
        # Dated with the draw: the letters go out with it, whenever the PDF is remade.
        self.when = draw.created_at if draw else None
        self.title = f"Invitations: {panel.title}"

    @staticmethod
    def address_lines(invitation):
        return ["The Resident", *invitation.address.lines]

    def page(self, writer, invitation):
        writer.page(
            address_lines=self.address_lines(invitation),
            body=_invitation_body(self.panel, invitation, self.shared),
            slip=_reply_slip(self.panel, invitation, self.shared),
            when=self.when,
        )


def invitation_letters_pdf(panel, invitations=None):
    """(pdf bytes, letters): one page per invitation of the panel, in code order per ward."""
    letters = _InvitationLetters(panel)
    writer = LetterWriter(letters.title)
    for invitation in _invitations(panel) if invitations is None else invitations:
        letters.page(writer, invitation)
    return writer.finish(), writer.pages


def invitation_letter_pdfs(panel, invitations=None):
    """(invitation, address lines, pdf bytes) per invitation: a PDF each, for GOV.UK Notify."""
    letters = _InvitationLetters(panel)
    for invitation in _invitations(panel) if invitations is None else invitations:
        writer = LetterWriter(letters.title)
        letters.page(writer, invitation)
        yield invitation, letters.address_lines(invitation), writer.finish()


# ---------------------------------------------------------------- draw results


def _result_body(run, application, selected, council):
    panel = run.panel
    if selected:
        text = (
            f"Thank you for registering for the {escape(panel.title)}. We are pleased to tell "
            "you that you were drawn in the lottery and have a place on the panel. We will "
            "phone you to confirm your place and talk about any support you need."
        )
    else:
        text = (
            f"Thank you for registering for the {escape(panel.title)}. You were not drawn for a "
            "place this time. You stay on the reserve list: if a member leaves, their place is "
            "drawn again from the reserves, and we will contact you if you are chosen."
        )
    return [
        _p(f"The {escape(panel.title)}: the draw", HEADING),
        _p(f"Dear {escape(application.name)},"),
        _p(text),
        _p(
            f"The draw was made on {_date(run.finished_at)} with the published seed "
            f"{run.seed}, so anyone can check it was fair."
        ),
        _p(f"Yours sincerely,<br/>{escape(council)}"),
    ]


def _result_address(application):
    address = application.invitation.address if application.invitation_id else None
    return [application.name, *(address.lines if address else [application.postcode])]


def _result_page(writer, run, entry, council):
    writer.page(
        address_lines=_result_address(entry.application),
        body=_result_body(run, entry.application, entry.selected, council),
        when=run.finished_at,
    )


def result_letters_pdf(run, entries=None):
    """(pdf bytes, letters): a letter for each person in the run's pool who gave no email."""
    council = email_context()["council_name"]
    if entries is None:
        from .selectors import letter_recipients

        entries = letter_recipients(run=run)
    writer = LetterWriter(f"Draw results: {run.panel.title}")
    for entry in entries:
        _result_page(writer, run, entry, council)
    return writer.finish(), writer.pages


def result_letter_pdfs(run, entries):
    """(entry, address lines, pdf bytes) per entry: a PDF each, for GOV.UK Notify."""
    council = email_context()["council_name"]
    for entry in entries:
        writer = LetterWriter(f"Draw result: {run.panel.title}")
        _result_page(writer, run, entry, council)
        yield entry, _result_address(entry.application), writer.finish()
