"""Incoming numbers: consecutive within a register and year, never repeated or skipped, restarting on 1 January."""

import datetime
import threading
import zoneinfo

import pytest
import time_machine
from django.db import connections

from vanphong.incoming import services
from vanphong.incoming.tests.conftest import document_data

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.django_db(transaction=True)
def test_eight_clerks_registering_at_once_get_eight_consecutive_numbers(office):
    barrier = threading.Barrier(8)
    numbers, errors = [], []

    def register(index):
        try:
            barrier.wait(timeout=10)
            document = services.receive(
                agency=office.agency,
                by=office.clerk,
                register=office.register,
                data=document_data(number=str(1000 + index), summary=f"Văn bản số {index}"),
            )
            numbers.append(document.incoming_number)
        except Exception as error:  # collected and reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(numbers) == list(range(1, 9))


@pytest.mark.django_db
def test_numbering_restarts_on_the_first_of_january_in_vietnam_time(office):
    with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 58, tzinfo=VIETNAM), tick=False):
        last = services.receive(
            agency=office.agency, by=office.clerk, register=office.register, data=document_data(number="1")
        )
        second_last = services.receive(
            agency=office.agency, by=office.clerk, register=office.register, data=document_data(number="2")
        )
    # 00:01 on 1 January in Vietnam is still 31 December in UTC: the Vietnamese year counts
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 1, tzinfo=VIETNAM), tick=False):
        first = services.receive(
            agency=office.agency, by=office.clerk, register=office.register, data=document_data(number="3")
        )
    assert (last.year, last.incoming_number, second_last.incoming_number) == (2026, 1, 2)
    assert (first.year, first.incoming_number) == (2027, 1)


@pytest.mark.django_db
def test_each_register_has_its_own_numbers(office):
    public = services.receive(agency=office.agency, by=office.clerk, register=office.register, data=document_data())
    secret = services.receive(
        agency=office.agency,
        by=office.clerk,
        register=office.secret_register,
        data=document_data(number="9", secrecy=1),
    )
    assert public.incoming_number == secret.incoming_number == 1
