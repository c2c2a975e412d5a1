"""The seed's key-account-manager competency model (篇3): basic and professional competencies
across attitude / knowledge / skill, with behaviour-anchored descriptions for levels 1–5 in
Chinese and English, and the requirement profile of each ladder level."""

# code, name, English, category, kind, description, English description, weight,
# required L1..L5, [(level description, English)] × 5
COMPETENCIES = [
    (
        "B01",
        "职业心态",
        "Professional attitude",
        "attitude",
        "basic",
        "对客户、公司和岗位负责的职业化态度。",
        "A professional sense of responsibility towards clients, company and post.",
        "1",
        (2, 3, 3, 4, 4),
        [
            (
                "按要求完成分派的工作，偶有推诿。",
                "Does assigned work as asked; occasionally passes problems on.",
            ),
            (
                "守时守信，主动跟进自己负责的客户事项。",
                "Punctual and reliable; follows up own client matters unprompted.",
            ),
            (
                "面对压力和投诉保持积极，对结果负责到底。",
                "Stays positive under pressure and complaints; owns results to the end.",
            ),
            (
                "以身作则，在团队中倡导敬业和客户至上。",
                "Leads by example and promotes dedication and client focus in the team.",
            ),
            (
                "成为公司职业化标杆，影响和塑造团队文化。",
                "A company benchmark of professionalism who shapes the team's culture.",
            ),
        ],
    ),
    (
        "B02",
        "保密意识",
        "Confidentiality awareness",
        "attitude",
        "basic",
        "保护客户资料和商业秘密，如实记录客户信息。",
        "Protects client data and trade secrets; records client information truthfully.",
        "1",
        (3, 3, 4, 4, 5),
        [
            (
                "知道保密规定，但偶有随意存放客户资料的情况。",
                "Knows the rules but sometimes leaves client files unprotected.",
            ),
            (
                "按制度保管客户资料，不向无关人员透露。",
                "Keeps client files as the rules require; discloses nothing to outsiders.",
            ),
            (
                "如实、完整地在系统中记录客户信息，杜绝私人台账。",
                "Records client information fully and truthfully in the system; "
                "keeps no private ledgers.",
            ),
            (
                "发现并纠正团队中的泄密风险，提出改进建议。",
                "Spots and corrects leak risks in the team and proposes improvements.",
            ),
            (
                "参与制定信息安全制度，推动客户知识共享与保护并重。",
                "Helps write security policy; balances knowledge sharing with protection.",
            ),
        ],
    ),
    (
        "B03",
        "商务礼仪",
        "Business etiquette",
        "knowledge",
        "basic",
        "拜访、接待、宴请和通信中的商务礼仪。",
        "Etiquette of visits, receptions, business dinners and correspondence.",
        "1",
        (2, 3, 3, 4, 4),
        [
            ("了解基本的着装和称呼礼仪。", "Knows the basics of dress and forms of address."),
            (
                "在日常拜访和接待中礼仪得体。",
                "Behaves appropriately on everyday visits and receptions.",
            ),
            (
                "能安排重要客户接待和商务宴请，细节周到。",
                "Organises receptions and dinners for key clients with attention to detail.",
            ),
            (
                "在高层会晤和跨文化场合应对自如。",
                "At ease in top-level meetings and cross-cultural settings.",
            ),
            (
                "指导他人并为公司重大活动制定礼仪方案。",
                "Coaches others and designs the etiquette of major company events.",
            ),
        ],
    ),
    (
        "B04",
        "驾驶技术",
        "Driving",
        "skill",
        "basic",
        "安全驾驶，独立前往客户现场。",
        "Drives safely to client sites independently.",
        "1",
        (2, 2, 3, 3, 3),
        [
            (
                "持有驾照，需要陪同才能前往陌生地点。",
                "Holds a licence; needs company on unfamiliar routes.",
            ),
            ("能独立驾车完成市区内的客户拜访。", "Drives alone to client visits in the city."),
            (
                "熟悉辖区道路，长途驾驶安全无违章。",
                "Knows the region's roads; drives long distances safely without violations.",
            ),
            (
                "能在复杂路况和恶劣天气下安全驾驶并合理规划行程。",
                "Drives safely in difficult traffic and weather and plans routes well.",
            ),
            (
                "多年零事故，可承担重要客户接送任务。",
                "Years without an accident; trusted to drive key clients.",
            ),
        ],
    ),
    (
        "B05",
        "普通话和粤语",
        "Mandarin and Cantonese",
        "skill",
        "basic",
        "用普通话和粤语与客户顺畅沟通。",
        "Communicates fluently with clients in Mandarin and Cantonese.",
        "1",
        (2, 3, 3, 4, 4),
        [
            (
                "能用普通话交流，粤语只能听懂简单内容。",
                "Speaks Mandarin; understands only simple Cantonese.",
            ),
            (
                "普通话流利，能用粤语进行日常交流。",
                "Fluent Mandarin; everyday conversation in Cantonese.",
            ),
            (
                "能用两种语言进行产品介绍和业务洽谈。",
                "Presents products and negotiates in both languages.",
            ),
            (
                "能用两种语言在正式场合演讲和主持会议。",
                "Gives speeches and chairs meetings in both languages.",
            ),
            (
                "语言表达有感染力，能根据对象灵活切换语言风格。",
                "Expressive and persuasive; switches register to suit the audience.",
            ),
        ],
    ),
    (
        "B06",
        "电脑操作",
        "Computer skills",
        "skill",
        "basic",
        "办公软件和业务系统的操作能力。",
        "Use of office software and the business systems.",
        "1",
        (2, 3, 3, 3, 4),
        [
            ("会用电子邮件和简单的文字处理。", "Uses e-mail and basic word processing."),
            (
                "熟练使用Word、Excel、PPT和客户管理系统。",
                "Proficient with Word, Excel, PowerPoint and the CRM.",
            ),
            (
                "能用Excel分析客户数据，制作规范的演示文稿。",
                "Analyses client data in Excel and builds polished presentations.",
            ),
            (
                "能用数据工具建立客户分析模型和业务报表。",
                "Builds client analysis models and reports with data tools.",
            ),
            (
                "推动团队数字化工作方式，开发实用的工具模板。",
                "Drives the team's digital ways of working and builds reusable templates.",
            ),
        ],
    ),
    (
        "P01",
        "成就导向",
        "Achievement drive",
        "attitude",
        "professional",
        "追求高绩效，主动设定并挑战目标。",
        "Pursues high performance; sets and stretches own goals.",
        "1.5",
        (2, 3, 3, 4, 5),
        [
            ("完成基本任务指标。", "Meets the basic targets."),
            ("主动关注业绩差距并努力弥补。", "Watches the gap to target and works to close it."),
            (
                "设定高于要求的目标并持续达成。",
                "Sets targets above requirement and keeps meeting them.",
            ),
            (
                "不断寻找突破业绩的新方法，带动团队冲刺。",
                "Seeks new ways to break through and drives the team's push.",
            ),
            (
                "以战略眼光设定长期目标，取得公司级标杆业绩。",
                "Sets long-term strategic goals and achieves company-level benchmark results.",
            ),
        ],
    ),
    (
        "P02",
        "团队协作",
        "Teamwork",
        "attitude",
        "professional",
        "与支撑部门和同事协作服务客户。",
        "Works with support departments and colleagues to serve clients.",
        "1",
        (2, 3, 3, 4, 4),
        [
            ("愿意配合他人的工作安排。", "Willing to fit in with others' plans."),
            (
                "主动分享客户信息，与支撑人员配合顺畅。",
                "Shares client information and works smoothly with support staff.",
            ),
            (
                "能协调前后台资源共同完成客户项目。",
                "Coordinates front- and back-office resources on client projects.",
            ),
            (
                "组织跨部门团队攻关大项目，并辅导新人。",
                "Leads cross-department teams on big bids and coaches newcomers.",
            ),
            (
                "营造协作文化，推动营销服务经验在全公司共享。",
                "Builds a collaborative culture and spreads sales know-how company-wide.",
            ),
        ],
    ),
    (
        "P03",
        "行业知识",
        "Industry knowledge",
        "knowledge",
        "professional",
        "客户所在行业的业务、政策和信息化需求。",
        "The client's industry: its business, policy and ICT needs.",
        "1.5",
        (1, 2, 3, 4, 5),
        [
            ("了解所负责客户的基本情况。", "Knows the basic facts of own clients."),
            (
                "了解客户行业的主要业务流程和痛点。",
                "Understands the main business processes and pain points of the client's industry.",
            ),
            (
                "熟悉行业政策与信息化趋势，能提出针对性建议。",
                "Knows industry policy and ICT trends; gives targeted advice.",
            ),
            (
                "能与客户高层探讨行业发展和信息化规划。",
                "Discusses industry development and ICT planning with client executives.",
            ),
            (
                "是公司公认的行业专家，能对外发表行业观点。",
                "A recognised industry expert who speaks for the company in public.",
            ),
        ],
    ),
    (
        "P04",
        "产品与解决方案知识",
        "Product and ICT solution knowledge",
        "knowledge",
        "professional",
        "公司产品、资费和信息化解决方案。",
        "The company's products, tariffs and ICT solutions.",
        "1.5",
        (2, 3, 3, 4, 5),
        [
            ("了解主要产品的名称和用途。", "Knows the main products and what they are for."),
            (
                "熟悉主要产品的功能、资费和办理流程。",
                "Knows the main products' features, tariffs and ordering.",
            ),
            (
                "掌握行业解决方案，能根据需求组合产品。",
                "Masters industry solutions and combines products to fit needs.",
            ),
            (
                "能设计跨产品的综合解决方案并评估其效益。",
                "Designs cross-product solutions and assesses their benefits.",
            ),
            (
                "参与新产品和解决方案的设计与推广。",
                "Takes part in designing and launching new products and solutions.",
            ),
        ],
    ),
    (
        "P05",
        "客户走访",
        "Client visits",
        "skill",
        "professional",
        "有计划地拜访客户，了解需求、维护关系。",
        "Visits clients according to plan to learn needs and keep relationships.",
        "2",
        (2, 3, 4, 4, 5),
        [
            (
                "按要求完成拜访次数，拜访目的不够明确。",
                "Makes the required number of visits, with unclear aims.",
            ),
            ("每次拜访有明确目的并做好记录。", "Every visit has a clear aim and is recorded."),
            (
                "能通过拜访发现潜在需求和商机并跟进落实。",
                "Uncovers hidden needs and opportunities during visits and follows them up.",
            ),
            (
                "建立对客户多层级的定期拜访机制。",
                "Runs regular visits at several levels of the client organisation.",
            ),
            (
                "拜访客户高层并影响其决策，形成战略合作。",
                "Visits client executives, influences their decisions and forms "
                "strategic partnerships.",
            ),
        ],
    ),
    (
        "P06",
        "方案编制与演示",
        "Solution writing and presentation",
        "skill",
        "professional",
        "编写客户方案并向客户演示讲解。",
        "Writes client proposals and presents them.",
        "2",
        (1, 2, 3, 4, 5),
        [
            (
                "能套用模板编写简单的产品介绍材料。",
                "Fills templates to write simple product material.",
            ),
            (
                "能独立编写标准业务方案并清晰讲解。",
                "Writes standard proposals alone and explains them clearly.",
            ),
            (
                "能针对客户需求编制定制化方案并成功演示。",
                "Writes tailored proposals for client needs and presents them successfully.",
            ),
            (
                "主导大型项目投标方案，在竞争中胜出。",
                "Leads large bid proposals and wins against competitors.",
            ),
            (
                "方案成为公司范本，能向客户高层做战略级演示。",
                "Writes model proposals and presents at strategy level to client executives.",
            ),
        ],
    ),
    (
        "P07",
        "目标与计划管理",
        "Goal and plan management",
        "skill",
        "professional",
        "分解业绩目标，制定并执行工作计划。",
        "Breaks targets down and plans and executes the work.",
        "2",
        (1, 2, 3, 4, 5),
        [
            ("按上级安排开展工作，缺少自己的计划。", "Works as instructed, without a plan of own."),
            (
                "制定周、月工作计划并基本按计划执行。",
                "Makes weekly and monthly plans and mostly keeps to them.",
            ),
            (
                "将年度目标分解到客户和季度，定期检视和调整。",
                "Breaks the annual target down by client and quarter; reviews and "
                "adjusts regularly.",
            ),
            (
                "为团队制定目标和计划并跟踪落实。",
                "Sets goals and plans for a team and tracks delivery.",
            ),
            (
                "将公司战略转化为大客户经营规划并推动实现。",
                "Turns company strategy into key-account business plans and delivers them.",
            ),
        ],
    ),
    (
        "P08",
        "商务谈判",
        "Negotiation",
        "skill",
        "professional",
        "在价格、条款和合作方式上与客户谈判。",
        "Negotiates prices, terms and forms of cooperation with clients.",
        "1.5",
        (1, 2, 3, 4, 5),
        [
            ("在上级指导下参与简单谈判。", "Takes part in simple negotiations under guidance."),
            ("能独立完成标准业务的价格谈判。", "Negotiates prices of standard business alone."),
            (
                "能在谈判中把握底线，实现双赢。",
                "Holds the bottom line and reaches win-win agreements.",
            ),
            (
                "能主导复杂项目的多轮谈判，化解僵局。",
                "Leads multi-round negotiations on complex projects and breaks deadlocks.",
            ),
            (
                "能与客户高层谈判战略合作协议。",
                "Negotiates strategic cooperation agreements with client executives.",
            ),
        ],
    ),
    (
        "P09",
        "客户关系管理",
        "Client relationship management",
        "skill",
        "professional",
        "建立、维护和深化与客户各层级的关系。",
        "Builds, maintains and deepens relationships at every level of the client.",
        "2",
        (2, 3, 3, 4, 5),
        [
            (
                "与客户的联系人保持基本联系。",
                "Keeps in basic contact with the client's contact person.",
            ),
            (
                "与客户关键人建立信任，及时处理客户诉求。",
                "Earns the trust of key people and handles requests promptly.",
            ),
            (
                "建立客户关系图谱，维护多层级关系。",
                "Maps the client's people and keeps relationships at several levels.",
            ),
            (
                "与客户高层建立稳固关系，有效防范竞争对手。",
                "Holds firm relationships with executives and keeps competitors out.",
            ),
            (
                "成为客户信赖的顾问，关系上升为战略伙伴。",
                "A trusted adviser; the relationship becomes a strategic partnership.",
            ),
        ],
    ),
    (
        "P10",
        "市场分析与商机挖掘",
        "Market analysis and opportunity discovery",
        "skill",
        "professional",
        "分析市场和竞争，发现并转化商机。",
        "Analyses market and competition; finds and converts opportunities.",
        "1.5",
        (1, 2, 3, 4, 4),
        [
            (
                "能收集所负责客户的基本市场信息。",
                "Collects basic market information on own clients.",
            ),
            (
                "能分析客户的通信消费和竞争对手动态。",
                "Analyses clients' spending and competitors' moves.",
            ),
            (
                "能从分析中识别商机并推动立项。",
                "Spots opportunities in the analysis and gets projects started.",
            ),
            (
                "能系统分析行业市场，制定拓展策略。",
                "Analyses the industry market systematically and sets expansion strategies.",
            ),
            (
                "能预见市场变化并开拓新的业务领域。",
                "Anticipates market changes and opens new lines of business.",
            ),
        ],
    ),
]

CLIENTS = [
    "广州地铁",
    "南方电网",
    "广汽集团",
    "中山大学附属医院",
    "佛山市政务服务中心",
    "东莞市教育局",
    "深圳港集团",
    "美的集团",
    "格力电器",
    "广东省农信社",
    "白云机场",
    "华侨城集团",
]
