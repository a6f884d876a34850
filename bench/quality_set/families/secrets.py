"""Secrets (SECRET): AWS keys, GitHub, OpenAI/Anthropic-style and Slack tokens, private keys, JWTs, Japanese password lines, passwords in configuration and connection strings."""

from __future__ import annotations

from bench.quality_set.engine import Builder
from bench.quality_set.values import ALNUM, b64url, password, rand


def expand(b: Builder) -> None:
    r = b.r
    for i in range(6):  # AWS
        akid = r.choice(["AKIA", "AKIA", "ASIA"]) + rand(r, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        sk = rand(r, 40, ALNUM + "/+")
        tpl = [
            "[default]\naws_access_key_id = {a}\naws_secret_access_key = {s}\nこの設定でS3に繋がりません。原因は？",
            "export AWS_ACCESS_KEY_ID={a}\nexport AWS_SECRET_ACCESS_KEY={s}\nを設定したのに認証エラーになります",
            "boto3.client('s3', aws_access_key_id='{a}', aws_secret_access_key='{s}') のコードをレビューして",
        ][i % 3]
        b.add(
            tpl,
            "sensitive",
            "aws",
            extra={"a": (akid, "SECRET"), "s": (sk, "SECRET")},
            group="SECRET",
        )
    for i in range(6):  # GitHub
        tok = r.choice(["ghp_", "ghp_", "gho_", "ghs_"]) + rand(r, 36)
        if i == 5:
            tok = "github_pat_" + rand(r, 22) + "_" + rand(r, 59)
        tpl = [
            "git clone https://{t}@github.com/sample-org/internal-tool.git が403になります",
            "GitHub Actionsで GITHUB_TOKEN={t} を使っているのにpushできない理由は？",
            'curl -H "Authorization: token {t}" https://api.github.com/user の結果が401です',
        ][i % 3]
        b.add(tpl, "sensitive", "github", extra={"t": (tok, "SECRET")}, group="SECRET")
    for i in range(6):  # OpenAI-style / Anthropic-style
        if i % 3 == 0:
            tok = "sk-proj-" + rand(r, 64, ALNUM + "_-") + "T3BlbkFJ" + rand(r, 64, ALNUM + "_-")
        elif i % 3 == 1:
            tok = "sk-" + rand(r, 20) + "T3BlbkFJ" + rand(r, 20)
        else:
            tok = "sk-ant-api03-" + rand(r, 93, ALNUM + "_-") + "AA"
        tpl = [
            "OPENAI_API_KEY={t}\nこの.envの書き方で合っていますか？",
            'client = OpenAI(api_key="{t}") でRateLimitErrorが出ます。',
            "APIキーは{t}です。このキーでcurlする例を書いて。",
        ][i % 3]
        b.add(tpl, "sensitive", "openai_style", extra={"t": (tok, "SECRET")}, group="SECRET")
    for i in range(6):  # Slack
        if i % 2:
            tok = f"xoxb-{r.randint(10**11, 10**12 - 1)}-{r.randint(10**12, 10**13 - 1)}-{rand(r, 24)}"
            tpl = "Slackボットのトークン {t} で chat.postMessage が invalid_auth になります。"
        else:
            tok = (
                f"https://hooks.slack.com/services/T{rand(r, 8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}"
                f"/B{rand(r, 10, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}/{rand(r, 24)}"
            )
            tpl = "Webhook URL: {t}\nこれに通知を送るPythonスクリプトを書いて。"
        b.add(tpl, "sensitive", "slack", extra={"t": (tok, "SECRET")}, group="SECRET")
    for i in range(6):  # private keys
        kind = ["RSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY"][i % 4]
        lines = [rand(r, 64, ALNUM + "+/") for _ in range(r.randint(4, 8))]
        block = f"-----BEGIN {kind}-----\n" + "\n".join(lines) + f"\n-----END {kind}-----"
        tpl = [
            "サーバーにSSHできません。鍵はこれです。\n{t}\nパーミッションの問題でしょうか？",
            "この秘密鍵の形式をPEMからOpenSSH形式に変換する方法は？\n{t}",
            "{t}\n上の鍵でJWTに署名するNode.jsのコードを書いて。",
        ][i % 3]
        b.add(tpl, "sensitive", "private_key", extra={"t": (block, "SECRET")}, group="SECRET")
    for i in range(6):  # JWT
        p = b.g.person()
        header = b64url({"alg": r.choice(["HS256", "RS256"]), "typ": "JWT"})
        payload = b64url(
            {
                "sub": str(r.randint(10**6, 10**7)),
                "name": p["mei_roma"] + " " + p["sei_roma"],
                "iat": 1700000000 + r.randint(0, 10**7),
            }
        )
        tok = f"{header}.{payload}.{rand(r, 43, ALNUM + '_-')}"
        tpl = [
            "このJWTをデコードして中身を説明して：{t}",
            "Authorization: Bearer {t}\nこのヘッダーでAPIを叩くと401になります。",
            "ログに token={t} が出力されていました。期限切れか確認する方法は？",
        ][i % 3]
        b.add(tpl, "sensitive", "jwt", extra={"t": (tok, "SECRET")}, group="SECRET")
    for i in range(10):  # Japanese password lines
        pw = password(r)
        tpl = [
            "ログインID：{sei_id}\nパスワード：{t}\nこのアカウント情報を新入社員向け案内メールにして。",
            "初期パスワードは {t} です。初回ログイン時に変更してください、という案内文を作って。",
            "Wi-Fiのパスワードは{t}です。来客用の掲示文を作って。",
            "ID: admin / PW: {t} でログインできません。考えられる原因は？",
            "共有フォルダのパスワード＝{t}　これを取引先に伝えるメールを書いて。",
        ][i % 5]
        b.add(
            tpl,
            "sensitive",
            "password_ja",
            extra={"t": (pw, "SECRET"), "sei_id": (b.g.person()["sei_roma"].lower() + "_t", None)},
            group="SECRET",
        )
    for i in range(6):  # config / connection strings
        pw = password(r)
        tpl = [
            "database:\n  host: db.internal\n  user: app\n  password: {t}\nこのYAMLの読み込みでエラーが出ます。",
            "DATABASE_URL=postgres://app:{t}@10.0.3.15:5432/sales でDjangoが接続できません",
            "Server=tcp:sqlsrv01;Database=crm;User Id=sa;Password={t}; の接続文字列をappsettings.jsonに書く方法は？",
        ][i % 3]
        b.add(tpl, "sensitive", "password_config", extra={"t": (pw, "SECRET")}, group="SECRET")
