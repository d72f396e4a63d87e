"""The rows that list articles newest first: tag rows carry the article's publication time, and
ArticlePlacement files each article under its category and every category above it. Both are
filled from the articles before their indexes are built, which is faster on a large table."""

import django.db.models.deletion
from django.db import migrations, models

FILL_TAGS = """
UPDATE content_articletag SET published_at = (
    SELECT published_at FROM content_article WHERE content_article.id = content_object_id
)
"""
FILL_PLACEMENTS = """
INSERT INTO content_articleplacement (category_id, article_id, published_at)
WITH RECURSIVE chain(category_id, ancestor_id) AS (
    SELECT id, id FROM content_category
    UNION ALL
    SELECT chain.category_id, c.parent_id FROM chain
    JOIN content_category c ON c.id = chain.ancestor_id
    WHERE c.parent_id IS NOT NULL
)
SELECT chain.ancestor_id, a.id, a.published_at FROM content_article a
JOIN chain ON chain.category_id = a.category_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0002_newsroom_roles_and_review"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="articletag",
            name="published_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunSQL(FILL_TAGS, migrations.RunSQL.noop, elidable=True),
        migrations.AddIndex(
            model_name="articletag",
            index=models.Index(
                fields=["tag", "-published_at", "-content_object"], name="articletag_latest"
            ),
        ),
        migrations.CreateModel(
            name="ArticlePlacement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("published_at", models.DateTimeField(null=True)),
                (
                    "article",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="placements",
                        to="content.article",
                    ),
                ),
                (
                    "category",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="content.category",
                    ),
                ),
            ],
        ),
        migrations.RunSQL(FILL_PLACEMENTS, migrations.RunSQL.noop, elidable=True),
        migrations.AddIndex(
            model_name="articleplacement",
            index=models.Index(
                fields=["category", "-published_at", "-article"], name="placement_latest"
            ),
        ),
        migrations.AddConstraint(
            model_name="articleplacement",
            constraint=models.UniqueConstraint(
                fields=("article", "category"), name="placement_unique"
            ),
        ),
    ]
