from django.urls import path

from ajet.elections import views, views_ballot, views_board, views_manage, views_nominations

app_name = "elections"
urlpatterns = [
    path("", views.election_list, name="elections"),
    path("new/", views_manage.election_create, name="election_create"),
    path("<slug:slug>/", views.election_detail, name="election"),
    path("<slug:slug>/advance/", views_manage.advance, name="advance"),
    path("<slug:slug>/questions/new/", views_manage.question_create, name="question_create"),
    path("<slug:slug>/contests/<int:contest_id>/electorate/", views_manage.electorate, name="electorate"),
    path("<slug:slug>/roll/correction/", views.roll_correction, name="roll_correction"),
    path("<slug:slug>/candidates/<int:candidate_id>/", views.candidate_detail, name="candidate"),
    path("<slug:slug>/nominate/", views_nominations.nominate, name="nominate"),
    path("<slug:slug>/nominations/", views_nominations.nominations, name="nominations"),
    path("<slug:slug>/candidates/<int:candidate_id>/review/", views_nominations.review, name="review"),
    path("<slug:slug>/candidates/<int:candidate_id>/withdraw/", views_nominations.withdraw, name="withdraw"),
    path("<slug:slug>/candidates/<int:candidate_id>/photo/", views_nominations.photo, name="photo"),
    path("<slug:slug>/vote/", views_ballot.ballot, name="ballot"),
    path("<slug:slug>/vote/cast/", views_ballot.cast, name="cast"),
    path("<slug:slug>/contests/<int:contest_id>/revote/", views_ballot.revote, name="revote"),
    path("<slug:slug>/board/", views_board.board, name="board"),
    path("<slug:slug>/board/check/", views_board.board_check, name="board_check"),
    path("<slug:slug>/board/board.txt", views_board.board_file, name="board_file"),
    path("<slug:slug>/results/", views_board.results, name="results"),
    path("<slug:slug>/results/package.zip", views_board.result_package, name="result_package"),
    path("<slug:slug>/contests/<int:contest_id>/ballots.<str:kind>", views_board.contest_file, name="contest_file"),
]
