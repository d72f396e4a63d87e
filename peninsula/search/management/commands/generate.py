"""Generate many realistic Chinese and English articles quickly, for benchmarks and demos.

Articles are written with bulk_create in batches, so `Article.save()` and `post_save` do not run:
the excerpt is computed here and every committed batch is announced with the content app's
`articles_imported` signal, which the search index (and any other listener) uses.
"""

import random
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from peninsula.content.models import Article, ArticlePlacement, ArticleTag, Author, Category
from peninsula.content.services import articles_imported
from peninsula.core.text import make_excerpt

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


def zh_article(rng):
    p = {key: rng.choice(values) for key, values in ZH.items()}
    title = rng.choice(
        [
            f"{p['who']}{p['verb']}{p['what']}",
            f"{p['where']}{p['what']}{p['tail']}",
            f"{p['who']}：{p['what']}{p['tail']}",
        ]
    )
    paragraphs = ["".join(zh_sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(4)]
    return title, paragraphs


def en_article(rng):
    p = {key: rng.choice(values) for key, values in EN.items()}
    title = rng.choice(
        [
            f"{p['who']} {p['verb']} {p['what']}",
            f"{p['what'].capitalize()} {p['where']} {p['tail']}",
            f"{p['who'][0].upper()}{p['who'][1:]} may shift on {p['what']}",
        ]
    )
    paragraphs = [" ".join(en_sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(4)]
    return title, paragraphs


class Command(BaseCommand):
    help = "Generate N realistic Chinese and English articles, spread over categories and dates."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="how many to create")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--days", type=int, default=3 * 365, help="spread over this many days")
        parser.add_argument("--english", type=float, default=0.4, help="share of English articles")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        total = options["articles"]
        if total < 1 or options["batch_size"] < 1 or options["days"] < 1:
            raise CommandError("--articles, --batch-size and --days must be positive.")
        rng = random.Random(options["seed"])
        categories = [self.category(name, slug) for name, slug in CATEGORIES]
        tags = [Tag.objects.get_or_create(name=name, defaults={"slug": name})[0] for name in TAGS]
        authors = [Author.objects.get_or_create(name=name)[0] for name in AUTHORS]
        started, done = time.perf_counter(), 0
        while done < total:
            size = min(options["batch_size"], total - done)
            ids = self.write_batch(rng, size, categories, tags, authors, options)
            articles_imported.send(sender=Article, ids=ids)
            done += size
            if options["verbosity"] > 0:
                self.stdout.write(f"{done}/{total} ({time.perf_counter() - started:.1f} s)")
        self.stdout.write(self.style.SUCCESS(f"Generated {total} articles."))

    def category(self, name, slug):
        category = Category.objects.filter(slug=slug).first()
        return category or Category.objects.create(name=name, slug=slug)

    @transaction.atomic
    def write_batch(self, rng, size, categories, tags, authors, options):
        now = timezone.now()
        span = options["days"] * 86400
        articles = []
        for _ in range(size):
            english = rng.random() < options["english"]
            title, paragraphs = en_article(rng) if english else zh_article(rng)
            author = rng.choice(authors)
            body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
            published_at = now - timedelta(seconds=rng.randint(60, span))
            articles.append(
                Article(
                    title=(title[0].upper() + title[1:])[:255],
                    body=body,
                    byline=f"By {author.name}" if english else f"记者 {author.name}",
                    category=rng.choice(categories),
                    language="en" if english else "zh",
                    live=True,
                    published_at=published_at,
                    first_published_at=published_at,
                    last_published_at=published_at,
                    excerpt=make_excerpt(body, length=settings.PENINSULA_EXCERPT_LENGTH),
                )
            )
        Article.objects.bulk_create(articles, batch_size=500)
        ArticleTag.objects.bulk_create(
            [
                ArticleTag(content_object_id=a.pk, tag=tag, published_at=a.published_at)
                for a in articles
                for tag in rng.sample(tags, 2)
            ],
            batch_size=1000,
        )
        ArticlePlacement.objects.refresh(articles=[article.pk for article in articles])
        Article.authors.through.objects.bulk_create(
            [
                Article.authors.through(article_id=a.pk, author=rng.choice(authors))
                for a in articles
            ],
            batch_size=1000,
        )
        return [article.pk for article in articles]
