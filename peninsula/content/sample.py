"""Sample articles for benchmarks, demos and tests: phrase tables for realistic Chinese and English
text, and JSON Lines records for the import. See docs/benchmarks.md."""

import json
import random
from datetime import UTC, datetime, timedelta

CATEGORIES = [
    ("朝鲜半岛", "korean-peninsula"),
    ("国际", "world"),
    ("经济", "economy"),
    ("科技", "technology"),
    ("文化", "culture"),
    ("体育", "sports"),
    ("产品中心", "products"),
]
TAGS = [
    "朝鲜",
    "韩国",
    "美国",
    "中国",
    "日本",
    "峰会",
    "无核化",
    "经济",
    "贸易",
    "科技",
    "半导体",
    "文化",
    "体育",
    "外交",
    "安全",
]
AUTHORS = ["Kim Bo-eun", "Lee Min-ho", "Park Ji-won", "张伟", "王芳", "李娜", "刘洋", "陈静"]

ZH = {
    "who": [
        "朝鲜",
        "韩国",
        "美国",
        "中国",
        "日本",
        "俄罗斯",
        "联合国",
        "特朗普",
        "金正恩",
        "尹锡悦",
        "外交部",
        "国务院",
        "国防部",
        "青瓦台",
        "白宫",
        "国会",
        "央行",
        "三星电子",
        "现代汽车",
        "研究人员",
        "专家",
        "分析人士",
        "官员",
        "记者",
    ],
    "verb": [
        "举行",
        "宣布",
        "推动",
        "讨论",
        "批评",
        "支持",
        "恢复",
        "暂停",
        "签署",
        "加强",
        "回应",
        "关注",
        "评估",
        "启动",
        "呼吁",
        "否认",
        "确认",
        "提出",
        "达成",
        "推迟",
    ],
    "what": [
        "峰会",
        "无核化谈判",
        "经济合作",
        "制裁措施",
        "军事演习",
        "贸易协定",
        "人道主义援助",
        "导弹试射",
        "半导体出口",
        "利率政策",
        "文化交流",
        "奥运会",
        "旅游项目",
        "能源合作",
        "安全对话",
        "和平协议",
        "联合声明",
        "边境会谈",
        "新产品",
        "投资计划",
    ],
    "where": [
        "平壤",
        "首尔",
        "华盛顿",
        "北京",
        "东京",
        "新加坡",
        "河内",
        "板门店",
        "联合国总部",
        "釜山",
        "上海",
        "莫斯科",
    ],
    "when": [
        "周一",
        "周二",
        "周三",
        "周四",
        "周五",
        "周末",
        "上午",
        "晚间",
        "当天",
        "近日",
        "今年早些时候",
        "上个月",
    ],
    "tail": [
        "引发各方关注",
        "取得积极进展",
        "仍存在分歧",
        "前景尚不明朗",
        "受到广泛欢迎",
        "被视为重要信号",
        "有望在年内落实",
        "遭到强烈反对",
        "需要更多时间",
        "将产生深远影响",
    ],
}
EN = {
    "who": [
        "North Korea",
        "South Korea",
        "the United States",
        "China",
        "Japan",
        "Russia",
        "the United Nations",
        "President Trump",
        "Kim Jong-un",
        "Seoul",
        "Pyongyang",
        "Washington",
        "the foreign ministry",
        "analysts",
        "officials",
        "lawmakers",
        "Samsung Electronics",
        "Hyundai Motor",
        "the central bank",
        "researchers",
    ],
    "verb": [
        "discussed",
        "announced",
        "resumed",
        "suspended",
        "criticized",
        "supported",
        "signed",
        "proposed",
        "rejected",
        "welcomed",
        "reviewed",
        "delayed",
        "launched",
        "confirmed",
        "questioned",
    ],
    "what": [
        "denuclearization talks",
        "the summit",
        "economic cooperation",
        "new sanctions",
        "joint military drills",
        "a trade agreement",
        "humanitarian aid",
        "missile tests",
        "chip exports",
        "interest rates",
        "cultural exchanges",
        "the Olympic bid",
        "tourism projects",
        "energy cooperation",
        "a security dialogue",
        "a peace declaration",
        "border talks",
        "a new product line",
        "an investment plan",
        "nuclear negotiations",
    ],
    "where": [
        "in Pyongyang",
        "in Seoul",
        "in Washington",
        "in Beijing",
        "in Tokyo",
        "in Singapore",
        "in Hanoi",
        "at Panmunjom",
        "at the UN headquarters",
        "in Busan",
    ],
    "when": [
        "on Monday",
        "on Tuesday",
        "on Wednesday",
        "on Thursday",
        "on Friday",
        "over the weekend",
        "earlier this year",
        "last month",
        "this week",
    ],
    "tail": [
        "raising hopes of progress",
        "amid deep disagreement",
        "despite strong objections",
        "as tensions eased",
        "in a move seen as significant",
        "with little detail",
        "ahead of the election",
        "after months of stalemate",
    ],
}


def zh_sentence(rng):
    p = {key: rng.choice(values) for key, values in ZH.items()}
    return rng.choice(
        [
            f"{p['who']}{p['when']}在{p['where']}{p['verb']}{p['what']}，{p['tail']}。",
            f"据报道，{p['who']}与{rng.choice(ZH['who'])}就{p['what']}{p['verb']}了立场，{p['tail']}。",
            f"{p['where']}消息，{p['what']}{p['tail']}，{p['who']}表示将继续{p['verb']}相关工作。",
        ]
    )


def en_sentence(rng):
    p = {key: rng.choice(values) for key, values in EN.items()}
    return rng.choice(
        [
            f"{p['who']} {p['verb']} {p['what']} {p['where']} {p['when']}, {p['tail']}.",
            f"According to officials, {p['who']} and {rng.choice(EN['who'])} {p['verb']} "
            f"{p['what']} {p['when']}.",
            f"{p['what'].capitalize()} {p['where']} came as {p['who']} {p['verb']} plans, "
            f"{p['tail']}.",
        ]
    )


def zh_titles(p):
    return [
        f"{p['who']}{p['verb']}{p['what']}",
        f"{p['where']}{p['what']}{p['tail']}",
        f"{p['who']}：{p['what']}{p['tail']}",
    ]


def en_titles(p):
    return [
        f"{p['who']} {p['verb']} {p['what']}",
        f"{p['what'].capitalize()} {p['where']} {p['tail']}",
        f"{p['who'][0].upper()}{p['who'][1:]} may shift on {p['what']}",
    ]


def article(rng, *, english):
    """(title, paragraphs) of one article, the title capitalised and cut to the column's size."""
    table, titles, sentence, joiner = (
        (EN, en_titles, en_sentence, " ") if english else (ZH, zh_titles, zh_sentence, "")
    )
    p = {key: rng.choice(values) for key, values in table.items()}
    title = rng.choice(titles(p))
    paragraphs = [joiner.join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(4)]
    return (title[0].upper() + title[1:])[:255], paragraphs


# Nested paths, as feeds give them (the generator's categories are flat).
IMPORT_CATEGORIES = [
    "国际/亚太",
    "国际/欧洲",
    "国内/时政",
    "国内/社会",
    "财经/市场",
    "科技/互联网",
    "体育",
]
SOURCES = ["The Korea Times", "新华社", "Reuters", ""]


def sample_lines(count, *, seed=1, prefix="bench"):
    """`count` JSON Lines articles, Chinese and English, with tags, authors and sources."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for n in range(count):
        english = n % 3 == 0
        title, paragraphs = article(rng, english=english)
        author = rng.choice(AUTHORS)
        record = {
            "external_id": f"{prefix}-{n}",
            "title": title,
            "body": f"<p>By {author}</p>" + "".join(f"<p>{p}</p>" for p in paragraphs),
            "category": rng.choice(IMPORT_CATEGORIES),
            "tags": rng.sample(TAGS, rng.randint(1, 3)),
            "byline": author,
            "authors": [author],
            "source_name": rng.choice(SOURCES),
            "language": "en" if english else "zh",
            "published_at": (start + timedelta(minutes=n)).isoformat(),
            "status": "published",
            "views": rng.randint(0, 5000),
            "likes": rng.randint(0, 100),
        }
        if not record["source_name"]:
            del record["source_name"]
        yield json.dumps(record, ensure_ascii=False)
