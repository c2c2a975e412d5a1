"""The built-in wording of every kind and language, written in the placeholder syntax of
:mod:`letters.wording` — what a new draft starts from. Letters without a published template are
rendered from the code templates (``letters/pdf/{language}/{kind}.html``), which say the same.

The wording is the letter's, not the interface's: each language has its own text here, not
translation strings.
"""

from __future__ import annotations

_ZH_SALUTATION = "{{ staff_name }}同志（工号：{{ employee_no }}）："
_EN_SALUTATION = "Dear {{ staff_name }} (employee no. {{ employee_no }}),"

_ZH_GROUNDS = (
    "根据公司{{ ranking_year }}年度业绩考核排名，你在“{{ cohort }}”考核群体"
    "（共{{ cohort_size }}人）中排名第{{ rank }}位（综合得分{{ ranking_score }}分），"
    "列入末位{{ band_size }}人区间，"
    "按规定参加复核认证。\n"
    "复核认证评审得分{{ recert_score }}分，合格线{{ pass_line }}分、"
    "淘汰线{{ elimination_line }}分。\n"
)
_EN_GROUNDS = (
    "In the annual performance ranking of {{ ranking_year }} you ranked {{ rank }} of "
    "{{ cohort_size }} in the cohort “{{ cohort }}” (composite score {{ ranking_score }}), within "
    "the bottom band of {{ band_size }}, and were therefore re-certified.\n"
    "Your re-certification score is {{ recert_score }}; the pass line is {{ pass_line }} and the "
    "elimination line {{ elimination_line }}.\n"
)
_ZH_APPEAL = (
    "如对本决定有异议，可于{{ appeal_until }}前{{ appeal_route }}。"
    "在此期限内提出申诉的，本决定在申诉处理完毕后执行。"
)
_EN_APPEAL = (
    "If you disagree with this decision, you may appeal {{ appeal_route }} until "
    "{{ appeal_until }}. If you appeal within that period, the decision takes effect only once "
    "the appeal has been resolved."
)
_ZH_TITLE_LINE = "授予你“{{ honorary_title }}”荣誉称号。\n"
_EN_TITLE_LINE = "You are awarded the honorary title “{{ honorary_title }}”.\n"
_ZH_BENEFITS = "聘期内享受以下待遇："
_EN_BENEFITS = "During the term you receive the following:"

_ZH = {
    "appointment": (
        "聘任书",
        "{{ decision_line }}，决定聘任你为{{ level_name }}（{{ level_code }}），"
        "聘期自{{ term_start }}至{{ term_last_day }}。\n" + _ZH_TITLE_LINE + _ZH_BENEFITS,
        "特此聘任。",
    ),
    "promotion": (
        "聘任书",
        "你已通过{{ company }}岗位认证评审。{{ decision_line }}，晋升聘任你为{{ level_name }}"
        "（{{ level_code }}），聘期自{{ term_start }}至{{ term_last_day }}。\n"
        + _ZH_TITLE_LINE
        + _ZH_BENEFITS,
        "特此聘任。",
    ),
    "renewal": (
        "续聘书",
        "你{{ previous_term_start }}至{{ previous_term_last_day }}的聘期已届满。\n"
        "{{ decision_line }}，续聘你为{{ level_name }}（{{ level_code }}），"
        "聘期自{{ term_start }}至{{ term_last_day }}。\n" + _ZH_TITLE_LINE + _ZH_BENEFITS,
        "特此续聘。",
    ),
    "kept": (
        "继续聘任通知书",
        _ZH_GROUNDS + "你的复核认证结果为通过。{{ decision_line }}，继续聘任你为{{ level_name }}"
        "（{{ level_code }}），聘期至{{ term_last_day }}不变。\n聘期内继续享受以下待遇：",
        "特此通知。",
    ),
    "demotion": (
        "降级通知书",
        _ZH_GROUNDS
        + "{{ decision_line }}，你的岗位级别由{{ old_level_name }}（{{ old_level_code }}）"
        "调整为{{ new_level_name }}（{{ new_level_code }}），自{{ effective_on }}起执行。\n"
        + _ZH_APPEAL,
        "特此通知。",
    ),
    "elimination": (
        "淘汰通知书",
        _ZH_GROUNDS + "{{ decision_line }}，你自{{ effective_on }}起不再担任{{ old_level_name }}"
        "（{{ old_level_code }}）岗位，予以淘汰。\n" + _ZH_APPEAL,
        "特此通知。",
    ),
    "recertification": (
        "复核认证结果通知书",
        _ZH_GROUNDS + "你在{{ old_level_name }}（{{ old_level_code }}）岗位的复核认证已结束，"
        "结果：{{ outcome }}。\n调整后的岗位级别为{{ new_level_name }}（{{ new_level_code }}）。\n"
        + _ZH_APPEAL,
        "特此通知。",
    ),
}
_EN = {
    "appointment": (
        "Letter of Appointment",
        "{{ decision_line }}, you are appointed to the level {{ level_name }} ({{ level_code }}) "
        "for the term from {{ term_start }} to {{ term_last_day }}.\n"
        + _EN_TITLE_LINE
        + _EN_BENEFITS,
        "This letter is hereby issued.",
    ),
    "promotion": (
        "Letter of Appointment",
        "You have passed the post certification of {{ company }}. {{ decision_line }}, you are "
        "promoted to the level {{ level_name }} ({{ level_code }}) for the term from "
        "{{ term_start }} to {{ term_last_day }}.\n" + _EN_TITLE_LINE + _EN_BENEFITS,
        "This letter is hereby issued.",
    ),
    "renewal": (
        "Letter of Re-appointment",
        "Your term from {{ previous_term_start }} to {{ previous_term_last_day }} has ended.\n"
        "{{ decision_line }}, you are re-appointed to the level {{ level_name }} "
        "({{ level_code }}) for the term from {{ term_start }} to {{ term_last_day }}.\n"
        + _EN_TITLE_LINE
        + _EN_BENEFITS,
        "This letter is hereby issued.",
    ),
    "kept": (
        "Notice of Continued Appointment",
        _EN_GROUNDS + "You have passed the re-certification. {{ decision_line }}, you remain "
        "appointed to the level {{ level_name }} ({{ level_code }}); your term still ends on "
        "{{ term_last_day }}.\nDuring the term you continue to receive the following:",
        "You are hereby notified.",
    ),
    "demotion": (
        "Notice of Demotion",
        _EN_GROUNDS + "{{ decision_line }}, your level is changed from {{ old_level_name }} "
        "({{ old_level_code }}) to {{ new_level_name }} ({{ new_level_code }}) with effect from "
        "{{ effective_on }}.\n" + _EN_APPEAL,
        "You are hereby notified.",
    ),
    "elimination": (
        "Notice of Removal from the Post",
        _EN_GROUNDS + "{{ decision_line }}, you no longer hold the post of {{ old_level_name }} "
        "({{ old_level_code }}) with effect from {{ effective_on }}.\n" + _EN_APPEAL,
        "You are hereby notified.",
    ),
    "recertification": (
        "Re-certification Result",
        _EN_GROUNDS + "The re-certification at the level {{ old_level_name }} "
        "({{ old_level_code }}) has concluded. Result: {{ outcome }}.\n"
        "Your new level is {{ new_level_name }} ({{ new_level_code }}).\n" + _EN_APPEAL,
        "You are hereby notified.",
    ),
}


def builtin_parts(kind: str, language: str) -> dict[str, str]:
    """The built-in wording of ``kind`` in ``language`` as template parts."""
    zh = language == "zh-hans"
    title, body, closing = (_ZH if zh else _EN)[kind]
    return {
        "title": title,
        "salutation": _ZH_SALUTATION if zh else _EN_SALUTATION,
        "body": body,
        "closing": closing,
        "cc": "{{ cc }}",
    }
