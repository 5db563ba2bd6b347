/* demo_text.c - the words of the demo history: report titles in the style units write them
 * (渝中区2023年第二季度例行新闻发布会, 万州区“六五环境日”网络主题宣传活动), places, summaries
 * with the year's theme, plausible metric values, the office's return reasons, evaluators'
 * comments and units' answers to dispatch notices. Pure: everything comes from the random
 * stream and the arguments. */
#include "demo/demo.h"
#include "base/arena.h"
#include "base/date.h"
#include <stdio.h>
#include <string.h>

#define PICK(r, arr) ((arr)[demo_range((r), 0, (long long)(sizeof(arr) / sizeof *(arr)) - 1)])

static const char *const cn_q[] = {"一", "二", "三", "四"};

static bool is_city(const char *unit)
{
    return strncmp(unit, "市", 3) == 0 || strcmp(unit, "团市委") == 0;
}

/* The unit's youth league committee: 团区委 / 团县委 / 团工委. */
static const char *league(const char *unit)
{
    size_t n = strlen(unit);
    if (n >= 3 && strcmp(unit + n - 3, "县") == 0) return "团县委";
    if (strstr(unit, "新区") || strstr(unit, "高新区") || strstr(unit, "经开区")) return "团工委";
    return "团区委";
}

/* Key dates (重要节点) near day: a campaign title's occasion. */
static const char *occasion(int day)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    int md = m * 100 + d;
    if (md >= 301 && md <= 310) return "学雷锋纪念日";
    if (md >= 318 && md <= 326) return "世界水日";
    if (md >= 418 && md <= 426) return "世界地球日";
    if (md >= 518 && md <= 526) return "国际生物多样性日";
    if (md >= 601 && md <= 610) return "六五环境日";
    if (y >= 2023 && md >= 810 && md <= 818) return "全国生态日";
    if (md >= 912 && md <= 920) return "国际保护臭氧层日";
    if (md >= 1201 && md <= 1208) return "全国土壤日";
    return NULL;
}

/* What a title is made from: demo_title's arguments, the day as year and month. */
struct title_in {
    struct arena *a;
    struct demo_rng *r;
    const char *unit;
    int day, y, m;
    long long task;
    int n;
};

/* 例行新闻发布会 and the like; the city's bureau holds one a month. */
static const char *t_press_conference(const struct title_in *t)
{
    if (strcmp(t->unit, "市生态环境局") == 0)
        return arena_printf(t->a, "重庆市生态环境局%d年%d月例行新闻发布会", t->y, t->m);
    switch (demo_range(t->r, 0, 2)) {
    case 0:
        return arena_printf(t->a, "%s%d年第%s季度例行新闻发布会", t->unit, t->y,
                            cn_q[(t->m - 1) / 3]);
    case 1:
        return arena_printf(t->a, "%s生态环境保护工作媒体通气会（%d年%d月）", t->unit, t->y, t->m);
    default:
        return arena_printf(t->a, "%s%d年%s生态环境质量状况新闻发布会", t->unit, t->y,
                            t->m <= 6 ? "上半年" : "下半年");
    }
}

/* A study session on 习近平生态文明思想. */
static const char *t_seminar(const struct title_in *t)
{
    static const char *const s[] = {"学习贯彻习近平生态文明思想专题研讨会",
                                    "“美丽中国，我是行动者”专题培训班", "生态文明建设专题读书班",
                                    "习近平生态文明思想专题宣讲报告会"};
    return arena_printf(t->a, "%s%d年%s", t->unit, t->y, PICK(t->r, s));
}

/* A training for enterprises. */
static const char *t_training(const struct title_in *t)
{
    static const char *const s[] = {"企业环境社会责任专题培训会",
                                    "重点排污单位环境信息依法披露培训会",
                                    "企业生态环境保护主体责任培训班"};
    return arena_printf(t->a, "%d年%s", t->y, PICK(t->r, s));
}

/* An original work of ecological culture: its form and name. */
static const char *t_culture_product(const struct title_in *t)
{
    static const char *const names[] = {
        "山水之城",         "两江碧波",       "绿水青山就是金山银山", "巴渝生态行",
        "长江上游生态屏障", "美丽重庆我的家", "一江碧水向东流",       "山清水秀美丽之地"};
    static const char *const forms[] = {"生态文化宣传片", "生态文化主题绘本", "生态文化短视频",
                                        "生态文化主题歌曲"};
    return arena_printf(t->a, "%s原创%s《%s》", t->unit, PICK(t->r, forms), PICK(t->r, names));
}

/* An online campaign: the city's of the year, a key date's, or a theme month. */
static const char *t_online_campaign(const struct title_in *t)
{
    const char *occ = occasion(t->day);
    if (is_city(t->unit))
        return arena_printf(t->a, "%d年“美丽重庆·我是行动者”网络主题宣传活动", t->y);
    if (occ) return arena_printf(t->a, "%s“%s”网络主题宣传活动", t->unit, occ);
    static const char *const s[] = {"“美丽中国，我是行动者”网络主题宣传月",
                                    "“低碳生活·绿色出行”网络话题互动",
                                    "“晒晒家乡的绿水青山”网络征集活动"};
    return arena_printf(t->a, "%s%d年%s", t->unit, t->y, PICK(t->r, s));
}

/* A batch of original articles, numbered. */
static const char *t_original_article(const struct title_in *t)
{
    return arena_printf(t->a, "%s“美丽重庆”系列原创稿件（%d年第%d批）", t->unit, t->y, t->n);
}

/* An original poster, comic, leaflet or cartoon. */
static const char *t_publicity_product(const struct title_in *t)
{
    static const char *const s[] = {"生态环境保护原创宣传海报", "垃圾分类主题原创漫画",
                                    "“无废城市”原创宣传折页", "生态环境法律法规原创动漫"};
    return arena_printf(t->a, "%s%d年%s", t->unit, t->y, PICK(t->r, s));
}

/* A youth project of 团市委 or of the unit's youth league committee. */
static const char *t_youth_project(const struct title_in *t)
{
    if (is_city(t->unit)) {
        static const char *const s[] = {"“青春护河”志愿实践项目", "“河小青”生态环保志愿服务项目",
                                        "青少年生态环保研学营"};
        return arena_printf(t->a, "团市委%d年%s", t->y, PICK(t->r, s));
    }
    static const char *const s[] = {"“青春护河”志愿实践项目", "“小手拉大手·垃圾分类进家庭”实践活动",
                                    "“河小青”生态环保志愿服务项目", "青少年生态环保研学营",
                                    "“光盘行动”校园实践活动"};
    return arena_printf(t->a, "%s%s%d年%s", t->unit, league(t->unit), t->y, PICK(t->r, s));
}

/* A capacity-building event for environmental NGOs, numbered. */
static const char *t_capacity_event(const struct title_in *t)
{
    static const char *const s[] = {"环保社会组织能力建设培训会", "环保社会组织座谈交流会",
                                    "生态环境志愿服务组织负责人培训班", "环保社会组织项目交流会"};
    return arena_printf(t->a, "%s%d年%s（第%d场）", t->unit, t->y, PICK(t->r, s), t->n);
}

/* The school year's class hours (a school year starts in September). */
static const char *t_school_class_hours(const struct title_in *t)
{
    int sy = t->m >= 9 ? t->y : t->y - 1;
    return arena_printf(t->a, "%s%d—%d学年中小学生态文明专题教育课时落实情况", t->unit, sy, sy + 1);
}

/* The unit's volunteer service plan. */
static const char *t_work_plan(const struct title_in *t)
{
    return arena_printf(t->a, "%s生态环境志愿服务工作方案", t->unit);
}

/* An education venue built. */
static const char *t_venue_built(const struct title_in *t)
{
    static const char *const s[] = {"生态文明教育馆建成开放", "生态环境教育基地建成",
                                    "生态文明宣传教育体验馆建成"};
    return arena_printf(t->a, "%s%s", t->unit, PICK(t->r, s));
}

/* A half-year's progress report on a key task. */
static const char *t_progress_report(const struct title_in *t)
{
    return arena_printf(t->a, "%s%d年%s半年重点任务第%lld项进展情况报告", t->unit, t->y,
                        t->m <= 6 ? "上" : "下", t->task);
}

/* A facility's open day, by month. */
static const char *t_facility_opening(const struct title_in *t)
{
    return arena_printf(t->a, "%s环保设施公众开放日活动（%d年%d月）", t->unit, t->y, t->m);
}

/* An exchange of typical cases, numbered. */
static const char *t_case_exchange(const struct title_in *t)
{
    return arena_printf(t->a, "%d年生态文明建设典型实践案例宣传交流活动（第%d场）", t->y, t->n);
}

/* A leader's article on 习近平生态文明思想. */
static const char *t_study_article(const struct title_in *t)
{
    return arena_printf(t->a, "%s领导干部学习习近平生态文明思想体会文章刊发", t->unit);
}

/* The title of each kind: made by a function, or the year between two fixed texts, or (after
 * NULL) one fixed text. */
static const struct {
    const char *kind;
    const char *(*make)(const struct title_in *t);
    const char *before, *after;
} titles[] = {
    {"press_conference", t_press_conference, NULL, NULL},
    {"press_conference_center", NULL, "", "年重庆市生态环境保护工作新闻发布会（市新闻发布中心）"},
    {"media_symposium", NULL, "", "年度生态环境宣传工作媒体座谈会"},
    {"seminar", t_seminar, NULL, NULL},
    {"training", t_training, NULL, NULL},
    {"culture_product", t_culture_product, NULL, NULL},
    {"online_campaign", t_online_campaign, NULL, NULL},
    {"original_article", t_original_article, NULL, NULL},
    {"publicity_product", t_publicity_product, NULL, NULL},
    {"youth_project", t_youth_project, NULL, NULL},
    {"capacity_event", t_capacity_event, NULL, NULL},
    {"school_class_hours", t_school_class_hours, NULL, NULL},
    {"work_plan", t_work_plan, NULL, NULL},
    {"venue_built", t_venue_built, NULL, NULL},
    {"progress_report", t_progress_report, NULL, NULL},
    {"facility_opening", t_facility_opening, NULL, NULL},
    {"main_event", NULL, "", "年六五环境日重庆市主场活动"},
    {"academic_exchange", NULL, "", "年习近平生态文明思想学术交流会"},
    {"public_service_ad", NULL, "", "年习近平生态文明思想公益广告"},
    {"case_exchange", t_case_exchange, NULL, NULL},
    {"walking_interview", NULL, "“巴渝环保行”", "年行进式采访活动"},
    {"brand_campaign", NULL, "“美丽重庆·我是行动者”", "年特色品牌主题宣传活动"},
    {"works_call", NULL, "", "年“美丽重庆”生态文化艺术作品征集"},
    {"survey", NULL, "重庆市公众生态环境行为调查（", "年）"},
    {"incentive_mechanism", NULL, "重庆市“碳惠通”绿色生活激励回馈机制建成", NULL},
    {"volunteer_training", NULL, "", "年生态环境志愿服务骨干培训班"},
    {"volunteer_selection", NULL, "重庆市“最美生态环保志愿者”推选活动（", "年）"},
    {"brand_activity", NULL, "", "年“生态文明进校园”品牌活动"},
    {"federation_founded", NULL, "重庆市生态环境志愿服务联合会成立", NULL},
    {"terminals_in_place", NULL, "工业园区和城乡社区生态环境宣传终端建成", NULL},
    {"evaluation_commissioned", NULL, "委托第三方机构开展", "年度行动计划实施效果评估"},
    {"study_article", t_study_article, NULL, NULL},
    {"research_output", NULL, "习近平生态文明思想重庆实践理论研究成果", NULL},
};

const char *demo_title(struct arena *a, struct demo_rng *r, const char *kind, const char *unit,
                       int day, const char *period_label, long long task, int n)
{
    struct title_in t = {.a = a, .r = r, .unit = unit, .day = day, .task = task, .n = n};
    int d;
    date_to_ymd(day, &t.y, &t.m, &d);
    for (size_t i = 0; i < sizeof titles / sizeof *titles; i++) {
        if (strcmp(titles[i].kind, kind) != 0) continue;
        if (titles[i].make) return titles[i].make(&t);
        if (!titles[i].after) return titles[i].before;
        return arena_printf(a, "%s%d%s", titles[i].before, t.y, titles[i].after);
    }
    if (period_label) return arena_printf(a, "%s%s工作情况", unit, period_label);
    return arena_printf(a, "%s%d年%d月工作情况", unit, t.y, t.m);
}

/* Landmarks of some units, for activities held outdoors. */
static const struct {
    const char *unit;
    const char *places[3];
} landmarks[] = {
    {"渝中区", {"解放碑步行街", "鹅岭二厂文创公园", "重庆人民大礼堂广场"}},
    {"万州区", {"三峡移民纪念馆", "万州江南新区滨江公园", "万州区青龙瀑布景区"}},
    {"涪陵区", {"涪陵区滨江公园", "白鹤梁水下博物馆", "涪陵区武陵山国家森林公园"}},
    {"江北区", {"鸿恩寺公园", "北滨路滨江步道", "江北嘴中央公园"}},
    {"沙坪坝区", {"磁器口古镇", "歌乐山国家森林公园", "沙坪公园"}},
    {"九龙坡区", {"九龙滩广场", "华岩寺景区", "彩云湖国家湿地公园"}},
    {"南岸区", {"南山植物园", "广阳岛", "南滨路"}},
    {"北碚区", {"缙云山国家级自然保护区", "北碚嘉陵江滨江路", "金刚碑历史文化街区"}},
    {"渝北区", {"重庆中央公园", "照母山森林公园", "渝北区碧津公园"}},
    {"巴南区", {"巴南区龙洲湾滨江公园", "云篆山", "巴南区鱼洞滨江广场"}},
    {"武隆区", {"仙女山国家森林公园", "芙蓉江", "武隆天生三桥"}},
    {"城口县", {"大巴山国家级自然保护区", "城口县滨河公园", "城口县亢谷"}},
    {"巫山县", {"神女峰景区", "小三峡", "巫山县广东中路广场"}},
    {"石柱土家族自治县", {"黄水国家森林公园", "石柱县万寿山", "石柱县城滨河步道"}},
    {"两江新区", {"礼嘉智慧公园", "悦来生态城", "两江新区龙兴古镇"}},
    {"重庆高新区", {"西部（重庆）科学城科学谷", "缙云山北麓", "高新区金凤镇"}},
    {"万盛经开区", {"黑山谷景区", "万盛石林", "万盛经开区滨河公园"}},
};

static const char *const facilities[] = {
    "鸡冠石污水处理厂", "唐家桥污水处理厂",     "同兴垃圾焚烧发电厂",
    "黑石子垃圾处理场", "长生桥垃圾卫生填埋场", "重庆市生态环境监测中心",
    "丰盛环保发电厂",   "洛碛垃圾焚烧发电厂",   "万州区江南污水处理厂",
    "涪陵区环境监测站", "永川区城市污水处理厂", "江津区生活垃圾焚烧发电厂"};

const char *demo_place(struct arena *a, struct demo_rng *r, const char *unit, const char *kind)
{
    if (strcmp(kind, "online_campaign") == 0) return "线上（政务新媒体平台）";
    if (strcmp(kind, "facility_opening") == 0) return PICK(r, facilities);
    if (strcmp(kind, "progress_report") == 0 || strcmp(kind, "work_plan") == 0 ||
        strcmp(kind, "original_article") == 0 || strcmp(kind, "study_article") == 0 ||
        strcmp(kind, "research_output") == 0 || strcmp(kind, "evaluation_commissioned") == 0)
        return NULL;
    if (strcmp(kind, "press_conference") == 0 || strcmp(kind, "media_symposium") == 0) {
        static const char *const t[] = {"%s生态环境局新闻发布厅", "%s融媒体中心演播厅",
                                        "%s人民政府新闻发布厅"};
        return arena_printf(a, PICK(r, t), unit);
    }
    if (strcmp(kind, "press_conference_center") == 0) return "重庆市新闻发布中心";
    if (strcmp(kind, "school_class_hours") == 0) return arena_printf(a, "%s各中小学校", unit);
    if (strcmp(kind, "venue_built") == 0) return arena_printf(a, "%s生态文明教育馆", unit);
    if (strcmp(kind, "youth_project") == 0 || strcmp(kind, "main_event") == 0 ||
        strcmp(kind, "brand_campaign") == 0) {
        for (size_t i = 0; i < sizeof landmarks / sizeof *landmarks; i++)
            if (strcmp(landmarks[i].unit, unit) == 0)
                return landmarks[i].places[demo_range(r, 0, 2)];
        static const char *const t[] = {"%s滨江公园", "%s城市广场", "%s中小学校"};
        return arena_printf(a, PICK(r, t), unit);
    }
    static const char *const t[] = {"%s行政中心会议室", "%s生态环境局会议室", "%s委党校报告厅",
                                    "%s社会组织孵化基地"};
    return arena_printf(a, PICK(r, t), unit);
}

static const char *theme(int year)
{
    switch (year) {
    case 2021:
        return "广泛宣传习近平生态文明思想，建立健全工作机制";
    case 2022:
        return "深化生态文明研究和学校、社会教育，健全志愿服务机制";
    case 2023:
        return "打造本地生态文化品牌";
    case 2024:
        return "选树推广先进典型";
    default:
        return "全面评估总结、表彰先进";
    }
}

const char *demo_summary(struct arena *a, struct demo_rng *r, const char *kind, const char *unit,
                         int day)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    static const char *const tails[] = {
        "活动通过政务新媒体同步宣传，取得良好社会反响",
        "相关材料已整理归档，照片、签到表等佐证材料随附",
        "邀请市级媒体跟踪报道，扩大了活动影响力",
        "活动紧扣年度重点，形成了可复制推广的做法",
    };
    if (strcmp(kind, "progress_report") == 0)
        return arena_printf(a,
                            "%s对照行动计划任务分工，梳理了%d年%s半年工作进展、存在问题和下一步"
                            "打算。本年度重点：%s。",
                            unit, y, m <= 6 ? "上" : "下", theme(y));
    return arena_printf(a, "%s于%d年%d月%d日组织开展本次活动，围绕“%s”年度重点推进落实。%s。", unit,
                        y, m, d, theme(y), PICK(r, tails));
}

long long demo_metric(struct demo_rng *r, const char *kind, const char *metric)
{
    (void)kind;
    static const struct {
        const char *name;
        long long lo, hi;
    } ranges[] = {
        {"participants", 30, 480},
        {"media_outlets", 6, 24},
        {"reports", 8, 60},
        {"views", 3000, 600000},
        {"articles", 2, 6},
        {"products", 1, 5},
        {"cases", 3, 12},
        {"sessions", 1, 4},
        {"volunteer_hours", 100, 3000},
        {"candidates", 40, 160},
        {"selected", 10, 30},
        {"respondents", 3000, 12000},
        {"venues", 1, 1},
        {"area_m2", 300, 3000},
        {"outputs", 2, 8},
        {"placements", 20, 300},
        {"works", 200, 2500},
        {"schools", 20, 160},
        {"organisations", 5, 40},
        {"member_organisations", 30, 120},
        {"terminals", 200, 900},
        {"topics", 2, 5},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++)
        if (strcmp(ranges[i].name, metric) == 0) return demo_range(r, ranges[i].lo, ranges[i].hi);
    return demo_range(r, 1, 50);
}

const char *demo_return_reason(struct demo_rng *r)
{
    static const char *const t[] = {
        "佐证材料不全，请补充活动照片和签到表。",
        "活动日期与附件通知不一致，请核实后修改。",
        "参与人数与签到表不符，请核实后重新提交。",
        "报道链接无法打开，请更新链接或补充截图。",
        "标题不规范，请按“单位+时间+活动名称”格式填写。",
        "摘要过于简略，请补充活动内容和成效。",
    };
    return PICK(r, t);
}

const char *demo_score_comment(struct arena *a, struct demo_rng *r, const char *unit, int year,
                               long long score)
{
    if (score >= 9000) {
        static const char *const t[] = {
            "工作机制健全，台账规范完整，特色亮点突出，群众知晓率和参与度高",
            "各项任务按时高质量完成，宣传品牌影响力大，可作为全市示范",
            "组织领导有力，经费保障到位，创新做法多，实施效果显著"};
        return arena_printf(a, "%s%d年：%s。", unit, year, PICK(r, t));
    }
    if (score >= 8000) {
        static const char *const t[] = {"任务完成情况较好，台账基本规范，宣传形式还可进一步丰富",
                                        "重点工作推进有序，个别活动报送不够及时，建议加强日常调度",
                                        "工作成效较好，典型经验总结提炼不足"};
        return arena_printf(a, "%s%d年：%s。", unit, year, PICK(r, t));
    }
    if (score >= 7000) {
        static const char *const t[] = {"部分任务完成滞后，存在补报情况，台账佐证材料不够完整",
                                        "工作开展不够平衡，新闻发布和网络宣传频次偏低",
                                        "志愿服务和社会组织培育工作有待加强"};
        return arena_printf(a, "%s%d年：%s。", unit, year, PICK(r, t));
    }
    static const char *const t[] = {"多项年度任务未完成，督办事项反馈不及时，需加强组织领导",
                                    "工作机制不健全，台账缺失较多，群众参与度低",
                                    "宣传教育工作投入不足，建议列入重点督导对象"};
    return arena_printf(a, "%s%d年：%s。", unit, year, PICK(r, t));
}

void demo_answer(struct demo_rng *r, const char **progress, const char **difficulties,
                 const char **next_steps)
{
    static const char *const p[] = {
        "收到督办单后，我单位立即召开专题会议研究部署，已补充开展相关活动并整理报送台账材料。",
        "已对照督办要求逐项梳理，明确责任科室和完成时限，相关活动已于近期组织开展。",
        "分管领导牵头督导，已完成整改任务，活动照片、新闻报道等佐证材料已上传。"};
    static const char *const d[] = {"基层宣传力量不足，专职人员少。", "年度经费安排较紧。",
                                    "部分乡镇（街道）工作衔接不够顺畅。"};
    static const char *const n[] = {"建立月调度机制，确保后续周期任务按时完成、按时报送。",
                                    "将宣传教育工作纳入年度目标考核，压实责任。",
                                    "加强与融媒体中心协作，提高活动频次和报送质量。"};
    *progress = PICK(r, p);
    *difficulties = PICK(r, d);
    *next_steps = PICK(r, n);
}

long long demo_time(int day, int hour, int minute)
{
    /* a Shanghai civil day starts at 16:00 UTC of the day before */
    return (long long)day * 86400 - 8 * 3600 + hour * 3600 + minute * 60;
}
