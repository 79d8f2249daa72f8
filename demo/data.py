"""Word lists and named records for the demo ledger.

Enterprises, towns, programmes, unions and events named here come from the source pages
(docs/design.md §8); the lists around them make generated records read like real ledger rows.
Real people named in the pages are deliberately left out: demo workers get generated names, so no
real person is shown with an invented ID number, hardship file or grant.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

# Records span the five-year dashboard window plus the current year. A fixed end date keeps the
# data the same whenever it is generated.
FIRST_YEAR = 2021
LAST_YEAR = 2026
DEMO_END = datetime.date(2026, 10, 31)
YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
# Activity grows year on year; the last year is only ten months long.
YEAR_WEIGHTS = (0.13, 0.15, 0.16, 0.18, 0.20, 0.18)

# Towns, streets and parks (county code, town code, name): the ones named in the pages first,
# then a few more per city so that every city's dashboard has towns. Codes follow GB/T 2260
# practice (streets 0xx, towns 1xx, parks 4xx) under their county's six digits.
DEMO_TOWNS: tuple[tuple[str, str, str], ...] = (
    ("330381", "330381001", "安阳街道"),
    ("330381", "330381002", "玉海街道"),
    ("330381", "330381101", "塘下镇"),
    ("330381", "330381102", "莘塍街道"),
    ("330402", "330402101", "凤桥镇"),
    ("330402", "330402001", "建设街道"),
    ("330482", "330482005", "曹桥街道"),
    ("331083", "331083001", "玉城街道"),
    ("330203", "330203101", "集士港镇"),
    ("330203", "330203001", "南门街道"),
    ("330624", "330624001", "南明街道"),
    ("330127", "330127100", "千岛湖镇"),
    ("331121", "331121001", "鹤城街道"),
    ("330327", "330327100", "灵溪镇"),
    ("330782", "330782001", "稠城街道"),
    ("330302", "330302001", "五马街道"),
    # 杭州市
    ("330110", "330110001", "余杭街道"),
    ("330110", "330110002", "仓前街道"),
    ("330122", "330122001", "桐君街道"),
    ("330112", "330112004", "玲珑街道"),
    ("330114", "330114001", "白杨街道"),
    ("330109", "330109001", "城厢街道"),
    # 宁波市
    ("330203", "330203102", "古林镇"),
    ("330206", "330206001", "新碶街道"),
    ("330225", "330225001", "丹西街道"),
    ("330281", "330281101", "牟山镇"),
    # 温州市
    ("330381", "330381110", "高楼镇"),
    ("330324", "330324113", "岩坦镇"),
    ("330382", "330382001", "城东街道"),
    # 嘉兴市
    ("330402", "330402102", "新丰镇"),
    ("330402", "330402400", "嘉兴科技城"),
    ("330424", "330424001", "武原街道"),
    ("330411", "330411101", "王江泾镇"),
    # 湖州市
    ("330523", "330523001", "递铺街道"),
    ("330522", "330522001", "雉城街道"),
    ("330502", "330502101", "织里镇"),
    ("330503", "330503101", "南浔镇"),
    # 绍兴市
    ("330681", "330681001", "暨阳街道"),
    ("330681", "330681102", "店口镇"),
    ("330603", "330603001", "柯桥街道"),
    ("330602", "330602001", "府山街道"),
    # 金华市
    ("330782", "330782101", "佛堂镇"),
    ("330723", "330723001", "白洋街道"),
    ("330781", "330781001", "兰江街道"),
    ("330783", "330783101", "横店镇"),
    # 衢州市
    ("330802", "330802003", "荷花街道"),
    ("330803", "330803001", "樟潭街道"),
    ("330881", "330881001", "双塔街道"),
    ("330825", "330825001", "龙洲街道"),
    # 舟山市
    ("330902", "330902001", "昌国街道"),
    ("330903", "330903001", "沈家门街道"),
    ("330921", "330921101", "高亭镇"),
    ("330922", "330922101", "菜园镇"),
    # 台州市
    ("331002", "331002001", "海门街道"),
    ("331023", "331023001", "始丰街道"),
    ("331081", "331081101", "泽国镇"),
    # 丽水市
    ("331121", "331121002", "瓯南街道"),
    ("331102", "331102001", "紫金街道"),
    ("331122", "331122101", "壶镇镇"),
    ("331181", "331181001", "龙渊街道"),
)

# Share of the province's workforce per city (roughly its share of employment) and the city
# centre, around which stations are placed.
CITY_WEIGHTS: dict[str, float] = {
    "330100": 0.19,
    "330200": 0.15,
    "330300": 0.13,
    "330400": 0.09,
    "330500": 0.055,
    "330600": 0.09,
    "330700": 0.11,
    "330800": 0.035,
    "330900": 0.02,
    "331000": 0.10,
    "331100": 0.03,
}
CITY_CENTRES: dict[str, tuple[float, float]] = {
    "330100": (30.27, 120.16),
    "330200": (29.87, 121.54),
    "330300": (28.00, 120.70),
    "330400": (30.75, 120.76),
    "330500": (30.87, 120.09),
    "330600": (30.00, 120.58),
    "330700": (29.08, 119.65),
    "330800": (28.97, 118.87),
    "330900": (30.02, 122.20),
    "331000": (28.66, 121.42),
    "331100": (28.45, 119.92),
}
# The brief's bounding box of Zhejiang; stations stay inside it.
LATITUDE_BOX = (27.05, 31.15)
LONGITUDE_BOX = (118.05, 122.95)


class Industry(NamedTuple):
    occupations: tuple[str, ...]
    # Words that end a generated company name of this industry (恒达 + 机械 + 有限公司).
    name_words: tuple[str, ...]
    # Objects that patents, operation methods and problems of this industry are about.
    objects: tuple[str, ...]


INDUSTRIES: dict[str, Industry] = {
    "纺织服装": Industry(
        ("纺纱工", "织布工", "挡车工", "缝纫工", "服装制版师", "印染工"),
        ("纺织", "服饰", "针织", "印染", "经编"),
        ("剑杆织机", "经编机", "定型机", "缝制流水线", "染色工艺"),
    ),
    "汽车零部件": Industry(
        ("汽车装调工", "焊工", "数控车工", "质检员", "钳工"),
        ("汽配", "汽车部件", "机电"),
        ("散热器芯体", "制动钳", "转向节", "换热器", "焊接夹具"),
    ),
    "通用设备制造": Industry(
        ("车工", "铣工", "钳工", "焊工", "数控车工", "装配钳工"),
        ("机械", "精工", "泵业", "阀门", "轴承"),
        ("阀门密封面", "轴承套圈", "水泵叶轮", "数控车床", "齿轮箱"),
    ),
    "电气机械": Industry(
        ("电工", "电气设备安装工", "电机装配工", "仪表维修工"),
        ("电气", "电器", "电机", "电工器材"),
        ("低压断路器", "电机定子", "漆包线", "接触器", "配电柜"),
    ),
    "化工新材料": Industry(
        ("化工总控工", "化学检验员", "聚合反应工"),
        ("化工", "新材料", "化纤"),
        ("聚氨酯反应釜", "氨纶纺丝", "精馏塔", "废气处理装置"),
    ),
    "新能源": Industry(
        ("电池制造工", "电工", "设备点检员"),
        ("新能源", "能源科技", "光伏", "电源"),
        ("电芯卷绕", "极片涂布", "光伏组件", "蓄电池极板"),
    ),
    "电子信息": Industry(
        ("电子装接工", "半导体芯片制造工", "调试工", "电工"),
        ("电子", "科技", "光电", "智能科技"),
        ("贴片生产线", "电能表", "传感器", "测试工装"),
    ),
    "五金制品": Industry(
        ("冲压工", "抛光工", "模具工", "焊工"),
        ("五金", "工贸", "不锈钢制品", "工具"),
        ("冲压模具", "保温杯", "电动工具", "抛光工序"),
    ),
    "鞋革制造": Industry(
        ("制鞋工", "皮革加工工", "裁剪工"),
        ("鞋业", "皮革", "制鞋"),
        ("鞋底成型", "帮面缝制", "皮革裁断"),
    ),
    "食品加工": Industry(
        ("茶叶加工工", "食品检验员", "西式面点师"),
        ("食品", "茶业", "农业开发"),
        ("茶叶杀青", "揉捻机", "烘焙生产线"),
    ),
    "医药": Industry(
        ("药物制剂工", "药品验收养护员", "化学检验员"),
        ("药业", "医药", "生物科技"),
        ("冻干机", "制剂生产线", "药品仓储"),
    ),
    "建筑": Industry(
        ("砌筑工", "钢筋工", "木工", "架子工", "建筑电工"),
        ("建设", "建工", "建筑工程"),
        ("装配式构件", "钢筋绑扎", "脚手架"),
    ),
    "物流快递": Industry(
        ("快递员", "仓储管理员", "叉车司机"),
        ("物流", "速运", "供应链"),
        ("分拣线", "仓储货架", "冷链运输"),
    ),
    "家政服务": Industry(
        ("家政服务员", "育婴员", "养老护理员"),
        ("家政服务", "家庭服务"),
        ("居家照护", "母婴护理"),
    ),
    "模具塑料": Industry(
        ("模具工", "注塑工", "火花机操作工"),
        ("模具", "塑业", "塑料制品"),
        ("注塑模具", "火花机", "模具型腔"),
    ),
    "水务能源": Industry(
        ("供水管道工", "水质检验员", "电工"),
        ("水务", "供水"),
        ("供水管网", "水泵机组", "水质检测"),
    ),
    # Only the named social organisation below; never drawn for generated employers.
    "公益服务": Industry(("社会工作者", "应急救援员"), ("公益",), ("应急救援装备",)),
}
# The industries every county has a little of.
BASE_INDUSTRY_WEIGHTS: dict[str, float] = {
    "纺织服装": 3,
    "汽车零部件": 2,
    "通用设备制造": 4,
    "电气机械": 2,
    "化工新材料": 1,
    "新能源": 1,
    "电子信息": 2,
    "五金制品": 2,
    "鞋革制造": 0.5,
    "食品加工": 1.5,
    "医药": 0.7,
    "建筑": 2,
    "物流快递": 1.2,
    "家政服务": 0.6,
    "模具塑料": 1.5,
    "水务能源": 0.3,
}
# Block economies (一县一业): these counties' own industries weigh much more.
COUNTY_SPECIALTIES: dict[str, tuple[str, ...]] = {
    "330108": ("电子信息",),
    "330110": ("电子信息", "医药"),
    "330203": ("纺织服装", "模具塑料"),
    "330206": ("物流快递", "汽车零部件"),
    "330211": ("化工新材料",),
    "330225": ("汽车零部件",),
    "330281": ("模具塑料",),
    "330282": ("电气机械",),
    "330302": ("鞋革制造",),
    "330381": ("汽车零部件", "化工新材料"),
    "330382": ("电气机械",),
    "330402": ("电气机械", "纺织服装"),
    "330481": ("鞋革制造", "纺织服装"),
    "330482": ("纺织服装",),
    "330483": ("纺织服装", "化工新材料"),
    "330522": ("新能源",),
    "330603": ("纺织服装",),
    "330624": ("通用设备制造", "医药"),
    "330681": ("纺织服装", "通用设备制造"),
    "330683": ("纺织服装", "电气机械"),
    "330781": ("纺织服装",),
    "330782": ("纺织服装", "物流快递"),
    "330784": ("五金制品",),
    "330803": ("新能源", "化工新材料"),
    "331003": ("模具塑料",),
    "331023": ("汽车零部件",),
    "331081": ("通用设备制造",),
    "331083": ("通用设备制造", "汽车零部件"),
}

# Syllables of generated company names (恒 + 达 → 恒达).
BRAND_FIRST = "恒华宏永金新天鑫瑞中东海嘉明立鸿盛兴通宇康泰富佳顺荣正长博昌德凯利万森"
BRAND_SECOND = "达丰源盛发力信隆星辉锦创邦杰越成诚益晟升远安威能众科讯亿航润奥豪驰"
COMPANY_SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司", "制造有限公司")


class SeedEnterprise(NamedTuple):
    name: str
    short_name: str
    region: str  # a county or one of DEMO_TOWNS
    industry: str
    ownership: str
    size: int  # relative weight when workers are spread over the county's employers


# Employers named in the pages, where the pages place them.
SEED_ENTERPRISES: tuple[SeedEnterprise, ...] = (
    SeedEnterprise("雅戈尔集团股份有限公司", "雅戈尔", "330203", "纺织服装", "non_public", 60),
    SeedEnterprise("金氏实业有限公司", "金氏实业", "330203102", "模具塑料", "non_public", 12),
    SeedEnterprise("华峰集团有限公司", "华峰", "330381", "化工新材料", "non_public", 50),
    SeedEnterprise("浙江银轮机械股份有限公司", "银轮", "331023", "汽车零部件", "non_public", 40),
    SeedEnterprise(
        "浙江威能消防器材股份有限公司", "威能消防", "330402101", "通用设备制造", "non_public", 10
    ),
    SeedEnterprise(
        "中法控股集团股份有限公司", "中法控股", "330402101", "电气机械", "non_public", 10
    ),
    SeedEnterprise("浙江荣泰电工器材股份有限公司", "荣泰", "330402", "电气机械", "non_public", 10),
    SeedEnterprise("衢州鹏辉能源科技有限公司", "鹏辉能源", "330803", "新能源", "non_public", 25),
    SeedEnterprise("合力集团有限公司", "合力集团", "330225001", "汽车零部件", "non_public", 15),
    SeedEnterprise(
        "宁波博力汽车零部件有限公司", "博力汽配", "330225001", "汽车零部件", "non_public", 10
    ),
    SeedEnterprise(
        "西子清洁能源装备制造股份有限公司", "西子洁能", "330102", "通用设备制造", "non_public", 30
    ),
    SeedEnterprise("绍兴柯桥水务集团有限公司", "柯桥水务", "330603001", "水务能源", "state", 8),
    SeedEnterprise("华立科技股份有限公司", "华立科技", "330110", "电子信息", "non_public", 20),
    SeedEnterprise("浙江英特集团股份有限公司", "英特集团", "330105", "医药", "state", 20),
    SeedEnterprise("嘉特保温科技有限公司", "嘉特保温", "330482005", "五金制品", "non_public", 6),
    SeedEnterprise("温州禾木科技有限公司", "禾木科技", "330302001", "电子信息", "non_public", 4),
    SeedEnterprise(
        "宁波市玉玉月子中心有限公司", "玉玉月子中心", "330212", "家政服务", "non_public", 3
    ),
    # A social organisation (credit code kind 51) with its own union, in 苍南县灵溪镇.
    SeedEnterprise("苍南县壹加壹公益联合会", "壹加壹", "330327100", "公益服务", "other", 2),
)

# Employers of new-form workers: local franchisees of delivery, courier and ride-hailing brands.
PLATFORM_BRANDS: dict[str, tuple[str, ...]] = {
    "courier": ("中通快递", "圆通速递", "申通快递", "韵达快递", "顺丰速运", "极兔速递"),
    "food_delivery": ("饿了么配送", "美团配送"),
    "ride_hailing": ("滴滴出行", "曹操出行"),
    "truck_driver": ("货拉拉物流",),
    "domestic": ("好帮手家政", "安心家政"),
    "other_platform": ("优选电商",),
}
NEW_FORM_OCCUPATIONS: dict[str, str] = {
    "courier": "快递员",
    "food_delivery": "网约配送员",
    "ride_hailing": "网约车驾驶员",
    "truck_driver": "货车司机",
    "domestic": "家政服务员",
    "other_platform": "互联网营销师",
}
NEW_FORM_WEIGHTS: dict[str, float] = {
    "courier": 30,
    "food_delivery": 30,
    "ride_hailing": 15,
    "truck_driver": 12,
    "domestic": 8,
    "other_platform": 5,
}

# Surnames with rough Zhejiang frequencies (陈 and 王 lead; 金, 叶, 潘, 应, 楼 are local).
SURNAMES: tuple[tuple[str, float], ...] = (
    ("陈", 8.0), ("王", 6.5), ("张", 4.5), ("李", 4.0), ("吴", 3.8), ("徐", 3.5),
    ("周", 3.0), ("林", 3.0), ("黄", 2.8), ("金", 2.5), ("叶", 2.3), ("朱", 2.2),
    ("杨", 2.2), ("刘", 2.2), ("胡", 2.0), ("郑", 2.0), ("潘", 1.6), ("沈", 1.6),
    ("方", 1.4), ("余", 1.3), ("蒋", 1.2), ("汪", 1.2), ("何", 1.2), ("孙", 1.2),
    ("许", 1.1), ("赵", 1.1), ("钱", 1.0), ("应", 0.9), ("楼", 0.7), ("项", 0.6),
    ("章", 0.9), ("邵", 0.8), ("俞", 0.8), ("丁", 0.7), ("姚", 0.8), ("卢", 0.7),
    ("傅", 0.7), ("洪", 0.7), ("戴", 0.6), ("马", 0.7), ("高", 0.8),
    ("杜", 0.5), ("范", 0.6), ("袁", 0.5), ("谢", 0.6), ("韦", 0.3), ("柯", 0.3),
    ("宋", 0.6), ("邱", 0.5), ("程", 0.6), ("曹", 0.5), ("严", 0.4), ("邹", 0.4),
    ("骆", 0.3), ("殷", 0.3), ("裘", 0.3), ("阮", 0.3), ("诸葛", 0.05), ("欧阳", 0.05),
)  # fmt: skip
MALE_GIVEN = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳建国志海峰文东亮成兵毅晨博立新永春"
)
FEMALE_GIVEN = "芳娜敏静丽艳娟霞燕玲婷雪慧莉萍红琴颖倩洁丹晶琳佳璐悦欣怡秀英兰凤梅琦瑶蕾"
# Chinese mobile prefixes in use (China Mobile, Unicom, Telecom).
MOBILE_PREFIXES = (
    "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158", "159",
    "178", "182", "183", "187", "188", "198", "130", "131", "132", "155", "156", "166", "175",
    "176", "185", "186", "133", "153", "173", "177", "180", "181", "189", "191", "199",
)  # fmt: skip

# Road and community words for addresses and station names.
ROAD_WORDS = (
    "人民", "解放", "中山", "建设", "文化", "新华", "环城", "工业", "发展", "兴业", "振兴",
    "创业", "科技", "滨江", "江南", "世纪", "东方", "迎宾", "沿江", "塘河", "车站", "府前",
)  # fmt: skip
COMMUNITY_WORDS = (
    "月里湾", "大港", "城东", "江滨", "新华", "东门", "西门", "南苑", "北苑", "锦绣", "阳光",
    "和平", "花园", "桃源", "金桥", "湖滨", "翠苑", "新村", "塘湾", "凤凰",
)  # fmt: skip
BANKS = ("中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "中国邮政储蓄银行")

SKILL_ISSUERS_SOCIAL = ("职业技能培训学校", "技工学校", "职业技能培训中心")
ISSUER_CENTRE = "职业技能鉴定指导中心"

# Education subsidies (学历提升): the schools and majors of the pages' 双提升 programme.
SCHOOLS = (
    "浙江开放大学",
    "国家开放大学",
    "浙江工业大学",
    "浙江理工大学",
    "杭州职业技术学院",
    "宁波职业技术学院",
    "温州职业技术学院",
    "嘉兴职业技术学院",
    "金华职业技术大学",
    "台州职业技术学院",
)
MAJORS = ("机电一体化技术", "计算机应用技术", "大数据与会计", "工商管理", "土木工程", "机械工程")
SUBSIDY_STATUSES = ("已发放", "已发放", "已发放", "审核中", "已毕业")

# Training.
SESSION_TEMPLATES: dict[str, tuple[str, ...]] = {
    "skills": ("{trade}技能提升培训班", "{trade}高级工培训班", "{trade}技师研修班"),
    "education": ("职工学历提升入学辅导班", "“双提升”学历教育班"),
    "safety": ("安全生产知识培训班", "消防安全管理培训班", "职业病防治知识培训班"),
    "literacy": ("职工心理健康讲座", "职工法律法规培训班", "“风信子”职工素养培训班"),
    "team_leader": ("产业工人班组长创新赋能培训班", "班组长管理能力提升班"),
    "new_form": (
        "快递行业“素养+技能”提升培训班",
        "新就业形态劳动者“安全必修课”",
        "网约配送员技能提升班",
    ),
    "other": ("劳模工匠主题沙龙", "企业内训师培训班"),
}
SESSION_CATEGORY_WEIGHTS: dict[str, float] = {
    "skills": 45,
    "education": 6,
    "safety": 15,
    "literacy": 10,
    "team_leader": 8,
    "new_form": 10,
    "other": 6,
}
DESTINATIONS = (
    "乐清雁荡山",
    "文成百丈漈",
    "永嘉楠溪江",
    "淳安千岛湖",
    "桐庐瑶琳",
    "安吉余村",
    "普陀山",
    "仙居神仙居",
    "遂昌金矿",
    "缙云仙都",
    "开化根宫",
    "磐安大盘山",
)

# Achievements and the problems of service visits.
PATENT_DEVICES = (
    "定位夹具",
    "自动上料装置",
    "检测工装",
    "冷却装置",
    "除尘装置",
    "安全防护装置",
    "快速换模装置",
    "在线检测系统",
)
IMPROVEMENTS = ("工艺优化", "智能化改造", "节能降耗改造", "质量提升", "效率提升")
PROBLEMS = (
    "焊接后表面存在气孔缺陷",
    "设备故障率偏高",
    "一线工人劳动强度大",
    "产品尺寸一致性差",
    "单位产品能耗偏高",
    "模具使用寿命短",
    "质量检测依赖人工",
    "新员工技能培训不足",
    "数控设备编程效率低",
    "生产废料率偏高",
    "特殊材料修补工艺缺失",
    "自动化改造缺少方案",
)
MENTORSHIP_OUTCOMES = ("", "徒弟出师", "徒弟取得高级工证书", "徒弟获评企业技术能手", "徒弟晋升技师")

# Hardship relief.
HARDSHIP_REASONS_CLOSED = (
    "家庭收入稳定，已脱困",
    "子女毕业就业，家庭收入提高",
    "病情好转，恢复工作",
)
HARDSHIP_REASONS_REJECTED = ("家庭收入超过认定标准", "经核实不符合建档条件")
FUND_SOURCES = ("县总工会帮扶资金", "省总工会送温暖资金", "市总工会专项资金")
# 越温暖 is 绍兴's dispatch system; 光FU行 the 新昌 solar programme.
DISPATCH_CITY = "330600"
SOLAR_COUNTY = "330624"

# Honour years: model-worker titles are conferred at the five-yearly conferences.
MODEL_WORKER_YEARS = (2000, 2005, 2010, 2015, 2020, 2025)
SENIOR_HONOUR_YEARS = (1979, 1982, 1985, 1989, 1995, 2000)


# Named records of the pages. Dates the pages leave open are set within the month they report.
class SeedUnion(NamedTuple):
    name: str
    kind: str
    region: str
    enterprise: str  # name of a SEED_ENTERPRISES employer, or ""
    members: int | None
    founded_on: datetime.date


SEED_UNIONS: tuple[SeedUnion, ...] = (
    SeedUnion(
        "玉环市玉城街道饿了么送餐员工会", "joint", "331083001", "", 196, datetime.date(2021, 6, 1)
    ),
    SeedUnion(
        "青田县快递行业联合会工会", "industry", "331121", "", None, datetime.date(2020, 5, 1)
    ),
    SeedUnion(
        "苍南县壹加壹公益联合会工会",
        "grassroots",
        "330327100",
        "苍南县壹加壹公益联合会",
        None,
        datetime.date(2017, 12, 1),
    ),
)


class SeedProvider(NamedTuple):
    name: str
    kind: str
    region: str


# The county-level providers named in the pages; every other county gets its own 工匠学院.
SEED_PROVIDERS: tuple[SeedProvider, ...] = (
    SeedProvider("温州劳模工匠产业人才学院", "academy", "330300"),
    SeedProvider("鹿城区劳模工匠产业人才学院", "academy", "330302"),
    SeedProvider("海盐工匠学院", "academy", "330424"),
    SeedProvider("南湖区新时代工匠学院", "academy", "330402"),
    SeedProvider("南湖区工匠夜校", "night_school", "330402"),
    SeedProvider("余快小哥学院", "other", "330110"),
    SeedProvider("余杭区工人文化宫", "other", "330110"),
    SeedProvider("诸暨市职工学校", "school", "330681"),
    SeedProvider("海曙区企业新型学徒制培训基地", "base", "330203"),
)
ACADEMY = "浙江工匠学院"
# The schools the seeded academies work with: 海盐's draws on 嘉兴职业技术学院海盐学院, 鹿城's was
# founded at 温州市轻工职业学校.
ACADEMY_PARTNERS = {
    "海盐工匠学院": "嘉兴职业技术学院海盐学院",
    "鹿城区劳模工匠产业人才学院": "温州市轻工职业学校",
}


class SeedPilot(NamedTuple):
    programme: str
    unit_type: str
    name: str
    region: str
    team_name: str
    level: int
    batch_year: int
    status: str


PILOT_PROGRAMME = "产业工人队伍建设改革试点"
GROWTH_PROGRAMME = "职工成长型社会建设"
SKILLS_PROGRAMME = "非公企业产业工人技能提升全域试点"
LEAD_GOOSE_PROGRAMME = "幸福共同体领头雁企业"
SEED_PILOTS: tuple[SeedPilot, ...] = (
    SeedPilot(PILOT_PROGRAMME, "county", "瑞安市", "330381", "", 5, 2021, "accepted"),
    SeedPilot(SKILLS_PROGRAMME, "county", "海曙区", "330203", "", 5, 2021, "named"),
    SeedPilot(SKILLS_PROGRAMME, "town", "古林镇", "330203102", "", 5, 2021, "named"),
    SeedPilot(
        PILOT_PROGRAMME, "enterprise", "雅戈尔集团股份有限公司", "330203", "", 5, 2021, "accepted"
    ),
    SeedPilot(
        LEAD_GOOSE_PROGRAMME, "enterprise", "华峰集团有限公司", "330381", "", 5, 2023, "named"
    ),
    SeedPilot(
        LEAD_GOOSE_PROGRAMME, "enterprise", "金氏实业有限公司", "330203102", "", 4, 2023, "named"
    ),
    SeedPilot(
        PILOT_PROGRAMME, "enterprise", "浙江银轮机械股份有限公司", "331023", "", 3, 2023, "named"
    ),
    SeedPilot(
        PILOT_PROGRAMME,
        "team",
        "衢州鹏辉能源科技有限公司",
        "330803",
        "电芯车间前段生产组",
        4,
        2024,
        "named",
    ),
    SeedPilot(
        PILOT_PROGRAMME,
        "team",
        "浙江英特集团股份有限公司",
        "330105",
        "杭州中心库仓储运作班组",
        5,
        2023,
        "accepted",
    ),
    # 温州's first batch of 职工成长型社会 pilots: 4 counties and 6 towns (its 30 enterprises and
    # 16 teams are drawn from the generated employers).
    SeedPilot(GROWTH_PROGRAMME, "county", "瑞安市", "330381", "", 4, 2023, "named"),
    SeedPilot(GROWTH_PROGRAMME, "county", "鹿城区", "330302", "", 4, 2023, "named"),
    SeedPilot(GROWTH_PROGRAMME, "county", "乐清市", "330382", "", 4, 2023, "named"),
    SeedPilot(GROWTH_PROGRAMME, "county", "苍南县", "330327", "", 4, 2023, "named"),
    SeedPilot(GROWTH_PROGRAMME, "town", "安阳街道", "330381001", "", 4, 2023, "named"),
    SeedPilot(GROWTH_PROGRAMME, "town", "玉海街道", "330381002", "", 4, 2023, "named"),
    SeedPilot(GROWTH_PROGRAMME, "town", "塘下镇", "330381101", "", 4, 2023, "named"),
    SeedPilot(GROWTH_PROGRAMME, "town", "莘塍街道", "330381102", "", 4, 2023, "named"),
    SeedPilot(GROWTH_PROGRAMME, "town", "五马街道", "330302001", "", 4, 2023, "named"),
    SeedPilot(GROWTH_PROGRAMME, "town", "灵溪镇", "330327100", "", 4, 2023, "named"),
)
GROWTH_CITY = "330300"
GROWTH_FIRST_BATCH = (30, 16)  # enterprises, teams
TEAM_WORKSHOPS = (
    "电芯车间",
    "装配车间",
    "焊接车间",
    "机加工车间",
    "质检部",
    "模具车间",
    "织造车间",
)
TEAM_SUFFIXES = ("前段生产组", "甲班", "乙班", "班组", "工段")

# The county the demo logins (ra_*) look after: its dashboard shows model workers and craftsmen
# at every honour level and innovation studios at every level, as a real county's does, however
# small the demo (a county of a 3,000-worker province has a few dozen workers).
SHOWCASE_COUNTY = "330381"
SHOWCASE_STUDIOS = 6

# 产改覆盖 (seeds 003: 规模以上民营企业覆盖率达80.2%; 001: 海曙's 17 镇(乡)街道、园区 all have a
# 产改协调小组). Each county's share of 规上 enterprises in the reform lies in this range, drawn
# per county (海曙 aims at every 规上工业企业); fewer of the small ones have started.
REFORM_COVERAGE_RANGE = (0.64, 0.96)
REFORM_COVERAGE: dict[str, float] = {"330203": 0.97}
REFORM_SMALL_SHARE = 0.12
REFORM_PILOT_SHARE = 0.12  # of those started: the enterprise's own 试点 mark
# The year an enterprise started: most from 2021 (the province became the national pilot) on.
REFORM_START_YEARS: dict[int, float] = {2019: 3, 2020: 6, 2021: 16, 2022: 20, 2023: 20, 2024: 18, 2025: 13, 2026: 4}  # fmt: skip
# Counties with a coordination group in every town, as 海曙 reports; elsewhere most towns.
GROUP_COUNTIES = ("330203", "330381")
GROUP_CHANCE = 0.75
GROUP_POSTS = ("镇党委书记", "镇长", "街道党工委书记", "街道办事处主任", "党委副书记", "工会主席")

# Indicators that get a target (set against what the data reaches, demo/targets.py) in every
# region.
TARGET_INDICATORS = (
    "workers",
    "union_members",
    "skilled_workers",
    "high_skilled_workers",
    "craftsmen",
    "studios",
    "service_visits",
    "training_sessions",
    "stations",
    "wage_agreements",
)

# Local honour titles beside each city's and county's 劳动模范 (the fixture has these already).
CITY_TITLES: dict[str, tuple[str, ...]] = {"330300": ("瓯越工匠",), "330400": ("嘉兴良匠",)}
COUNTY_TITLES: dict[str, tuple[str, ...]] = {
    "330203": ("海曙工匠",),
    "330402": ("南湖工匠",),
    "330424": ("海盐工匠",),
}
# A town's title is "<town>工匠" unless the pages name another.
TOWN_TITLES: dict[str, str] = {"330402101": "凤桥工匠", "330203102": "古林镇优秀产业工人"}
BREAKTHROUGH_TOPICS = ("精度提升", "寿命提升", "能耗降低", "良品率提升", "效率提升")
OPERATION_WORDS = ("快速", "精准", "标准化", "五步")


# 产改联盟 (seed 000): 天台's first alliance, led by 浙江银轮机械, founded at the opening of 台州's
# first team-leader class; the demo names it by its industry chain.
class SeedAlliance(NamedTuple):
    name: str
    lead: str  # name of a SEED_ENTERPRISES employer
    region: str
    founded_on: datetime.date
    description: str


FIRST_ALLIANCE = SeedAlliance(
    "天台县汽车零部件产业链产改联盟",
    "浙江银轮机械股份有限公司",
    "331023",
    datetime.date(2023, 3, 16),
    "天台县首家产改联盟，由浙江银轮机械股份有限公司牵头，依托联盟实现组织联建、事务联商、"
    "资源共享、活动联办、品牌联创，凝聚创新合力，形成企业发展共同体。",
)
# The 五联 an alliance works through, and what its activities are called.
ALLIANCE_ACTIVITIES: dict[str, tuple[str, ...]] = {
    "organisation": ("联盟党建工建联建签约", "联盟工会联合会议", "班组长联建交流"),
    "affairs": ("联盟企业工资集体协商联席会", "职工诉求联商会", "产改工作联席会议"),
    "resources": ("劳模工匠技术服务共享", "实训基地共享开放日", "联盟专家库共享服务"),
    "events": ("联盟职工技能比武", "联盟职工运动会", "劳模工匠进联盟宣讲"),
    "brand": ("产改联盟品牌发布", "联盟工匠品牌评选", "联盟质量品牌联创推进会"),
}


# 春风行动 (seed 002): 义乌市总工会's 2023 fair at the 人力资源产业园 — over a hundred enterprises,
# 6,000 positions, 3,000 job seekers, nearly 800 agreements to hire; the 镇(街道)总工会 hold their
# own; 北仑 新碶's fair of 40 enterprises and 1,218 positions also went out live (直播带岗).
FAIR_VENUES = ("人力资源市场", "人力资源产业园", "职工服务中心", "人民广场", "工人文化宫")
FAIR_TOWN_CHANCE = 0.3  # a town's union holds a fair of its own in a year
FAIR_ONLINE_CHANCE = 0.5  # from 2022, a county's live-streamed fair (直播带岗) in a year
# 职工书屋 (seed 004): 平湖's 曹桥街道 5G智汇谷 library, where the union's chair told the park's
# workers about the national congress. Shares of the libraries by demonstration title.
FIRST_LIBRARY = (
    "曹桥街道5G智汇谷职工书屋",
    "330482",
    "曹桥街道",
    "provincial",
    datetime.date(2021, 9, 28),
)
LIBRARY_LEVELS: tuple[tuple[str, float], ...] = (
    ("national", 0.03),
    ("provincial", 0.09),
    ("city", 0.2),
    ("", 0.68),
)
LIBRARY_HOST_CHANCE = 0.3  # a 规上 enterprise with a union hosts a library
LIBRARY_TOWN_CHANCE = 0.5  # a town's union keeps a library at its 职工之家
