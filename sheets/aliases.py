"""Spellings people write in choice columns, beyond the models' own labels (shared by resources)."""

from base.models import Level
from workforce.models import SkillLevel

LEVEL = {
    "国家": Level.NATIONAL, "全国": Level.NATIONAL, "国家级": Level.NATIONAL,
    "省": Level.PROVINCIAL, "省级": Level.PROVINCIAL,
    "市": Level.CITY, "市级": Level.CITY, "地市级": Level.CITY, "设区市级": Level.CITY,
    "县": Level.COUNTY, "县级": Level.COUNTY, "区级": Level.COUNTY, "县区级": Level.COUNTY,
    "县(市、区)级": Level.COUNTY, "县(市、区)": Level.COUNTY, "县市区级": Level.COUNTY,
    "镇": Level.TOWN, "镇级": Level.TOWN, "乡镇级": Level.TOWN, "街道级": Level.TOWN,
    "乡镇(街道)级": Level.TOWN, "镇(街道)级": Level.TOWN,
    "企业": Level.ENTERPRISE, "企业级": Level.ENTERPRISE,
}  # fmt: skip

SKILL_LEVEL = {
    "学徒": SkillLevel.APPRENTICE, "学徒工": SkillLevel.APPRENTICE,
    "初级工": SkillLevel.JUNIOR, "初级": SkillLevel.JUNIOR, "五级": SkillLevel.JUNIOR,
    "五级/初级工": SkillLevel.JUNIOR, "初级工(五级)": SkillLevel.JUNIOR, "5级": SkillLevel.JUNIOR,
    "中级工": SkillLevel.INTERMEDIATE, "中级": SkillLevel.INTERMEDIATE, "四级": SkillLevel.INTERMEDIATE,
    "四级/中级工": SkillLevel.INTERMEDIATE, "中级工(四级)": SkillLevel.INTERMEDIATE, "4级": SkillLevel.INTERMEDIATE,
    "高级工": SkillLevel.SENIOR, "高级": SkillLevel.SENIOR, "三级": SkillLevel.SENIOR,
    "三级/高级工": SkillLevel.SENIOR, "高级工(三级)": SkillLevel.SENIOR, "3级": SkillLevel.SENIOR,
    "技师": SkillLevel.TECHNICIAN, "二级": SkillLevel.TECHNICIAN, "二级/技师": SkillLevel.TECHNICIAN,
    "技师(二级)": SkillLevel.TECHNICIAN, "2级": SkillLevel.TECHNICIAN,
    "高级技师": SkillLevel.SENIOR_TECHNICIAN, "一级": SkillLevel.SENIOR_TECHNICIAN,
    "一级/高级技师": SkillLevel.SENIOR_TECHNICIAN, "高级技师(一级)": SkillLevel.SENIOR_TECHNICIAN,
    "1级": SkillLevel.SENIOR_TECHNICIAN,
    "特级技师": SkillLevel.SPECIAL_TECHNICIAN, "首席技师": SkillLevel.CHIEF_TECHNICIAN,
}  # fmt: skip

EMPLOYMENT_FORM = {
    "标准": "standard", "标准劳动关系": "standard", "非新就业形态": "standard", "普通职工": "standard",
    "快递员": "courier", "快递小哥": "courier", "快递": "courier",
    "外卖骑手": "food_delivery", "外卖员": "food_delivery", "骑手": "food_delivery",
    "外卖送餐员": "food_delivery", "送餐员": "food_delivery",
    "网约车司机": "ride_hailing", "网约车": "ride_hailing",
    "货车司机": "truck_driver", "货运司机": "truck_driver",
    "家政": "domestic", "家政服务员": "domestic", "家政服务": "domestic",
    "其他平台": "other_platform", "其他平台从业人员": "other_platform",
}  # fmt: skip
