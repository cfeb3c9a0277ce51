"""`sam local invoke`: each sample event of events/ through the function the
template routes it to, in the Lambda container SAM builds (the base image
plus its runtime interface emulator), and two invokes sharing a session
through DynamoDB (moto on the host): each invoke is a fresh container, so
the second can only know the first's login from the table."""

import copy
import json

from conftest import common_env, event

PROTOCOL = "2025-06-18"
OWNER = {"email": "owner@agency-a.test", "password": "owner-a-pass"}


def header(response: dict, name: str):
    headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
    return headers.get(name)


def body(response: dict):
    return json.loads(response["body"])


def with_body(sample: dict, message: dict, session: str = None) -> dict:
    patched = copy.deepcopy(sample)
    patched["body"] = json.dumps(message)
    patched["headers"].pop("content-length", None)
    patched["headers"].pop("mcp-session-id", None)
    if session is not None:
        patched["headers"]["mcp-session-id"] = session
    return patched


def tool_call(call_id: int, name: str, arguments: dict) -> dict:
    return {"jsonrpc": "2.0", "id": call_id, "method": "tools/call", "params": {"name": name, "arguments": arguments}}


def test_function_url_initialize_opens_a_session(invoke, sim):
    response = invoke("McpFunction", event("function-url-initialize"), common_env(sim))
    assert response["statusCode"] == 200, response
    assert header(response, "content-type") == "application/json", response
    assert header(response, "mcp-session-id"), response
    answer = body(response)
    assert answer["id"] == 0, answer
    assert answer["result"]["protocolVersion"] == PROTOCOL, answer


def test_http_api_initialize_gets_the_same_answer_shape(invoke, sim):
    response = invoke("McpFunction", event("httpapi-initialize"), common_env(sim))
    assert response["statusCode"] == 200, response
    assert header(response, "mcp-session-id"), response
    assert body(response)["result"]["protocolVersion"] == PROTOCOL


def test_tools_list_sample_with_its_placeholder_session_is_a_clear_404(invoke, sim):
    response = invoke("McpFunction", event("function-url-tools-list"), common_env(sim))
    assert response["statusCode"] == 404, response
    assert body(response)["error"]["message"], response


def test_health_function_answers_the_healthz_sample(invoke, sim):
    response = invoke("HealthFunction", event("httpapi-healthz"), common_env(sim))
    assert response["statusCode"] == 200, response
    assert isinstance(body(response), dict), response


def test_mode_a_without_a_token_is_a_401_with_its_challenge(invoke, sim):
    env = common_env(sim) | {"PUBLIC_URL": "https://mcp.example.test"}
    response = invoke("McpFunction", event("function-url-initialize"), env)
    assert response["statusCode"] == 401, response
    challenge = header(response, "www-authenticate") or ""
    assert challenge.startswith("Bearer "), response
    assert 'resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource' in challenge, response


def test_two_invokes_share_a_session_through_dynamodb(invoke, sim, moto):
    from conftest import TABLE

    env = common_env(sim) | {"DYNAMODB_TABLE": TABLE, "AWS_ENDPOINT_URL_DYNAMODB": moto}
    sample = event("function-url-initialize")

    opened = invoke("McpFunction", sample, env)
    assert opened["statusCode"] == 200, opened
    session = header(opened, "mcp-session-id")
    assert session, opened

    # Container 1 logs in: the session's tokens go to the table.
    login = invoke("McpFunction", with_body(sample, tool_call(1, "malgomo_login", OWNER), session), env)
    assert login["statusCode"] == 200, login
    assert body(login)["result"]["isError"] is False, login

    # Container 2 has never seen it: the data tool works only if it found
    # the login container 1 stored.
    kpis = invoke("McpFunction", with_body(sample, tool_call(2, "malgomo_get_kpis", {"period": "7d"}), session), env)
    assert kpis["statusCode"] == 200, kpis
    result = body(kpis)["result"]
    assert result["isError"] is False, result
    assert isinstance(result["structuredContent"]["hero_net_eur"], (int, float)), result
