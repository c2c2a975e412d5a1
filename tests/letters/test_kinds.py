"""Each kind of letter has its own wording and number series; adverse notices state the grounds,
the effective date after the appeal window, the appeal route and deadline — and no benefits."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from core.errors import DomainError
from letters import services
from letters.models import Letter
from org import services as org_services
from tests.factories import StaffFactory

from .conftest import promote
from .helpers import pdf_text

pytestmark = pytest.mark.django_db

GROUNDS = {
    "ranking_year": 2025,
    "cohort": "高级客户经理",
    "cohort_size": 40,
    "rank": 39,
    "band_size": 2,
    "ranking_score": Decimal("61.25"),
    "recert_score": Decimal("55.50"),
    "pass_line": Decimal("60.00"),
    "elimination_line": Decimal("40.00"),
    "approved_on": dt.date(2026, 11, 20),
    "appeal_until": dt.date(2026, 11, 27),
    "effective_on": dt.date(2026, 11, 28),
}
BENEFITS = ("2,500.00", "6,000.00", "独立办公室", "高级大客户经理", "待遇", "培训礼包")


def _text(letter) -> str:
    return pdf_text(services.letter_path(letter).read_bytes())


def _pages(letter) -> int:
    return len(PdfReader(io.BytesIO(services.letter_path(letter).read_bytes())).pages)


@pytest.fixture
def senior(ladder):
    """周敏, at L3 since 2024-03-01 (promotion)."""
    staff = StaffFactory(name="周敏", employee_no="K20002", level=ladder[1])
    return promote(staff, ladder[2], start=dt.date(2024, 3, 1))


def test_initial_appointment_letter(ladder, office):
    staff = StaffFactory(name="吴昊", level=None, level_since=None)
    appointment = org_services.appoint(
        actor=None, staff=staff, level=ladder[0], start=dt.date(2026, 7, 1), reason="initial"
    )
    letter = services.letter_issue(actor=office, appointment=appointment)
    text = _text(letter)
    assert letter.kind == "appointment" and letter.number == "粤海人聘〔2026〕1号"
    assert "聘任书" in text and "经公司认证领导小组研究决定，决定聘任你为" in text
    assert "晋升" not in text and "续聘" not in text
    assert "抄送：公司人力资源部，本人所在部门" in text
    assert _pages(letter) == 1


def test_promotion_letter_says_promoted_after_certification(promoted, office):
    letter = services.letter_issue(actor=office, appointment=promoted)
    text = _text(letter)
    assert letter.kind == "promotion"
    assert "你已通过粤海通信股份有限公司岗位认证评审" in text
    assert "晋升聘任你为高级客户经理（L3），聘期自2026年1月1日至2028年12月31日" in text
    assert "级别高级客户经理（L3）" in text  # full-width brackets in the table too
    assert "(L3)" not in text
    assert "特此聘任" in text


def test_renewal_letter_is_decided_by_the_term_end_review(ladder, office, senior):
    renewal = org_services.appoint(
        actor=None,
        staff=senior.staff,
        level=ladder[2],
        start=dt.date(2027, 3, 1),
        reason="renewal",
    )
    letter = services.letter_issue(actor=office, appointment=renewal)
    text = _text(letter)
    assert letter.kind == "renewal"
    assert "续聘书" in text
    assert "你2024年3月1日至2027年2月28日的聘期已届满" in text
    assert "经公司聘期届满考核，报认证领导小组研究决定，续聘你为高级客户经理（L3）" in text
    assert "聘期自2027年3月1日至2030年2月28日" in text
    assert "岗位认证评审" not in text


def test_kept_letter_states_the_score_and_keeps_the_term(office, senior):
    letter = services.letter_issue(
        actor=office,
        appointment=senior,
        kind="kept",
        grounds={**GROUNDS, "recert_score": Decimal("72.00"), "appeal_until": None},
    )
    text = _text(letter)
    assert "继续聘任通知书" in text
    assert "复核认证评审得分72.00分，合格线60.00分" in text
    assert "继续聘任你为高级客户经理（L3），聘期至2027年2月28日不变" in text


def test_a_demotion_notice_states_grounds_effective_date_and_appeal_and_no_benefits(
    ladder, office, senior
):
    letter = services.letter_issue(
        actor=office,
        appointment=senior,
        kind="demotion",
        grounds={**GROUNDS, "new_level_id": ladder[1].pk, "ground": "未达到合格线"},
    )
    text = _text(letter)
    assert letter.number == "粤海人通〔2026〕1号"  # its own series, not 人聘
    assert "降级通知书" in text
    assert (
        "根据公司2025年度业绩考核排名，你在“高级客户经理”考核群体（共40人）中排名第39位"
        "（综合得分61.25分），列入末位2人区间" in text
    )
    assert "复核认证评审得分55.50分，合格线60.00分、淘汰线40.00分（未达到合格线）" in text
    assert "你的岗位级别由高级客户经理（L3）调整为客户经理（L2），自2026年11月28日起执行" in text
    assert "可于2026年11月27日前以书面形式向公司认证办公室提出申诉" in text
    for benefit in BENEFITS:
        assert benefit not in text
    assert _pages(letter) == 1


def test_the_grounds_print_every_score_with_two_decimals(office, senior):
    grounds = {
        **GROUNDS,
        "ranking_score": Decimal("61.5"),
        "recert_score": Decimal("38"),
        "pass_line": Decimal("60"),
        "elimination_line": 40,
    }
    letter = services.letter_issue(
        actor=office, appointment=senior, kind="elimination", grounds=grounds
    )
    text = _text(letter)
    assert "排名第39位（综合得分61.50分）" in text
    assert "复核认证评审得分38.00分，合格线60.00分、淘汰线40.00分" in text


def test_an_elimination_notice(office, senior):
    letter = services.letter_issue(
        actor=office, appointment=senior, kind="elimination", grounds=GROUNDS
    )
    text = _text(letter)
    assert "淘汰通知书" in text
    assert "你自2026年11月28日起不再担任高级客户经理（L3）岗位，予以淘汰" in text
    assert "2026年11月27日前" in text
    for benefit in BENEFITS:
        assert benefit not in text
    assert letter.number == "粤海人通〔2026〕1号"


def test_english_demotion_notice_is_complete(ladder, office, senior):
    letter = services.letter_issue(
        actor=office,
        appointment=senior,
        kind="demotion",
        language="en",
        grounds={**GROUNDS, "new_level_id": ladder[1].pk, "cohort": "Senior Account Manager"},
    )
    text = _text(letter)
    assert "NoticeofDemotion" in text
    assert "Intheannualperformancerankingof2025youranked39of40" in text
    assert "Yourre-certificationscoreis55.50;thepasslineis60.00" in text
    assert "fromSeniorAccountManager(L3)toAccountManager(L2)witheffectfrom28November2026" in text
    assert "until27November2026" in text
    assert "cc:HumanResourcesDepartment" in text
    assert "Signedby:GeneralManager,HumanResources" in text
    chinese = text.replace("周敏", "").replace(letter.number, "")
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in chinese), chinese


def test_an_adverse_notice_for_a_held_appointment_needs_the_grounds(office, senior):
    with pytest.raises(DomainError):
        services.letter_issue(actor=office, appointment=senior, kind="elimination")


def test_number_prefixes_per_kind_are_configurable(promoted, office, settings):
    settings.LETTER_NUMBER_PREFIXES = {"promotion": "粤海人晋"}
    letter = services.letter_issue(actor=office, appointment=promoted)
    assert letter.number == "粤海人晋〔2026〕1号"
    assert letter.series == "粤海人晋"


def test_the_initial_appointment_prints_its_term_with_the_last_day(ladder, office):
    staff = StaffFactory(name="吴昊", level=None, level_since=None)
    appointment = org_services.appoint(
        actor=None, staff=staff, level=ladder[0], start=dt.date(2026, 7, 1), reason="initial"
    )
    text = _text(services.letter_issue(actor=office, appointment=appointment))
    last = appointment.end - dt.timedelta(days=1)
    assert (
        f"聘任你为{ladder[0].name}（{ladder[0].code}），"
        f"聘期自2026年7月1日至{last.year}年{last.month}月{last.day}日。" in text
    )
    assert "特此聘任。" in text and "签发人：人力资源部总经理" in text


def test_a_recertification_result_states_grounds_outcome_and_appeal_without_benefits(
    ladder, office, senior
):
    letter = services.letter_issue(
        actor=office,
        appointment=senior,
        kind="recertification",
        grounds={**GROUNDS, "new_level_id": ladder[1].pk, "ground": "未达到合格线"},
    )
    text = _text(letter)
    assert letter.number == "粤海人认〔2026〕1号"  # the re-certification series
    assert "复核认证结果通知书" in text
    assert "你在“高级客户经理”考核群体（共40人）中排名第39位（综合得分61.25分）" in text
    assert "复核认证评审得分55.50分，合格线60.00分、淘汰线40.00分（未达到合格线）" in text
    assert (
        "你在高级客户经理（L3）岗位的复核认证已结束，结果：未通过，降一级使用，"
        "调整后的岗位级别为客户经理（L2）" in text
    )
    assert "如对本决定有异议，可于2026年11月27日前以书面形式向公司认证办公室提出申诉" in text
    assert "特此通知。" in text
    for benefit in BENEFITS:
        assert benefit not in text
    assert _pages(letter) == 1


def test_a_passed_recertification_result_has_no_appeal_line(office, senior):
    grounds = {**GROUNDS, "recert_score": Decimal("72.00"), "appeal_until": None}
    letter = services.letter_issue(
        actor=office, appointment=senior, kind="recertification", grounds=grounds
    )
    text = _text(letter)
    assert "结果：通过，保持原级别。" in text
    assert "申诉" not in text and "调整后的岗位级别" not in text


def test_an_elimination_notice_states_its_grounds_and_appeal_route(office, senior):
    grounds = {**GROUNDS, "recert_score": Decimal("38.00"), "ground": "低于淘汰线"}
    text = _text(
        services.letter_issue(actor=office, appointment=senior, kind="elimination", grounds=grounds)
    )
    assert "排名第39位（综合得分61.25分），列入末位2人区间，按规定参加复核认证" in text
    assert "复核认证评审得分38.00分，合格线60.00分、淘汰线40.00分（低于淘汰线）" in text
    assert (
        "可于2026年11月27日前以书面形式向公司认证办公室提出申诉"
        "（可在系统“复核认证”页面提交）。在此期限内提出申诉的，本决定在申诉处理完毕后执行。" in text
    )
    assert "调整为" not in text  # no new level on an elimination


@pytest.mark.parametrize(
    "kind",
    ["appointment", "promotion", "renewal", "kept", "demotion", "elimination", "recertification"],
)
def test_chinese_letters_use_full_width_brackets_and_colons_only(ladder, office, senior, kind):
    appointment = senior
    grounds = None
    if kind == "appointment":
        staff = StaffFactory(name="吴昊", level=None, level_since=None)
        appointment = org_services.appoint(
            actor=None, staff=staff, level=ladder[0], start=dt.date(2026, 7, 1), reason="initial"
        )
    elif kind == "renewal":
        appointment = org_services.appoint(
            actor=None,
            staff=senior.staff,
            level=ladder[2],
            start=dt.date(2027, 3, 1),
            reason="renewal",
        )
    elif kind != "promotion":
        grounds = {**GROUNDS, "new_level_id": ladder[1].pk, "ground": "未达到合格线"}
    letter = services.letter_issue(
        actor=office, appointment=appointment, kind=kind, grounds=grounds
    )
    # The verification address is a URL (half-width by nature); the rest of the letter is Chinese.
    text = re.sub(r"https://ladder\.example\.com/letters/verify/[^/]+/", "", _text(letter))
    assert "抄送：" in text and "签发人：" in text  # the foot of the letter is checked too
    for half in "()[]:;":
        assert half not in text, (kind, half, text)
    assert "（" in text and "）" in text and "：" in text


def test_adverse_notices_end_with_a_receipt_slip_and_other_letters_do_not(
    ladder, office, senior, promoted
):
    grounds = {**GROUNDS, "new_level_id": ladder[1].pk}
    demotion = services.letter_issue(
        actor=office, appointment=senior, kind="demotion", grounds=grounds
    )
    text = _text(demotion)
    assert "（沿虚线剪下，签收后交回公司人力资源部存档）送达回执" in text
    assert "本人已收到粤海人通〔2026〕1号《降级通知书》。" in text
    assert "签收人（签名）：" in text and "签收日期：" in text
    assert _pages(demotion) == 1
    english = services.letter_issue(
        actor=office, appointment=senior, kind="elimination", grounds=grounds, language="en"
    )
    assert "IhavereceivedtheNoticeofRemovalfromthePost粤海人通〔2026〕2号." in _text(english)
    promotion = _text(services.letter_issue(actor=office, appointment=promoted))
    assert "送达回执" not in promotion and "签收" not in promotion


def test_the_kinds_with_a_receipt_slip_are_a_setting(office, senior, promoted, settings):
    settings.LETTER_RECEIPT_KINDS = ["promotion"]
    assert "本人已收到粤海人聘〔2026〕1号《聘任书》。" in _text(
        services.letter_issue(actor=office, appointment=promoted)
    )
    assert "送达回执" not in _text(
        services.letter_issue(actor=office, appointment=senior, kind="elimination", grounds=GROUNDS)
    )


def test_the_reference_to_the_decision_names_the_leadership_meeting(promoted, ladder, office):
    letter = services.letter_issue(
        actor=office, appointment=promoted, meeting=services.Meeting(2026, 3)
    )
    assert "经公司认证领导小组2026年第3次会议研究决定，晋升聘任你为高级客户经理（L3）" in _text(
        letter
    )
    english = services.letter_issue(
        actor=office,
        appointment=promote(StaffFactory(level=ladder[1]), ladder[2]),
        language="en",
        meeting=services.Meeting(2026, 3),
    )
    assert "certificationleadershipgroupatitsmeetingno.3of2026,youarepromoted" in _text(english)


def test_the_api_issues_with_the_meeting_both_or_neither(promoted, office):
    from tests.conftest import client_for

    api = client_for(office)
    url = "/api/v1/certification/letters/"
    refused = api.post(
        url,
        {"appointment": promoted.pk, "meeting_year": 2026},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400
    assert refused.json() == {"meeting_no": ["Give both the year and the number of the meeting."]}
    made = api.post(
        url, {"appointment": promoted.pk, "meeting_year": 2026, "meeting_no": 7}, format="json"
    )
    assert made.status_code == 201
    letter = Letter.objects.get(pk=made.json()["id"])
    assert letter.facts["decision_line"] == "经公司认证领导小组2026年第7次会议研究决定"
