// plan.test.mjs - the plan as data (issue 3 §1) through the API: the 86 key tasks of 附件1
// exactly as in the seed, task filters by unit (a district sees the 各区县 tasks), every duty
// of DOMAIN.md's table, drafts (copy, edit, validation, publish; a published plan never
// changes), import and export round trips, and who may do what.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { startServer, assertError, ROOT } from './lib.mjs';

// 附件1 as printed in the seed: [序号, 重点内容 (blank = continues the row above), 具体任务,
// 牵头单位, 配合单位, 任务时限].
const ANNEX1 = [
  [1, "加强习近平生态文明思想学习", "将习近平生态文明思想纳入各级党委（党组）理论中心组学习内容。", "市生态环境局、市委宣传部", "有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [2, "", "各级党校（行政学院）、干部学院、社会主义学院要将习近平生态文明思想纳入干部教育培训课程。", "市生态环境局", "有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [3, "", "不定期在重庆日报、重庆社会科学、理论头条、重庆党校报等推出各级党政领导干部的学习体会和交流文章。", "市生态环境局、市委宣传部", "有关市级部门（单位）、各区县", "2022年底前"],
  [4, "深化习近平生态文明思想研究", "广泛开展习近平生态文明思想和重庆实践路径研究，形成一批理论研究成果。", "市生态环境局、市委宣传部", "有关市级部门（单位）、各区县", "2022年底前"],
  [5, "加强习近平生态文明思想研讨", "每年举办市级层面学术交流会、研习培训会不少于1次。各区县每年举办学习贯彻习近平生态文明思想专题研习培训会、座谈交流会不少于1次。", "市生态环境局、市委宣传部", "有关市级部门（单位）、各区县", "2025年底前"],
  [6, "加强习近平生态文明思想宣讲", "组建市—区县两级习近平生态文明思想宣讲团，深入推动生态文明进家庭、进社区、进学校、进企业、进机关、进乡村。持续做好“发言人来了——环保微宣讲进园区”活动。", "市生态环境局、市委宣传部", "市文明办、市教委、团市委、市妇联、有关市级部门（单位）、各区县", "立即落实、长期坚持"],
  [7, "", "依托新时代文明实践中心、所、站，用好各类生态环境宣传教育平台，组织开展宣传宣讲志愿服务，推动习近平生态文明思想在基层落地生根。", "市生态环境局、市文明办", "团市委、有关市级部门（单位）、各区县", "立即落实、长期坚持"],
  [8, "", "举办习近平生态文明思想青年宣讲活动，充分发挥青年在传播环保专业知识和生态文明理念中的力量。", "团市委", "各基层团组织", "立即落实、长期坚持"],
  [9, "做好习近平生态文明思想宣传", "在市属重点媒体推出重大措施、主要成效、重要进展和重点案例的专题访谈和深度报道。", "市生态环境局、市委宣传部", "有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [10, "", "征集并在主流媒体、大型商圈、公共交通等载体每年推出一批体现习近平生态文明思想核心要义的公益广告。", "市生态环境局、市委宣传部", "有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [11, "", "每年组织开展美丽中国建设重庆实践、碳达峰碳中和的重庆探索、深入打好污染防治攻坚战、“无废城市”建设试点、生态产品价值实现等体现习近平生态文明思想的典型实践案例宣传交流活动不少于3次。", "市生态环境局、市委宣传部", "有关市级部门（单位）、各区县", "2025年底前"],
  [12, "加强习近平生态文明思想国际传播", "充分利用国际性会议、论坛、交流活动和项目合作等平台，向世界讲好习近平生态文明思想重庆实践的生动故事。加强国际合作，推动在重庆高校建设低碳学院。", "市生态环境局、市委宣传部", "有关市级部门（单位）", "2025年底前"],
  [13, "加强新闻宣传", "在宣传部门指导下，精心策划重大主题宣传，鼓励各级媒体广泛参与，共同讲好重庆生态文明故事。", "市生态环境局、市委宣传部", "有关市级部门（单位）、各区县", "2025年底前"],
  [14, "", "开展体验式采访，每年组织开展不少于1次行进式采访活动，走进一线单位和现场，深度挖掘一批典型案例、先进人物，做好做实典型宣传报道。", "市生态环境局、市委宣传部", "有关市级部门（单位）、各区县", "2025年底前"],
  [15, "", "加强媒体合作和交流，每年召开1次媒体座谈会。", "市生态环境局、市委宣传部", "有关部门（单位）", "立即落实，长期坚持"],
  [16, "做好新闻发布", "市生态环境局每月召开1次例行新闻发布会（通报会），每年至少到市新闻发布中心举行1次发布会。", "市生态环境局", "市委宣传部", "立即落实，长期坚持"],
  [17, "", "区级生态环境部门每季度召开1次新闻发布会（媒体通气会）；县级生态环境部门每半年召开1次新闻发布会（媒体通气会）。", "各区县", "区县相关部门（单位）", "立即落实，长期坚持"],
  [18, "做实舆论监督", "定期在主流媒体推出暗访专题，主动曝光阻碍绿色发展和生态文明建设的突出问题，通报典型负面案例。", "市生态环境局", "市委宣传部、有关媒体单位", "2025年底前"],
  [19, "", "鼓励有条件的区县开设“生态文明曝光台”。", "有关区县", "市生态环境局", "2025年底前"],
  [20, "强化舆情处置", "加强舆情应对能力建设，支持将舆情服务纳入政府采购事项。", "市生态环境局", "各区县", "立即落实，长期坚持"],
  [21, "", "加强部门间和系统内政务新媒体互动，建立协作机制，形成统一发声、同频共振的宣传效果。", "市生态环境局、市委宣传部", "有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [22, "巩固提升六五环境日活动品牌", "积极争取承办六五环境日国家主场活动；每年联合一个区县开展六五环境日重庆市主场活动。", "市生态环境局", "市委宣传部、市文明办、市教委、团市委、市妇联、各区县", "2025年底前"],
  [23, "", "以“最美生态文明践行者”“最美生态环保铁军”“重庆市美丽河湖”“最美生态环保志愿者”公布为主要内容，结合新闻发布、线上线下群众性宣传活动等，六五期间持续营造浓厚生态文明宣传氛围。", "市生态环境局", "市委宣传部、市文明办、市教委、团市委、市妇联、各区县", ""],
  [24, "", "建立川渝生态环境宣传教育协作机制，加强川渝生态环境宣传教育合作。", "市生态环境局", "有关部门（单位）", "立即落实，长期坚持"],
  [25, "深入推进“美丽中国，我是行动者”主题实践活动", "在国际生物多样性日、全国低碳日、国际保护臭氧层日、全国土壤日等重要节点，组织开展面向企业、学校、机关、社区、农村的生态环保宣传和实践活动。", "市生态环境局", "市委宣传部、市文明办、市教委、团市委、市妇联，各区县", "立即落实，长期坚持"],
  [26, "", "各级各部门要实施丰富多彩的生态环境保护主题实践活动。", "市生态环境局", "有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [27, "创建地方特色宣传活动品牌", "围绕长江大保护、成渝地区双城经济圈建设、“无废城市”建设试点等主题，打造“渝见长江”、“渝小环系列”等具有重庆特色的品牌宣传活动。", "市生态环境局、市委宣传部", "有关市级部门（单位）、各区县", "2025年底前"],
  [28, "", "每年至少组织1次特色品牌主题宣传活动，推动各区县广泛参与。", "市生态环境局、市委宣传部", "有关市级部门（单位）、各区县", "2025年底前"],
  [29, "打造生态文化精品项目", "加大对生态文明建设题材文学、影视、词曲、书画、摄影等作品创作的支持力度。每年面向全市征集一批生态文明主题摄影、书画等生态文化艺术作品。", "市生态环境局、市委宣传部", "有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [30, "", "围绕工作重点打造一批承载生态价值理念、彰显巴渝地域特色，思想精深、艺术精湛、制作精良的生态文化精品。", "市生态环境局、市委宣传部", "有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [31, "", "市级层面每年推出传播较广、影响较大的生态文化宣传产品不少于5件，各区县每年不少于1件。", "市生态环境局、市委宣传部", "各区县", "立即落实，长期坚持"],
  [32, "推动生态文化“五进”“六讲”", "采取志愿服务、委托服务等方式，以展览展播、演出演唱、宣传宣讲等多种形式，推动生态文化进机关、进园区、进社区、进校区、进网络。", "市生态环境局、市委宣传部", "市文明办、市教委、团市委、市妇联、有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [33, "培育打造生态文化活动品牌", "探索在电视台推出环保资讯、环保综艺、生态文化作品公益展播等宣传品牌栏目。", "市生态环境局、市委宣传部", "有关部门（单位）、各区县", "立即落实，长期坚持"],
  [34, "", "开展川渝作家环保行活动，促进川渝两地生态文学交流发展，丰富生态文学作品。", "市生态环境局", "市委宣传部，有关市级部门（单位）", "立即落实，长期坚持"],
  [35, "", "举办成渝地区双城经济圈生态文化创意传播大赛，集中发掘展示一批传播生态价值观的生态文化艺术精品。", "市生态环境局、市委宣传部", "有关部门（单位）、各区县", "立即落实，长期坚持"],
  [36, "", "举办全市高校“生态文化季”系列活动。", "市生态环境局、市委宣传部", "市教委、团市委、有关部门（单位）", "立即落实，长期坚持"],
  [37, "", "持续开展“环保星主播”活动，将生态文化纳入“三下乡”重要内容。", "市生态环境局、市委宣传部", "市教委，有关部门（单位）", "立即落实，长期坚持"],
  [38, "围绕公民生态环境行为开展宣传教育", "开展两次重庆市公众生态环境行为调查和专项分析研究，掌握公众生态环境意识和行为基本情况及变化趋势。", "市生态环境局", "有关市级部门（单位）、各区县", "2025年底前"],
  [39, "引导践行绿色生产生活方式", "结合学雷锋纪念日、世界水日、世界地球日、国际生物多样性日、六五环境日、全国低碳日、绿色出行日等重要节点，深入社区、学校、企业、农村，整合各方资源开展绿色生产生活方式线上线下宣传。", "市生态环境局、市委宣传部", "市文明办、市教委、团市委、市妇联等部门（单位）、各区县", "立即落实，长期坚持"],
  [40, "", "结合移动互联网和大数据技术，探索建立和完善绿色生活激励回馈机制。", "市生态环境局", "有关单位", "2022年6月前"],
  [41, "加强典型宣传", "充分利用各类载体平台，加大对最美生态文明践行者、生态环保铁军、生态环保志愿者、绿色学校、绿色家庭等优秀典型的深度解读和宣传力度。", "市生态环境局、市委宣传部", "市文明办、市教委、团市委、市妇联等部门（单位）、各区县", "长期坚持"],
  [42, "加强体系建设", "制定市—区县两级生态环境志愿服务工作方案。", "市生态环境局、市文明办", "有关市级部门（单位）、各区县", "2021年底前"],
  [43, "推动队伍建设", "加强交流培训，市级每年至少组织1次面向志愿服务工作者、志愿服务组织负责人、志愿者的培训。", "市生态环境局、市文明办", "团市委、市妇联、有关市级部门（单位）、各区县", "2025年底前"],
  [44, "", "各区县要引导和培育本地生态环境志愿服务队伍，在项目开展、活动合作及活动场地、资金等方面有针对性地给予政策支持。", "各区县", "办市生态环境局、市文明", "立即落实，长期坚持"],
  [45, "打造服务项目", "持续深化“山水之城 美丽之地”主题志愿服务活动，扎实推进生态文明传播、守护绿水青山、城市提升、美丽乡村及垃圾分类等主题志愿服务活动。", "市生态环境局、市文明办、团市委", "各区县、有关社会组织", ""],
  [46, "", "举办全市生态环境志愿服务项目大赛；市级层面重点打造一批具有重庆特色的志愿服务品牌项目。", "团市委、市生态环境局、市文明办", "各区县、有关社会组织", "立即落实，长期坚持"],
  [47, "", "各区县要结合所在地区群众关心的生态环境问题，精心策划开展理论宣讲、政策宣传、科学普及、法律服务、实践体验等志愿服务活动，打造流程化、机制化、可重复、能持续、易推广的志愿服务项目。", "各区县", "市生态环境局、市文明办、团市委、市妇联", "立即落实，长期坚持"],
  [48, "搭建工作平台", "依托全国志愿服务信息系统等平台，对志愿服务队伍和志愿者登记注册、活动和项目发布、志愿者招募、志愿服务记录、效果评价等进行线上管理。", "市生态环境局、市文明办", "市民政局、团市委、市妇联等有关部门（单位）、各区县", "立即落实，长期坚持"],
  [49, "推广先进典型", "表扬激励志愿服务工作中涌现的先进人物、优秀项目，并进行广泛宣传推广。", "市生态环境局、市文明办", "团市委、市妇联、各区县", "立即落实，长期坚持"],
  [50, "", "继续开展“最美生态环保志愿者”推选活动，择优推荐参加“全国百名生态环保志愿者”评选；优秀生态环境志愿服务项目推荐参加“全国十佳公众参与案例”和学雷锋志愿服务“四个100”等先进典型推送活动。", "市生态环境局、市文明办", "各区县、有关社会组织", "2024年底前"],
  [51, "推进生态文明学校教育", "将生态文明教育纳入国民教育体系，每学年各中小学校开展生态文明专题教育教学不少于12课时。", "市教委", "各区县", "立即落实，长期坚持"],
  [52, "", "将习近平生态文明思想和生态文明建设纳入学校教育教学安排和“绿色学校”创建活动中，推动生态文明理念融入课堂教学、家庭辅学、校外研学。", "市教委", "市生态环境局、团市委、市妇联、各区县", "立即落实，长期坚持"],
  [53, "", "组织、鼓励和支持大中小学生参与课外生态环境保护实践活动，将环保课外实践内容纳入学生综合考评体系。", "市教委", "市生态环境局、团市委、市妇联、各区县", "立即落实，长期坚持"],
  [54, "", "完善生态环境保护学科建设，加大生态环保高层次人才培养力度，推进生态环境保护职业教育发展。", "市教委", "市生态环境局", "立即落实，长期坚持"],
  [55, "", "每年围绕生态文明主题开展教研、赛课、征文、展演、探索体验等系列活动，打造一个生态文明教育领域品牌活动。", "市教委", "市生态环境局、团市委、市妇联、各区县", "立即落实，长期坚持"],
  [56, "", "将地方和学校开展习近平生态文明思想教育纳入教育督导指标体系。", "市教委", "各区县", "立即落实，长期坚持"],
  [57, "加强生态文明社会教育", "针对党政机关、企事业单位、学校、社区、农村等不同群体编写生态文明知识读本，充分利用互联网络资源，构建生态文明网络教育平台。", "市生态环境局", "市委宣传部、市文明办、市教委、团市委、市妇联、有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [58, "", "加强生态环保法律宣传教育，引导公众增强生态环保意识。", "市生态环境局", "有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [59, "加强生态文明社会教育", "加大对各类党政领导干部、党员、企业员工、社区居民、农村村民、环保志愿者、生态环保从业者的知识和技能培训，提升各类人群的生态文明意识和环保科学素养。", "市生态环境局", "市委宣传部、市文明办、市教委、团市委、市妇联、有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [60, "建设生态文明教育场馆", "建成1个市级生态文明教育场馆，每个区县建成1个生态文明教育场馆。", "市生态环境局、市委宣传部", "市文明办、市教委、团市委、市妇联、有关市级部门（单位）、各区县", "2025年底前"],
  [61, "发挥党政机关作用", "制定党政机关干部绿色行为准则，引导党政机关干部职工践行简约适度、绿色低碳的工作和生活方式。", "市生态环境局、市文明办", "有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [62, "", "大力支持开展“节约型机关”创建，并纳入机关事业单位精神文明建设重要内容。", "市生态环境局、市文明办", "有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [63, "强化企业环境责任", "推动“环保微宣讲”线上课程进园区进网络，编印《企业环保知识100问》，加强碳达峰、碳中和和企业碳减排知识宣传，加强企业环保法律法规政策宣传。", "市生态环境局", "有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [64, "", "强化企业环境主体责任意识，推动企业依法向社会公开污染物排放相关信息、环境年报和企业社会责任报告。", "市生态环境局", "有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [65, "", "每年组织开展企业环境社会责任相关培训1次以上，不断提高企业管理人员依法履行环保义务能力。", "市生态环境局", "有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [66, "", "鼓励有条件的企业通过深化环保设施开放、设立企业开放日、建设教育体验场所、开设环保讲座、开展生态文明公益活动等形式，向公众提供生态文明宣传教育服务。", "市生态环境局", "有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [67, "推进青年参与", "各级共青团组织要每年开展生态文明宣传教育实践项目3次以上。", "团市委", "市委宣传部、市生态环境局、市教委、各区县", "立即落实，长期坚持"],
  [68, "", "大力支持大学生参加绿色创新大赛，鼓励和支持青年环保社会组织和社团开展生态文明主题实践活动。", "市生态环境局、市教委、团市委", "各区县", "立即落实，长期坚持"],
  [69, "发挥妇女作用", "各级妇联组织要开展宣讲宣传活动。", "市妇联", "市委宣传部、市生态环境局、各区县", "立即落实，长期坚持"],
  [70, "", "组织开展“绿色家庭”创建行动、农村妇女卫生习惯培训等主题活动。", "市妇联", "市委宣传部、市生态环境局、各区县", "立即落实，长期坚持"],
  [71, "发挥社会组织作用", "加大对环保社会组织的引导、支持和培育，鼓励支持政府部门和企事业单位向社会组织购买公益服务。", "市生态环境局", "市文明办、团市委、市妇联、市民政局、各区县", "立即落实，长期坚持"],
  [72, "", "建立生态环境志愿服务联合会，推动环保社会组织与共青团、妇联等群团组织开展合作。", "市生态环境局", "市文明办、团市委、市妇联、市民政局、各区县", "2022年底前"],
  [73, "", "生态环境部门每年组织开展环保社会组织能力建设培训会、座谈会、交流会等3次以上。", "市生态环境局", "市文明办、团市委、市妇联、各区县", "立即落实，长期坚持"],
  [74, "开放环保设施", "按照“全市联动、双月开放”的工作要求，持续推进环保设施向公众开放，适当拓展开放领域，提高开放频次，丰富开放方式，提升开放效果。", "市生态环境局", "各区县、有关单位", "立即落实，长期坚持"],
  [75, "", "各相关单位积极组织不同年龄、不同职业、不同界别公众走进设施单位。", "市生态环境局", "各区县、有关单位", "立即落实，长期坚持"],
  [76, "改进政务新媒体宣传", "加强生态环境政务新媒体矩阵建设，完善新媒体内容发布、评估激励等机制。", "市生态环境局", "市委宣传部、有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [77, "", "区县生态环境部门集中力量做优做强政务新媒体主账号，实现上下联动，重大信息传播同频共振的效果。", "市生态环境局", "市委宣传部、有关市级部门（单位）、有关区县", "立即落实，长期坚持"],
  [78, "创新开展网络主题宣传活动", "围绕形势政策、进展成效、典型案例、优秀人物和其他专项工作，每年策划开展一批主题突出、特色鲜明、影响深远的网络宣传活动。", "市生态环境局、市委宣传部", "有关市级部门（单位）、各区县、各级媒体", "立即落实，长期坚持"],
  [79, "", "区县生态环境部门每年至少开展1次重大网络主题宣传活动，围绕主题发布系列原创稿件不少于10篇，原创宣传品不少于1件。", "各区县", "区县相关部门（单位）", "立即落实，长期坚持"],
  [80, "创新开展网络主题宣传活动", "积极探索创作一批将生态文化与流行文化相结合、更多网民喜闻乐见的融媒体产品和传播生态价值观的网络文学、动漫游戏、有声读物、短视频等。", "市生态环境局", "市委宣传部、有关市级部门（单位）、各区县、各级媒体", "立即落实，长期坚持"],
  [81, "拓展网络宣传载体平台", "加强与新华网、人民网、中国环境APP等全国性网络平台合作，建立生态文明宣传教育内容策划、生产分发的“中央厨房”。", "市生态环境局", "市委宣传部、有关市级部门（单位）、有关媒体单位", "长期坚持"],
  [82, "", "探索运用蓝牙音箱、智慧显示屏等载体，打造覆盖工业园区、城乡社区的宣传终端，并逐步扩大到重点排污企业，提高信息传播的针对性和有效性。", "市生态环境局", "有关市级部门（单位）、有关媒体单位", "2023年底前"],
  [83, "加强组织领导", "建立市委宣传部、市文明办、市教委、市生态环境局、市民政局、团市委、市妇联为核心成员〔根据工作需要增加其他部门（单位）〕的重庆市生态文明宣传教育工作联席会议制度。", "市委宣传部、市生态环境局", "市文明办、市教委、市民政局、团市委、市妇联、其他相关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [84, "保障资金投入", "按照市级和区县事权划分，分别承担生态文明建设宣传教育支出责任，加强项目统筹，加大资金投入，为贯彻落实《行动计划》提供必要经费支持和政策保障。", "市委宣传部、市生态环境局", "市文明办、市教委、团市委、市妇联、有关市级部门（单位）、各区县", "立即落实，长期坚持"],
  [85, "强化能力建设", "各区县各部门要定期对新闻宣教、志愿服务、新媒体人员等开展业务培训，组织部门间经验交流活动，着力提升对外宣传、环境教育、志愿服务管理、融媒体产品制作与传播等方面的能力和水平。", "市委宣传部、市生态环境局、市文明办、市教委、团市委、市妇联", "各区县", "立即落实，长期坚持"],
  [86, "加强督导评估", "组织对相关市级部门（单位）和各区县生态文明宣传教育工作履职情况开展例行督察和日常调度。每年委托第三方机构对相关市级部门（单位）以及区县生态文明宣传教育工作情况进行效果评估。", "市生态环境局、市委宣传部", "市文明办、市教委、团市委、市妇联、各区县", "立即落实，长期坚持"],
];

const P = '/api/v1/plans/cq-2021-2025';
const DATA = JSON.parse(readFileSync(join(ROOT, 'data/plans/cq-2021-2025.json'), 'utf8'));
const names = units => units.map(u => u.name);

let srv, office, reporter;
before(async () => {
  srv = await startServer({ name: 'plan' });
  office = await srv.login('demo.office');
  reporter = await srv.login('demo.yuzhong');
});
after(async () => { await srv.stop(); });

async function tasks(c, query = '') {
  const r = await c.get(`${P}/tasks${query}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.next_cursor, null);
  return r.json.items;
}

async function obligations(c, query = '', path = P) {
  const r = await c.get(`${path}/obligations${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

function expectedDeadline(text) {
  if (text === '') return { kind: 'none', text, date: null };
  let m = /^(\d{4})年底前$/.exec(text);
  if (m) return { kind: 'date', text, date: `${m[1]}-12-31` };
  m = /^(\d{4})年(\d{1,2})月前$/.exec(text);
  if (m) {
    const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
    return { kind: 'date', text, date: `${m[1]}-${m[2].padStart(2, '0')}-${last}` };
  }
  assert.match(text, /长期坚持/);
  return { kind: 'standing', text, date: null };
}

test('the plan list answers code, title, period, status and version', async () => {
  const r = await reporter.get('/api/v1/plans');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.next_cursor, null);
  const p = r.json.items.find(x => x.code === 'cq-2021-2025');
  assert.deepEqual({ code: p.code, title: p.title, start: p.start, end: p.end, status: p.status, version: p.version }, {
    code: 'cq-2021-2025',
    title: '重庆市贯彻落实《“美丽中国，我是行动者”提升公民生态文明意识行动计划（2021—2025年）》实施方案',
    start: '2021-07-01', end: '2025-12-31', status: 'published', version: 1,
  });
});

test('the plan answers its document number, year themes and counts', async () => {
  const r = await reporter.get(P);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.doc_no, '渝环〔2021〕87号');
  assert.equal(r.json.issued, '2021-06-30');
  assert.deepEqual(r.json.year_themes.map(y => y.year), [2021, 2022, 2023, 2024, 2025]);
  assert.match(r.json.year_themes[4].text, /全面评估和总结考核/);
  assert.match(r.json.year_themes[2].text, /宣传品牌/);
  assert.deepEqual(r.json.counts, { actions: 11, measures: 40, tasks: 86, obligations: 89, activity_kinds: 36 });
  assert.equal(r.json.parent, null);
  assert.deepEqual(r.json.versions, [{ version: 1, status: 'published' }]);
  assertError(await reporter.get('/api/v1/plans/no-such-plan'), 404, 'not_found');
  assertError(await reporter.get(`${P}?version=7`), 404, 'not_found', 'version');
  assertError(await reporter.get(`${P}?version=x`), 400, 'bad_request', 'version');
});

test('ten actions and the safeguards come with their measures', async () => {
  const r = await reporter.get(`${P}/actions`);
  assert.equal(r.status, 200, r.text);
  const a = r.json.items;
  assert.equal(a.length, 11);
  assert.deepEqual(a.map(x => x.measures.length), [3, 3, 4, 3, 3, 3, 5, 3, 6, 3, 4]);
  assert.equal(a[0].title, '开展习近平生态文明思想研习行动');
  assert.equal(a[0].kind, 'action');
  assert.deepEqual(a[0].measures[1].title, '深化习近平生态文明思想研究');
  assert.match(a[0].measures[1].text, /2022年底前，形成一批理论研究成果/);
  assert.equal(a[6].title, '深化生态文明志愿服务行动');
  assert.deepEqual({ no: a[10].no, title: a[10].title, kind: a[10].kind, tasks: a[10].tasks }, { no: 11, title: '保障措施', kind: 'safeguard', tasks: 4 });
  assert.deepEqual(a[10].measures.map(m => m.title), ['加强组织领导', '保障资金投入', '强化能力建设', '加强督导评估']);
  const one = await reporter.get(`${P}/actions/3`);
  assert.equal(one.json.title, '开展新闻宣传与舆论引导行动');
  assertError(await reporter.get(`${P}/actions/12`), 404, 'not_found');
});

test('the 86 key tasks are 附件1 of the seed, cell by cell', async () => {
  const items = await tasks(reporter);
  assert.equal(items.length, 86);
  assert.equal(ANNEX1.length, 86);
  let content = '';
  for (const [no, key, text, lead, coop, limit] of ANNEX1) {
    const t = items[no - 1];
    assert.equal(t.no, no);
    if (key) content = key;
    assert.equal(t.content, content, `task ${no} content`);
    assert.equal(t.content_continued, key === '', `task ${no} continued`);
    assert.equal(t.text, text, `task ${no} text`);
    assert.equal(t.lead_text, lead, `task ${no} lead`);
    assert.equal(t.coop_text, coop, `task ${no} coop`);
    assert.deepEqual(t.deadline, expectedDeadline(limit), `task ${no} deadline`);
    assert.ok(t.lead_units.length >= 1, `task ${no} has lead units`);
    if (lead.includes('各区县')) assert.ok(t.lead_units.length >= 41, `task ${no} lead expands 各区县`);
    if (coop.includes('各区县')) assert.ok(t.coop_units.length >= 41, `task ${no} coop expands 各区县`);
  }
  const kinds = {};
  for (const t of items) kinds[t.deadline.kind] = (kinds[t.deadline.kind] ?? 0) + 1;
  assert.deepEqual(kinds, { standing: 64, date: 20, none: 2 });
});

test('spot checks: tasks 1, 16, 17, 44 (garbled cell), 51, 79, 83-86, and 23/45 without a time limit', async () => {
  const get = async no => { const r = await reporter.get(`${P}/tasks/${no}`); assert.equal(r.status, 200, r.text); return r.json; };
  const t1 = await get(1);
  assert.deepEqual([t1.action, t1.measure, t1.content, t1.content_continued], [1, 1, '加强习近平生态文明思想学习', false]);
  assert.deepEqual(names(t1.lead_units), ['市生态环境局', '市委宣传部']);
  assert.deepEqual(t1.lead, ['市生态环境局', '市委宣传部']);
  assert.deepEqual(t1.coop, ['有关市级部门（单位）', '@districts']);
  assert.equal(t1.coop_units.length, 42);
  assert.equal(t1.coop_units[0].name, '有关市级部门（单位）');
  assert.ok(t1.coop_units.every(u => u.id > 0 && u.key && u.name), 'each unit with its id, key and name');
  assert.deepEqual(t1.deadline, { kind: 'standing', text: '立即落实，长期坚持', date: null });
  assert.deepEqual(t1.obligations.map(o => o.key), ['t1-progress']);

  const t16 = await get(16);
  assert.equal(t16.text, '市生态环境局每月召开1次例行新闻发布会（通报会），每年至少到市新闻发布中心举行1次发布会。');
  assert.deepEqual([t16.action, t16.measure, t16.content], [3, 2, '做好新闻发布']);
  assert.deepEqual(names(t16.lead_units), ['市生态环境局']);
  assert.deepEqual(names(t16.coop_units), ['市委宣传部']);
  assert.deepEqual(t16.obligations.map(o => [o.key, o.per, o.minimum]), [['t16-press-month', 'month', 1], ['t16-press-center', 'year', 1]]);

  const t17 = await get(17);
  assert.equal(t17.content_continued, true);
  assert.equal(t17.content, '做好新闻发布');
  assert.equal(t17.lead_text, '各区县');
  assert.deepEqual(t17.lead, ['@districts']);
  assert.equal(t17.lead_units.length, 41);
  for (const n of ['万州区', '渝中区', '武隆区', '城口县', '石柱县', '彭水县', '两江新区', '重庆高新区', '万盛经开区'])
    assert.ok(names(t17.lead_units).includes(n), n);
  assert.ok(!names(t17.lead_units).includes('市生态环境局'));
  assert.deepEqual(names(t17.coop_units), ['区县相关部门（单位）']);
  const per = Object.fromEntries(t17.obligations.map(o => [o.key, [o.who.kind, o.who.tiers, o.per]]));
  assert.deepEqual(per, { 't17-press-district': ['tiers', ['district', 'zone'], 'quarter'], 't17-press-county': ['tiers', ['county'], 'half_year'] });

  const t44 = await get(44);
  assert.equal(t44.coop_text, '办市生态环境局、市文明', 'the garbled words are kept');
  assert.deepEqual(names(t44.coop_units), ['市生态环境局', '市文明办'], 'and read as the two units they mean');
  assert.equal(t44.lead_units.length, 41);
  assert.match(t44.note, /错乱/);

  const t51 = await get(51);
  assert.equal(t51.text, '将生态文明教育纳入国民教育体系，每学年各中小学校开展生态文明专题教育教学不少于12课时。');
  assert.deepEqual(names(t51.lead_units), ['市教委']);
  assert.equal(t51.coop_units.length, 41);
  assert.equal(t51.obligations.length, 1);
  assert.deepEqual((({ per, rule, minimum, who }) => ({ per, rule, minimum, who }))(t51.obligations[0]),
    { per: 'school_year', rule: 'all_schools', minimum: 1, who: { kind: 'tiers', tiers: ['district', 'county', 'zone'] } });

  const t79 = await get(79);
  assert.equal(t79.text, '区县生态环境部门每年至少开展1次重大网络主题宣传活动，围绕主题发布系列原创稿件不少于10篇，原创宣传品不少于1件。');
  assert.equal(t79.lead_units.length, 41);
  assert.deepEqual(t79.obligations.map(o => [o.kind, o.metric, o.minimum, o.per]),
    [['online_campaign', null, 1, 'year'], ['original_article', 'articles', 10, 'year'], ['publicity_product', null, 1, 'year']]);

  const t83 = await get(83);
  assert.deepEqual([t83.action, t83.measure, t83.content], [11, 1, '加强组织领导']);
  assert.deepEqual(names(t83.lead_units), ['市委宣传部', '市生态环境局']);
  assert.deepEqual(names(t83.coop_units).slice(0, 6), ['市文明办', '市教委', '市民政局', '团市委', '市妇联', '其他相关市级部门（单位）']);
  assert.equal(t83.coop_units.length, 47);
  assert.deepEqual(t83.obligations.map(o => [o.key, o.per]), [['t83-joint-meeting', 'half_year']]);
  const t84 = await get(84);
  assert.equal(t84.text, '按照市级和区县事权划分，分别承担生态文明建设宣传教育支出责任，加强项目统筹，加大资金投入，为贯彻落实《行动计划》提供必要经费支持和政策保障。');
  assert.equal(t84.coop_units.length, 46);
  const t85 = await get(85);
  assert.deepEqual(names(t85.lead_units), ['市委宣传部', '市生态环境局', '市文明办', '市教委', '团市委', '市妇联']);
  assert.equal(t85.coop_units.length, 41);
  const t86 = await get(86);
  assert.deepEqual(names(t86.lead_units), ['市生态环境局', '市委宣传部']);
  assert.equal(t86.coop_text, '市文明办、市教委、团市委、市妇联、各区县');
  assert.deepEqual(t86.obligations.map(o => [o.kind, o.per, o.minimum]), [['evaluation_commissioned', 'year', 1]]);

  for (const no of [23, 45]) {
    const t = await get(no);
    assert.deepEqual(t.deadline, { kind: 'none', text: '', date: null }, `task ${no}`);
  }
  const t45 = await get(45);
  assert.deepEqual(names(t45.lead_units), ['市生态环境局', '市文明办', '团市委']);
  assertError(await reporter.get(`${P}/tasks/999`), 404, 'not_found');
  assertError(await reporter.get(`${P}/tasks/abc`), 404, 'not_found');
});

test('task filters: a district sees every 各区县 task, by code, key or id; role and action narrow it', async () => {
  const districtTasks = ANNEX1.filter(r => r[3].includes('各区县') || r[4].includes('各区县')).map(r => r[0]);
  const byCode = await tasks(reporter, '?unit=500103');
  assert.deepEqual(byCode.map(t => t.no), districtTasks);
  assert.ok(byCode.length > 60);
  const unit = (await reporter.get('/api/v1/units/500103')).json;
  assert.deepEqual((await tasks(reporter, `?unit=${unit.id}`)).map(t => t.no), districtTasks);
  assert.deepEqual((await tasks(reporter, `?unit=${encodeURIComponent('两江新区')}`)).map(t => t.no), districtTasks, 'zones count as districts');
  const leads = ANNEX1.filter(r => r[3].includes('各区县')).map(r => r[0]);
  assert.deepEqual((await tasks(reporter, '?unit=500229&role=lead')).map(t => t.no), leads);
  assert.deepEqual(leads, [17, 44, 47, 79]);
  const jw = ANNEX1.filter(r => r[3].includes('市教委') || r[4].includes('市教委')).map(r => r[0]);
  assert.deepEqual((await tasks(reporter, `?unit=${encodeURIComponent('市教委')}`)).map(t => t.no), jw);
  assert.deepEqual((await tasks(reporter, '?action=11')).map(t => t.no), [83, 84, 85, 86]);
  assert.deepEqual((await tasks(reporter, '?action=3&unit=500103&role=lead')).map(t => t.no), [17]);
  const paged = await reporter.get(`${P}/tasks?limit=50`);
  assert.equal(paged.json.items.length, 50);
  assert.equal(paged.json.next_cursor, '50');
  const rest = await reporter.get(`${P}/tasks?limit=50&cursor=50`);
  assert.deepEqual(rest.json.items.map(t => t.no)[0], 51);
  assert.equal(rest.json.items.length, 36);
  assertError(await reporter.get(`${P}/tasks?unit=nowhere`), 422, 'rule_violation', 'unit');
  assertError(await reporter.get(`${P}/tasks?role=boss`), 422, 'rule_violation', 'role');
});

// DOMAIN.md §2 "Duties": [task, who, kind, minimum, per, due, metric, rule]
const XCB = ['市生态环境局', '市委宣传部'], STH = ['市生态环境局'], WMB = ['市生态环境局', '市文明办'];
const ALL = { tiers: ['district', 'county', 'zone'] };
const DUTIES = [
  [3, { units: XCB }, 'study_article', 1, 'once', '2022-12-31'],
  [4, { units: XCB }, 'research_output', 1, 'once', '2022-12-31'],
  [5, { units: XCB }, 'academic_exchange', 1, 'year'],
  [5, ALL, 'seminar', 1, 'year'],
  [10, { units: XCB }, 'public_service_ad', 1, 'year'],
  [78, { units: XCB }, 'online_campaign', 1, 'year'],
  [11, { units: XCB }, 'case_exchange', 3, 'year'],
  [14, { units: XCB }, 'walking_interview', 1, 'year'],
  [15, { units: XCB }, 'media_symposium', 1, 'year'],
  [16, { units: STH }, 'press_conference', 1, 'month'],
  [16, { units: STH }, 'press_conference_center', 1, 'year'],
  [17, { tiers: ['district', 'zone'] }, 'press_conference', 1, 'quarter'],
  [17, { tiers: ['county'] }, 'press_conference', 1, 'half_year'],
  [22, { units: STH }, 'main_event', 1, 'year'],
  [28, { units: XCB }, 'brand_campaign', 1, 'year'],
  [29, { units: XCB }, 'works_call', 1, 'year'],
  [31, { units: XCB }, 'culture_product', 5, 'year'],
  [31, ALL, 'culture_product', 1, 'year'],
  [38, { units: STH }, 'survey', 2, 'once', '2025-12-31'],
  [40, { units: STH }, 'incentive_mechanism', 1, 'once', '2022-06-30'],
  [42, { units: WMB }, 'work_plan', 1, 'once', '2021-12-31'],
  [42, ALL, 'work_plan', 1, 'once', '2021-12-31'],
  [43, { units: WMB }, 'volunteer_training', 1, 'year'],
  [50, { units: WMB }, 'volunteer_selection', 1, 'once', '2024-12-31'],
  [51, ALL, 'school_class_hours', 1, 'school_year', null, null, 'all_schools'],
  [55, { units: ['市教委'] }, 'brand_activity', 1, 'year'],
  [60, { units: XCB }, 'venue_built', 1, 'once', '2025-12-31'],
  [60, ALL, 'venue_built', 1, 'once', '2025-12-31'],
  [65, { units: STH }, 'training', 1, 'year'],
  [67, { units: ['团市委'] }, 'youth_project', 3, 'year'],
  [67, ALL, 'youth_project', 3, 'year'],
  [72, { units: STH }, 'federation_founded', 1, 'once', '2022-12-31'],
  [73, { units: STH }, 'capacity_event', 3, 'year'],
  [73, ALL, 'capacity_event', 3, 'year'],
  [74, { facilities: true }, 'facility_opening', 1, 'two_months'],
  [79, ALL, 'online_campaign', 1, 'year'],
  [79, ALL, 'original_article', 10, 'year', null, 'articles'],
  [79, ALL, 'publicity_product', 1, 'year'],
  [82, { units: STH }, 'terminals_in_place', 1, 'once', '2023-12-31'],
  [83, { units: STH }, 'joint_meeting', 1, 'half_year'],
  [86, { units: XCB }, 'evaluation_commissioned', 1, 'year'],
];

function whoOf(o) {
  if (o.who.kind === 'units') return { units: names(o.who.units) };
  if (o.who.kind === 'tiers') return { tiers: o.who.tiers };
  return { facilities: true };
}

test('every duty of the DOMAIN.md table is an obligation, and standing tasks owe half-yearly progress reports', async () => {
  const all = await obligations(reporter);
  assert.equal(all.length, 89);
  const duties = all.filter(o => o.kind !== 'progress_report');
  assert.equal(duties.length, DUTIES.length);
  for (const [task, who, kind, minimum, per, due = null, metric = null, rule = null] of DUTIES) {
    const found = duties.filter(o => o.task === task && o.kind === kind && o.minimum === minimum && o.per === per &&
      o.due === due && o.metric === metric && o.rule === rule && JSON.stringify(whoOf(o)) === JSON.stringify(who));
    assert.equal(found.length, 1, `duty of task ${task} ${kind} ${JSON.stringify(who)}`);
    assert.equal(found[0].from, '2021-07-01');
    assert.equal(found[0].to, '2025-12-31');
  }
  // standing tasks without a numbered duty: one progress report per half-year from the lead units
  const items = await tasks(reporter);
  const numbered = new Set(duties.map(o => o.task));
  const progress = all.filter(o => o.kind === 'progress_report');
  for (const t of items) {
    const mine = progress.filter(o => o.task === t.no);
    if (t.deadline.kind !== 'standing' || numbered.has(t.no)) { assert.equal(mine.length, 0, `task ${t.no}`); continue; }
    assert.equal(mine.length, 1, `task ${t.no} progress report`);
    assert.equal(mine[0].per, 'half_year');
    assert.equal(mine[0].minimum, 1);
    const want = t.lead.includes('@districts') ? ALL : { units: names(t.lead_units) };
    assert.deepEqual(whoOf(mine[0]), want, `task ${t.no} progress report is owed by its lead units`);
  }
  assert.equal(progress.length, 48);
  // exact rows
  const t16 = all.find(o => o.key === 't16-press-month');
  assert.deepEqual(t16, {
    id: t16.id, key: 't16-press-month', task: 16, title: t16.title, who: { kind: 'units', units: [{ id: t16.who.units[0].id, key: '市生态环境局', name: '市生态环境局' }] },
    kind: 'press_conference', metric: null, rule: null, minimum: 1, per: 'month', due: null, from: '2021-07-01', to: '2025-12-31', note: null,
    assess_min_share: 50,
  });
  const t38 = all.find(o => o.key === 't38-behaviour-survey');
  assert.deepEqual([t38.minimum, t38.per, t38.due], [2, 'once', '2025-12-31']);
  const t74 = all.find(o => o.key === 't74-facility-opening');
  assert.deepEqual(t74.who, { kind: 'facilities' });
  assert.match(t74.note, /两个月/);
});

test('obligation filters: by task, and the duties a unit owes (listed or through its tier)', async () => {
  assert.deepEqual((await obligations(reporter, '?task=17')).map(o => o.key), ['t17-press-district', 't17-press-county']);
  const xcbDuties = await obligations(reporter, '?unit=市委宣传部');
  const joint = xcbDuties.find(o => o.who.kind === 'units');
  assert.ok(joint, 'a duty 市委宣传部 owes with other units');
  assert.ok(joint.who.units.every(u => u.id > 0 && u.key && u.name), 'units of a duty with their id, key and name');
  const yz = await obligations(reporter, '?unit=500103');
  assert.ok(yz.some(o => o.key === 't17-press-district'));
  assert.ok(!yz.some(o => o.key === 't17-press-county'));
  assert.ok(yz.every(o => o.who.kind === 'tiers' && o.who.tiers.includes('district')));
  assert.equal(yz.length, 12 + 1, 'the 12 duties of every district-level unit (progress reports of 44 and 47 among them) and the district one of task 17');
  const ck = await obligations(reporter, '?unit=500229');
  assert.ok(ck.some(o => o.key === 't17-press-county') && !ck.some(o => o.key === 't17-press-district'));
  const xcb = await obligations(reporter, `?unit=${encodeURIComponent('市委宣传部')}`);
  assert.ok(xcb.every(o => o.who.kind === 'units' && names(o.who.units).includes('市委宣传部')));
  const one = await reporter.get(`${P}/obligations/t51-school-class-hours`);
  assert.equal(one.status, 200);
  assert.equal(one.json.rule, 'all_schools');
  assertError(await reporter.get(`${P}/obligations/nope`), 404, 'not_found');
  assertError(await reporter.get(`${P}/obligations?task=999`), 422, 'rule_violation', 'task');
});

test('the activity-kind catalogue', async () => {
  const r = await reporter.get('/api/v1/activity-kinds');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.length, 36);
  const pc = r.json.items.find(k => k.code === 'press_conference');
  assert.deepEqual(pc, { code: 'press_conference', name: '新闻发布会（媒体通气会）', metrics: ['participants', 'media_outlets', 'reports'] });
  const sch = r.json.items.find(k => k.code === 'school_class_hours');
  assert.deepEqual(sch.metrics, ['schools_total', 'schools_met', 'class_hours']);
  assert.equal((await reporter.get('/api/v1/activity-kinds?plan=cq-2021-2025')).json.items.length, 36);
});

test('every business role reads plans; only the office edits them', async () => {
  for (const u of ['demo.leader', 'demo.evaluator', 'demo.yuzhong.admin', 'demo.xcb']) {
    const c = await srv.login(u);
    assert.equal((await c.get(`${P}/tasks/17`)).status, 200, u);
  }
  assertError(await reporter.post(`${P}/drafts`, { code: 'cq-by-reporter' }), 403, 'forbidden');
  assertError(await reporter.patch(P, { title: 'x' }), 403, 'forbidden');
  assertError(await reporter.post(`${P}/tasks`, { no: 87 }), 403, 'forbidden');
  assertError(await reporter.post('/api/v1/plans/import', DATA), 403, 'forbidden');
  assertError(await reporter.post(`${P}/publish`), 403, 'forbidden');
  const leader = await srv.login('demo.leader');
  assertError(await leader.post(`${P}/drafts`, {}), 403, 'forbidden');
  assertError(await srv.client().get(P), 401, 'unauthorized');
});

test('a published plan never changes: every edit is a 409 telling to create a draft', async () => {
  const edits = [
    await office.patch(P, { title: '改名' }),
    await office.post(`${P}/tasks`, { no: 87, action: 3, measure: 2, content: 'x', text: 'x', lead_text: '市教委', lead: ['市教委'] }),
    await office.patch(`${P}/tasks/17`, { coop_text: '' }),
    await office.del(`${P}/tasks/1`),
    await office.post(`${P}/obligations`, { key: 'x', task: 1, title: 'x', who: { units: ['市教委'] }, kind: 'training', minimum: 1, per: 'year' }),
    await office.patch(`${P}/obligations/t16-press-month`, { minimum: 2 }),
    await office.del(`${P}/obligations/t16-press-month`),
    await office.post(`${P}/actions`, { no: 12, title: 'x' }),
    await office.patch(`${P}/actions/1`, { title: 'x' }),
    await office.post(`${P}/publish`),
    await office.del(P),
  ];
  for (const r of edits) {
    assertError(r, 409, 'conflict');
    assert.match(r.json.error.message, /已发布.*草稿/);
  }
  const t = await office.get(`${P}/obligations/t16-press-month`);
  assert.equal(t.json.minimum, 1);
  assert.equal((await office.get(P)).json.counts.tasks, 86);
});

test('export.json is the data file, as an attachment', async () => {
  const r = await reporter.get(`${P}/export.json`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-disposition'), /attachment/);
  assert.match(r.headers.get('content-disposition'), /filename="cq-2021-2025-v1_\d{4}-\d{2}-\d{2}\.json"/);
  assert.match(decodeURIComponent(/filename\*=UTF-8''(\S+)/.exec(r.headers.get('content-disposition'))[1]), /^重庆市.*（第1版）_\d{4}年\d{1,2}月\d{1,2}日\.json$/);
  assert.deepEqual(JSON.parse(r.text), DATA);
});

/** The files of a zip archive (stored or deflated), by name. */
function unzip(buf) {
  const files = {};
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip archive');
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < buf.readUInt16LE(eocd + 10); i++) {
    const method = buf.readUInt16LE(p + 10), size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28), extra = buf.readUInt16LE(p + 30), comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files[name] = (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    p += 46 + nameLen + extra + comment;
  }
  return files;
}

test('export.xlsx lays the key tasks out as 附件1', async () => {
  const r = await reporter.get(`${P}/export.xlsx`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(r.headers.get('content-disposition'), /attachment.*cq-2021-2025-v1-tasks_\d{4}-\d{2}-\d{2}\.xlsx/);
  const files = unzip(r.buf);
  const strings = [...files['xl/sharedStrings.xml'].matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map(m => m[1]);
  const sheet = files['xl/worksheets/sheet1.xml'];
  const cell = ref => {
    const m = new RegExp(`<c r="${ref}"([^>]*?)(?:/>|>(?:<v>([^<]*)</v>)?)`).exec(sheet);
    if (!m || m[2] === undefined) return '';
    return /t="s"/.test(m[1]) ? strings[Number(m[2])] : m[2];
  };
  assert.deepEqual(['A3', 'B3', 'C3', 'D3', 'E3', 'F3'].map(cell), ['序号', '重点内容', '具体任务', '牵头单位', '配合单位', '任务时限']);
  assert.equal((sheet.match(/<row /g) || []).length, 3 + 86);
  for (const [no, key, text, lead, coop, limit] of ANNEX1) {
    const row = no + 3;
    assert.deepEqual([cell(`A${row}`), cell(`C${row}`), cell(`D${row}`), cell(`E${row}`), cell(`F${row}`)], [String(no), text, lead, coop, limit], `row of task ${no}`);
    if (key) assert.equal(cell(`B${row}`), key, `task ${no} 重点内容`);
  }
  assert.ok(sheet.includes('<mergeCell ref="B4:B6"/>'), 'tasks 1-3 share one 重点内容 cell');
  assert.ok(sheet.includes('<mergeCell ref="B19:B20"/>'), 'task 17 continues 做好新闻发布 of task 16');
  assert.ok(!/<mergeCell ref="B8[6-9]:/.test(sheet), 'each safeguard (83-86) has its own 重点内容');
  assert.ok(sheet.includes('<mergeCell ref="A2:F2"/>'), 'the title spans the table');
});

test('a draft for the next plan: copy under a new code, edit, validate, publish; then a second version', async () => {
  const N = '/api/v1/plans/cq-2026-2030';
  const d = await office.post(`${P}/drafts`, { code: 'cq-2026-2030', title: '重庆市生态文明宣传教育实施方案（2026—2030年）' });
  assert.equal(d.status, 201, d.text);
  assert.deepEqual([d.json.code, d.json.version, d.json.status], ['cq-2026-2030', 1, 'draft']);
  assert.deepEqual(d.json.parent, { code: 'cq-2021-2025', version: 1 });
  assert.equal(d.json.counts.tasks, 86);
  assert.equal(d.json.counts.obligations, 89);
  // the draft is readable (no published version yet), the source is untouched
  assert.equal((await reporter.get(N)).json.status, 'draft');
  assert.equal((await reporter.get(P)).json.title, DATA.title);
  assertError(await office.post(`${P}/drafts`, { code: 'cq-2026-2030' }), 409, 'conflict', 'code');
  assertError(await office.post(`${P}/drafts`, { code: 'Bad Code' }), 422, 'rule_violation', 'code');
  assertError(await office.post(`${N}/drafts`, {}), 409, 'conflict');

  // plan fields
  let r = await office.patch(N, { start: '2026-01-01', end: '2030-12-31', doc_no: null, issued: null });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.start, r.json.end, r.json.doc_no], ['2026-01-01', '2030-12-31', null]);
  assertError(await office.patch(N, { end: '2025-01-01' }), 422, 'rule_violation', 'end');
  assertError(await office.patch(N, { colour: 'red' }), 400, 'bad_request', 'colour');
  // publishing checks the whole plan: the copied duties still run 2021-2025
  r = await office.post(`${N}/publish`);
  assertError(r, 422, 'rule_violation', 'obligations[0].from');
  assert.match(r.json.error.message, /发布检查/);

  // tasks
  r = await office.post(`${N}/tasks`, {
    no: 87, action: 3, measure: 2, content: '做好新闻发布', text: '各区县每半年召开1次新闻发布会。',
    lead_text: '各区县', lead: ['@districts'], coop_text: '市生态环境局', coop: ['市生态环境局'], deadline: { text: '2026年6月前' },
  });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.deadline, { kind: 'date', text: '2026年6月前', date: '2026-06-30' });
  assert.equal(r.json.lead_units.length, 41);
  assert.deepEqual(r.json.obligations, []);
  assertError(await office.post(`${N}/tasks`, { ...r.json.lead && {}, no: 1, action: 1, measure: 1, content: 'x', text: 'x', lead_text: '市教委', lead: ['市教委'] }), 409, 'conflict', 'no');
  let bad = await office.post(`${N}/tasks`, { no: 88, action: 1, measure: 1, content: 'x', text: 'x', lead_text: '市某局', lead: ['市某局'] });
  assertError(bad, 422, 'rule_violation', 'lead');
  assert.match(bad.json.error.message, /市某局/);
  assertError(await office.post(`${N}/tasks`, { no: 88, action: 1, measure: 9, content: 'x', text: 'x', lead_text: '市教委', lead: ['市教委'] }), 422, 'rule_violation', 'measure');
  assertError(await office.post(`${N}/tasks`, { no: 88, action: 1, measure: 1, content: 'x', text: 'x', lead_text: '市教委', lead: ['市教委'], deadline: { text: '尽快' } }), 422, 'rule_violation', 'deadline.text');
  r = await office.patch(`${N}/tasks/87`, { lead_text: '市生态环境局', lead: ['市生态环境局'], deadline: { text: '长期坚持' } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(names(r.json.lead_units), ['市生态环境局']);
  assert.deepEqual(r.json.deadline, { kind: 'standing', text: '长期坚持', date: null });
  assert.equal(r.json.text, '各区县每半年召开1次新闻发布会。', 'a PATCH keeps what it does not name');
  assertError(await office.patch(`${N}/tasks/87`, { no: 86 }), 409, 'conflict', 'no');
  assertError(await office.patch(`${N}/tasks/999`, { text: 'x' }), 404, 'not_found');
  assertError(await office.del(`${N}/tasks/999`), 404, 'not_found');

  // obligations
  const o = { key: 't87-press', task: 87, title: '区县新闻发布会', who: { tiers: ['district', 'county', 'zone'] }, kind: 'press_conference', minimum: 1, per: 'half_year', from: '2026-01-01', to: '2030-12-31' };
  r = await office.post(`${N}/obligations`, o);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.key, r.json.task, r.json.per, r.json.due, r.json.from], ['t87-press', 87, 'half_year', null, '2026-01-01']);
  assertError(await office.post(`${N}/obligations`, o), 409, 'conflict', 'key');
  assertError(await office.post(`${N}/obligations`, { ...o, key: 'x1', minimum: -1 }), 422, 'rule_violation', 'minimum');
  assertError(await office.post(`${N}/obligations`, { ...o, key: 'x1', minimum: 0 }), 422, 'rule_violation', 'minimum');
  assertError(await office.post(`${N}/obligations`, { ...o, key: 'x1', per: 'weekly' }), 422, 'rule_violation', 'per');
  assertError(await office.post(`${N}/obligations`, { ...o, key: 'x1', per: 'once' }), 422, 'rule_violation', 'due');
  assertError(await office.post(`${N}/obligations`, { ...o, key: 'x1', from: '2030-01-01', to: '2026-12-31' }), 422, 'rule_violation', 'from');
  assertError(await office.post(`${N}/obligations`, { ...o, key: 'x1', task: 999 }), 422, 'rule_violation', 'task');
  assertError(await office.post(`${N}/obligations`, { ...o, key: 'x1', kind: 'tea_party' }), 422, 'rule_violation', 'kind');
  bad = await office.post(`${N}/obligations`, { ...o, key: 'x1', who: { units: ['市生态环境局', '市茶叶局'] } });
  assertError(bad, 422, 'rule_violation', 'who.units');
  assert.match(bad.json.error.message, /市茶叶局/);
  assertError(await office.post(`${N}/obligations`, { ...o, key: 'x1', minimum: '1' }), 400, 'bad_request', 'minimum');
  r = await office.post(`${N}/obligations`, { ...o, key: 't87-plan', per: 'once', due: '2026-06-30', from: undefined, to: undefined });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.due, r.json.from, r.json.to], ['2026-06-30', '2026-01-01', '2030-12-31'], 'from/to default to the plan period');
  r = await office.patch(`${N}/obligations/t87-plan`, { per: 'year', minimum: 2 });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.per, r.json.due, r.json.minimum], ['year', null, 2]);
  r = await office.get(`${N}/tasks/87`);
  assert.deepEqual(r.json.obligations.map(x => x.key), ['t87-press', 't87-plan']);
  assert.equal((await office.del(`${N}/obligations/t87-plan`)).status, 200);
  assertError(await office.get(`${N}/obligations/t87-plan`), 404, 'not_found');

  // actions and measures
  r = await office.post(`${N}/actions`, { no: 12, title: '开展数字化宣传行动', measures: [{ no: 1, title: '建设平台', text: '建设平台。' }] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.kind, r.json.measures.length, r.json.tasks], ['action', 1, 0]);
  assertError(await office.post(`${N}/actions`, { no: 12, title: '重复' }), 409, 'conflict', 'no');
  assertError(await office.del(`${N}/actions/3`), 409, 'conflict');
  r = await office.patch(`${N}/tasks/87`, { action: 12, measure: 1 });
  assert.equal(r.status, 200, r.text);
  assertError(await office.patch(`${N}/actions/12`, { measures: [] }), 409, 'conflict', 'measures');
  r = await office.patch(`${N}/actions/12`, { title: '开展数字化宣传教育行动', measures: [{ no: 1, title: '建设平台', text: '建设宣传平台。' }, { no: 2, title: '用好平台', text: '用好。' }] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.measures.map(m => m.text), ['建设宣传平台。', '用好。']);

  // the whole draft: remove the old duties, move the period, publish
  const old = (await obligations(office, '?limit=1000', N)).filter(x => x.from === '2021-07-01');
  assert.equal(old.length, 89);
  for (const x of old) assert.equal((await office.del(`${N}/obligations/${x.key}`)).status, 200);
  r = await office.del(`${N}/tasks/87`);
  assert.deepEqual(r.json, { deleted: true, no: 87, obligations_deleted: 1 });
  r = await office.post(`${N}/publish`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.status, r.json.version, r.json.counts.obligations, r.json.counts.actions], ['published', 1, 0, 12]);
  assertError(await office.patch(N, { title: 'x' }), 409, 'conflict');

  // same code → the next version; the published one stays as it was
  r = await office.post(`${N}/drafts`, {});
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.code, r.json.version, r.json.status], ['cq-2026-2030', 2, 'draft']);
  assert.deepEqual(r.json.parent, { code: 'cq-2026-2030', version: 1 });
  r = await office.patch(N, { title: '第二版' });
  assert.equal(r.json.version, 2);
  assert.equal((await reporter.get(N)).json.version, 1, 'a code alone reads the latest published version');
  assert.equal((await reporter.get(`${N}?version=draft`)).json.title, '第二版');
  assert.equal((await reporter.get(`${N}?version=1`)).json.title, '重庆市生态文明宣传教育实施方案（2026—2030年）');
  assertError(await office.patch(`${N}?version=1`, { title: 'x' }), 409, 'conflict');
  r = await office.post(`${N}/publish`);
  assert.equal(r.status, 200, r.text);
  assert.equal((await reporter.get(N)).json.title, '第二版');
  assert.deepEqual((await reporter.get(N)).json.versions, [{ version: 1, status: 'published' }, { version: 2, status: 'published' }]);
  const list = await reporter.get('/api/v1/plans?code=cq-2026-2030');
  assert.deepEqual(list.json.items.map(p => [p.version, p.status]), [[1, 'published'], [2, 'published']]);
});

test('a draft can be discarded', async () => {
  const r = await office.post(`${P}/drafts`, {});
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.version, 2);
  const del = await office.del(P);
  assert.equal(del.status, 200, del.text);
  assert.deepEqual(del.json, { deleted: true, code: 'cq-2021-2025', version: 2 });
  assertError(await office.get(`${P}?version=draft`), 404, 'not_found');
  assert.equal((await office.get(P)).json.counts.tasks, 86);
});

test('import of an exported plan round-trips as a new draft', async () => {
  const exp = JSON.parse((await office.get(`${P}/export.json`)).text);
  const doc = { ...exp, code: 'cq-import', title: '导入的方案' };
  const r = await office.post('/api/v1/plans/import', doc);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.code, r.json.version, r.json.status, r.json.parent], ['cq-import', 1, 'draft', null]);
  assert.deepEqual(r.json.counts, { actions: 11, measures: 40, tasks: 86, obligations: 89, activity_kinds: 36 });
  const again = JSON.parse((await office.get('/api/v1/plans/cq-import/export.json?version=draft')).text);
  assert.deepEqual(again, { ...doc, status: 'draft', version: 1 });
  assertError(await office.post('/api/v1/plans/import', doc), 409, 'conflict', 'code');
  // the same code as a published plan → its next version
  const next = await office.post('/api/v1/plans/import', exp);
  assert.equal(next.status, 201, next.text);
  assert.deepEqual([next.json.code, next.json.version, next.json.status], ['cq-2021-2025', 2, 'draft']);
  assert.equal((await office.del(P)).status, 200);
});

test('import checks everything, names the JSON path, and stores nothing when anything is wrong', async () => {
  const base = () => ({ ...structuredClone(DATA), code: 'cq-bad' });
  const cases = [
    [d => { d.tasks[12].lead[0] = '市不存在局'; }, 422, 'tasks[12].lead', /市不存在局/],
    [d => { d.obligations[5].minimum = -1; }, 422, 'obligations[5].minimum'],
    [d => { d.obligations[5].per = 'fortnight'; }, 422, 'obligations[5].per'],
    [d => { delete d.obligations[0].due; }, 422, 'obligations[0].due'],
    [d => { d.obligations[7].who = { units: ['市生态环境局', '市无此委'] }; }, 422, 'obligations[7].who.units', /市无此委/],
    [d => { d.tasks[3].no = 3; }, 422, 'tasks[3].no'],
    [d => { d.tasks[3].measure = 7; }, 422, 'tasks[3].measure'],
    [d => { d.tasks[40].deadline = { kind: 'date', text: '2022年6月前', date: '2022-07-31' }; }, 422, 'tasks[40].deadline.date'],
    [d => { d.obligations[2].task = 200; }, 422, 'obligations[2].task'],
    [d => { d.obligations[2].to = '2026-12-31'; }, 422, 'obligations[2].to'],
    [d => { d.actions[1].measures[0].title = 3; }, 400, 'actions[1].measures[0].title'],
    [d => { d.tasks[0].colour = 'green'; }, 400, 'tasks[0].colour'],
    [d => { d.activity_kinds[0].metrics = ['participants']; }, 422, 'activity_kinds[0]'],
    [d => { d.code = 'CQ Bad'; }, 422, 'code'],
  ];
  for (const [mutate, status, field, msg] of cases) {
    const d = base();
    mutate(d);
    const r = await office.post('/api/v1/plans/import', d);
    assertError(r, status, undefined, field);
    if (field.includes('[')) assert.ok(r.json.error.message.includes(field), `the message names ${field}: ${r.json.error.message}`);
    if (msg) assert.match(r.json.error.message, msg);
  }
  const nonJson = await office.req('POST', '/api/v1/plans/import', { body: '{"code":', headers: { 'Content-Type': 'application/json' } });
  assertError(nonJson, 400, 'bad_request');
  assert.deepEqual((await office.get('/api/v1/plans?code=cq-bad')).json.items, []);
  assert.equal((await office.get('/api/v1/activity-kinds')).json.items.length, 36);
});

// ---- a draft's tasks from a 附件1 sheet (.xlsx or .csv) ----

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const csvCell = v => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
// 附件1 as a .csv with its title lines above the header, as someone would save the table.
const annexCsv = rows => ['附件1', '重点任务分工表', '序号,重点内容,具体任务,牵头单位,配合单位,任务时限',
  ...rows.map(r => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
const S = '/api/v1/plans/cq-sheet';

test('a draft exported as 附件1 .xlsx imports back unchanged', async () => {
  const d = await office.post(`${P}/drafts`, { code: 'cq-sheet', title: '任务表导入' });
  assert.equal(d.status, 201, d.text);
  const xlsx = await office.get(`${S}/export.xlsx?version=draft`);
  assert.equal(xlsx.status, 200, xlsx.text);
  const r = await office.req('POST', `${S}/tasks/import?dry_run=1`, { body: xlsx.buf, headers: { 'Content-Type': XLSX } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { dry_run: true, tasks: 86, added: [], changed: [], removed: [], unchanged: 86, obligations_removed: [] });
});

test('a 附件1 sheet edits a draft: changed cells, a new row continuing a measure, a row taken out with its duties', async () => {
  const before = JSON.parse((await office.get(`${S}/export.json?version=draft`)).text);
  const rows = ANNEX1.filter(r => r[0] !== 15).map(r => [...r]);
  rows.find(r => r[0] === 3)[2] = '不定期推出各级党政领导干部学习体会文章（修订）。';
  rows.find(r => r[0] === 17)[5] = '2026年6月底前';
  rows.find(r => r[0] === 16)[4] = '市委宣传部、市文明办、团市委、市妇联等部门（单位）';
  rows.push([87, '', '每年发布生态文明宣传教育工作年度报告。', '市生态环境局', '各区县', '长期坚持']);
  const body = Buffer.from(annexCsv(rows));
  const dry = await office.req('POST', `${S}/tasks/import?dry_run=1`, { body, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual(dry.json.added, [87]);
  assert.deepEqual(dry.json.removed, [15]);
  assert.deepEqual(dry.json.changed, [{ no: 3, fields: ['text'] }, { no: 16, fields: ['coop_text', 'coop'] }, { no: 17, fields: ['deadline'] }]);
  assert.equal(dry.json.unchanged, 82);
  assert.deepEqual(dry.json.obligations_removed.map(o => [o.key, o.task]), [['t15-media-symposium', 15]]);
  // a dry run changes nothing
  assert.deepEqual(JSON.parse((await office.get(`${S}/export.json?version=draft`)).text), before);

  const r = await office.req('POST', `${S}/tasks/import`, { body, headers: { 'Content-Type': 'text/csv', 'Idempotency-Key': 'sheet-1' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.dry_run, false);
  const t = no => office.get(`${S}/tasks/${no}?version=draft`);
  assert.equal((await t(3)).json.text, '不定期推出各级党政领导干部学习体会文章（修订）。');
  const t16 = (await t(16)).json;
  assert.deepEqual(names(t16.coop_units), ['市委宣传部', '市文明办', '团市委', '市妇联', '有关部门（单位）']);
  assert.deepEqual((await t(17)).json.deadline, { kind: 'date', text: '2026年6月底前', date: '2026-06-30' });
  const t87 = (await t(87)).json;
  const t86 = (await t(86)).json;
  assert.deepEqual([t87.action, t87.measure, t87.content], [t86.action, t86.measure, t86.content]);
  assert.equal(t87.lead_text, '市生态环境局');
  assert.deepEqual(t87.deadline, { kind: 'standing', text: '长期坚持', date: null });
  assertError(await t(15), 404, 'not_found');
  const obls = await obligations(office, '?version=draft', S);
  assert.ok(!obls.some(o => o.key === 't15-media-symposium'));
  assert.equal(obls.length, 88);
  // kept tasks keep their duties and task 44's hand-resolved units; the published plan is untouched
  assert.ok(obls.some(o => o.key === 't3-study-articles'));
  assert.deepEqual(names((await t(44)).json.coop_units), ['市生态环境局', '市文明办']);
  assert.equal((await office.get(`${P}/tasks/3`)).json.text, ANNEX1[2][2]);
  // and the draft still publishes
  const pub = await office.post(`${S}/publish`);
  assert.equal(pub.status, 200, pub.text);
});

test('a 附件1 sheet with bad rows: every error by row and column, and the draft unchanged', async () => {
  const d = await office.post(`${S}/drafts`, {});
  assert.equal(d.status, 201, d.text);
  const before = JSON.parse((await office.get(`${S}/export.json?version=draft`)).text);
  const rows = ANNEX1.map(r => [...r]);
  rows[0][3] = '市生态环境局、市不存在局';         // row 4
  rows[1][5] = '尽快';                               // row 5
  rows[3][1] = '没有这项措施';                       // row 7
  rows[4][0] = 4;                                    // row 8: 序号 4 again
  rows[5][2] = '';                                   // row 9: no task text
  rows[6][0] = 'x7';                                 // row 10
  const r = await office.req('POST', `${S}/tasks/import`, { body: Buffer.from(annexCsv(rows)), headers: { 'Content-Type': 'text/csv' } });
  assertError(r, 422, 'rule_violation', 'file');
  const got = r.json.errors.map(e => [e.row, e.column]);
  assert.deepEqual(got, [[4, '牵头单位'], [5, '任务时限'], [7, '重点内容'], [8, '序号'], [9, '具体任务'], [10, '序号']]);
  assert.match(r.json.errors[0].message, /市不存在局/);
  assert.match(r.json.errors[3].message, /第 7 行重复/);
  assert.equal(r.json.errors_total, 6);
  assert.deepEqual(JSON.parse((await office.get(`${S}/export.json?version=draft`)).text), before);

  // no header; a file that is not a table; a published version; someone not the office
  const nohead = await office.req('POST', `${S}/tasks/import`, { body: Buffer.from('a,b\r\n1,2\r\n'), headers: { 'Content-Type': 'text/csv' } });
  assertError(nohead, 422, 'rule_violation', 'file');
  assert.match(nohead.json.errors[0].message, /找不到表头/);
  assertError(await office.req('POST', `${S}/tasks/import`, { body: Buffer.from('%PDF-1.4'), headers: { 'Content-Type': 'application/pdf' } }), 415, 'unsupported_media_type', 'Content-Type');
  assertError(await office.req('POST', `${S}/tasks/import`, { body: Buffer.alloc(0), headers: { 'Content-Type': 'text/csv' } }), 422, 'rule_violation', 'file');
  assert.equal((await office.del(S)).status, 200);
  assertError(await office.req('POST', `${S}/tasks/import`, { body: Buffer.from(annexCsv(ANNEX1)), headers: { 'Content-Type': 'text/csv' } }), 409, 'conflict');
  assertError(await reporter.req('POST', `${P}/tasks/import`, { body: Buffer.from(annexCsv(ANNEX1)), headers: { 'Content-Type': 'text/csv' } }), 403, 'forbidden');
});
