"""Print-ready letters as one PDF (A4, one letter per page) with reportlab.

Each letter is drawn into fixed frames on its own page, so a long text is cut
at the frame rather than spilling onto a second page: the print room's mail
merge relies on one page per household. The reply slip sits below a dashed
cut line at the foot of invitation letters.
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
        c.setFillColor(BRAND)
        c.rect(MARGIN, HEIGHT - MARGIN - 14 * mm, WIDTH - 2 * MARGIN, 14 * mm, stroke=0, fill=1)
        c.setFillColor(HexColor("#ffffff"))
        c.setFont("Helvetica-Bold", 16)
        c.drawString(MARGIN + 5 * mm, HEIGHT - MARGIN - 9.5 * mm, self.council)
        c.setFillColor(INK)

    def _address(self, lines, when):
        c = self.canvas
        c.setFont("Helvetica", 11)
        top = HEIGHT - MARGIN - 28 * mm
        for i, line in enumerate(lines):
            c.drawString(MARGIN, top - i * 5 * mm, line)
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


def invitation_letters_pdf(panel, invitations=None):
    """(pdf bytes, letters): one page per invitation of the panel, in code order per ward."""
    from .models import Invitation

    if invitations is None:
        invitations = (
            Invitation.objects.filter(panel=panel, address__isnull=False)
            .select_related("address")
            .order_by("pk")
            .iterator(chunk_size=2000)
        )
    shared = _invitation_shared(panel)
    draw = getattr(panel, "invitation_draw", None)
    writer = LetterWriter(f"Invitations: {panel.title}")
    for invitation in invitations:
        writer.page(
            address_lines=["The Resident", *invitation.address.lines],
            body=_invitation_body(panel, invitation, shared),
            slip=_reply_slip(panel, invitation, shared),
            # Dated with the draw: the letters go out with it, whenever the PDF is remade.
            when=draw.created_at if draw else None,
        )
    return writer.finish(), writer.pages


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


def result_letters_pdf(run, entries=None):
    """(pdf bytes, letters): a letter for each person in the run's pool who gave no email."""
    council = email_context()["council_name"]
    if entries is None:
        from .selectors import letter_recipients

        entries = letter_recipients(run=run)
    writer = LetterWriter(f"Draw results: {run.panel.title}")
    for entry in entries:
        application = entry.application
        address = application.invitation.address if application.invitation_id else None
        lines = [application.name, *(address.lines if address else [application.postcode])]
        writer.page(
            address_lines=lines,
            body=_result_body(run, application, entry.selected, council),
            when=run.finished_at,
        )
    return writer.finish(), writer.pages
