"""Asset categories the national online search system (总对总) queries."""

CATEGORIES = [
    # code, name, online, needs_disposal
    ("bank_deposit", "银行存款", True, False),
    ("bank_wealth", "银行理财产品", True, False),
    ("online_payment", "网络资金（第三方支付）", True, False),
    ("real_estate", "不动产", True, True),
    ("vehicle", "车辆", True, True),
    ("securities", "证券", True, True),
    ("equity", "股权（工商登记）", True, True),
    ("housing_fund", "住房公积金", True, False),
    ("insurance", "保险", True, False),
    ("ship", "船舶", True, True),
    ("futures", "期货", True, True),
    ("fishing_vessel", "渔船", True, True),
    ("other", "其他财产（线下查明）", False, True),
]


def sync(model) -> int:
    existing = set(model.objects.values_list("code", flat=True))
    rows = [
        model(code=code, name=name, online=online, needs_disposal=disposal, sort=i)
        for i, (code, name, online, disposal) in enumerate(CATEGORIES)
        if code not in existing
    ]
    model.objects.bulk_create(rows)
    return len(rows)
