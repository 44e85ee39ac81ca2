/**
 * National code lists (字典) seeded into the database on start; admins may relabel or disable
 * items afterwards, and seeding never overwrites their edits.
 */
export interface DictItem { code: string; label: string }

const list = (pairs: Array<[string, string]>): DictItem[] => pairs.map(([code, label]) => ({ code, label }));

/** 民族, GB/T 3304-1991. */
const ETHNICITIES = '汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族'.split(' ');

export const DICTIONARIES: Record<string, { name: string; items: DictItem[] }> = {
  id_type: {
    name: '证件类型',
    items: list([
      ['resident_id', '居民身份证'],
      ['hk_mo_tw_residence', '港澳台居民居住证'],
      ['hk_mo_pass', '港澳居民来往内地通行证'],
      ['tw_pass', '台湾居民来往大陆通行证'],
      ['foreign_permanent', '外国人永久居留身份证'],
      ['passport', '护照'],
    ]),
  },
  member_group: {
    name: '会员群体',
    items: list([
      ['new_employment', '新就业形态劳动者'],
      ['truck_driver', '货车司机'],
      ['courier', '快递员'],
      ['caregiver', '护工护理员'],
      ['domestic', '家政服务员'],
      ['mall_info', '商场信息员'],
      ['food_delivery', '网约送餐员'],
      ['real_estate', '房产中介员'],
      ['security_guard', '保安员'],
      ['ride_hailing', '网约车司机'],
    ]),
  },
  employment_status: {
    name: '就业状况',
    items: list([
      ['1', '在岗'], ['2', '待（下）岗'], ['3', '失业'], ['4', '退休'], ['5', '离休'],
      ['6', '退职'], ['7', '退养（内退）'], ['8', '病休'], ['9', '其他'],
    ]),
  },
  change_type: {
    name: '会籍变化类型',
    items: list([['1', '入会'], ['2', '转入'], ['3', '保留'], ['4', '转出'], ['5', '除名'], ['6', '退会']]),
  },
  change_reason: {
    name: '会籍变化原因',
    items: list([
      ['1', '劳动（工作）关系发生变化'], ['2', '在本单位下岗后待岗'], ['3', '失业'],
      ['4', '所在企业破产'], ['5', '个人要求退会'], ['6', '因犯罪被开除会籍'],
    ]),
  },
  education: {
    name: '学历',
    items: list([
      ['10', '研究生'], ['20', '大学本科'], ['30', '大学专科'], ['40', '中等职业教育（中专、技校）'],
      ['60', '普通高中'], ['70', '初中'], ['80', '小学'], ['90', '其他'],
    ]),
  },
  ethnicity: {
    name: '民族',
    items: [
      ...ETHNICITIES.map((label, i) => ({ code: String(i + 1).padStart(2, '0'), label })),
      { code: '97', label: '其他' },
      { code: '98', label: '外国血统中国籍人士' },
    ],
  },
  household_type: {
    name: '户籍类型',
    items: list([['1', '城镇户籍'], ['2', '农村户籍']]),
  },
  hotline_category: {
    name: '热线诉求类别',
    items: list([
      ['wage_arrears', '欠薪'], ['labor_contract', '劳动合同'], ['social_insurance', '社会保险'],
      ['work_injury', '工伤'], ['labor_dispute', '劳动争议'], ['safety_health', '职业安全卫生'],
      ['legal_consult', '法律咨询'], ['hardship', '困难求助'], ['suggestion', '意见建议'], ['other', '其他'],
    ]),
  },
};
