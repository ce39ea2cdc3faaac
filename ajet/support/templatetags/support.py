from django import template

register = template.Library()


@register.simple_tag
def shift_key(night, shift):
    """(night, shift) as the roster's set of the volunteer's own shifts holds it."""
    return (night, shift)


@register.filter
def get_item(mapping, key):
    """mapping[key], or None (e.g. the coordinator on call of a night)."""
    return mapping.get(key)
