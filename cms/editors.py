"""Site editors: staff with the `editor` role get the Wagtail admin through one Wagtail group.

Roles are rows (neem.Membership); Wagtail works with groups and permissions. Rather than teach
Wagtail about roles, saving or deleting a membership re-syncs the user's place in the "Site editors"
group, which holds exactly what editing the public site needs: the admin, pages (add, edit, publish,
lock), images and documents, translations, locales (an editor can add a language) and the cms
snippets. People with a participant record never get it, so a participant cannot reach /cms-admin/.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

GROUP_NAME = "Site editors"
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}
MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", ["access_admin"]),
    ("simple_translation", "simpletranslation", ["submit_translation"]),
    ("wagtailcore", "locale", ["add_locale", "change_locale"]),
    ("cms", "storyconsent", ["add_storyconsent", "change_storyconsent", "view_storyconsent"]),
    ("cms", "privacynotice", ["add_privacynotice", "change_privacynotice", "view_privacynotice"]),
    ("wagtailredirects", "redirect", ["add_redirect", "change_redirect", "delete_redirect"]),
]


def site_editors_group() -> Group:
    """The group with its permissions (created or completed; safe to call again)."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, model, codenames in MODEL_PERMISSIONS:
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        if content_type is None:
            continue
        group.permissions.add(*Permission.objects.filter(content_type=content_type, codename__in=codenames))
    root_page = Page.get_first_root_node()
    if root_page is not None:
        for codename in PAGE_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for app_label, codenames in COLLECTION_PERMISSIONS.items():
            for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
    return group


def sync_site_editor(user) -> bool:
    """Put the user in the group if she holds an editor role (and is no participant), else take her out."""
    from coaching.models import Participant
    from neem.access import forget_scope
    from neem.models import Membership, Role

    is_editor = (
        user.is_active
        and Membership.objects.filter(user=user, role=Role.EDITOR).exists()
        and not Participant.objects.filter(user=user).exists()
    )
    group = site_editors_group() if is_editor else Group.objects.filter(name=GROUP_NAME).first()
    if group is not None:
        if is_editor:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    forget_scope(user)
    for cache in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)
    return is_editor


def membership_changed(sender, instance, **kwargs) -> None:
    # In the same transaction as the membership change: both stand or neither.
    sync_site_editor(instance.user)
