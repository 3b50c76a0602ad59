//! A small Chrome DevTools Protocol client for the browser tests: Chromium runs headless with
//! `--remote-debugging-pipe`, reading commands from its file descriptor 3 and writing answers and
//! events to 4, each message a JSON object ended by a NUL byte. No WebSocket, no crate: a shell
//! puts the two pipes on those descriptors (`3<&0 4>&1`).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any one command or awaited event may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The Chromium installed, if any.
pub fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// A headless Chromium driven over its debugging pipe.
pub struct Browser {
    child: Child,
    input: ChildStdin,
    output: Receiver<Value>,
    next_id: u64,
    /// Events received while waiting for something else.
    events: Vec<Value>,
    _profile: PathBuf,
}

/// A tab, addressed by its flattened session.
pub struct Tab {
    session: String,
}

impl Browser {
    /// Starts Chromium headless with a fresh profile in `profile`.
    pub fn launch(chromium: &str, profile: &Path) -> Browser {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>&2"#)
            .arg(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--disable-extensions",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromium starts");
        let input = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match reader.read_until(0, &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if buf.last() == Some(&0) {
                            buf.pop();
                        }
                        if let Ok(v) = serde_json::from_slice::<Value>(&buf)
                            && tx.send(v).is_err()
                        {
                            break;
                        }
                    }
                }
            }
        });
        Browser {
            child,
            input,
            output: rx,
            next_id: 0,
            events: Vec::new(),
            _profile: profile.to_path_buf(),
        }
    }

    /// Sends a command (to a tab's session, or to the browser) and waits for its result.
    pub fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = s.into();
        }
        let mut bytes = serde_json::to_vec(&msg).expect("a command serialises");
        bytes.push(0);
        self.input
            .write_all(&bytes)
            .expect("chromium reads commands");
        self.input.flush().expect("chromium reads commands");
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = self
                .receive(deadline)
                .unwrap_or_else(|| panic!("{method}: no answer"));
            if msg["id"].as_u64() == Some(id) {
                assert!(msg.get("error").is_none(), "{method}: {}", msg["error"]);
                return msg["result"].clone();
            }
            if msg.get("method").is_some() {
                self.events.push(msg);
            }
        }
    }

    fn receive(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        self.output.recv_timeout(left).ok()
    }

    /// Waits up to `timeout` for an event of a tab; returns it, or `None`.
    pub fn event(&mut self, tab: &Tab, method: &str, timeout: Duration) -> Option<Value> {
        let matches =
            |e: &Value| e["method"] == method && e["sessionId"].as_str() == Some(&tab.session);
        if let Some(i) = self.events.iter().position(matches) {
            return Some(self.events.remove(i));
        }
        let deadline = Instant::now() + timeout;
        while let Some(msg) = self.receive(deadline) {
            if matches(&msg) {
                return Some(msg);
            }
            self.events.push(msg);
        }
        None
    }

    /// Takes every buffered event of a tab named `method`, after waiting `settle` for stragglers.
    pub fn drain(&mut self, tab: &Tab, method: &str, settle: Duration) -> Vec<Value> {
        let deadline = Instant::now() + settle;
        while let Some(msg) = self.receive(deadline) {
            self.events.push(msg);
        }
        let (hit, rest): (Vec<Value>, Vec<Value>) = self
            .events
            .drain(..)
            .partition(|e| e["method"] == method && e["sessionId"].as_str() == Some(&tab.session));
        self.events = rest;
        hit
    }

    /// Opens a tab with the Page, Runtime and Network domains on.
    pub fn tab(&mut self) -> Tab {
        let target = self.call(None, "Target.createTarget", json!({ "url": "about:blank" }));
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target["targetId"], "flatten": true }),
        );
        let tab = Tab {
            session: attached["sessionId"]
                .as_str()
                .expect("a session")
                .to_string(),
        };
        for domain in ["Page.enable", "Runtime.enable", "Network.enable"] {
            self.call(Some(&tab.session), domain, json!({}));
        }
        tab
    }

    /// Sets the tab's viewport (CSS pixels).
    pub fn viewport(&mut self, tab: &Tab, width: u32, height: u32) {
        self.call(
            Some(&tab.session),
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
        );
    }

    /// Loads `url` and waits for its load event; returns the time that took.
    pub fn goto(&mut self, tab: &Tab, url: &str) -> Duration {
        self.drain(tab, "Page.loadEventFired", Duration::ZERO);
        let started = Instant::now();
        let result = self.call(Some(&tab.session), "Page.navigate", json!({ "url": url }));
        assert!(
            result.get("errorText").is_none(),
            "{url}: {}",
            result["errorText"]
        );
        self.event(tab, "Page.loadEventFired", TIMEOUT)
            .unwrap_or_else(|| panic!("{url} did not load"));
        started.elapsed()
    }

    /// Evaluates a JavaScript expression in the tab and returns its value.
    pub fn eval(&mut self, tab: &Tab, expression: &str) -> Value {
        let r = self.call(
            Some(&tab.session),
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true }),
        );
        assert!(
            r.get("exceptionDetails").is_none(),
            "{expression}: {}",
            r["exceptionDetails"]
        );
        r["result"]["value"].clone()
    }

    /// A PNG of the tab: the whole page when `full`, else the viewport.
    pub fn screenshot(&mut self, tab: &Tab, full: bool) -> Vec<u8> {
        let r = self.call(
            Some(&tab.session),
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": full }),
        );
        base64(r["data"].as_str().expect("image data"))
    }

    /// The tab printed to an A4 PDF, as Chromium's print does (the page's @page rules win).
    pub fn pdf(&mut self, tab: &Tab) -> Vec<u8> {
        let r = self.call(
            Some(&tab.session),
            "Page.printToPDF",
            json!({ "printBackground": true, "preferCSSPageSize": true,
                    "paperWidth": 8.27, "paperHeight": 11.69 }),
        );
        base64(r["data"].as_str().expect("PDF data"))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Decodes standard base64 (what CDP sends binary data as).
pub fn base64(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[test]
fn base64_decodes() {
    assert_eq!(base64("aGVsbG8gd29ybGQ="), b"hello world");
    assert_eq!(base64("5YWs5paH"), "公文".as_bytes());
}
