"""Two platforms and a provincial hub, each its own processes and database on loopback: documents issued by
agencies on platform A reach agencies on platform B through the hub while the hub crashes twice and B is down for
a while, and every status comes back. Nothing is lost, nothing is registered twice."""

import json
import subprocess
import time
from collections import Counter

import pytest

from vanphong.signing.pki import TEST_PASSPHRASE
from vanphong.signing.tests.conftest import test_pki  # noqa: F401 (a fixture used here)

from .platforms import PYTHON, Platform, migrated_database, shared_secret

A_AGENCIES = ["000.00.01.H90", "000.00.02.H90"]
B_AGENCIES = ["000.00.01.H91", "000.00.02.H91"]
DOCUMENTS = 200


@pytest.fixture
def platforms(tmp_path, test_pki):  # noqa: F811
    template = migrated_database(tmp_path)
    a, hub, b = (Platform(name, tmp_path, template) for name in ("a", "hub", "b"))
    for platform in (a, hub, b):  # every package signed with a test agency key, checked against the test root
        platform.environment["VANPHONG_EXCHANGE_KEY_FILE"] = str(test_pki.files["agency.p12"])
        platform.environment["VANPHONG_EXCHANGE_KEY_PASSPHRASE"] = TEST_PASSPHRASE.decode()
    a_hub, hub_b = shared_secret(tmp_path, "a-hub"), shared_secret(tmp_path, "hub-b")
    configure = {
        a: {"sender": A_AGENCIES + B_AGENCIES, "peers": [["hub", hub.url, a_hub]], "routes": [["", "hub"]]},
        hub: {
            "peers": [["a", a.url, a_hub], ["b", b.url, hub_b]],
            "routes": [[code, "a"] for code in A_AGENCIES] + [[code, "b"] for code in B_AGENCIES],
        },
        b: {"receiver": B_AGENCIES, "peers": [["hub", hub.url, hub_b]], "routes": [["", "hub"]]},
    }
    for config in configure.values():
        config["trust"] = test_pki.root.cert_pem().decode()
    setup = [
        subprocess.Popen(
            [PYTHON, "-m", "vanphong.exchange.tests.platform_script", "configure", json.dumps(config)],
            env=platform.environment,
        )
        for platform, config in configure.items()
    ]
    assert all(process.wait(timeout=120) == 0 for process in setup)
    yield a, hub, b
    for platform in (a, hub, b):
        platform.kill()


def wait_until(condition, *, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.5)
    return condition()


def test_documents_cross_a_failing_hub_and_a_platform_that_goes_down_exactly_once(platforms):
    a, hub, b = platforms
    for platform in (hub, a):
        platform.up()
    b.up(clerks=True)

    a.start(
        "issuing",
        "vanphong.exchange.tests.platform_script",
        "issue",
        str(DOCUMENTS),
        ",".join(A_AGENCIES),
        ",".join(B_AGENCIES),
    )
    issuing = a.processes["issuing"]
    started = time.monotonic()
    time.sleep(2)
    hub.kill()  # the hub crashes …
    time.sleep(1.5)
    hub.up()  # … and comes back
    time.sleep(1)
    b.kill()  # platform B goes down for a while
    time.sleep(2)
    hub.kill()  # the hub crashes again while B is down
    time.sleep(1.5)
    hub.up()
    time.sleep(1.5)
    b.up(clerks=True)
    assert issuing.wait(timeout=120) == 0
    print(f"issued after {time.monotonic() - started:.1f}s")

    def everything_back():
        # both statuses of every document, not only the tracking states: a 01 retried after a crash may come
        # back after its document's 03, which has already moved the tracking line to "received"
        statuses_in = a.query(
            "SELECT count(*) FROM exchange_message WHERE direction = 'in' AND kind = 'status' AND state = 'accepted'"
        )
        states = a.query("SELECT state, count(*) FROM outgoing_recipient GROUP BY state")
        return states == [("received", DOCUMENTS)] and statuses_in == [(2 * DOCUMENTS,)]

    wait_until(everything_back, timeout=60)
    report_a = a.report()
    report_b = b.report()
    print(f"all back after {time.monotonic() - started:.1f}s")

    # every document is registered at B, once
    arrivals = report_b["arrivals"]
    assert len(arrivals) == DOCUMENTS
    assert len({(issuer, number, notation) for issuer, number, notation, _ in arrivals}) == DOCUMENTS
    assert {state for *_, state in arrivals} == {"registered"}
    # every sender sees "đã tiếp nhận" (received), with the statuses that came back: 01 and 03 for each
    assert Counter(state for _, state in report_a["recipients"]) == {"received": DOCUMENTS}
    statuses = Counter(
        code
        for direction, kind, state, code, n in report_a["messages"]
        for _ in range(n)
        if direction == "in" and kind == "status" and state == "accepted"
    )
    assert statuses == {"01": DOCUMENTS, "03": DOCUMENTS}
    signed = a.query("SELECT count(*) FROM exchange_message WHERE direction = 'in' AND signature LIKE 'Ký bởi %'")
    assert signed == [(2 * DOCUMENTS,)]  # every status package's signature checked and trusted

    # nothing refused or left behind anywhere; a hop that crashed after the next hop took a package still holds
    # it as queued until its retry hears "already taken in", so it gets the time of one retry
    def leftovers():
        return [
            [platform.name, *row]
            for platform in (a, hub, b)
            for row in platform.report()["messages"]
            if row[2] in ("queued", "failed", "rejected")
        ]

    wait_until(lambda: not leftovers(), timeout=30)
    assert leftovers() == []
