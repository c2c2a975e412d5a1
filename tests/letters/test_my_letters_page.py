"""My letters (issue 9, account manager journey): each of my letters can be viewed and
downloaded; the download is the stored PDF, byte for byte."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from letters import services
from tests.factories import make_user_for

pytestmark = pytest.mark.django_db


def test_my_letters_offer_a_download_of_the_stored_pdf(
    promoted, office, django_assert_max_num_queries
):
    letter = services.letter_issue(actor=office, appointment=promoted)
    user = make_user_for(promoted.staff, username="zhangwei")
    client = Client()
    client.force_login(user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("letters:mine")).content.decode()
    url = reverse("letters:pdf", args=[letter.pk])
    assert f'href="{url}" download="{letter.number}.pdf" data-testid="letter-download"' in page
    assert page.count('data-testid="letter-download"') == 1
    data = client.get(url).content
    assert data[:5] == b"%PDF-"
    assert hashlib.sha256(data).hexdigest() == letter.sha256
    from core.models import DownloadRecord

    (record,) = DownloadRecord.objects.all()
    assert (record.user, record.kind, record.object_id) == (user, "letter", str(letter.pk))
    assert (record.object_type, record.ip) == ("letters.letter", "127.0.0.1")
