"""The HTML briefing in a real browser (Debian chromium, headless), driven over the DevTools
protocol with a small standard-library websocket client.

At 390 px (phone) and 1280 px (desktop): the page loads with no console errors or exceptions,
makes no network request (everything is embedded), decodes every image (naturalWidth > 0),
and never scrolls sideways (scrollWidth <= innerWidth).  Full-page screenshots are saved to
tests/artifacts/ for people to look at.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import session_briefing as build

from analysis import registry
from analysis.config import LANGS  # the editions

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

WIDTHS = (390, 1280)

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason=f"{CHROMIUM} is not installed (apt-get install chromium)")]


class DevTools:
    """A minimal Chrome DevTools Protocol client (one page target, one websocket)."""

    def __init__(self, ws_url: str):
        host_port, path = ws_url.removeprefix("ws://").split("/", 1)
        host, port = host_port.split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("websocket handshake failed")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(head.decode(errors="replace"))
        self.buf = head.split(b"\r\n\r\n", 1)[1]
        self.next_id = 0
        self.events: list[dict] = []

    def _recv_exact(self, n: int) -> bytes:
        while len(self.buf) < n:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("websocket closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _send(self, text: str) -> None:
        data = text.encode()
        mask = os.urandom(4)
        n = len(data)
        head = bytes([0x81])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 1 << 16:
            head += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack(">Q", n)
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _recv_message(self) -> dict:
        parts = []
        while True:
            b0, b1 = self._recv_exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._recv_exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._recv_exact(8))[0]
            payload = self._recv_exact(n)
            opcode = b0 & 0x0F
            if opcode == 0x8:
                raise ConnectionError("websocket closed by the browser")
            if opcode in (0x9, 0xA):  # ping/pong: ignore
                continue
            parts.append(payload)
            if b0 & 0x80:
                return json.loads(b"".join(parts))

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        mid = self.next_id
        self._send(json.dumps({"id": mid, "method": method, "params": params}))
        while True:
            msg = self._recv_message()
            if msg.get("id") == mid:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_for(self, event: str, timeout: float = 30) -> dict:
        end = time.monotonic() + timeout
        for i, msg in enumerate(self.events):
            if msg["method"] == event:
                return self.events.pop(i)
        while time.monotonic() < end:
            msg = self._recv_message()
            if msg.get("method") == event:
                return msg
            if "method" in msg:
                self.events.append(msg)
        raise TimeoutError(event)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    proc = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--hide-scrollbars",
         "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        end = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > end or proc.poll() is not None:
                pytest.fail("chromium did not start (no DevToolsActivePort)")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            pages = [t for t in json.load(r) if t["type"] == "page"]
        tools = DevTools(pages[0]["webSocketDebuggerUrl"])
        yield tools
        tools.close()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


PROBE = """(() => {
  const imgs = [...document.images];
  return JSON.stringify({
    images: imgs.length,
    undecoded: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt.slice(0, 40)),
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    dir: document.documentElement.dir,
    lang: document.documentElement.lang,
    bodyDirection: getComputedStyle(document.body).direction,
    thAlign: [...document.querySelectorAll('th, td')].slice(0, 50).map(c => getComputedStyle(c).textAlign)
      .filter(a => !['right', 'start'].includes(a)),
    fonts: [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family),
    height: document.documentElement.scrollHeight,
  });
})()"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
def test_page_in_chromium(browser, tmp_path_factory, width, lang):
    html = build(tmp_path_factory)[lang]["html"]
    b = browser
    b.events.clear()
    for domain in ("Page", "Runtime", "Log", "Network"):
        b.call(f"{domain}.enable")
    b.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1, mobile=width < 600)
    b.call("Page.navigate", url=html.as_uri())
    b.wait_for("Page.loadEventFired")
    b.call("Runtime.evaluate", expression="document.fonts.ready.then(() => true)", awaitPromise=True)
    result = json.loads(b.call("Runtime.evaluate", expression=PROBE, returnByValue=True)["result"]["value"])

    # screenshot of the whole page, for people to look at
    ARTIFACTS.mkdir(exist_ok=True)
    shot = b.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                  clip={"x": 0, "y": 0, "width": width, "height": min(result["height"], 16000), "scale": 1})
    (ARTIFACTS / f"briefing-{lang}-{width}.png").write_bytes(base64.b64decode(shot["data"]))
    b.call("Emulation.clearDeviceMetricsOverride")

    errors = [e for e in b.events if e["method"] == "Runtime.exceptionThrown"
              or (e["method"] == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))
              or (e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")]
    requests = [e["params"]["request"]["url"] for e in b.events if e["method"] == "Network.requestWillBeSent"]
    external = [u for u in requests if not (u.startswith("file:") or u.startswith("data:"))]

    assert not errors, errors
    assert not external, external
    assert result["innerWidth"] == width
    direction = "rtl" if lang == "ar" else "ltr"
    assert result["dir"] == direction and result["lang"] == lang and result["bodyDirection"] == direction
    assert result["images"] >= 4 and not result["undecoded"], result
    assert result["scrollWidth"] <= result["innerWidth"], result
    assert not result["thAlign"], result["thAlign"]
    assert ("Noto Naskh Arabic" if lang == "ar" else "Noto Sans") in result["fonts"], result["fonts"]


AXE_DIR = Path(__file__).resolve().parents[1] / "tools" / "axe"


def _axe_missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed (apt-get install nodejs)"
    for package in ("axe-core", "puppeteer-core"):
        if not (AXE_DIR / "node_modules" / package / "package.json").exists():
            return f"{package} is not installed (npm ci --prefix tools/axe)"
    return None


@pytest.mark.skipif(_axe_missing() is not None, reason=str(_axe_missing()))
@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_no_serious_violation(tmp_path_factory, lang):
    """axe-core's WCAG 2.1 A/AA rules, in chromium at 390 and 1280 px, light and dark: no
    serious or critical violation.  Also no empty table header (axe's best-practice rule)."""
    html = build(tmp_path_factory)[lang]["html"]
    proc = subprocess.run(["node", str(AXE_DIR / "run.mjs"), str(html), CHROMIUM],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert len(report["runs"]) == 4
    bad = [(r["width"], r["scheme"], v["impact"], v["id"], v["targets"])
           for r in report["runs"] for v in r["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, bad
    assert "<th></th>" not in html.read_text(encoding="utf-8")


FIGURE_PROBE = """(() => JSON.stringify([...document.images].map((i, n) => {
  const r = i.getBoundingClientRect();
  const src = i.currentSrc || i.src;
  return {n, alt: i.alt.slice(0, 50), svg: src.startsWith('data:image/svg') || /\\.svg([?#]|$)/.test(src),
          png: src.startsWith('data:image/png') || /\\.png([?#]|$)/.test(src),
          natural: i.naturalWidth, shown: r.width, x: r.left, y: r.top + window.scrollY, h: r.height};
})))()"""


@pytest.mark.parametrize("lang", LANGS)
def test_every_figure_label_is_legible_at_390px(browser, tmp_path_factory, lang):
    """At 390 px the smallest chart text (figures.MIN_PT) is drawn at least 9 CSS px high on
    every figure image the page shows (from the image's shown and natural width: SVG in
    CSS px at 96 per inch, PNG at figures.PNG_DPI); each figure's screenshot is saved to
    tests/artifacts/figure-<n>-390.png."""
    from analysis import figures

    html = build(tmp_path_factory)[lang]["html"]
    b = browser
    b.events.clear()
    for domain in ("Page", "Runtime"):
        b.call(f"{domain}.enable")
    b.call("Emulation.setDeviceMetricsOverride", width=390, height=900, deviceScaleFactor=2, mobile=True)
    b.call("Page.navigate", url=html.as_uri())
    b.wait_for("Page.loadEventFired")
    b.call("Runtime.evaluate", expression="document.fonts.ready.then(() => true)", awaitPromise=True)
    imgs = json.loads(b.call("Runtime.evaluate", expression=FIGURE_PROBE, returnByValue=True)["result"]["value"])
    ARTIFACTS.mkdir(exist_ok=True)
    small = []
    for im in imgs:
        if not (im["svg"] or im["png"]) or not im["natural"] or not im["shown"]:
            continue  # not a figure, or the variant this screen width does not show
        per_inch = 96 if im["svg"] else figures.PNG_DPI
        px = figures.MIN_PT / 72 * per_inch * im["shown"] / im["natural"]
        shot = b.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                      clip={"x": im["x"], "y": im["y"], "width": max(im["shown"], 1), "height": max(im["h"], 1),
                            "scale": 1})
        (ARTIFACTS / f"figure-{lang}-{im['n']}-390.png").write_bytes(base64.b64decode(shot["data"]))
        if px < 9:
            small.append(f"{im['alt']!r}: {px:.1f} px")
    b.call("Emulation.clearDeviceMetricsOverride")
    assert imgs
    shown = [im for im in imgs if im["shown"] and (im["svg"] or im["png"])]
    assert len(shown) == len(registry.briefing(lang)), shown  # one drawing of each figure, never both variants
    assert not small, small
