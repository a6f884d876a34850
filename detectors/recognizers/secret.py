"""SECRET: credentials by their shape (cloud and API keys, tokens, private-key blocks,
JWTs, passwords in URLs) and by the label in front of them (password: / パスワード：…).

Shapes follow the public key formats (AKIA…, ghp_…, sk-…, xoxb-…); every pattern uses
ASCII lookarounds, so a key glued to Japanese text (キーはAKIA…です) is found.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from typing import ClassVar

import regex as re
from presidio_analyzer import Pattern, RecognizerResult

from detectors.recognizers.base import JaPatternRecognizer

_B = r"(?<![A-Za-z0-9_\-])"  # ASCII word start
_E = r"(?![A-Za-z0-9_\-])"  # ASCII word end
# A value after a label: up to the end of the token (quotes, spaces, Japanese end it).
# (a bracket before Japanese opens a note after the value: 0815（口頭で確認済み）)
_VALUE = r"(?P<v>[\x21-\x7e]{4,128}?)(?=[\s\"'`,;、。）)]|$|[^\x00-\x7f]|\((?=[^\x00-\x7f]))"

_LABELLED_PASSWORD = (
    r"(?:パスワード|パスコード|暗証番号|ログインパスワード|初期パスワード|仮パスワード|パスフレーズ"
    r"|(?<![A-Za-z])(?:PW|P/W|pw|Pass|PASS|pass(?:word|wd|phrase|code)?|PASSWORD|Password|pwd|PWD"
    r"|Passcode|PASSCODE|PIN))"
    # （暗証番号）：4827: the label in brackets, then its value
    r"\)?\s?(?:[:=]|は|が|を|\()\s?[\"'「『`]?" + _VALUE
)
_LABELLED_KEY = (
    r"(?<![A-Za-z0-9])(?:api[_\-]?key|apikey|secret(?:[_\-]?key)?|access[_\-]?key(?:[_\-]?id)?"
    r"|client[_\-]?secret|auth[_\-]?token|access[_\-]?token|refresh[_\-]?token|token"
    r"|aws_secret_access_key|private[_\-]?key|credential|X-ChatWorkToken|X-Cybozu-API-Token"
    r"|X-Cybozu-Authorization|apiKey)[\"']?\s?[:=]\s?[\"']?"
    r"(?P<v>[A-Za-z0-9+/=_\-.~]{12,200})" + _E
)


# An assignment to a secret-looking name (api_key = …, OPENAI_API_KEY=…, "token": …,
# Authorization: Bearer …) whatever separators the value has: people paste keys with
# the dashes retyped or spaced out (sk proj …, sk―proj――…). The value runs to the
# closing quote or the end of the line; validate_result wants it long and random.
_SECRET_NAME = (
    r"(?i:[A-Za-z0-9_\-]*(?:api[_\-]?key|apikey|secret|token|passw(?:or)?d|passwd|pwd"
    r"|credential|private[_\-]?key|access[_\-]?key|_key|auth)[A-Za-z0-9_\-]*)"
)
_ASSIGNED_SECRET = (
    r"(?<![A-Za-z0-9])" + _SECRET_NAME + r"[\"']?[ \t]*[:=][ \t]*(?:(?i:bearer|token|basic)[ \t]+)?"
    r"(?:(?P<q>[\"'`]))?(?P<v>[^\s\"'`,;][^\n\"'`]{14,200}?)[ \t]*(?=(?(q)(?P=q)|(?:[,;#\n]|$)))"
)
_SEPARATORS = frozenset(" \t-_‐-―−–—ー－.・")


def assigned_value_ok(value: str) -> bool:
    """A long, random-looking value once its separators are taken out."""
    compact = "".join(c for c in value if c not in _SEPARATORS)
    if len(compact) < 16 or not compact.isascii():
        return False
    if not (any(c.isdigit() for c in compact) and any(c.isalpha() for c in compact)):
        return False
    # Words separated by spaces are prose or code, not a key (token = get_token(user));
    # a long, dense value may hold any symbol (django-insecure-q8#v!m2z@x7k$w4t%p9r&n1b^c6y*h3j).
    if any(c in value for c in "()[]{}<>$%") and not (
        len(compact) >= 32 and " " not in value and _entropy(compact) >= 4.0
    ):
        return False
    return _entropy(compact) >= 3.5


# Where a conversation talks about a password or a key, the next password-shaped token is
# one, whoever types it and however it is introduced (a reply on its own line, 「…」, "is").
_PASSWORD_TALK = re.compile(
    r"パスワード|パスコード|パスフレーズ|(?<![ァ-ヴー])パス(?![ァ-ヴー])|暗証番号|(?<![A-Za-z])"
    r"(?i:password|passwd|passphrase|pass|pw)(?![A-Za-z])"
)
_KEY_TALK = re.compile(
    r"キー|トークン|シークレット|(?<![A-Za-z])(?i:secret|token|api key|apikey|key)(?![A-Za-z])"
)
_PIN_TALK = re.compile(r"暗証番号|(?<![A-Za-z])PIN(?![A-Za-z])|ピン番号")
# A password people choose: letters, a digit and a symbol, 8 to 64 characters, no spaces.
_PASSWORD_SHAPED = re.compile(
    # After a space, a non-ASCII character or a colon (与儀：Pa$$-Yogi-2024!, normalised).
    # (quotes around it are not part of it: -a 'hK9$wq3!Lx')
    # (nor are backticks: new one は `Kz7*Qp2#Lm9v`)
    r"(?<![\x21\x23-\x26\x28-\x39\x3b-\x5f\x61-\x7e])(?![:=])(?=[^\s\"'`]*[0-9])"
    r"(?=[^\s\"'`]*[A-Za-z])(?=[^\s\"'`]*[!#$%&*+?@^~=_\-])"
    r"[\x21\x23-\x26\x28-\x5f\x61-\x7e]{8,64}(?![\x21\x23-\x26\x28-\x5f\x61-\x7e])"
)
# A machine-made key: 20 or more letters and digits (hex or base62), no separators.
_KEY_SHAPED = re.compile(r"(?<![\x21-\x7e])[A-Za-z0-9]{20,128}(?![\x21-\x7e])")
_HASH_TALK = re.compile(
    r"(?i:commit|sha\d*|hash|md5|checksum|digest|revision|rev)|ハッシュ|コミット"
)
_PIN = re.compile(
    # (after a colon only when no digit stands before it: 暗証番号:0815, not 10:30)
    r"(?<![0-9０-９.,\-/])(?<![0-9０-９]:)[0-9０-９]{4,6}(?![0-9０-９.,\-/:年月日円件桁回時分秒%％歳])"
)
_TALK_REACH = 300  # characters after the mention
_PIN_REACH = 120


def _talked_about(text: str, talk: re.Pattern[str], start: int, reach: int) -> bool:
    return talk.search(text, max(0, start - reach), start) is not None


def _looks_like_a_password(value: str) -> bool:
    if "@" in value and "." in value.split("@")[-1]:
        return False  # an e-mail address
    if "://" in value or value.count("/") >= 2 or value.startswith(("#", "$", "%", "&")):
        return False  # a URL, a path, a colour, a variable
    if any(c in value for c in "()[]{}<>\"'`,;"):
        return False  # code
    if not any(c in "!#$%&*+?@^~=" for c in value):
        # With only - or _ as its symbols it must mix cases (Tmp-84Qx-2207, Fukugi_0203):
        # ap-northeast-1 and GT-1895X are names of regions and products.
        return any(c.isupper() for c in value) and any(c.islower() for c in value)
    return any(c.isupper() for c in value) or value[0].isalpha()


def _entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


# scheme://user:password@host of a connection string (redis://:pass@host has no user); the
# pattern reports the whole string, validate_result checks the password for a placeholder.
def _not_a_reference(value: str) -> bool:
    """A value, not a path or a variable standing for it ($DB_PASS, %s, {pw}, <password>)."""
    return not value.startswith(("/", "./", "~/", "$", "%", "<", "{"))


_URL_CREDENTIALS = (
    r"[a-z][a-z0-9+.\-]{1,20}://[^\s:/@]{0,64}:(?P<pw>[^\s/]{3,128}?)@(?=[^\s@/]+(?:[/:?#\s]|$))"
)
_URL_PASSWORD = re.compile(_URL_CREDENTIALS)


class JpSecretRecognizer(JaPatternRecognizer):
    ENTITY = "SECRET"
    CASE_SENSITIVE = True
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "aws_access_key_id", _B + r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}" + _E, 1.0
        ),
        Pattern(
            "aws_secret_key",
            r"(?i:aws_?secret_?access_?key|SecretAccessKey)[\"']?\s?[:=]\s?[\"']?"
            r"(?P<v>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])",
            1.0,
        ),
        Pattern("github_token", _B + r"(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}" + _E, 1.0),
        Pattern("github_fine_grained", _B + r"github_pat_[A-Za-z0-9_]{60,255}" + _E, 1.0),
        Pattern("gitlab_token", _B + r"glpat-[A-Za-z0-9_\-]{20,}" + _E, 1.0),
        Pattern(
            "anthropic_key", _B + r"sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_\-]{80,120}" + _E, 1.0
        ),
        Pattern(
            "openai_key", _B + r"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,200}" + _E, 0.9
        ),
        Pattern("google_api_key", _B + r"AIza[A-Za-z0-9_\-]{35}" + _E, 1.0),
        Pattern("slack_token", _B + r"xox[abpers]-[A-Za-z0-9\-]{10,200}" + _E, 1.0),
        Pattern("slack_app_token", _B + r"xapp-[0-9]-[A-Z0-9]+-[0-9]+-[a-z0-9]+" + _E, 1.0),
        Pattern(
            "slack_webhook",
            r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_\-]{20,}",
            1.0,
        ),
        Pattern("stripe_key", _B + r"(?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,99}" + _E, 1.0),
        Pattern("huggingface_token", _B + r"hf_[A-Za-z]{34}" + _E, 1.0),
        Pattern("sendgrid_key", _B + r"SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}" + _E, 1.0),
        Pattern("azure_storage_key", r"AccountKey=(?P<v>[A-Za-z0-9+/=]{80,100})", 1.0),
        Pattern(
            "azure_client_secret", _B + r"[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.\-]{31,34}" + _E, 0.9
        ),
        Pattern(
            "private_key_block",
            r"-----BEGIN[ A-Z0-9_\-]{0,40}PRIVATE KEY(?: BLOCK)?-----"
            r"[\s\S]{0,20000}?-----END[ A-Z0-9_\-]{0,40}PRIVATE KEY(?: BLOCK)?-----",
            1.0,
        ),
        # A key pasted without its END line: the header and the lines of key material
        # after it (base64, or PEM headers such as DEK-Info), not the prose that follows.
        Pattern(
            "private_key_header",
            r"-----BEGIN[ A-Z0-9_\-]{0,40}PRIVATE KEY(?: BLOCK)?-----"
            r"(?:[ \t]*\r?\n[ \t]*[A-Za-z0-9+/=:,\- ]{1,100}(?=\r?\n|$)){0,200}",
            0.9,
        ),
        Pattern(
            "jwt",
            _B + r"ey[A-Za-z0-9_\-]{15,}\.ey[A-Za-z0-9_\-]{15,}\.[A-Za-z0-9_\-]{10,}" + _E,
            1.0,
        ),
        Pattern(
            "url_credentials",
            # the whole connection string: user, password, host and database together
            r"(?<![A-Za-z0-9+.\-])(?P<v>" + _URL_CREDENTIALS + r"[A-Za-z0-9._~:/?#@!$&*+,;=%\-]*"
            r"(?<![.,;:]))",
            1.0,
        ),
        Pattern(
            "bearer",
            r"(?i:authorization)\s?:\s?(?i:bearer|basic|token)\s(?P<v>[A-Za-z0-9._~+/\-]{12,}=*)",
            1.0,
        ),
        Pattern(
            "connection_string_password",
            r"(?i:password|pwd)\s?=\s?(?P<v>[^;\s\"']{4,128})(?=;|\s|$)",
            0.8,
        ),
        Pattern("labelled_password", _LABELLED_PASSWORD, 0.85),
        # "ID admin / PW Hakone2024!": a space after the label, a value with letters and digits.
        Pattern(
            "spaced_password",
            r"(?:パスワード|暗証番号|(?<![A-Za-z])(?:PW|P/W|PASS|Pass|Password|PASSWORD))"
            # A word and a colon (Password policy: 12 chars) is a heading, not a password.
            r"\s+(?P<v>(?![a-z]+:)(?=[\x21-\x7e]*[0-9])(?=[\x21-\x7e]*[A-Za-z])[\x21-\x7e]{6,64}?)"
            # A bracket after the value opens a note: Fuji2002@（岡本のみ保持）.
            r"(?=[\s、。]|$|\((?![\x21-\x7e]*\))|[^\x00-\x7f])",
            0.8,
        ),
        # passcode 442817, 暗証番号 4827: a numeric code after its word and a space
        Pattern(
            "spaced_pin",
            r"(?:パスコード|暗証番号|(?<![A-Za-z])(?i:passcode|pin(?: code)?))[ \t]+"
            r"(?P<v>[0-9]{4,10})(?![0-9])",
            0.8,
        ),
        # s.login("user", "pw"), auth=("user", "pw"): the second argument of a login call
        Pattern(
            "login_call",
            r"(?:\.login|(?<![A-Za-z_])auth[ \t]*=)[ \t]*\([ \t]*[\"'][^\"'\n]{1,80}[\"'][ \t]*,[ \t]*"
            r"[\"'](?P<v>[^\"'\n]{4,128})[\"']",
            0.8,
        ),
        # mysqli_connect("db01", "kaikei", "pw", "db"), new PDO($dsn, "app", "pw"),
        # mysql.createConnection / DriverManager.getConnection(url, "user", "pw"): the third
        # argument of a database connect call (host or DSN, user, password)
        Pattern(
            "connect_call",
            r"(?i:connect|connection|PDO)[ \t]*\([ \t]*(?:[\"'][^\"'\n]{0,200}[\"']|\$?[A-Za-z_][\w.]*)"
            r"[ \t]*,[ \t]*(?:[\"'][^\"'\n]{1,80}[\"']|\$?[A-Za-z_][\w.]*)[ \t]*,[ \t]*"
            r"[\"'](?P<v>[^\"'\s]{4,128})[\"']",
            0.8,
        ),
        # A BitLocker recovery key: eight groups of six digits
        Pattern(
            "bitlocker_key",
            r"(?<![0-9\-])[0-9]{6}(?:-[0-9]{6}){7}(?![0-9\-])",
            0.85,
        ),
        Pattern("labelled_key", _LABELLED_KEY, 0.6),
        # admin:$apr1$…, user:$2y$…: a password hash line of .htpasswd or /etc/shadow
        Pattern(
            "password_hash_line",
            r"(?<![A-Za-z0-9])[A-Za-z0-9._\-]{1,32}:(?P<v>\$(?:apr1|2[aby]|1|5|6|y)\$[./A-Za-z0-9$]{8,120})",
            0.85,
        ),
        # admin / yamabuki2019, root/P@ss1234: an account name, a slash, a password.
        Pattern(
            "account_slash_password",
            r"(?<![A-Za-z0-9])(?i:admin|administrator|root|user|guest|test|demo|operator)"
            r"[ \t]+[/／][ \t]+(?P<v>(?=[\x21-\x7e]*[0-9])(?=[\x21-\x7e]*[A-Za-z])"
            r"[\x21-\x7e]{6,64}?)(?=[\s、。」』)）]|$|[^\x00-\x7f])",
            0.75,
        ),
        # db_password = "River2023$", "PASSWORD": "yuzu-8568aa", DB_PASS=hunter22: a value
        # assigned to a password name is the password, random-looking or not.
        Pattern(
            "assigned_password",
            r"(?<![A-Za-z0-9])(?i:[A-Za-z0-9_\-]*(?:passw(?:or)?d|passwd|pwd|_pass|pass_)"
            # .Item(".../sendpassword") = "…", cfg["db_password"] = …, 'pass' => '…'
            r"[A-Za-z0-9_\-]*)[\"']?[\])]?[ \t]*(?:=>|[:=])[ \t]*"
            r"(?:(?P<q>[\"'`])(?P<v>[^\s\"'`]{6,128})(?P=q)|(?P<v>[^\s\"'`,;]{6,128})(?=[ \t]*(?:$|\n|#))"
            # an app password as Google shows it: four groups of four letters
            r"|(?P<v>[a-z]{4}(?: [a-z]{4}){3})(?=[ \t]*(?:$|\n|#)))",
            0.8,
        ),
        # mysql -u root -pSpring2001!, sshpass -p 'Sakura2008@', --password=…
        Pattern(
            "command_line_password",
            r"(?:-u[ \t]?\S+[ \t]+-p|sshpass[ \t]+-p[ \t]+|--password[= ]|--passphrase[= ]"
            r"|redis-cli\b[^\n]{0,80}?[ \t]-a[ \t]+"
            r"|(?i:ConvertTo-SecureString)[ \t]+(?:-String[ \t]+)?)"
            r"[\"']?(?P<v>[^\s\"']{4,64})",
            0.8,
        ),
        Pattern("assigned_secret", _ASSIGNED_SECRET, 0.8),
    ]
    # A literal every match of the pattern contains (checked with ``in`` on the lower-cased
    # text): most prompts hold none of them, and 20 patterns fewer run (measured 0.4 ms of
    # 0.6 ms per 1,000-character prompt).
    PREFILTERS: ClassVar[dict[str, str | tuple[str, ...]]] = {
        "aws_access_key_id": ("akia", "asia", "abia", "acca", "a3t"),
        "aws_secret_key": ("secret",),
        "github_token": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
        "github_fine_grained": ("github_pat_",),
        "gitlab_token": ("glpat-",),
        "anthropic_key": ("sk-ant-",),
        "openai_key": ("sk-",),
        "google_api_key": ("aiza",),
        "slack_token": ("xox",),
        "slack_app_token": ("xapp-",),
        "slack_webhook": ("hooks.slack.com",),
        "stripe_key": ("sk_", "rk_"),
        "huggingface_token": ("hf_",),
        "sendgrid_key": ("sg.",),
        "azure_storage_key": ("accountkey=",),
        "azure_client_secret": ("q~",),
        "private_key_block": ("-----begin",),
        "private_key_header": ("-----begin",),
        "url_credentials": ("://",),
        "bearer": ("authorization",),
        "connection_string_password": ("password", "pwd"),
        # The two assignment patterns start with any run of name characters, so they try
        # every position of a text; without one of their name words they cannot match.
        "assigned_secret": ("key", "secret", "token", "pass", "pwd", "credential", "auth"),
        "assigned_password": ("pass", "pwd"),
        "spaced_pin": ("passcode", "pin", "パスコード", "暗証番号"),
        "login_call": ("login", "auth"),
        "connect_call": ("connect", "pdo"),
        "account_slash_password": r"[ \t][/／][ \t]",
        "bitlocker_key": r"[0-9]{6}-[0-9]{6}-",
    }
    # A name and its value on one line: run where the name words are, not over the text.
    LINE_LOCAL: ClassVar[frozenset[str]] = frozenset({"assigned_secret", "assigned_password"})
    PATTERN_VALIDATORS: ClassVar[dict[str, Callable[[str], bool]]] = {
        "assigned_secret": assigned_value_ok,
        "assigned_password": _not_a_reference,
        "connect_call": _not_a_reference,
    }
    # A cell under パスワード / Password / 暗証番号 / token in a pasted table.
    TABLE_LABELS = (
        "パスワード",
        "password",
        "passwd",
        "pw",  # initial_pw, PW, pwd
        "暗証番号",
        "secret",
        "token",
        "api key",
        "apikey",
        "api_key",
        "apiキー",
        "アクセスキー",
        "シークレット",
    )
    TABLE_VALUE = r"[\x21-\x7e]{4,128}"
    CONTEXT: ClassVar[list[str]] = [
        "key",
        "token",
        "secret",
        "キー",
        "トークン",
        "認証",
        "credential",
    ]

    def extra_results(self, text: str) -> list[RecognizerResult]:
        """Password- and key-shaped tokens, and PINs, where the conversation asks for or
        gives one (パスワード何にしました？ … Natsu2025!!vpn です)."""
        found: list[RecognizerResult] = []
        if _PASSWORD_TALK.search(text):
            for m in _PASSWORD_SHAPED.finditer(text):
                if _looks_like_a_password(m.group()) and _talked_about(
                    text, _PASSWORD_TALK, m.start(), _TALK_REACH
                ):
                    if self.validate_result(m.group()) is not False:
                        found.append(self._result(m.start(), m.end(), 0.7, "talked_password"))
        if _KEY_TALK.search(text):
            for m in _KEY_SHAPED.finditer(text):
                value = m.group()
                if (
                    any(c.isdigit() for c in value)
                    and any(c.isalpha() for c in value)
                    and _entropy(value) >= 3.5
                    and _talked_about(text, _KEY_TALK, m.start(), _TALK_REACH)
                    and not (
                        all(c in "0123456789abcdef" for c in value.lower())
                        and _talked_about(text, _HASH_TALK, m.start(), 40)
                    )
                ):
                    found.append(self._result(m.start(), m.end(), 0.7, "talked_key"))
        if _PIN_TALK.search(text):
            for m in _PIN.finditer(text):
                if _talked_about(text, _PIN_TALK, m.start(), _PIN_REACH):
                    found.append(self._result(m.start(), m.end(), 0.65, "talked_pin"))
        return found

    def validate_result(self, pattern_text: str) -> bool | None:
        value = pattern_text.strip()
        if value.startswith("-----BEGIN"):
            return None
        if (url := _URL_PASSWORD.match(value)) is not None:
            value = url.group("pw")  # postgres://USER:PASSWORD@localhost: a placeholder
        low = value.lower()
        # Placeholders people write in instructions are not secrets.
        if low in {
            "xxxx",
            "xxxxxxxx",
            "****",
            "********",
            "password",
            "パスワード",
            "your_api_key",
            "<password>",
            "<token>",
            "changeme",
        } or set(value) <= {"*", "x", "X", "•", "●"}:
            return False
        if low.startswith(("を", "の")) or value.endswith(("を", "の", "(", "[")):
            return False
        # "(using password: YES)" in a MySQL error: a flag, not a password.
        if low.strip("()[]\"'.,;") in {
            "yes",
            "no",
            "true",
            "false",
            "none",
            "null",
            "set",
            "unset",
        }:
            return False
        # A reference to where the secret lives is not the secret (os.environ["PW"]).
        if any(
            ref in low
            for ref in (
                "environ",
                "getenv",
                "process.env",
                "${",
                "{{",
                "%(",
                "secrets.",
                "vault:",
                "<your",
                "input(",
            )
        ):
            return False
        return None

    def invalidate_result(self, pattern_text: str) -> bool | None:
        # A generic key=value hit must look random; "token=expired" is not a secret.
        value = pattern_text.strip()
        if 12 <= len(value) < 40 and value.isalpha() and value.islower():
            return True
        if len(value) >= 16 and _entropy(value) < 2.5:
            return True
        return None
