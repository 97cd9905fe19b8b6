"""Admin forms of the spine's pages."""

from wagtail.admin.forms import WagtailAdminPageForm


class DecisionPageForm(WagtailAdminPageForm):
    """Each "you said" item must come from an engagement of this decision's programme."""

    def is_valid(self):
        valid = super().is_valid()
        parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
        formset = self.formsets.get("items")
        if parent is None or formset is None:
            return valid
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            engagement = data.get("engagement")
            if engagement is None or data.get("DELETE"):
                continue
            if not engagement.path.startswith(parent.path) or engagement.depth != parent.depth + 1:
                form.add_error(
                    "engagement",
                    f"Choose an engagement of “{parent.title}”: this decision answers its stages.",
                )
                valid = False
        return valid
