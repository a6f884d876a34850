"""The real openai and anthropic SDKs through the proxy, against the recording fake
upstream: what the upstream receives is masked, what the client gets back is restored,
streaming and not, on every route; blocked requests never reach the upstream."""

from __future__ import annotations

import asyncio
import json

import anthropic
import openai
import pytest

NAME = "山本健一"
PHONE = "090-2345-6789"
PROMPT = f"{NAME}さんの連絡先は {PHONE} です。明日の打ち合わせの案内文を作ってください。"
MY_NUMBER_PROMPT = "社員のマイナンバー 615237485127 を源泉徴収票に記載する方法を教えてください。"
B64_MY_NUMBER = "44Oe44Kk44OK44Oz44OQ44O8IDYxNTIzNzQ4NTEyNw=="


def _sent(fake) -> str:  # everything the upstream received, decoded
    return "\n".join(r.body.decode("utf-8") for r in fake.requests)


def _assert_masked_upstream(fake) -> None:
    sent = _sent(fake)
    assert fake.requests, "nothing reached the upstream"
    assert NAME not in sent and PHONE not in sent and "09023456789" not in sent
    assert "[[PERSON_1]]" in sent and "[[PHONE_NUMBER_1]]" in sent


async def test_openai_chat_non_streaming(start_proxy, fake):
    proxy = await start_proxy()
    client = openai.AsyncOpenAI(base_url=proxy.openai_base, api_key="staff-key")
    reply = await client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}]
    )
    _assert_masked_upstream(fake)
    assert PROMPT in reply.choices[0].message.content
    assert fake.requests[0].headers["authorization"] == "Bearer sk-upstream-test-key"


async def test_openai_chat_streaming(start_proxy, fake):
    proxy = await start_proxy()
    client = openai.AsyncOpenAI(base_url=proxy.openai_base, api_key="staff-key")
    stream = await client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}], stream=True
    )
    text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    _assert_masked_upstream(fake)
    assert PROMPT in text


async def test_openai_sync_client(start_proxy, fake):
    proxy = await start_proxy()

    def call() -> str:
        client = openai.OpenAI(base_url=proxy.openai_base, api_key="staff-key")
        out = client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}]
        )
        return out.choices[0].message.content or ""

    assert PROMPT in await asyncio.to_thread(call)
    _assert_masked_upstream(fake)


@pytest.mark.parametrize("stream", [False, True])
async def test_openai_tool_call_arguments_restored(start_proxy, fake, stream):
    fake.behaviour = "tool_call"
    proxy = await start_proxy()
    client = openai.AsyncOpenAI(base_url=proxy.openai_base, api_key="staff-key")
    kwargs = dict(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": PROMPT}],
        tools=[
            {
                "type": "function",
                "function": {"name": "echo", "parameters": {"type": "object", "properties": {}}},
            }
        ],
    )
    if stream:
        args = ""
        async for chunk in await client.chat.completions.create(stream=True, **kwargs):
            for call in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
                args += call.function.arguments or ""
    else:
        reply = await client.chat.completions.create(**kwargs)
        args = reply.choices[0].message.tool_calls[0].function.arguments
    _assert_masked_upstream(fake)
    assert PROMPT in json.dumps(json.loads(args), ensure_ascii=False)


@pytest.mark.parametrize("stream", [False, True])
async def test_openai_responses(start_proxy, fake, stream):
    proxy = await start_proxy()
    client = openai.AsyncOpenAI(base_url=proxy.openai_base, api_key="staff-key")
    if stream:
        text = ""
        async for event in await client.responses.create(
            model="gpt-4o-mini", input=PROMPT, store=False, stream=True
        ):
            if event.type == "response.output_text.delta":
                text += event.delta
    else:
        reply = await client.responses.create(model="gpt-4o-mini", input=PROMPT, store=False)
        text = reply.output_text
    _assert_masked_upstream(fake)
    assert PROMPT in text


async def test_openai_completions_and_embeddings(start_proxy, fake):
    proxy = await start_proxy()
    client = openai.AsyncOpenAI(base_url=proxy.openai_base, api_key="staff-key")
    out = await client.completions.create(model="gpt-3.5-turbo-instruct", prompt=PROMPT)
    assert PROMPT in out.choices[0].text
    await client.embeddings.create(model="text-embedding-3-small", input=[PROMPT, "こんにちは"])
    assert len(fake.requests) == 2
    _assert_masked_upstream(fake)


@pytest.mark.parametrize("stream", [False, True])
async def test_anthropic_messages(start_proxy, fake, stream):
    proxy = await start_proxy()
    client = anthropic.AsyncAnthropic(base_url=proxy.url, api_key="staff-key")
    kwargs = dict(
        model="claude-sonnet-4-5",
        max_tokens=256,
        system=f"あなたは{NAME}さんの秘書です。",
        messages=[{"role": "user", "content": PROMPT}],
    )
    if stream:
        async with client.messages.stream(**kwargs) as s:
            text = "".join([t async for t in s.text_stream])
    else:
        reply = await client.messages.create(**kwargs)
        text = reply.content[0].text
    _assert_masked_upstream(fake)
    assert PROMPT in text
    assert fake.requests[0].headers.get("x-api-key") == "sk-ant-upstream-test-key"


@pytest.mark.parametrize("stream", [False, True])
async def test_anthropic_tool_use_input_restored(start_proxy, fake, stream):
    fake.behaviour = "tool_call"
    proxy = await start_proxy()
    client = anthropic.AsyncAnthropic(base_url=proxy.url, api_key="staff-key")
    kwargs = dict(
        model="claude-sonnet-4-5",
        max_tokens=256,
        tools=[{"name": "echo", "input_schema": {"type": "object"}}],
        messages=[{"role": "user", "content": PROMPT}],
    )
    if stream:
        async with client.messages.stream(**kwargs) as s:
            message = await s.get_final_message()
    else:
        message = await client.messages.create(**kwargs)
    block = next(b for b in message.content if b.type == "tool_use")
    _assert_masked_upstream(fake)
    assert PROMPT in json.dumps(block.input, ensure_ascii=False)


async def test_anthropic_count_tokens_is_scanned(start_proxy, fake):
    proxy = await start_proxy()
    client = anthropic.AsyncAnthropic(base_url=proxy.url, api_key="staff-key")
    await client.messages.count_tokens(
        model="claude-sonnet-4-5", messages=[{"role": "user", "content": PROMPT}]
    )
    _assert_masked_upstream(fake)


async def test_block_never_reaches_upstream_openai(start_proxy, fake):
    proxy = await start_proxy()
    client = openai.AsyncOpenAI(base_url=proxy.openai_base, api_key="staff-key", max_retries=0)
    with pytest.raises(openai.BadRequestError) as info:
        await client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": MY_NUMBER_PROMPT}]
        )
    assert fake.requests == []
    err = info.value.body
    assert err["code"] == "sensitive_data_blocked"
    assert "マイナンバー" in err["message"] and "My Number" in err["message"]
    assert "615237485127" not in json.dumps(err, ensure_ascii=False)
    assert info.value.response.headers["x-sekimori-request-id"] in err["message"]


async def test_block_never_reaches_upstream_anthropic(start_proxy, fake):
    proxy = await start_proxy()
    client = anthropic.AsyncAnthropic(base_url=proxy.url, api_key="staff-key", max_retries=0)
    with pytest.raises(anthropic.BadRequestError) as info:
        await client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=64,
            messages=[{"role": "user", "content": MY_NUMBER_PROMPT}],
        )
    assert fake.requests == []
    body = info.value.body
    assert body["type"] == "error" and body["error"]["type"] == "invalid_request_error"
    assert "615237485127" not in json.dumps(body, ensure_ascii=False)


async def test_value_split_across_messages_is_caught(start_proxy, fake):
    proxy = await start_proxy()
    client = openai.AsyncOpenAI(base_url=proxy.openai_base, api_key="staff-key", max_retries=0)
    with pytest.raises(openai.BadRequestError):
        await client.chat.completions.create(
            model="gpt-4o-mini",
            messages=[
                {"role": "user", "content": "マイナンバーは 6152 3748"},
                {"role": "user", "content": "5127 です。"},
            ],
        )
    assert fake.requests == []


@pytest.mark.parametrize(
    "prompt, secret, ja_name",
    [
        ("保険証の記号 4021 番号 738 で扶養追加の手続きをしたい", "4021", "健康保険証"),
        (
            "雇用保険被保険者番号 5012-345678-9 の離職票の書き方",
            "5012-345678-9",
            "雇用保険被保険者番号",
        ),
        ("住民票コード 10293847561 を社員台帳に入れてよい？", "10293847561", "住民票コード"),
        # base64 of "マイナンバー 615237485127": decoded and scanned again
        (f"これを復号して {B64_MY_NUMBER}", B64_MY_NUMBER, "マイナンバー"),
    ],
)
async def test_identifiers_are_blocked_with_their_names(start_proxy, fake, prompt, secret, ja_name):
    proxy = await start_proxy()
    client = openai.AsyncOpenAI(base_url=proxy.openai_base, api_key="staff-key", max_retries=0)
    with pytest.raises(openai.BadRequestError) as info:
        await client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}]
        )
    assert fake.requests == []
    assert ja_name in info.value.body["message"]
    assert secret not in json.dumps(info.value.body, ensure_ascii=False)


async def test_url_escaped_email_is_masked_and_restored(start_proxy, fake):
    proxy = await start_proxy()
    escaped = "taro.yamada%40example.co.jp"
    client = openai.AsyncOpenAI(base_url=proxy.openai_base, api_key="staff-key", max_retries=0)
    reply = await client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": f"宛先 {escaped} に送って"}]
    )
    sent = fake.requests[0].body.decode()
    assert escaped not in sent and "taro.yamada" not in sent
    assert escaped in reply.choices[0].message.content


async def test_too_much_encoded_content_is_refused_with_413(start_proxy, fake):
    import base64

    proxy = await start_proxy()
    blob = base64.b64encode(("あ" * 3000).encode()).decode()
    content = " ".join([blob] * 70)  # 210,000 decoded characters
    client = openai.AsyncOpenAI(base_url=proxy.openai_base, api_key="staff-key", max_retries=0)
    with pytest.raises(openai.APIStatusError) as info:
        await client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": content}]
        )
    assert info.value.status_code == 413
    assert info.value.body["code"] == "scan_limit_exceeded"
    assert "エンコード" in info.value.body["message"]
    assert fake.requests == []
