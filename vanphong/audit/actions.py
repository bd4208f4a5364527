"""Human-readable names of audit actions. Each app registers its own in AppConfig.ready(), so an inspector reads
"Đăng nhập" rather than "accounts.login"; unknown codes are shown as they are."""

ACTION_LABELS: dict[str, str] = {}


def register_actions(labels: dict[str, str]) -> None:
    ACTION_LABELS.update(labels)


def describe(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
