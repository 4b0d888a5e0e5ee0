"""Hostile article text in a real browser: nothing runs, nothing leaves the page.

Articles carrying script, event-handler, javascript:, CSS and markdown payloads aimed at a local
HTTP server are built into a briefing; headless Chromium loads the briefing from that server.
Any request other than the page itself, or a changed title, means injected code ran.
"""
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import SEEDS, build_briefing, chromium_path

pytestmark = pytest.mark.browser


def _payloads(base: str) -> list[str]:
    return [
        f"<script>fetch('{base}/leak-script');document.title='PWNED'</script> DeepSeek news",
        f'DeepSeek said <img src="{base}/leak-img" onerror="fetch(\'{base}/leak-onerror\')"> more.',
        f"DeepSeek <iframe src=\"{base}/leak-iframe\"></iframe> said the <link rel=stylesheet href=\"{base}/leak-css\"> model is fast.",
        f"DeepSeek <style>@import url({base}/leak-import);</style> [click](javascript:fetch('{base}/leak-js')) ![x]({base}/leak-md).",
        f"DeepSeek <svg onload=\"fetch('{base}/leak-svg')\"></svg> <a href=\"javascript:fetch('{base}/leak-a')\">a</a> said so.",
    ]


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []
    root = None

    def do_GET(self):  # noqa: N802 - http.server API
        type(self).requests.append(self.path)
        if self.path == "/briefing.html":
            body = (self.root / "briefing.html").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.skipif(not chromium_path(), reason="chromium (Debian package) not installed")
def test_injected_code_does_not_run_in_chromium(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    base = f"http://127.0.0.1:{server.server_port}"
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    for index, payload in enumerate(_payloads(base)):
        (corpus / f"hostile_{index}.txt").write_text(
            f"{payload}\n\nDeepSeek released a model. {payload} DeepSeek said it cost $5 million.\n", encoding="utf-8")
    reports = build_briefing(tmp_path, "DeepSeek", corpus)
    _Recorder.root = reports
    _Recorder.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = subprocess.run(
            [chromium_path(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000", "--dump-dom",
             f"{base}/briefing.html"], capture_output=True, text=True, timeout=120)
    finally:
        server.shutdown()
    dom = result.stdout
    assert "<title>" in dom and "PWNED" not in dom.split("</title>")[0]
    assert "leak-" in dom, "the hostile text reached the page (as text), so the test is not vacuous"
    leaks = [path for path in _Recorder.requests if path != "/briefing.html" and path != "/favicon.ico"]
    assert not leaks, f"the page made requests: {leaks}"
