from .navigation import MODULES


def navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"navigation_modules": []}
    entries = []
    for module in MODULES:
        if module.staff_only and not user.is_staff:
            continue
        count = module.badge(user) if module.badge and module.url_name else 0
        entries.append({"module": module, "count": count})
    return {"navigation_modules": entries}
