"""The pages every Chinese news site links from its footer (关于我们, 联系我们, 免责声明,
版权声明), for editors to adapt; and the right to manage pages, links and ads for editors and
administrators."""

from django.db import migrations

from peninsula.core.grants import ADMINISTRATORS, EDITORS, EVERY_ACTION, permissions_grant

MODELS = ("staticpage", "friendlink", "ad")
PAGES = [
    (
        "about",
        "关于我们",
        "<p>本站是一家综合性新闻网站，报道国内外时政、经济、社会、科技与文化新闻，"
        "并转载经授权的其他媒体稿件。我们坚持真实、准确、及时、公正的新闻原则，"
        "欢迎读者监督。</p>",
    ),
    (
        "contact",
        "联系我们",
        "<p>新闻线索、读者来信、更正请求与合作事宜，欢迎与编辑部联系。"
        "我们会在核实后尽快答复；涉及报道更正的，将在原文中注明更正内容与时间。</p>",
    ),
    (
        "disclaimer",
        "免责声明",
        "<p>本站转载的稿件均注明来源与原文链接，转载目的在于传递更多信息，"
        "并不代表本站赞同其观点或证实其内容的真实性。</p>"
        "<p>如转载稿件涉及版权等问题，请权利人与本站联系，本站将及时处理。</p>"
        "<p>本站页面中的广告均有“广告”标识，广告内容由广告主负责。</p>",
    ),
    (
        "copyright",
        "版权声明",
        "<p>凡本站注明“来源：本站”的作品，版权均属本站所有，未经书面授权，"
        "任何单位和个人不得转载、摘编或以其他方式使用。已获授权的，应在授权范围内使用，"
        "并注明来源与作者。</p>"
        "<p>本站转载的作品，版权归原作者及原发媒体所有。</p>",
    ),
]


def create(apps, schema_editor):
    StaticPage = apps.get_model("furniture", "StaticPage")
    for order, (slug, title, body) in enumerate(PAGES):
        StaticPage.objects.get_or_create(
            slug=slug, defaults={"title": title, "body": body, "sort_order": order}
        )
    grants = {model: EVERY_ACTION for model in MODELS}
    permissions_grant(
        apps, app_label="furniture", grants={EDITORS: grants, ADMINISTRATORS: grants}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("furniture", "0001_pages_links_ads"),
        ("content", "0002_newsroom_roles_and_review"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
