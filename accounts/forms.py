from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils.html import format_html
from wagtail.users.forms import UserCreationForm, UserEditForm

from commissioning.models import Ward
from coproduce.forms import GovukForm, HoneypotMixin

from .services import EXAMPLE_POSTCODE


class GovukAllauthMixin:
    """allauth's forms in GOV.UK style: sentence-case labels, no placeholders
    (they vanish as people type), and errors that say what to do.

    `wording` maps a field name to (label, message when it is left empty).
    """

    wording = {}
    help_texts = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.wording:
                field.label, required = self.wording[name]
                field.error_messages = {**field.error_messages, "required": required}
            if name in self.help_texts:
                field.help_text = self.help_texts[name]()


def forgotten_password_link():
    return format_html(
        '<a class="govuk-link" href="{}">I have forgotten my password</a>',
        reverse("account_reset_password"),
    )


EMAIL = ("Email address", "Enter your email address")
PASSWORD = ("Password", "Enter your password")
NEW_PASSWORD = ("New password", "Enter a new password")
NEW_PASSWORD_AGAIN = ("Confirm your new password", "Enter your new password again")


class LoginForm(GovukAllauthMixin, allauth_forms.LoginForm):
    wording = {
        "login": EMAIL,
        "password": PASSWORD,
        "remember": ("Keep me signed in on this device", ""),
    }
    help_texts = {"password": forgotten_password_link}


class SignupForm(GovukAllauthMixin, HoneypotMixin, allauth_forms.SignupForm):
    """allauth's sign-up with a honeypot: the form is public."""

    wording = {
        "email": EMAIL,
        "password1": ("Create a password", "Enter a password"),
        "password2": ("Confirm your password", "Enter your password again"),
    }

    def try_save(self, request):
        """Sign-up takes as long for an address that already has an account as for a new one.

        A new account costs a password hash; the existing-account path (which
        only emails the owner, through the same mail queue) would otherwise
        answer several times faster and tell a stranger the address is known.
        """
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


class AddEmailForm(GovukAllauthMixin, allauth_forms.AddEmailForm):
    wording = {"email": ("Email address", "Enter the email address to add")}


class ChangePasswordForm(GovukAllauthMixin, allauth_forms.ChangePasswordForm):
    wording = {
        "oldpassword": ("Current password", "Enter your current password"),
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD_AGAIN,
    }
    # The page has its own "forgotten" link beside the button.
    help_texts = {"oldpassword": str}


class SetPasswordForm(GovukAllauthMixin, allauth_forms.SetPasswordForm):
    wording = {
        "password1": ("Password", "Enter a password"),
        "password2": ("Confirm your password", "Enter your password again"),
    }


class ReauthenticateForm(GovukAllauthMixin, allauth_forms.ReauthenticateForm):
    """The password again, before a change to how the person signs in."""

    wording = {"password": PASSWORD}
    help_texts = {"password": forgotten_password_link}


class ResetPasswordForm(GovukAllauthMixin, allauth_forms.ResetPasswordForm):
    wording = {"email": EMAIL}


class ResetPasswordKeyForm(GovukAllauthMixin, allauth_forms.ResetPasswordKeyForm):
    wording = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD_AGAIN}


def _code_input(field):
    field.widget.attrs.update(
        {"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-10"}
    )


class MFAAuthenticateForm(GovukAllauthMixin, mfa_forms.AuthenticateForm):
    """The second step of signing in: a code from the app, or a recovery code."""

    wording = {"code": ("Code", "Enter the code from your authenticator app")}
    help_texts = {
        "code": lambda: (
            "The 6-digit code your authenticator app shows now. "
            "If you do not have your phone, enter one of your 8-digit recovery codes."
        )
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_input(self.fields["code"])


class MFAReauthenticateForm(GovukAllauthMixin, mfa_forms.ReauthenticateForm):
    wording = MFAAuthenticateForm.wording
    help_texts = MFAAuthenticateForm.help_texts

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_input(self.fields["code"])


class ActivateTOTPForm(GovukAllauthMixin, totp_forms.ActivateTOTPForm):
    wording = {
        "code": ("Code from your authenticator app", "Enter the code from your authenticator app")
    }
    help_texts = {"code": lambda: "The 6-digit code the app shows once you have added the key."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_input(self.fields["code"])


NOTIFICATIONS = [
    ("notify_decisions", "Tell me about decisions on things I took part in"),
    ("notify_new_engagements", "Tell me when something new opens in my ward (a weekly email)"),
]


class ProfileForm(GovukForm):
    """Parses the profile page; `accounts.services.user_profile_update` holds the rules."""

    display_name = forms.CharField(
        label="Your name",
        max_length=80,
        required=False,
        help_text="Shown beside anything you post. Leave it empty to post as “Resident”.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "spellcheck": "false"}),
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        required=False,
        help_text=f"We use it only to find your ward. For example, {EXAMPLE_POSTCODE}.",
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}
        ),
    )
    ward = forms.ModelChoiceField(
        label="Ward",
        queryset=Ward.objects.only("id", "name"),
        required=False,
        empty_label="Work it out from my postcode",
        help_text="If you would rather not give a postcode, choose your ward.",
        error_messages={"invalid_choice": "Choose a ward from the list."},
    )
    notifications = forms.MultipleChoiceField(
        label="Emails from us",
        choices=NOTIFICATIONS,
        required=False,
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def for_user(cls, user, data=None):
        initial = {
            "display_name": user.display_name,
            "postcode": user.postcode,
            "ward": user.ward_id if not user.postcode else None,
            "notifications": [name for name, _ in NOTIFICATIONS if getattr(user, name)],
        }
        return cls(data=data, initial=initial)

    def service_arguments(self):
        data = self.cleaned_data
        chosen = set(data["notifications"])
        return {
            "display_name": data["display_name"],
            "postcode": data["postcode"],
            "ward": data["ward"],
            **{name: name in chosen for name, _ in NOTIFICATIONS},
        }


KEEP_CONTRIBUTIONS = "keep"
REMOVE_CONTRIBUTIONS = "remove"


class AccountDeleteForm(GovukForm):
    """Two deliberate acts before an account goes: a ticked box and the password.

    And one choice: what happens to the comments the person wrote in public.
    """

    contributions = forms.ChoiceField(
        label="What should happen to your comments?",
        help_text=(
            "Comments you wrote on budget proposals, shown on the website and in the "
            "council's downloads."
        ),
        choices=[
            (
                KEEP_CONTRIBUTIONS,
                "Keep them without my name: we also take out email addresses, phone numbers "
                "and my name where I typed them",
            ),
            (REMOVE_CONTRIBUTIONS, "Remove them"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to keep your comments without your name or remove them.",
            "invalid_choice": "Choose whether to keep your comments without your name or remove them.",
        },
    )
    confirm = forms.BooleanField(
        label="I understand that my account will be deleted and I cannot undo this",
        error_messages={"required": "Tick the box to confirm you want to delete your account."},
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password."},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("The password is not correct.", code="wrong_password")
        return password

    def service_arguments(self):
        return {"remove_contributions": self.cleaned_data["contributions"] == REMOVE_CONTRIBUTIONS}


class EmailUserFormMixin(forms.Form):
    """Wagtail's user forms for a user model whose login is the email address.

    Names are optional (many residents give none); the display name is what
    the public site shows.
    """

    first_name = forms.CharField(required=False, label="First name")
    last_name = forms.CharField(required=False, label="Last name")
    display_name = forms.CharField(
        required=False,
        max_length=80,
        label="Display name",
        help_text="Shown beside what this person posts. Empty means “Resident”.",
    )


class WagtailUserCreationForm(EmailUserFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = {*UserCreationForm.Meta.fields, "display_name"}


class WagtailUserEditForm(EmailUserFormMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = {*UserEditForm.Meta.fields, "display_name"}


class ConfirmationResendForm(HoneypotMixin, GovukForm):
    """Ask for the confirmation email again (the first one is lost, or expired)."""

    email = forms.EmailField(
        label="Email address",
        help_text="The address you used to create your account.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


def _about_you_fields():
    from commissioning.demographics import PREFER_NOT_TO_SAY, PROFILE_ATTRIBUTES

    fields = {
        attribute: forms.ChoiceField(
            label=label,
            choices=[*choices, PREFER_NOT_TO_SAY],
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": "Choose one of the options."},
        )
        for attribute, (label, choices) in PROFILE_ATTRIBUTES.items()
    }
    fields["consent"] = forms.BooleanField(
        label="I agree that the council may keep these answers to see who takes part",
        required=False,
        help_text=(
            "They are counted with other people’s answers to see which groups take part less, "
            "and never shown with anything you say. You can change or delete them at any time."
        ),
    )
    return fields


class _AboutYouForm(GovukForm):
    """What a resident chooses to tell us for reach reports; the rules are in
    `commissioning.services.demographic_profile_save`."""

    @classmethod
    def for_user(cls, user, data=None):
        from commissioning.demographics import PROFILE_ATTRIBUTES
        from commissioning.models import DemographicProfile

        profile = DemographicProfile.objects.filter(user=user).first()
        initial = {}
        if profile is not None:
            initial = {attribute: getattr(profile, attribute) for attribute in PROFILE_ATTRIBUTES}
            initial["consent"] = True
        return cls(data=data, initial=initial), profile

    def service_arguments(self):
        from commissioning.demographics import PROFILE_ATTRIBUTES

        data = self.cleaned_data
        return {
            "consent": data["consent"],
            "answers": {attribute: data.get(attribute, "") for attribute in PROFILE_ATTRIBUTES},
        }


# One labelled field per attribute of the shared vocabulary, then the consent.
AboutYouForm = type(GovukForm)("AboutYouForm", (_AboutYouForm,), _about_you_fields())
