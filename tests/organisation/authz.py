from tests.authz_support import Row, everyone

ROWS = [
    Row("organisation:blocks", everyone(200)),
    Row("organisation:block", everyone(200), kwargs=lambda w: {"number": 3}),
    Row("organisation:chapters", everyone(200)),
    Row("organisation:chapter", everyone(200), kwargs=lambda w: {"slug": w.home_chapter.slug}),
    Row("organisation:council", everyone(200)),
]
