import datetime as dt
import hashlib

import pytest

from core.errors import DomainError, InvalidTransition, RoleRequired
from core.roles import Role
from letters import rendering, services
from letters.models import Letter, LetterCounter
from tests.factories import StaffFactory, UserFactory

from .conftest import promote
from .helpers import pdf_fonts, pdf_text, stored_file

pytestmark = pytest.mark.django_db


def test_chinese_letter_prints_name_title_and_number_in_a_cjk_font(promoted, office):
    letter = services.letter_issue(actor=office, appointment=promoted)

    pdf = stored_file(letter, services.letter_path(letter).parents[2]).read_bytes()
    text = pdf_text(pdf)
    assert "张伟" in text
    assert "高级大客户经理" in text  # honorary title, exactly
    assert "高级客户经理" in text  # level name
    assert "K10001" in text
    assert f"粤海人聘〔{letter.year}〕1号" in text
    assert "聘任书" in "".join(text.split())
    assert "2026年1月1日" in text and "2028年12月31日" in text and "2029年1月1日" not in text
    assert "¥2,500.00" in text and "¥6,000.00" in text and "独立办公室" in text
    assert "粤海通信股份有限公司" in text
    assert "\ufffd" not in text  # no replacement characters for missing glyphs
    fonts = pdf_fonts(pdf)
    assert "Noto-Serif-CJK-SC" in fonts
    assert letter.number == f"粤海人聘〔{letter.year}〕1号"
    assert letter.sha256 == hashlib.sha256(pdf).hexdigest()
    assert letter.size == len(pdf)


def test_english_letter_has_english_text_and_the_chinese_name(promoted, office):
    letter = services.letter_issue(actor=office, appointment=promoted, language="en")
    text = pdf_text(services.letter_path(letter).read_bytes())
    assert "LetterofAppointment" in text
    assert "DearZhang" not in text and "Dear张伟" in text
    assert "SeniorKeyAccountManager" in text
    assert "SeniorAccountManager(L3)" in text
    assert "1January2026" in text and "31December2028" in text
    assert "YuehaiTelecomCo.,Ltd." in text


@pytest.mark.parametrize("kind", ["demotion", "recertification"])
def test_demotion_and_recertification_letters_render(ladder, office, kind):
    staff = StaffFactory(name="李娜", level=ladder[2], level_since=dt.date(2023, 1, 1))
    from org import services as org_services

    appointment = org_services.appoint(
        actor=None, staff=staff, level=ladder[1], start=dt.date(2026, 3, 1), reason="demotion"
    )
    letter = services.letter_issue(actor=office, appointment=appointment, kind=kind)
    text = pdf_text(services.letter_path(letter).read_bytes())
    assert "李娜" in text
    if kind == "demotion":
        assert "降级通知书" in text
        assert "你的岗位级别由高级客户经理（L3）调整为客户经理（L2），自2026年3月1日起执行" in text
    else:
        assert "复核认证结果通知书" in text


def test_numbers_run_without_gaps_and_restart_next_year(ladder, office, monkeypatch):
    staff = [StaffFactory(level=ladder[0], level_since=dt.date(2023, 1, 1)) for _ in range(4)]
    appointments = [promote(s, ladder[1]) for s in staff]
    monkeypatch.setattr(services.issue, "_today", lambda: dt.date(2026, 12, 31))
    first = [services.letter_issue(actor=office, appointment=a) for a in appointments[:3]]
    monkeypatch.setattr(services.issue, "_today", lambda: dt.date(2027, 1, 1))
    nxt = services.letter_issue(actor=office, appointment=appointments[3])

    assert [(x.year, x.seq) for x in first] == [(2026, 1), (2026, 2), (2026, 3)]
    assert first[2].number == "粤海人聘〔2026〕3号"
    assert (nxt.year, nxt.seq, nxt.number) == (2027, 1, "粤海人聘〔2027〕1号")
    assert dict(LetterCounter.objects.values_list("year", "last_seq")) == {2026: 3, 2027: 1}


def test_a_failed_rendering_takes_no_number(promoted, ladder, office, monkeypatch):
    def boom(letter, **kwargs):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(rendering, "render_letter_pdf", boom)
    with pytest.raises(RuntimeError):
        services.letter_issue(actor=office, appointment=promoted)
    monkeypatch.undo()
    assert not Letter.objects.exists()
    letter = services.letter_issue(actor=office, appointment=promoted)
    assert letter.seq == 1


def test_a_letter_is_issued_once_and_again_only_after_revocation(promoted, office):
    letter = services.letter_issue(actor=office, appointment=promoted)
    with pytest.raises(InvalidTransition):
        services.letter_issue(actor=office, appointment=promoted)

    services.letter_revoke(actor=office, letter=letter, reason="写错了任职日期")
    again = services.letter_issue(actor=office, appointment=promoted)
    assert again.seq == 2 and again.pk != letter.pk
    assert services.letter_path(letter).exists()  # the revoked letter's file is kept


def test_an_issued_letter_cannot_be_edited(promoted, office):
    letter = services.letter_issue(actor=office, appointment=promoted)
    letter = Letter.objects.get(pk=letter.pk)
    letter.number = "forged"
    with pytest.raises(TypeError):
        letter.save()
    with pytest.raises(TypeError):
        letter.save(update_fields=["number"])


def test_revocation_needs_a_reason_and_happens_once(promoted, office):
    letter = services.letter_issue(actor=office, appointment=promoted)
    with pytest.raises(DomainError) as err:
        services.letter_revoke(actor=office, letter=letter, reason="  ")
    assert err.value.code == "reason_required"
    services.letter_revoke(actor=office, letter=letter, reason="岗位调整")
    with pytest.raises(InvalidTransition):
        services.letter_revoke(actor=office, letter=letter, reason="again")
    letter.refresh_from_db()
    assert letter.revoked and letter.revoke_reason == "岗位调整"


def test_only_the_office_issues_and_revokes(promoted, office):
    clerk = UserFactory(username="clerk", roles=[Role.STAFF, Role.MANAGER])
    with pytest.raises(RoleRequired):
        services.letter_issue(actor=clerk, appointment=promoted)
    letter = services.letter_issue(actor=office, appointment=promoted)
    with pytest.raises(RoleRequired):
        services.letter_revoke(actor=clerk, letter=letter, reason="x")


def test_a_demotion_notice_is_refused_for_a_promotion(promoted, office):
    with pytest.raises(DomainError) as err:
        services.letter_issue(actor=office, appointment=promoted, kind="demotion")
    assert err.value.code == "kind_mismatch"


def test_issue_and_revocation_are_audited(promoted, office):
    from core.audit import history

    letter = services.letter_issue(actor=office, appointment=promoted)
    services.letter_revoke(actor=office, letter=letter, reason="错误")
    actions = [(e.action, e.actor_name, e.reason) for e in history(letter)]
    assert actions == [("letter:revoke", "letters-hr", "错误"), ("letter:issue", "letters-hr", "")]


def test_a_malicious_staff_name_is_printed_as_text(ladder, office):
    staff = StaffFactory(
        name='<img src="http://evil.example/x.png">王"}</style>',
        level=ladder[1],
        level_since=dt.date(2023, 1, 1),
    )
    letter = services.letter_issue(actor=office, appointment=promote(staff, ladder[2]))
    text = pdf_text(services.letter_path(letter).read_bytes())
    assert '<imgsrc="http://evil.example/x.png">王"}</style>' in text
