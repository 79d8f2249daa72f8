"""Finding the header row of a sheet and mapping its cells to a resource's columns.

Sheets have title rows, notes and blank rows above the header, columns in any order, and headers
written the way each office writes them. Every comparison goes through `normalise.fold`, so
`经济效益（万元）` and `经济效益(万元)` are one header, and a required-column marker (`*姓名`,
`姓名*`, `姓名（必填）`) is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sheets.normalise import fold, is_blank, text

__all__ = [
    "ALIASES",
    "Column",
    "HeaderError",
    "HeaderMatch",
    "column",
    "column_letter",
    "find_header",
    "header_key",
]


class HeaderError(Exception):
    """No usable header row; `.message` is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    """One column of a resource: the field it fills and the headers that name it."""

    name: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    # Headers meaning this column in 万元 (the value is multiplied by 10 000).
    wan_aliases: tuple[str, ...] = ()


@dataclass
class HeaderMatch:
    row_index: int  # 0-based index into the rows given to find_header
    columns: dict[int, Column] = field(default_factory=dict)  # 0-based column index → Column
    wan: set[str] = field(default_factory=set)  # names of columns matched through a 万元 header
    unknown: list[str] = field(default_factory=list)  # headers matching no column (序号, 备注)
    missing: list[Column] = field(default_factory=list)  # required columns not found
    # Headers matched only through the user's saved mapping: the sheet's text → column name.
    mapped: dict[str, str] = field(default_factory=dict)

    def index_of(self, name: str) -> int | None:
        """The 0-based column index of the column called `name`, None when absent."""
        for index, matched in self.columns.items():
            if matched.name == name:
                return index
        return None


# Templates and offices mark required columns like "*姓名", "姓名*", "姓名（必填）"; optional ones
# sometimes "（选填）". Folded text, so brackets are already half-width.
_MARKERS = re.compile(r"^\*+|\*+$|\((?:必填|选填|必填项|可选)\)$")


def header_key(value: Any) -> str:
    """The folded form of a header cell with required/optional markers removed."""
    key = fold(value)
    previous = None
    while key != previous:  # "*姓名(必填)*" has several markers
        previous, key = key, _MARKERS.sub("", key)
    return key.rstrip(":")


def column_letter(index: int) -> str:
    """The Excel letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# Aliases people write for the headers of docs/import-formats.md, by canonical header. `column()`
# merges them in, so resources only name what is special to them. Keys and aliases are compared
# folded: write them as people do, full-width brackets and all.
ALIASES: dict[str, tuple[str, ...]] = {
    # people
    "姓名": ("职工姓名", "名字", "人员姓名", "员工姓名", "会员姓名", "学员姓名", "职工名字"),
    "身份证号": (
        "身份证号码",
        "公民身份号码",
        "公民身份证号码",
        "公民身份证号",
        "居民身份证号码",
        "证件号码",
        "证件号",
        "身份证",
        "身份证件号码",
        "身份号码",
        "身份证号(18位)",
    ),
    "手机号": (
        "手机号码",
        "联系电话",
        "电话",
        "手机",
        "联系方式",
        "电话号码",
        "移动电话",
        "联系手机",
    ),
    "性别": ("性别(男/女)",),
    "出生日期": ("出生年月", "出生年月日", "生日"),
    # places and organisations
    "所属地区": (
        "区划",
        "区划代码",
        "行政区划",
        "行政区划代码",
        "县(市、区)",
        "县(市,区)",
        "县市区",
        "所属县(市、区)",
        "所在县(市、区)",
        "区县",
        "所属区县",
        "所在地",
        "地区",
        "所属区域",
        "所在区域",
        "所在地区",
        "所属地",
        "地区代码",
        "所属乡镇(街道)",
        "乡镇(街道)",
    ),
    "工作单位": (
        "单位名称",
        "企业名称",
        "单位",
        "所在单位",
        "工作单位名称",
        "就职单位",
        "所在企业",
        "单位全称",
        "现工作单位",
    ),
    "统一社会信用代码": (
        "信用代码",
        "社会信用代码",
        "统一信用代码",
        "统一代码",
        "企业信用代码",
        "单位统一社会信用代码",
        "统一社会信用代码证",
    ),
    "单位名称": ("企业名称", "单位全称", "企业全称", "名称", "单位"),
    "所在单位": ("工作单位", "依托单位", "单位名称", "单位"),
    "所有制": ("所有制性质", "所有制形式", "经济类型", "经济性质", "企业性质", "单位性质"),
    "所属行业": ("行业", "行业类别", "行业分类", "所在行业", "行业门类"),
    "是否规上": ("规上企业", "是否规上企业", "是否规模以上", "是否规模以上企业", "规模以上"),
    "职工人数": ("职工数", "员工人数", "从业人数", "在职职工人数", "职工总数", "从业人员数"),
    "是否建会": ("建会", "是否建立工会", "是否成立工会", "已建会", "建会情况"),
    # regions
    "区划代码": ("代码", "行政区划代码", "区划编码", "行政区划编码"),
    "名称": ("区划名称", "地区名称"),
    "级别": ("层级", "级次", "等级"),
    "上级区划代码": ("上级代码", "上级区划", "上级区划编码", "上级行政区划代码"),
    "是否山区海岛县": ("山区海岛县", "是否山区县", "山区海岛县(是/否)"),
    # honours and titles
    "称号名称": ("称号", "荣誉称号", "荣誉名称", "名称"),
    "类别": ("称号类别", "分类", "类型"),
    "授予机关": ("授予单位", "命名单位", "评选机关", "表彰单位", "授予部门"),
    "荣誉称号": ("称号", "荣誉", "荣誉名称", "所获荣誉", "获得荣誉", "获得称号", "荣誉称号名称"),
    "授予年份": ("获得年份", "获评年份", "授予时间", "获得时间", "评选年份", "年份", "授予年度"),
    # programmes and unions
    "项目名称": ("名称", "改革项目名称", "项目"),
    "简称": ("项目简称",),
    "说明": ("项目说明", "描述", "简介"),
    "工会名称": ("名称", "工会", "工会组织名称", "工会全称"),
    "类型": ("类别", "组织类型", "工会类型"),
    "会员人数": ("会员数", "工会会员人数", "会员总数"),
    "成立日期": ("成立时间", "建会日期", "建会时间", "成立年月"),
    # workers
    "职业(工种)": ("职业", "工种", "职业工种", "职业(工种)名称", "工种名称", "职业名称"),
    "就业形态": ("就业类型", "从业类型", "就业方式", "新就业形态类型", "用工类型"),
    "是否工会会员": ("工会会员", "是否会员", "是否入会", "会员", "是否已入会"),
    "入会日期": ("入会时间", "入会年月", "加入工会日期", "加入工会时间"),
    # certificates
    "技能等级": (
        "等级",
        "职业技能等级",
        "认定等级",
        "证书等级",
        "职业资格等级",
        "技能等级(职业资格等级)",
    ),
    "认定日期": (
        "认定时间",
        "发证日期",
        "发证时间",
        "取证日期",
        "取证时间",
        "获证日期",
        "获证时间",
        "颁证日期",
        "证书日期",
    ),
    "评价机构类型": ("评价机构性质", "认定机构类型"),
    "评价机构": ("评价机构名称", "认定机构", "评价单位", "发证机构", "发证单位", "评价组织"),
    "证书编号": ("证书号", "证书号码", "证书编码"),
    # mentorships and care pairings
    "师傅姓名": ("师傅", "导师姓名", "师父姓名", "师父"),
    "师傅身份证号": ("师傅身份证号码", "师傅证件号码", "师傅公民身份号码", "师父身份证号"),
    "徒弟姓名": ("徒弟", "学徒姓名", "学徒"),
    "徒弟身份证号": ("徒弟身份证号码", "徒弟证件号码", "学徒身份证号", "学徒身份证号码"),
    "结对日期": ("结对时间", "结对年月", "拜师日期", "拜师时间", "签约日期"),
    "结束日期": ("结束时间", "出师日期", "出师时间"),
    "成效": ("结对成效", "带徒成效", "培养成效", "取得成效"),
    "老劳模姓名": ("老劳模", "劳模姓名", "老劳模名字"),
    "老劳模身份证号": ("老劳模身份证号码", "劳模身份证号", "劳模身份证号码"),
    "结对人姓名": ("结对人", "帮扶人姓名", "结对人员姓名"),
    "结对人身份证号": ("结对人身份证号码", "帮扶人身份证号", "结对人员身份证号"),
    # pilot units and targets
    "项目": ("改革项目", "试点项目", "项目名称"),
    "单位类型": ("试点单位类型", "类型", "试点类型"),
    "班组名称": ("班组",),
    "批次年份": ("批次", "年份", "入选年份", "命名年份", "试点年份", "年度"),
    "状态": ("当前状态", "状态(在用/停用)", "办理状态"),
    "指标": ("指标名称", "指标代码", "任务指标", "目标指标"),
    "年份": ("年度", "年"),
    "目标值": ("目标", "目标数", "目标任务", "目标任务数", "任务数", "目标数值"),
    # studios and achievements
    "工作室名称": ("工作室", "创新工作室名称", "创新工作室", "名称"),
    "依托单位": ("所在单位", "依托企业", "单位名称", "工作单位"),
    "领衔人": ("领衔人姓名", "带头人", "带头人姓名", "负责人", "负责人姓名"),
    "领衔人身份证号": (
        "领衔人身份证号码",
        "带头人身份证号",
        "带头人身份证号码",
        "负责人身份证号",
        "负责人身份证号码",
    ),
    "成员人数": ("成员数", "团队人数", "成员数量", "团队成员人数"),
    "命名年份": ("命名时间", "命名年度", "获评年份", "年份", "授牌年份"),
    "撤销年份": ("撤销时间", "摘牌年份", "撤牌年份"),
    "成果名称": ("成果", "名称", "成果项目名称"),
    "成果类型": ("成果类别", "类型", "类别"),
    "所属工作室": ("工作室", "工作室名称", "依托工作室", "创新工作室"),
    "专利号": ("专利申请号", "专利号码", "授权专利号", "专利授权号"),
    "经济效益": ("创造经济效益", "经济效益额", "年经济效益", "产生经济效益"),
    # service visits and problems
    "活动名称": ("活动", "活动主题", "服务活动名称", "名称"),
    "服务日期": ("活动日期", "服务时间", "活动时间", "日期"),
    "参与劳模工匠人数": (
        "参与人数",
        "劳模工匠人数",
        "参加劳模工匠人数",
        "参与劳模人数",
        "劳模工匠数",
        "参与劳模工匠数",
    ),
    "服务企业数": ("服务企业数量", "服务企业", "企业数", "走访企业数", "服务企业(家)"),
    "收集问题数": ("收集问题", "问题数", "收集难题数", "收集问题(个)", "收集问题数量"),
    "解决问题数": ("解决问题", "解决难题数", "已解决问题数", "解决问题(个)", "解决问题数量"),
    "培训技术工人人次": ("培训人次", "培训技术工人", "培训工人人次", "培训技术工人数"),
    "企业": ("企业名称", "服务企业", "单位名称", "单位"),
    "难题描述": ("难题", "问题描述", "难题内容", "问题", "问题内容", "难题名称"),
    "专家姓名": ("专家", "劳模工匠姓名", "服务专家", "服务专家姓名"),
    "专家身份证号": ("专家身份证号码", "专家证件号码"),
    "解决日期": ("解决时间", "办结日期", "办结时间"),
    # training
    "机构名称": ("名称", "培训机构名称", "机构", "学院名称"),
    "上级机构": ("上级单位", "所属机构", "上级学院", "上级机构名称"),
    "班次名称": ("培训班名称", "班级名称", "培训班", "班次", "培训名称", "培训班次"),
    "培训机构": ("培训单位", "承办机构", "承训机构", "办班机构", "培训机构名称"),
    "组织地区": ("所属地区", "主办地区", "地区", "区划", "组织单位所在地区"),
    "培训类别": ("培训类型", "类别", "培训种类"),
    "开班日期": ("开班时间", "开始日期", "培训开始日期", "开训日期", "培训日期"),
    "结业日期": ("结业时间", "结束日期", "培训结束日期"),
    "学时": ("培训学时", "课时", "总学时"),
    "参训人数": ("培训人数", "参加人数", "学员人数", "参训人次"),
    "补贴金额": ("补贴", "补助金额", "培训补贴", "补贴资金"),
    "是否结业": ("结业", "结业情况", "是否完成培训"),
    "是否取证": ("取证", "是否获证", "取证情况", "是否取得证书"),
    # competitions
    "竞赛名称": ("赛事名称", "比赛名称", "竞赛", "大赛名称", "赛项名称"),
    "赛事类型": ("竞赛类型", "赛事类别", "竞赛类别"),
    "工种": ("竞赛工种", "比赛工种", "赛项工种"),
    "举办日期": ("比赛日期", "竞赛日期", "举办时间", "比赛时间", "举办年月"),
    "参赛人数": ("参赛选手人数", "参赛人次", "参赛选手数"),
    "名次": ("排名", "获奖名次"),
    "奖项": ("获奖等次", "获得奖项", "奖项等级", "获奖情况", "所获奖项"),
    "授予称号": ("获得称号", "称号", "授予荣誉"),
    # education subsidies
    "学校": ("就读学校", "院校", "学校名称", "就读院校", "院校名称"),
    "专业": ("所学专业", "就读专业", "专业名称"),
    "层次": ("学历层次", "学历", "提升层次", "就读层次"),
    "年度": ("年份", "资助年度"),
    "资助金额": ("资助", "补助金额", "资助款", "资助标准"),
    # stations
    "站点名称": ("站点", "驿站名称", "服务站名称", "名称", "服务站点名称"),
    "地址": ("站点地址", "详细地址", "具体地址", "所在位置", "位置"),
    "经度": ("东经",),
    "纬度": ("北纬",),
    "建设主体": ("建设单位", "主办单位", "建站单位"),
    "是否24小时": ("24小时开放", "是否24小时开放", "24小时", "是否全天开放"),
    "服务功能": ("功能", "服务项目", "服务内容", "主要功能"),
    "建成日期": ("建成时间", "建设时间", "建站时间", "投用日期", "投入使用日期"),
    "改造提升年份": ("改造年份", "提升年份", "改造提升时间", "改造提升年度"),
    # hardship cases and grants
    "困难类型": ("困难类别", "困难程度", "类型"),
    "致困原因": ("困难原因", "致困原因(可多选)", "致贫原因"),
    "家庭人口": ("家庭人口数", "家庭人数", "家庭成员数", "人口数", "家庭成员人数"),
    "家庭月人均收入": ("月人均收入", "家庭人均月收入", "人均月收入", "家庭月均收入"),
    "来源": ("信息来源", "数据来源", "线索来源", "案件来源"),
    "建档日期": ("建档时间", "建档年月"),
    "解困日期": ("解困时间", "脱困日期", "脱困时间"),
    "解困原因": ("脱困原因",),
    "帮扶类型": ("帮扶方式", "帮扶项目", "救助类型", "帮扶类别"),
    "金额": ("帮扶金额", "发放金额", "救助金额", "慰问金额"),
    "发放日期": ("发放时间", "帮扶日期", "帮扶时间"),
    "资金来源": ("经费来源", "资金渠道"),
    # recuperation trips
    "目的地": ("疗休养地点", "地点", "目的地点", "疗休养目的地"),
    "出发日期": ("出发时间", "开始日期", "疗休养日期", "出行日期"),
    "天数": ("疗休养天数", "时长(天)", "行程天数"),
    "参加人数": ("人数", "参与人数", "参加人员数"),
    "人均费用": ("人均标准", "人均经费", "人均费用标准"),
    "经费来源": ("资金来源", "费用来源"),
}

_ALIAS_INDEX: dict[str, tuple[str, ...]] = {fold(key): value for key, value in ALIASES.items()}
_YUAN = re.compile(r"[（(]\s*元\s*[）)]$")


def _unique(items: Iterable[str], *, besides: str = "") -> tuple[str, ...]:
    seen = {fold(besides)}
    unique: list[str] = []
    for item in items:
        if fold(item) not in seen:
            seen.add(fold(item))
            unique.append(item)
    return tuple(unique)


def _without_yuan(header: str) -> str:
    """The header without a trailing (元): 经济效益(元) → 经济效益; others as they are."""
    return _YUAN.sub("", text(header)).strip() or header


def column(
    name: str,
    header: str,
    *,
    required: bool = False,
    aliases: Sequence[str] = (),
    wan: bool = False,
) -> Column:
    """A Column with the registry's aliases for `header` merged after `aliases`.

    A header in 元 ("补贴金额(元)") also accepts the bare "补贴金额" and the registered aliases
    of "补贴金额", each with or without "(元)". With `wan`, each of those names followed by
    "(万元)" is accepted as the same column in 万元.
    """
    base = _without_yuan(header)
    registered = _ALIAS_INDEX.get(fold(header), ()) + _ALIAS_INDEX.get(fold(base), ())
    names = _unique((*aliases, *registered), besides=header)
    if base == text(header) and not wan:
        return Column(name, header, names, required)
    bases = _unique((base, *(_without_yuan(alias) for alias in names)))
    yuan_aliases = _unique(
        (*names, *(f"{b}(元)" for b in bases), *bases),
        besides=header,
    )
    if not wan:
        return Column(name, header, yuan_aliases, required)
    wan_aliases = _unique((*(f"{b}(万元)" for b in bases), *(f"{b}(万)" for b in bases)))
    return Column(name, header, yuan_aliases, required, wan_aliases)


def _lookup(columns: Sequence[Column]) -> dict[str, tuple[Column, bool]]:
    """Folded header → (column, through a 万元 alias). A column's own header wins over another
    column's alias, and an earlier column's alias over a later one's."""
    lookup: dict[str, tuple[Column, bool]] = {}
    for col in columns:
        lookup[header_key(col.header)] = (col, False)
    for col in columns:
        for alias in col.aliases:
            lookup.setdefault(header_key(alias), (col, False))
        for alias in col.wan_aliases:
            lookup.setdefault(header_key(alias), (col, True))
    return lookup


def _expected_headers(columns: Sequence[Column]) -> str:
    ordered = [col for col in columns if col.required] + [
        col for col in columns if not col.required
    ]
    return _(", ").join(col.header for col in ordered)


def find_header(
    rows: Sequence[Sequence[Any]],
    columns: Sequence[Column],
    *,
    scan: int = 30,
    mapping: dict[str, str] | None = None,
) -> HeaderMatch:
    """The header row among the first `scan` rows: the one where most cells name a column
    (the earlier row on a tie), with its columns matched.

    `mapping` (header key → column name, a user's saved choice) matches headers no column
    knows, to a column the row does not already name.
    Raises HeaderError when no row names any column, or when one column is named twice.
    """
    lookup = _lookup(columns)
    best_index, best_score = -1, 0
    for index, row in enumerate(rows[:scan]):
        score = sum(1 for cell in row if not is_blank(cell) and header_key(cell) in lookup)
        if score > best_score:
            best_index, best_score = index, score
    if best_score == 0:
        raise HeaderError(
            _(
                "No header row was found in the first %(count)d rows. "
                "The header row should contain column names such as: %(headers)s."
            )
            % {"count": min(scan, max(len(rows), 1)), "headers": _expected_headers(columns)}
        )

    match = HeaderMatch(row_index=best_index)
    where: dict[str, int] = {}
    for index, cell in enumerate(rows[best_index]):
        if is_blank(cell):
            continue
        found = lookup.get(header_key(cell))
        if found is None:
            match.unknown.append(text(cell))
            continue
        col, through_wan = found
        if col.name in where:
            raise HeaderError(
                _(
                    "The column “%(header)s” appears twice in the header row "
                    "(columns %(first)s and %(second)s); keep only one."
                )
                % {
                    "header": col.header,
                    "first": column_letter(where[col.name]),
                    "second": column_letter(index),
                }
            )
        where[col.name] = index
        match.columns[index] = col
        if through_wan:
            match.wan.add(col.name)
    if mapping:
        by_name = {col.name: col for col in columns}
        still_unknown = []
        for index, cell in enumerate(rows[best_index]):
            if is_blank(cell) or index in match.columns:
                continue
            chosen = by_name.get(mapping.get(header_key(cell), ""))
            if chosen is None or chosen.name in where:
                still_unknown.append(text(cell))
                continue
            where[chosen.name] = index
            match.columns[index] = chosen
            match.mapped[text(cell)] = chosen.name
        match.unknown = still_unknown
    match.missing = [col for col in columns if col.required and col.name not in where]
    return match
