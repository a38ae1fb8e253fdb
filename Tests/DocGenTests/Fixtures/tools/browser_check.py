#!/usr/bin/env python3
"""Drives headless Chromium over the DevTools protocol (standard library only) against a site
opened from disk (file://): presses "/", types a query, reads the search results, presses Enter,
and writes screenshots at 375 px and 1280 px. Prints one JSON object with what it saw.

Usage: browser_check.py SITE_DIR QUERY ENGLISH_QUERY DOC_PAGE ARTIFACT_DIR"""
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request


class DevTools:
    def __init__(self, ws_url):
        rest = ws_url[len("ws://"):]
        hostport, path = rest.split("/", 1)
        host, port = hostport.rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("DevTools closed the connection during the handshake")
            buf += chunk
        head, self.buf = buf.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError("DevTools refused the websocket: " + head.decode(errors="replace"))
        self.next_id = 0

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise RuntimeError("DevTools connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _recv_message(self):
        payload = b""
        while True:
            b1, b2 = self._read(2)
            opcode, length = b1 & 0x0F, b2 & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b2 & 0x80 else None
            data = self._read(length)
            if mask:
                data = bytes(c ^ mask[i % 4] for i, c in enumerate(data))
            if opcode == 0x9:  # ping
                continue
            payload += data
            if b1 & 0x80:
                return json.loads(payload.decode())

    def call(self, method, **params):
        self.next_id += 1
        msg = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        header = bytearray([0x81])
        if len(msg) < 126:
            header.append(0x80 | len(msg))
        elif len(msg) < 1 << 16:
            header.append(0x80 | 126)
            header += struct.pack(">H", len(msg))
        else:
            header.append(0x80 | 127)
            header += struct.pack(">Q", len(msg))
        mask = os.urandom(4)
        header += mask
        self.sock.sendall(bytes(header) + bytes(c ^ mask[i % 4] for i, c in enumerate(msg)))
        while True:
            reply = self._recv_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def eval(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return r.get("result", {}).get("value")

    def wait_for(self, expression, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.eval(expression):
                return True
            time.sleep(0.1)
        return False

    def key(self, key, code, vk, text=None):
        down = {"type": "keyDown", "key": key, "code": code, "windowsVirtualKeyCode": vk}
        if text:
            down["text"] = text
        self.call("Input.dispatchKeyEvent", **down)
        self.call("Input.dispatchKeyEvent", type="keyUp", key=key, code=code, windowsVirtualKeyCode=vk)


def main():
    site, query, english, doc_page, artifacts = sys.argv[1:6]
    site = os.path.abspath(site)
    os.makedirs(artifacts, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="runbook-chromium-")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        print(json.dumps({"error": "chromium is not installed (scripts/setup installs it)"}))
        return
    proc = subprocess.Popen([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    result = {}
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        deadline = time.time() + 60
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            if time.time() > deadline or proc.poll() is not None:
                raise RuntimeError("chromium did not open its DevTools port")
            time.sleep(0.1)
        port = int(open(port_file).read().split()[0])
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30))
        page = next(t for t in targets if t.get("type") == "page")
        dt = DevTools(page["webSocketDebuggerUrl"])
        dt.call("Page.enable")
        dt.call("Runtime.enable")

        def open_page(url, width, height, mobile):
            dt.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)
            dt.call("Page.navigate", url=url)
            dt.wait_for("document.readyState === 'complete' && document.documentElement.classList.contains('js')")

        index_url = "file://" + os.path.join(site, "index.html")
        open_page(index_url, 1280, 900, False)
        result["search_visible"] = dt.eval("!document.querySelector('.search').hidden")
        dt.call("Runtime.evaluate", expression="document.body.focus()")
        dt.key("/", "Slash", 191, "/")
        result["slash_focuses_search"] = dt.eval("document.activeElement && document.activeElement.id === 'rb-search'")
        dt.call("Input.insertText", text=query)
        dt.wait_for("document.querySelectorAll('#rb-results a').length > 0", timeout=10)
        result["results"] = dt.eval("Array.from(document.querySelectorAll('#rb-results a')).map(a => [a.getAttribute('href'), a.querySelector('.r-title').textContent])")
        dt.key("Enter", "Enter", 13, "\r")
        dt.wait_for("location.hash !== ''", timeout=10)
        result["after_enter"] = dt.eval("decodeURIComponent(location.pathname.split('/').pop() + location.hash)")
        # A second search, in English, on the page Enter opened.
        dt.wait_for("document.readyState === 'complete' && document.documentElement.classList.contains('js')")
        dt.key("/", "Slash", 191, "/")
        dt.call("Input.insertText", text=english)
        dt.wait_for("document.querySelectorAll('#rb-results a').length > 0", timeout=10)
        result["english_results"] = dt.eval("Array.from(document.querySelectorAll('#rb-results a')).map(a => [a.getAttribute('href'), a.querySelector('.r-title').textContent])")
        result["overdue_flags"] = 0

        for width, height, mobile in ((375, 800, True), (1280, 900, False)):
            open_page("file://" + os.path.join(site, doc_page), width, height, mobile)
            key = f"w{width}"
            result[key + "_overflow"] = dt.eval("document.documentElement.scrollWidth - window.innerWidth")
            result["overdue_flags"] = max(result["overdue_flags"], dt.eval("document.querySelectorAll('.overdue-flag').length"))
            shot = dt.call("Page.captureScreenshot", format="png")
            path = os.path.join(artifacts, f"{os.path.splitext(os.path.basename(doc_page))[0]}-{width}.png")
            with open(path, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            result[key + "_screenshot"] = path
        # The copy button of a step's run command puts exactly that command on the clipboard.
        try:
            dt.call("Browser.grantPermissions", permissions=["clipboardReadWrite", "clipboardSanitizedWrite"])
        except RuntimeError:
            pass
        box = dt.eval("""(function () { var b = document.querySelector('figure.step .run button.copy');
            b.scrollIntoView({block: 'center'}); var r = b.getBoundingClientRect();
            return [r.left + r.width / 2, r.top + r.height / 2, b.getAttribute('data-copy')]; })()""")
        for kind in ("mousePressed", "mouseReleased"):
            dt.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)
        dt.wait_for("document.querySelector('figure.step .run button.copy').textContent !== '복사'", timeout=5)
        result["copy_button_text"] = dt.eval("document.querySelector('figure.step .run button.copy').textContent")
        result["copy_expected"] = box[2]
        clip = dt.call("Runtime.evaluate", expression="navigator.clipboard.readText()", awaitPromise=True, returnByValue=True)
        result["clipboard"] = clip.get("result", {}).get("value")
        # Dark mode follows the system; print hides the chrome, wraps code, shows link targets.
        dt.call("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": "dark"}])
        result["dark_background"] = dt.eval("getComputedStyle(document.body).backgroundColor")
        dt.call("Emulation.setEmulatedMedia", media="print", features=[{"name": "prefers-color-scheme", "value": "light"}])
        result["print"] = dt.eval("""({
            header: getComputedStyle(document.querySelector('header.site')).display,
            toc: document.querySelector('details.toc') ? getComputedStyle(document.querySelector('details.toc')).display : 'none',
            pre: getComputedStyle(document.querySelector('pre')).whiteSpace,
            newPage: getComputedStyle(document.querySelector('main')).breakBefore,
            linkAfter: (function () { var a = document.querySelector('main a[href$=".html"], main a[href*=".html#"]');
                                     return a ? getComputedStyle(a, '::after').content : ''; })()
        })""")
        pdf = dt.call("Page.printToPDF", printBackground=False)
        with open(os.path.join(artifacts, f"{os.path.splitext(os.path.basename(doc_page))[0]}-print.pdf"), "wb") as f:
            f.write(base64.b64decode(pdf["data"]))
        dt.call("Emulation.setEmulatedMedia", media="", features=[])
    except Exception as e:  # reported to the Swift test as a failure with the reason
        result["error"] = f"{type(e).__name__}: {e}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
