from .navigation import MODULES


def navigation(request):
    user = getattr(request, "user", None)
    is_staff = bool(user and user.is_authenticated and user.is_staff)
    return {"navigation_modules": [m for m in MODULES if not m.staff_only or is_staff]}
