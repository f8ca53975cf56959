"""One wording per kind of mistake, for every browser form, service and REST field.

A clerk who types a negative amount reads the same sentence on the case form, the
seizure form and in an API client's ``extra.fields``; the field the message sits next
to (or the key it is under) says which amount. Identity numbers keep the precise
messages of ``core.identity`` (which character is wrong and what it should be): that
module is already the one source for every form and endpoint.
"""

from django.utils.translation import gettext_lazy as _

# --- amounts (CNY) ----------------------------------------------------------------------------
AMOUNT_INVALID = _("请填写金额数字，如 1234.56。")
AMOUNT_NOT_POSITIVE = _("金额必须大于零。")
AMOUNT_NEGATIVE = _("金额不能为负数。")
AMOUNT_PLACES = _("金额最多两位小数。")
AMOUNT_TOO_LARGE = _("金额超过上限（最多 14 位整数）。")

# --- any field --------------------------------------------------------------------------------
REQUIRED = _("该字段是必填项。")

# --- cross-field rules of a case ----------------------------------------------------------------
# 法〔2015〕137号 第二条第二款: 收案年度 is the calendar year the court received the case.
CASE_NUMBER_YEAR = _("案号年度 %(number_year)s 与立案日期的年度 %(filed_year)s 不一致。")
PARTY_BOTH_SIDES = _("同一当事人不能既是申请执行人又是被执行人。")
HANDLER_NOT_OF_COURT = _("承办人必须是本院的承办人或执行局长。")
