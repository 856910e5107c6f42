"""A server's refusal reaches staff in words: the header's part never carries an HTTP code or a web page."""

from __future__ import annotations

import httpx
import pytest

from desktop.sync.transport import _problem


def _header(message: str) -> str:
    """What the sync indicator shows in the window's header (ui/shell/sync_status.py)."""
    return message.split("：")[0].split("，")[0]


REFUSED = "服务器没有接受本机的数据"


@pytest.mark.parametrize(("status", "body", "kind", "header", "detail"), [
    (400, {"kind": "refused", "detail": "事件属于另一个大厅"}, "refused", REFUSED, "事件属于另一个大厅"),
    (422, {"detail": "字段缺失"}, "refused", REFUSED, "字段缺失"),  # the web framework's own shape
    (503, {"kind": "server_error", "detail": "数据库暂时不可用"}, "server_error", "服务器出错", "数据库暂时不可用"),
    (502, "<html><body>Bad Gateway</body></html>", "server_error", "服务器出错", "服务器没有说明原因"),
    (404, "", "refused", REFUSED, "服务器没有说明原因"),
    (401, {"kind": "unauthorised", "detail": "令牌已撤销"}, "unauthorised", "设备未注册", "令牌已撤销"),
    (400, {"kind": "incompatible", "detail": "请升级本程序"}, "incompatible", "服务器拒绝", "请升级本程序"),
])
def test_refusals_in_words_with_the_detail_and_code_after_them(
        status: int, body: object, kind: str, header: str, detail: str) -> None:
    response = (httpx.Response(status, json=body) if isinstance(body, dict)
                else httpx.Response(status, text=str(body)))
    problem = _problem(response)
    assert problem.kind == kind
    assert _header(problem.message) == header
    assert detail in problem.message
    assert "HTTP" not in problem.message and "<" not in problem.message
    if kind in ("refused", "server_error"):
        assert problem.message.endswith(f"（代码 {status}）")  # for whoever calls the administrator
