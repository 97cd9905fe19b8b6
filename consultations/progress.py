"""Answers so far, between the pages of a questionnaire.

Anonymous people's answers live in their session (the session cookie only
appears once they save their first page); signed-in residents' answers are a
draft response they can come back to from any device.
"""

from .models import Response
from .services import consultation_draft_save


def _session_key(consultation):
    return f"consultation:{consultation.pk}"


class Progress:
    def __init__(self, request, consultation):
        self.request = request
        self.consultation = consultation
        self.user = request.user if request.user.is_authenticated else None
        self.response = None
        if self.user is not None:
            self.response = Response.objects.filter(
                consultation=consultation, user=self.user
            ).first()
            data = self.response.draft if self.response else {}
        else:
            data = request.session.get(_session_key(consultation), {})
        self.answers = dict(data.get("answers", {}))
        self.equality = dict(data.get("equality", {}))

    @property
    def submitted(self):
        return self.response is not None and self.response.status == Response.SUBMITTED

    @property
    def started(self):
        return bool(self.answers or self.equality)

    def save(self, *, answers=None, equality=None):
        if answers is not None:
            self.answers.update(answers)
        if equality is not None:
            self.equality = equality
        if self.user is not None:
            self.response = consultation_draft_save(
                consultation=self.consultation, user=self.user, answers=answers, equality=equality
            )
        else:
            self.request.session[_session_key(self.consultation)] = {
                "answers": self.answers,
                "equality": self.equality,
            }

    def clear(self):
        if self.user is None:
            self.request.session.pop(_session_key(self.consultation), None)
        self.answers, self.equality = {}, {}
