"""The preview's diff excerpt shows removed lines where they sit, never from elsewhere in the hunk."""

from __future__ import annotations

from reviewer.review.diff import file_diff_from_github_patch

# Two replaced lines in one hunk: an action (new line 4) and a resource (new line 7).
PATCH = """\
@@ -1,10 +1,10 @@
 data "aws_iam_policy_document" "warmer" {
   statement {
     actions = [
-      "lambda:InvokeFunction"
+      "lambda:*"
     ]
     resources = [
-      aws_lambda_function.target.arn
+      "*"
     ]
     effect = "Allow"
   }
"""


def test_a_removed_line_outside_the_window_is_left_out():
    excerpt = file_diff_from_github_patch("main.tf", PATCH).excerpt(2, around=2)
    assert excerpt == [' data "aws_iam_policy_document" "warmer" {', '   statement {', '     actions = [',
                       '-      "lambda:InvokeFunction"', '+      "lambda:*"']


def test_the_old_half_of_a_replaced_line_comes_with_it():
    excerpt = file_diff_from_github_patch("main.tf", PATCH).excerpt(7, around=0)
    assert excerpt == ['-      aws_lambda_function.target.arn', '+      "*"']


def test_a_multi_line_comment_shows_its_whole_range():
    excerpt = file_diff_from_github_patch("main.tf", PATCH).excerpt(8, around=0, start_line=2)
    assert excerpt[0] == '   statement {' and excerpt[-1] == '     ]'
    assert excerpt.count('+      "*"') == 1 and excerpt.count('-      "lambda:InvokeFunction"') == 1
