"""Themes from free text: the machine proposes, officers name, every response is mapped.

The spine owns themes; engagement apps provide their published free text
through `commissioning.themes.sources.register_text_source`, so this package
never imports them.
"""
