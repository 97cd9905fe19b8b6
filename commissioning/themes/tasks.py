"""Background work for themes (django-tasks; the database queue in production)."""

from django_tasks import task


@task()
def themes_propose_task(theme_set_id):
    from .services import themes_propose_execute

    themes_propose_execute(theme_set_id=theme_set_id)


@task()
def themes_map_task(theme_set_id):
    from .models import ThemeSet
    from .services import themes_map

    theme_set = ThemeSet.objects.filter(pk=theme_set_id).first()
    if theme_set is not None:
        themes_map(theme_set=theme_set)
