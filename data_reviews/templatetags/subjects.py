"""The subject's one display name in templates: {% load subjects %} {{ "language"|subject_label }}."""

from django import template

from data_reviews.scores.analysis import subject_label as label_of

register = template.Library()


@register.filter
def subject_label(subject: str) -> str:
    return label_of(subject)
