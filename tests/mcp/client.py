"""Drives `medtm mcp` with the official Python MCP SDK, as an AI assistant's client would.

Run by `cargo xtask mcp-test` (which installs the pinned `mcp` package into a virtual
environment and builds medtm):

    python tests/mcp/client.py PATH/TO/medtm

from the repository root. It starts the server in the repository root, lists its tools, calls
each tool on a shipped model and on a broken one, and checks the answers. Exits 0 when all
hold, and 1 with a message naming the first that does not.
"""

import asyncio
import json
import os
import subprocess
import sys
import traceback

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

TODAY = "2026-11-28"
# The whole conversation's bound, so that a server that stops answering fails the test instead
# of hanging it (a cold machine answers in a few seconds).
TIMEOUT_SECONDS = 300
MODEL = "models/insulin-pump.mtm"
# Two misspelt references: `ap` (for `app`) and `bolus_comand`.
BROKEN = "tests/fixtures/diagnostics/E0303-unresolved-reference.mtm"


class Failed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Failed(message)


def text_of(result):
    expect(len(result.content) == 1, f"one content block, not {result.content!r}")
    expect(result.content[0].type == "text", f"text content, not {result.content[0].type}")
    return result.content[0].text


def cli(medtm, *args, stdin=None):
    """What the command line prints for the same request, to compare with the tools' answers."""
    return subprocess.run(
        [medtm, *args], input=stdin, capture_output=True, text=True, check=False
    ).stdout


async def call(session, tool, arguments, error=False):
    result = await session.call_tool(tool, arguments)
    state = "an error" if error else "a success"
    expect(
        bool(result.is_error) == error,
        f"{tool} {json.dumps(arguments)[:80]} should be {state}: {text_of(result)[:400]}",
    )
    return result


async def run(medtm):
    """Runs the checks; the first that fails, as a message, or None. (A failure is caught inside
    the session: raised through it, the SDK's task groups would wrap it in exception groups.)"""
    server = StdioServerParameters(command=medtm, args=["mcp", "--today", TODAY], cwd=os.getcwd())
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            try:
                await checks(medtm, session)
            except Failed as failure:
                return str(failure)
            except Exception as error:  # noqa: BLE001 (an answer of the wrong shape)
                return f"{type(error).__name__}: {error}\n{traceback.format_exc()}"
    return None


async def checks(medtm, session):
    initialized = await session.initialize()
    expect(initialized.server_info.name == "medtm", f"server name: {initialized.server_info}")
    expect(initialized.capabilities.tools is not None, "the server offers tools")

    listed = await session.list_tools()
    tools = {tool.name: tool for tool in listed.tools}
    expect(sorted(tools) == ["check", "explain", "format", "report"], f"tools: {sorted(tools)}")
    for tool in tools.values():
        expect(len(tool.description or "") > 80, f"{tool.name} has a description")
        expect(tool.input_schema.get("type") == "object", f"{tool.name}'s schema is an object")
    expect("top" in tools["report"].input_schema["properties"], "report takes `top`")
    expect(tools["explain"].input_schema.get("required") == ["word"], "explain requires `word`")

    # check: a shipped model is clean; the broken one's diagnostics are the CLI's, with fixes.
    result = await call(session, "check", {"path": MODEL})
    expect(result.structured_content["errors"] == 0, f"{MODEL} has no errors")
    result = await call(session, "check", {"path": BROKEN})
    expected = cli(medtm, "check", "--format", "json", "--today", TODAY, BROKEN)
    expect(text_of(result) == expected, "check's text is `medtm check --format json`'s")
    checked = result.structured_content
    expect(checked["errors"] == 2, f"two errors: {checked['errors']}")
    first = checked["files"][0]["diagnostics"][0]
    expect(first["code"] == "E0303" and first["line"] == 7, f"E0303 on line 7: {first}")
    expect(first["column"] == 13 and first["help"] == "did you mean `app`?", f"where and help: {first}")
    expect(first["fix"]["replacement"] == "app", f"a fix to `app`: {first}")
    with open(BROKEN, encoding="utf-8") as file:
        broken_text = file.read()
    by_text = await call(session, "check", {"text": broken_text})
    expect(by_text.structured_content["errors"] == 2, "the same errors from the text")

    # report: the top risks, as the JSON report ranks them.
    result = await call(session, "report", {"path": MODEL, "top": 5})
    ranked = result.structured_content
    full = json.loads(cli(medtm, "report", "--format", "json", "--today", TODAY, MODEL))
    expect(ranked["risks"] == full["risks"][:5], "the top five risks are the report's")
    expect(ranked["summary"] == full["summary"], "the summary is the report's")
    risk = ranked["risks"][0]
    for field in ("id", "family", "subject", "status", "residual"):
        expect(field in risk, f"a risk has `{field}`")
    expect("cvss_v31" in json.dumps(risk["residual"]) or "v31" in json.dumps(risk["residual"]),
           f"a risk has a CVSS 3.1 scoring: {risk['residual']}")
    finding = ranked["findings"][0]
    expect(finding["explanation"] and finding["rule"]["name"], f"a finding says why: {finding}")
    result = await call(session, "report", {"path": BROKEN}, error=True)
    expect("has errors" in text_of(result), "report on a broken model says it has errors")

    # explain: the same text as `medtm explain`; an unknown word is an error.
    result = await call(session, "explain", {"word": "flow.authn"})
    expect(text_of(result) == cli(medtm, "explain", "flow.authn"), "explain's text is the CLI's")
    await call(session, "explain", {"word": "no-such-word"}, error=True)

    # format: the canonical layout, as `medtm fmt -` gives it; broken syntax is an error.
    with open(MODEL, encoding="utf-8") as file:
        squashed = file.read().replace("\n\n", "\n")
    result = await call(session, "format", {"text": squashed})
    expect(text_of(result) == cli(medtm, "fmt", "-", stdin=squashed), "format's text is `medtm fmt`'s")
    await call(session, "format", {"text": "flow a -> {"}, error=True)

    # Paths stay under the working directory; bad arguments are tool errors, not crashes.
    result = await call(session, "check", {"path": "../outside.mtm"}, error=True)
    expect("outside the server's working directory" in text_of(result), text_of(result))
    await call(session, "check", {"path": "/etc/passwd"}, error=True)
    await call(session, "check", {}, error=True)
    await call(session, "report", {"path": MODEL, "top": "many"}, error=True)
    await call(session, "explain", {"word": "flow"})


def main():
    if len(sys.argv) != 2:
        print("usage: client.py PATH/TO/medtm", file=sys.stderr)
        return 2
    try:
        failure = asyncio.run(asyncio.wait_for(run(sys.argv[1]), TIMEOUT_SECONDS))
    except asyncio.TimeoutError:
        failure = f"no end in {TIMEOUT_SECONDS} s: the server stopped answering"
    if failure is not None:
        print(f"mcp-test: FAILED: {failure}", file=sys.stderr)
        return 1
    print("mcp-test: the Python MCP client's checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
