from allauth.account.forms import SignupForm as AllauthSignupForm
from wagtail.users.forms import UserCreationForm, UserEditForm


class SignupForm(AllauthSignupForm):
    pass


class WagtailUserEditForm(UserEditForm):
    pass


class WagtailUserCreationForm(UserCreationForm):
    pass
