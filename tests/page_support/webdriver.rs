//! A minimal W3C WebDriver client over reqwest (already a dev-dependency), driving Debian's
//! headless Chromium through chromedriver: a dozen commands are all the page tests need, so a
//! WebDriver crate and its dependency tree would only add build time.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Whether the browser tests can run here. Missing Chromium is a failure with instructions,
/// unless `KASSA_SKIP_BROWSER=1` asks to skip them (then the reason is printed and the test
/// returns early).
pub fn browser_available(test: &str) -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var("KASSA_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!(
            "SKIPPED {test}: {} not installed and KASSA_SKIP_BROWSER=1",
            missing.join(" and ")
        );
        return false;
    }
    panic!(
        "{test} needs a real headless Chromium, but {} is missing. Install it with \
         `apt-get install -y chromium chromium-driver` (Debian), or set KASSA_SKIP_BROWSER=1 to \
         skip the browser tests.",
        missing.join(" and ")
    );
}

/// How to start the browser.
pub struct Options<'a> {
    pub width: u32,
    pub height: u32,
    /// The browser's `Accept-Language`, e.g. `"pt-BR,pt"`; `None` sends Spanish.
    pub accept_language: Option<&'a str>,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            width: 390,
            height: 844,
            accept_language: None,
        }
    }
}

/// One chromedriver process with one browser session; both end when this is dropped.
pub struct Browser {
    http: reqwest::Client,
    session: String,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Browser {
    pub async fn start(opts: Options<'_>) -> Browser {
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            // Its own process group, so dropping the browser can end Chromium's processes too.
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let http = reqwest::Client::new();
        let root = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = http.get(format!("{root}/status")).send().await;
            if let Ok(r) = ready {
                let status: Value = r.json().await.unwrap_or(Value::Null);
                if status["value"]["ready"] == true {
                    break;
                }
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not become ready"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().expect("a fresh profile directory");
        let language = opts.accept_language.unwrap_or("es-CL,es");
        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--force-device-scale-factor=1".into(),
            "--hide-scrollbars".into(),
            format!("--window-size={},{}", opts.width, opts.height),
            format!("--accept-lang={language}"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": args,
                "prefs": {"intl.accept_languages": language},
            }
        }}});
        let created: Value = http
            .post(format!("{root}/session"))
            .json(&caps)
            .send()
            .await
            .expect("new session sent")
            .json()
            .await
            .expect("new session answered");
        let id = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("chromedriver refused the session: {created}"));
        let browser = Browser {
            http,
            session: format!("{root}/session/{id}"),
            driver,
            _profile: profile,
        };
        browser.fit_viewport(opts.width, opts.height).await;
        browser
    }

    async fn command(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.session));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let answer: Value = req
            .send()
            .await
            .expect("webdriver command sent")
            .json()
            .await
            .expect("webdriver answered JSON");
        if answer["value"]["error"].is_string() {
            panic!("webdriver {path} failed: {}", answer["value"]);
        }
        answer["value"].clone()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.command(reqwest::Method::POST, path, Some(body)).await
    }

    async fn get(&self, path: &str) -> Value {
        self.command(reqwest::Method::GET, path, None).await
    }

    /// Sizes the window so that the page itself (the viewport) is `width`×`height`.
    async fn fit_viewport(&self, width: u32, height: u32) {
        let inner = self
            .script("return [window.innerWidth, window.innerHeight];")
            .await;
        let (w, h) = (
            inner[0].as_i64().unwrap_or(0),
            inner[1].as_i64().unwrap_or(0),
        );
        let rect = self.get("/window/rect").await;
        let (ow, oh) = (
            rect["width"].as_i64().unwrap_or(0),
            rect["height"].as_i64().unwrap_or(0),
        );
        let (dw, dh) = (i64::from(width) - w, i64::from(height) - h);
        if dw != 0 || dh != 0 {
            self.post("/window/rect", json!({"width": ow + dw, "height": oh + dh}))
                .await;
        }
    }

    pub async fn goto(&self, url: &str) {
        self.post("/url", json!({ "url": url })).await;
    }

    pub async fn url(&self) -> String {
        self.get("/url")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub async fn source(&self) -> String {
        self.get("/source")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub async fn script(&self, script: &str) -> Value {
        self.post("/execute/sync", json!({"script": script, "args": []}))
            .await
    }

    async fn element(&self, css: &str) -> String {
        let found = self
            .post("/element", json!({"using": "css selector", "value": css}))
            .await;
        found[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    pub async fn click(&self, css: &str) {
        let id = self.element(css).await;
        self.post(&format!("/element/{id}/click"), json!({})).await;
    }

    /// Replaces the text of the input `css` with `text`, typing it as a user would.
    pub async fn fill(&self, css: &str, text: &str) {
        let id = self.element(css).await;
        self.post(&format!("/element/{id}/clear"), json!({})).await;
        if !text.is_empty() {
            self.post(&format!("/element/{id}/value"), json!({ "text": text }))
                .await;
        }
    }

    pub async fn text(&self, css: &str) -> String {
        let id = self.element(css).await;
        let v = self.get(&format!("/element/{id}/text")).await;
        v.as_str().unwrap_or_default().to_string()
    }

    pub async fn attribute(&self, css: &str, name: &str) -> Option<String> {
        let id = self.element(css).await;
        let v = self.get(&format!("/element/{id}/attribute/{name}")).await;
        v.as_str().map(str::to_string)
    }

    /// Polls until the page's source contains `needle` (or fails after 30 s with the page).
    pub async fn wait_for_text(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let source = self.source().await;
            if source.contains(needle) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {needle:?} at {}:\n{source}",
                self.url().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Polls until the address starts with `prefix`.
    pub async fn wait_for_url(&self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let url = self.url().await;
            if url.starts_with(prefix) {
                return url;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {prefix}, at {url}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// With `KASSA_SCREENSHOTS=1`, saves what the payer sees to `docs/screenshots/{name}.png`
    /// (CI leaves the committed screenshots alone).
    pub async fn screenshot(&self, name: &str) {
        if std::env::var("KASSA_SCREENSHOTS").as_deref() != Ok("1") {
            return;
        }
        let png = self.get("/screenshot").await;
        let bytes = STANDARD
            .decode(png.as_str().unwrap_or_default())
            .expect("a base64 PNG");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot directory");
        std::fs::write(dir.join(format!("{name}.png")), bytes).expect("screenshot written");
    }
}

impl Browser {
    /// Closes the browser the polite way; dropping it afterwards ends chromedriver.
    pub async fn quit(self) {
        let _ = self.http.delete(&self.session).send().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The whole process group: chromedriver and any Chromium process a failed test left.
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
