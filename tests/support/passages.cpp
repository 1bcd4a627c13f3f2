#include "support/passages.hpp"

#include <stdexcept>

namespace wenku::testing {

std::string Passage::Text() const {
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty()) out += '\n';
    out += l;
  }
  return out;
}

const std::vector<Passage>& Passages() {
  static const std::vector<Passage> passages = {
      {"zh-exam-notice",
       {
           "关于本学期期末考试安排的通知",
           "各学院、各位任课教师及全体同学：",
           "根据学校教学工作计划，本学期期末考试定于第十八周至第十九周进行，现将有关事项通知如下。",
           "一、考试时间以教务处公布的考试日程表为准，各门课程不得自行调整考试时间和地点。",
           "二、任课教师应在考试前一周完成试卷命题，试卷须经教研室主任审核签字后交学院教学办公室。",
           "三、每份试卷应同时准备难度相当的两套题目，其中一套作为补考备用，两套试卷的重复率不得超"
           "过百分之二十。",
           "四、学生须携带学生证和身份证按时进入考场，迟到十五分钟以上者不得参加本场考试。",
           "五、考生只能携带黑色签字笔、铅笔、橡皮和直尺，手机等通讯工具须关机后放在考场前方指定位"
           "置。",
           "六、监考教师应提前二十分钟到达考场，核对考生身份，宣读考场纪律，并如实填写考场记录。",
           "七、考试过程中发现作弊行为的，监考教师应当场收回试卷，并在考场记录上写明时间和经过。",
           "八、阅卷工作应在考试结束后五个工作日内完成，成绩录入系统后不得随意更改。",
           "九、对成绩有异议的学生，可在成绩公布后七日内向所在学院提出书面复查申请。",
           "十、因病或其他特殊原因不能参加考试的学生，须在考试前办理缓考手续，并提交相关证明材料。",
           "请各学院认真组织，做好考前复习辅导工作，营造诚信考试的良好氛围。",
           "教务处",
           "二〇二四年十二月五日",
       }},
      {"zh-tea",
       {
           "茶树喜欢温暖湿润的气候，适宜生长在年平均气温十五摄氏度以上、降水充沛的山地丘陵。",
           "土壤以微酸性的红壤和黄壤为好，排水良好、土层深厚的坡地最适合开辟茶园。",
           "新建茶园一般在秋末或早春定植，每亩种植三千株左右，种下后要及时浇足定根水。",
           "幼龄茶树需要经过三次定型修剪，才能形成枝叶茂密、树冠宽阔的采摘面。",
           "春茶通常在清明前后开始采摘，一芽一叶或一芽二叶的嫩梢品质最佳。",
           "采下的鲜叶要摊放在阴凉通风处，散失部分水分，使叶片变得柔软。",
           "绿茶的关键工序是杀青，用高温迅速破坏鲜叶中的酶，保持叶色翠绿。",
           "杀青之后进行揉捻，使茶叶卷曲成条，同时揉破部分细胞，让茶汁附着在叶面上。",
           "最后经过干燥，把含水量降到百分之六以下，便于长期保存。",
           "红茶则要经过萎凋、揉捻、发酵和烘干，发酵使茶多酚氧化，汤色变得红亮。",
           "乌龙茶介于二者之间，做青时反复摇动和静置，叶缘变红而叶心仍然保持绿色。",
           "储存茶叶要避光、防潮、防异味，最好放在密封罐中，置于低温干燥的地方。",
           "冲泡绿茶的水温以八十摄氏度左右为宜，水温过高会把细嫩的芽叶烫熟。",
           "一杯好茶既要看外形和汤色，也要闻香气、品滋味，再看叶底是否匀整明亮。",
       }},
      {"zh-transit",
       {
           "近十年来，我市公共交通发展迅速，已形成以轨道交通为骨干、常规公交为主体的出行体系。",
           "截至去年年底，全市轨道交通运营线路达到十二条，运营里程超过四百公里，车站二百八十余座。",
           "常规公交线路九百多条，公交专用道总长三百公里，站点五百米覆盖率达到百分之九十八。",
           "工作日公共交通日均客运量约一千万人次，其中轨道交通承担了近六成。",
           "早晚高峰期间，部分线路断面满载率仍然偏高，换乘站点的通道拥挤问题较为突出。",
           "郊区新城与中心城区之间的联系主要依靠少数几条放射线，线路负荷不均衡。",
           "为此，规划提出加快建设市域快线，缩短新城至中心城区的通勤时间，目标控制在四十五分钟以内"
           "。",
           "同时优化地面公交网络，减少与轨道交通重复的长线路，增加接驳短线和社区微循环线路。",
           "在票制票价方面，将推行轨道交通与公交之间的换乘优惠，并研究按里程和时段差别定价。",
           "在智慧交通方面，全部公交车辆已安装定位设备，乘客可以通过手机实时查询车辆到站时间。",
           "下一步还将推进站城一体化开发，在大型枢纽周边布局商业、办公和居住功能。",
           "慢行交通同样不可忽视，需要完善非机动车道和步行网络，解决公共交通出行的最后一公里。",
           "预计到规划期末，中心城区公共交通占机动化出行的比例将提高到百分之六十五以上。",
       }},
      {"zh-printing",
       {
           "印刷术是中国古代的重要发明之一，对世界文明的传播产生了深远影响。",
           "早在隋唐时期，人们就已经把文字和图画刻在木板上，刷墨后覆纸印刷，这就是雕版印刷。",
           "现存年代明确的早期雕版印刷品中，有一部唐代刻印的佛经，卷首还有精美的插图。",
           "雕版印刷一版只能印一种书，刻版费工费时，版片也占用大量存放空间，一旦刻错就很难修改。",
           "北宋庆历年间，平民毕昇发明了活字印刷术，用胶泥制成单个的字，用火烧硬后备用。",
           "排版时先在铁板上铺一层松脂、蜡和纸灰的混合物，把活字排在铁框里，加热后用平板压平。",
           "印完之后再加热，使药剂熔化，活字便可以取下来反复使用。",
           "常用的字要准备多个，遇到生僻字还可以临时刻制，十分灵活方便。",
           "后来又出现了木活字、锡活字和铜活字，元代王祯还设计了转轮排字架，提高了拣字的效率。",
           "明清时期，套版印刷和饾版技术日趋成熟，能够印出色彩丰富的画谱和笺纸。",
           "印刷术先后传到朝鲜、日本以及中亚和欧洲，为知识的普及创造了条件。",
           "今天我们翻阅一本书的时候，不妨想一想千百年来无数工匠在刻版和排字中付出的心血。",
       }},
      {"zh-appliance",
       {
           "感谢您选购本公司生产的电热水壶，使用前请仔细阅读本说明书，并妥善保管以备查阅。",
           "本产品额定电压为二百二十伏，额定功率一千八百瓦，最大容量一点七升。",
           "首次使用前，请将水壶注满清水煮沸后倒掉，重复两到三次，以去除壶内的异味。",
           "加水时水位应在最低刻度线和最高刻度线之间，水量过多可能在沸腾时溢出烫伤。",
           "将壶身平稳放置在底座上，按下开关，指示灯亮起，表示开始加热。",
           "水烧开后水壶会自动断电，指示灯熄灭；如需再次加热，请等待一分钟后再按开关。",
           "本产品设有防干烧保护装置，壶内无水通电时会自动切断电源。",
           "请勿将壶身、底座或电源线浸入水中清洗，也不要用水直接冲洗底座。",
           "壶内出现水垢时，可以加入适量白醋或柠檬酸溶液，浸泡一小时后烧开，再用清水冲洗干净。",
           "儿童应在成年人的监护下使用本产品，使用过程中请勿触摸壶身外壁和出水口。",
           "如果电源线损坏，必须由制造商或其维修部门更换，以免发生危险。",
           "本产品自购买之日起一年内，在正常使用情况下出现的质量问题可享受免费维修服务。",
       }},
      {"zh-lease",
       {
           "房屋租赁合同",
           "出租方（以下简称甲方）与承租方（以下简称乙方）经平等协商，就房屋租赁事宜达成如下协议。",
           "第一条，甲方将其合法拥有的位于本市东城区的住宅一套出租给乙方作居住使用，建筑面积八十六"
           "平方米。",
           "第二条，租赁期限自本合同签订之日起共十二个月，期满后乙方如需续租，应提前一个月书面通知"
           "甲方。",
           "第三条，月租金为人民币四千五百元，按季度支付，乙方应于每季度第一个月的五日前付清当季租"
           "金。",
           "第四条，乙方在签订合同时向甲方交纳押金九千元，租赁期满且乙方结清各项费用后，甲方应全额"
           "退还。",
           "第五条，租赁期间的水费、电费、燃气费、网络费和物业管理费由乙方承担，房屋的大修费用由甲"
           "方承担。",
           "第六条，乙方应合理使用房屋及其附属设施，未经甲方书面同意，不得擅自改变房屋结构或转租他"
           "人。",
           "第七条，因乙方使用不当造成房屋或设施损坏的，乙方应负责修复或者照价赔偿。",
           "第八条，租赁期间甲方如需出售该房屋，应提前三个月通知乙方，乙方在同等条件下享有优先购买"
           "权。",
           "第九条，任何一方违反本合同约定的，应向对方支付相当于一个月租金的违约金。",
           "第十条，本合同未尽事宜由双方另行协商，协商不成的，可向房屋所在地人民法院提起诉讼。",
           "本合同一式两份，甲乙双方各执一份，自双方签字之日起生效。",
       }},
      {"en-lighthouse",
       {
           "For more than two centuries the light on the northern headland was kept by hand.",
           "Each evening the keeper climbed the ninety-two steps of the tower carrying a can of "
           "oil.",
           "He trimmed the wicks, polished the brass and wiped the salt from the great lens.",
           "The lens itself was a beehive of glass prisms that bent the weak flame into a beam.",
           "On a clear night that beam could be seen by ships more than twenty miles out to sea.",
           "A clockwork mechanism turned the lens, and it had to be wound every few hours until "
           "dawn.",
           "In fog the keeper rang a bell, and later sounded a horn driven by compressed air.",
           "Every event of the watch was written in the logbook: the weather, passing ships, "
           "repairs.",
           "Those logbooks now tell historians how storms shifted the sandbanks along the coast.",
           "Families often lived at the station, and children rowed across the bay to attend "
           "school.",
           "Supplies arrived by boat once a month, weather permitting, and winters could be "
           "lonely.",
           "Electric lamps replaced the oil burners in the nineteen twenties, and the work grew "
           "lighter.",
           "The last keeper left in nineteen eighty-nine, when the light was made fully automatic.",
           "Today volunteers open the tower to visitors on summer weekends and tell its story.",
       }},
      {"en-sourdough",
       {
           "A sourdough starter is nothing more than flour and water colonised by wild yeast and "
           "bacteria.",
           "To begin one, mix equal weights of wholemeal flour and lukewarm water in a clean glass "
           "jar.",
           "Cover it loosely and leave it somewhere warm, then discard half and feed it again each "
           "day.",
           "After about a week the mixture should rise predictably and smell pleasantly sour, like "
           "yoghurt.",
           "For a single loaf, combine five hundred grams of strong white flour with three hundred "
           "and fifty grams of water.",
           "Let the flour and water rest for an hour before adding the starter and the salt.",
           "During the first few hours of fermentation, stretch and fold the dough every half "
           "hour.",
           "The dough is ready to shape when it has grown by about half and feels airy and "
           "elastic.",
           "Shape it gently into a tight ball and place it seam side up in a floured basket.",
           "A long, cold rise in the refrigerator overnight develops flavour and makes scoring "
           "easier.",
           "Bake in a preheated cast iron pot with the lid on for twenty minutes to trap the "
           "steam.",
           "Then remove the lid and bake until the crust is deeply browned and sounds hollow when "
           "tapped.",
           "Resist cutting the bread until it has cooled completely, or the crumb will be gummy.",
       }},
      {"en-backup",
       {
           "This procedure describes how the operations team backs up and restores the document "
           "server.",
           "A full backup runs every Sunday at two in the morning and incremental backups run "
           "every other night.",
           "Before a backup starts, the database is checkpointed so that its files on disk are "
           "consistent.",
           "The backup job copies the database, the configuration files and the folder of stored "
           "originals.",
           "Page images and thumbnails are not backed up, because they can be drawn again from the "
           "originals.",
           "Each archive is encrypted with the team's public key and uploaded to storage in "
           "another region.",
           "Archives are kept for ninety days; the first backup of every month is kept for a year.",
           "Once a quarter an engineer restores the latest archive onto a spare machine to prove "
           "that it works.",
           "The restore test checks that every document opens, that search returns results and "
           "that logins succeed.",
           "Any failure of a backup job raises an alert, and the engineer on call must investigate "
           "the same day.",
           "Never restore over a running server: stop the service first, then move the old data "
           "folder aside.",
           "Record every restore, planned or not, in the operations log with the time and the "
           "reason.",
       }},
      {"en-wetland",
       {
           "The river that crosses the valley floods its banks almost every spring when the snow "
           "melts.",
           "For centuries farmers drained the wet meadows beside it and built embankments to hold "
           "the water back.",
           "As the meadows dried out, the birds that nested in the reeds became rare and the fish "
           "lost their nurseries.",
           "Ten years ago the regional council bought a stretch of farmland and let the river "
           "spill over it again.",
           "Within three summers the reed beds had returned, and with them warblers, herons and "
           "dragonflies.",
           "Scientists counted the birds each month and measured the water quality at fixed points "
           "downstream.",
           "They found less sediment and fewer nutrients in the river after it passed through the "
           "restored wetland.",
           "The wetland also acts as a sponge, storing floodwater and releasing it slowly over the "
           "following weeks.",
           "Towns further down the valley have seen lower flood peaks since the project began.",
           "Not everyone welcomed the change, and some farmers worried about losing land their "
           "families had worked.",
           "The council now pays them to graze cattle on the drier margins, which keeps the "
           "grassland open.",
           "Visitors can follow a boardwalk through the reeds to a hide overlooking the largest "
           "pool.",
       }},
  };
  return passages;
}

const Passage& PassageNamed(const std::string& name) {
  for (const auto& p : Passages()) {
    if (p.name == name) return p;
  }
  throw std::invalid_argument("no passage " + name);
}

namespace {

uint64_t Next(uint64_t& state) {  // splitmix64
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Words of everyday written Chinese; the generator favours the first ones (Zipf-like).
const std::vector<std::string>& Vocabulary() {
  static const std::vector<std::string> words = {
      "的",   "是",   "在",   "我们", "发展", "工作", "问题", "进行", "一个", "没有", "社会",
      "经济", "企业", "管理", "技术", "国家", "人民", "市场", "建设", "研究", "生产", "学生",
      "教育", "文化", "历史", "城市", "农村", "环境", "资源", "政策", "制度", "服务", "质量",
      "安全", "信息", "系统", "数据", "方法", "结果", "分析", "提高", "加强", "促进", "推动",
      "实现", "增长", "投资", "消费", "价格", "收入", "就业", "科学", "设计", "材料", "能源",
      "交通", "医疗", "健康", "家庭", "儿童", "老人", "朋友", "时间", "地方", "世界", "中国",
      "地区", "项目", "计划", "目标", "任务", "要求", "标准", "条件", "基础", "能力", "水平",
      "作用", "影响", "关系", "活动", "组织", "部门", "单位", "公司", "银行", "学校", "医院",
      "工厂", "产品", "设备", "机器", "软件", "网络", "手机", "电脑", "文件", "报告", "会议",
      "通知", "规定", "法律", "合同", "责任", "权利", "义务", "保护", "森林", "河流", "山区",
      "土地", "粮食", "水果", "蔬菜", "天气", "温度", "季节", "春天", "夏天", "秋天", "冬天",
      "早上", "晚上", "今天", "明天", "去年", "今年", "以后", "以前", "已经", "正在", "可以",
      "应该", "必须", "需要", "希望", "认为", "知道", "觉得", "开始", "结束", "继续", "完成",
      "提出", "解决", "改善", "调整", "优化", "创新", "合作", "交流", "学习", "生活", "旅游",
      "运动", "音乐", "电影", "图书", "新闻", "广告", "照片", "颜色", "声音", "语言", "文字",
      "故事",
  };
  return words;
}

}  // namespace

std::vector<std::string> GeneratedChinese(uint64_t seed, int lines) {
  const auto& words = Vocabulary();
  uint64_t state = seed * 0x2545f4914f6cdd1dULL + 1;
  std::vector<std::string> out;
  for (int l = 0; l < lines; ++l) {
    std::string line;
    int clauses = 2 + static_cast<int>(Next(state) % 3);
    for (int c = 0; c < clauses; ++c) {
      int n = 4 + static_cast<int>(Next(state) % 6);
      for (int w = 0; w < n; ++w) {
        // min of two uniform draws: the first words come up more often
        uint64_t a = Next(state) % words.size(), b = Next(state) % words.size();
        line += words[std::min(a, b)];
      }
      line += c + 1 < clauses ? "，" : "。";
    }
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> EditEveryTenthLine(const std::vector<std::string>& lines) {
  std::vector<std::string> out = lines;
  for (size_t i = 9; i < out.size(); i += 10) {
    std::string& l = out[i];
    // Replace the middle third of the line (cut at a UTF-8 character boundary).
    size_t from = l.size() / 3, to = 2 * l.size() / 3;
    while (from < l.size() && (static_cast<unsigned char>(l[from]) & 0xC0) == 0x80) ++from;
    while (to < l.size() && (static_cast<unsigned char>(l[to]) & 0xC0) == 0x80) ++to;
    bool cjk = static_cast<unsigned char>(l[0]) >= 0x80;
    l = l.substr(0, from) +
        (cjk ? "经过修订后改为新的内容" : " was revised in the second edition ") + l.substr(to);
  }
  return out;
}

std::vector<std::string> Wrap(const std::string& text, size_t width) {
  std::vector<std::string> out;
  std::string line;
  size_t columns = 0;
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : 4;
    if (text[i] == '\n') {
      out.push_back(line);
      line.clear();
      columns = 0;
      ++i;
      continue;
    }
    size_t w = len >= 3 ? 2 : 1;
    if (columns + w > width) {
      out.push_back(line);
      line.clear();
      columns = 0;
    }
    line.append(text, i, len);
    columns += w;
    i += len;
  }
  if (!line.empty()) out.push_back(line);
  return out;
}

}  // namespace wenku::testing
