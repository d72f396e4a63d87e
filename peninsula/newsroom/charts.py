"""Views per day as an SVG bar chart, drawn on the server.

Hand-made rather than pygal: a bar chart is a few rectangles, pygal would be a new dependency
whose charts expect its tooltip script, and the admin's pages must work without a chart script.
The SVG is drawn by a template (escaped like every other) from the geometry computed here.
"""

from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from peninsula.engagement.models import DailyStat

DAYS = 30
WIDTH, HEIGHT = 600, 160
# Room for the scale on the left and the dates below the bars.
LEFT, BOTTOM, TOP = 44, 20, 8


@dataclass(frozen=True)
class Bar:
    day: object
    views: int
    x: float
    y: float
    width: float
    height: float


def views_per_day(*, article_id=None, days=DAYS, today=None):
    """[(day, views)] for the last `days` days up to today (site time zone), zeros included;
    one article's when `article_id` is given, else the whole site's."""
    today = today or timezone.localdate()
    first = today - timezone.timedelta(days=days - 1)
    stats = DailyStat.objects.filter(day__gte=first, day__lte=today)
    if article_id is not None:
        stats = stats.filter(article_id=article_id)
    counts = dict(stats.values("day").annotate(total=Sum("views")).values_list("day", "total"))
    return [
        (day, counts.get(day, 0))
        for day in (first + timezone.timedelta(days=n) for n in range(days))
    ]


def nice_ceiling(value):
    """The top of the scale: 1, 2 or 5 times a power of ten, at least the highest bar."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def chart(series):
    """The chart's geometry and labels for a template (newsroom/views_chart.html)."""
    peak = nice_ceiling(max((views for _day, views in series), default=0))
    plot_width, plot_height = WIDTH - LEFT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(series), 1)
    bars = []
    for index, (day, views) in enumerate(series):
        height = plot_height * views / peak
        bars.append(
            Bar(
                day=day,
                views=views,
                x=round(LEFT + index * slot + slot * 0.15, 2),
                y=round(TOP + plot_height - height, 2),
                width=round(slot * 0.7, 2),
                height=round(height, 2),
            )
        )
    labelled = {0, len(bars) // 2, len(bars) - 1} if bars else set()
    return {
        "bars": bars,
        "labels": [bars[i] for i in sorted(labelled)],
        "peak": peak,
        "total": sum(views for _day, views in series),
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "top": TOP,
        "baseline": TOP + plot_height,
        "label_y": HEIGHT - 4,
        "days": len(series),
    }
