"""Rule playground on the admin port: IT pastes text, picks a team, and sees what the
RUNNING policy would do — findings highlighted, the verdict and the text as it would go
upstream. Matched text is shown to the person testing their own sample; it is never
logged, audited or counted in metrics. The API needs the admin token (proxy.edge.admin_guard).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from aiohttp import web

from detectors.entities import describe
from detectors.types import ScanError
from proxy.edge import messages
from proxy.relay.decision import decide
from proxy.relay.masking import mask_texts
from proxy.relay.placeholders import PlaceholderMap
from proxy.vocabulary import EntityAction

if TYPE_CHECKING:
    from proxy.edge.state import ProxyState

MAX_CHARS = 200_000
# The name of "no team" everywhere: audit lines, metric labels, this page and its API.
DEFAULT_TEAM = "default"


def add_playground_routes(app: web.Application, state_key: web.AppKey[ProxyState]) -> None:
    async def page(request: web.Request) -> web.Response:
        return web.Response(
            text=PAGE,
            content_type="text/html",
            charset="utf-8",
            headers={
                "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; "
                "style-src 'unsafe-inline'; connect-src 'self'"
            },
        )

    async def teams(request: web.Request) -> web.Response:
        state = request.app[state_key]
        return web.json_response({"teams": [DEFAULT_TEAM, *state.policy.teams()]})

    async def scan(request: web.Request) -> web.Response:
        state = request.app[state_key]
        try:
            body = json.loads(await request.read())
            text, team = body["text"], body.get("team")
            if not isinstance(text, str) or not (team is None or isinstance(team, str)):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            return _error(
                400,
                '{"text": "...", "team": ...} の形式で送ってください',
                'send {"text": "...", "team": ...}',
            )
        if len(text) > MAX_CHARS:
            return _error(413, f"{MAX_CHARS:,} 文字までです", f"at most {MAX_CHARS:,} characters")
        policy = state.policy  # the running policy, read once: reloads apply to the next scan
        if team in (None, "", DEFAULT_TEAM):
            team = None
        elif team not in policy.teams():
            return _error(400, "そのチームはポリシーにありません", "no such team in the policy")
        try:
            outcome = await state.scanner.scan([text], policy.detection_settings(team))
        except ScanError:
            return _error(
                503,
                "検査できませんでした。少し待って再度お試しください",
                "the scanner is unavailable; try again shortly",
            )

        def action_for(entity_type: str) -> EntityAction:
            return policy.action_for(team, entity_type).value

        monitor = policy.mode_for(team) == "monitor"
        decision = decide(outcome.findings, action_for, monitor)
        masked: str | None
        if decision.would == "block" and not monitor:
            masked = None
            message = messages.blocked_message(decision.blocked, "playground")
        else:
            rewritten = mask_texts(
                [text],
                outcome.findings,
                lambda t: action_for(t) == "mask" and not monitor,
                PlaceholderMap(),
            )
            masked = rewritten.get(0, text)
            message = ""
        return web.json_response(
            {
                "verdict": decision.outcome,
                "reason": decision.reason,
                "message": message,
                "findings": [
                    {
                        "type": f.entity_type,
                        "label_ja": describe(f.entity_type).ja,
                        "label_en": describe(f.entity_type).en,
                        "action": action_for(f.entity_type),
                        "start": f.start,
                        "end": f.end,
                        "score": round(f.score, 2),
                        "recognizer": f.recognizer,
                    }
                    for f in sorted(outcome.findings, key=lambda f: (f.start, f.end))
                ],
                "masked": masked,
            },
            dumps=lambda o: json.dumps(o, ensure_ascii=False),
        )

    app.router.add_get("/playground", page)
    app.router.add_get("/playground/api/teams", teams)
    app.router.add_post("/playground/api/scan", scan)


def _error(status: int, ja: str, en: str) -> web.Response:
    return web.json_response(
        {"error": {"message_ja": ja, "message_en": en}},
        status=status,
        dumps=lambda o: json.dumps(o, ensure_ascii=False),
    )


PAGE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8">
<title>関守 ルール・プレイグラウンド / Sekimori rule playground</title>
<style>
body{font-family:system-ui,"Noto Sans CJK JP",sans-serif;margin:24px;max-width:1100px;color:#222}
h1{font-size:20px} textarea{width:100%;height:160px;font-size:14px}
.row{display:flex;gap:12px;align-items:center;margin:8px 0}
button{font-size:14px;padding:6px 16px}
.box{border:1px solid #ccc;border-radius:6px;padding:10px;white-space:pre-wrap;min-height:24px;margin:6px 0}
mark{padding:0 2px;border-radius:3px} mark.block{background:#f8b4b4} mark.mask{background:#fde68a}
mark.monitor{background:#bfdbfe} mark.allow{background:#e5e7eb}
table{border-collapse:collapse;width:100%} td,th{border:1px solid #ddd;padding:4px 8px;font-size:13px;text-align:left}
#verdict{font-weight:bold;font-size:16px} .v-block{color:#b91c1c} .v-mask{color:#92400e} .v-clean{color:#166534} .v-would{color:#1e40af}
</style></head><body>
<h1>関守 ルール・プレイグラウンド <small>Sekimori rule playground</small></h1>
<p>いま動いているポリシーで、テキストがどう扱われるかを試せます。/ Try text against the running policy.</p>
<textarea id="text" placeholder="ここにテキストを貼り付け / paste text here"></textarea>
<div class="row"><label>管理トークン / admin token <input id="token" type="password" autocomplete="off"></label>
<label>チーム / team <select id="team"></select></label>
<button id="scan">検査 / Scan</button></div>
<div id="verdict"></div><div id="message" class="box" hidden></div>
<h2>検出結果 / findings</h2><div id="highlight" class="box"></div>
<table><thead><tr><th>種類 / type</th><th>動作 / action</th><th>スコア / score</th><th>検出器 / recognizer</th><th>文字列 / text</th></tr></thead>
<tbody id="findings"></tbody></table>
<h2>上流に送られる内容 / as sent upstream</h2><div id="masked" class="box"></div>
<script>
const $ = (id) => document.getElementById(id);
const VERDICT = {block: ["ブロック（送信されません）/ blocked", "v-block"],
                 mask: ["マスクして送信 / masked and sent", "v-mask"],
                 clean: ["そのまま送信 / sent as is", "v-clean"],
                 would_block: ["モニター：そのまま送信（本番ならブロック）/ monitor: sent, would be blocked", "v-would"],
                 would_mask: ["モニター：そのまま送信（本番ならマスク）/ monitor: sent, would be masked", "v-would"]};
const auth = () => ({"X-Sekimori-Admin-Token": $("token").value});
function cell(row, text) { const td = document.createElement("td"); td.textContent = text; row.appendChild(td); }
async function loadTeams() {
  sessionStorage.setItem("sekimori-admin-token", $("token").value);
  const r = await fetch("playground/api/teams", {headers: auth()}); const data = await r.json();
  if (!r.ok) { $("verdict").textContent = data.error.message_ja + " / " + data.error.message_en; return; }
  $("verdict").textContent = ""; $("team").replaceChildren();
  for (const t of data.teams) { const o = document.createElement("option"); o.value = t; o.textContent = t; $("team").appendChild(o); }
}
async function scan() {
  const text = $("text").value;
  const r = await fetch("playground/api/scan", {method: "POST", headers: {"Content-Type": "application/json", ...auth()},
                        body: JSON.stringify({text, team: $("team").value})});
  const data = await r.json();
  if (!r.ok) { $("verdict").textContent = data.error.message_ja + " / " + data.error.message_en; return; }
  const [label, cls] = VERDICT[data.verdict] || [data.verdict, ""];
  $("verdict").textContent = label;
  $("verdict").className = cls;
  $("message").hidden = !data.message; $("message").textContent = data.message;
  // The API counts code points (Python); a JavaScript string counts UTF-16 units, so an
  // emoji or 𠮷 would shift every later highlight: slice by code points.
  const chars = Array.from(text);
  const slice = (a, b) => chars.slice(a, b).join("");
  const hl = $("highlight"); hl.replaceChildren();
  let pos = 0;
  for (const f of data.findings) {
    if (f.start < pos) continue;
    hl.appendChild(document.createTextNode(slice(pos, f.start)));
    const m = document.createElement("mark"); m.className = f.action; m.title = f.type + " / " + f.action;
    m.textContent = slice(f.start, f.end); hl.appendChild(m); pos = f.end;
  }
  hl.appendChild(document.createTextNode(slice(pos)));
  const tbody = $("findings"); tbody.replaceChildren();
  for (const f of data.findings) {
    const row = document.createElement("tr");
    cell(row, f.label_ja + " (" + f.type + ")"); cell(row, f.action); cell(row, f.score);
    cell(row, f.recognizer); cell(row, slice(f.start, f.end)); tbody.appendChild(row);
  }
  $("masked").textContent = data.masked === null ? "送信されません / not sent" : data.masked;
}
$("scan").addEventListener("click", scan);
$("token").value = sessionStorage.getItem("sekimori-admin-token") || "";
$("token").addEventListener("change", loadTeams);
loadTeams();
</script></body></html>
"""
