//! What a page loads to become interactive, and when it is. A page without islands (My page, the
//! inquiry thread, orders, the home page …) is plain HTML and forms: it links no JavaScript and
//! no WASM. The first island a page renders registers Leptos' hydration scripts (the main JS, a
//! preload of the main WASM, the bootstrap) with the page's head, which leptos_meta fills in
//! after the body has rendered. The agent console's, the chat room's and the staffing what-if's
//! islands load lazily, each from its own WASM chunks, after the main module ran (the customer
//! forms' islands are in the main module): `<body data-hydrated="true">` is set once every island
//! on the page has hydrated, so browser tests and monitoring never act on a page whose island
//! code is still on the way (a page without `<leptos-island>` is interactive when it has loaded).

/// Called by the entry point before the islands hydrate: counts the page's islands.
pub fn start() {
    #[cfg(feature = "hydrate")]
    imp::start();
}

/// Called first thing by every island's body with the island's name in snake case. In the
/// browser the last island to hydrate marks the page; on the server the island's chunks are
/// preloaded from the page's head, so they download beside the main WASM rather than after it.
pub fn island_ready(snake_name: &'static str) {
    let _ = snake_name;
    #[cfg(feature = "hydrate")]
    imp::island_ready();
    #[cfg(feature = "ssr")]
    preload(snake_name);
}

/// What a page already preloads: the islands seen, the chunks asked for (provided fresh for
/// every request).
#[cfg(feature = "ssr")]
#[derive(Clone, Default)]
pub struct Preloaded(std::sync::Arc<std::sync::Mutex<Seen>>);

#[cfg(feature = "ssr")]
#[derive(Default)]
pub struct Seen {
    islands: std::collections::HashSet<&'static str>,
    chunks: std::collections::HashSet<String>,
}

#[cfg(feature = "ssr")]
fn preload(snake_name: &'static str) {
    use leptos::prelude::*;
    use leptos_meta::Link;
    let Some(Preloaded(seen)) = use_context::<Preloaded>() else { return };
    let assets = use_context::<crate::state::AppState>().map(|s| s.assets);
    let split = assets.as_ref().and_then(|a| a.split.as_ref());
    let (first_island, new_chunks, split_script) = {
        let mut seen = seen.lock().unwrap_or_else(|p| p.into_inner());
        let first_island = seen.islands.is_empty();
        let first_chunk = seen.chunks.is_empty();
        let mut new_chunks = Vec::new();
        // once per island kind, however many instances the page has; a chunk two islands share once
        if seen.islands.insert(snake_name) {
            if let Some(split) = split {
                for chunk in split.island_chunks(snake_name) {
                    if seen.chunks.insert(chunk.to_string()) {
                        new_chunks.push(chunk);
                    }
                }
            }
        }
        // the chunk loader with the page's first chunks
        let split_script = split.filter(|_| first_chunk && !new_chunks.is_empty()).map(|s| s.script.clone());
        (first_island, new_chunks, split_script)
    };
    if first_island {
        register_hydration_scripts();
    }
    // the chunks as `Link` response headers, not as `<link>` tags in the head: a meta tag is a
    // component rendered through leptos_meta, ~4 µs each, and the agent queue preloads 20 chunks
    // (a tenth of the page's CPU); a header is one string, and the browser starts the downloads
    // before it has parsed a byte of HTML. `crossorigin` as the loader's fetch() asks, or the
    // browser would download each chunk twice.
    if !new_chunks.is_empty() {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            for chunk in &new_chunks {
                let link = format!("<{chunk}>; rel=preload; as=fetch; type=\"application/wasm\"; crossorigin=anonymous");
                if let Ok(value) = http::HeaderValue::from_str(&link) {
                    res.append_header(http::header::LINK, value);
                }
            }
        }
    }
    if let Some(script) = split_script {
        let _ = view! { <Link rel="modulepreload" href=script /> }.to_html();
    }
}

/// Leptos' hydration scripts for islands, registered with the head: rendered by `HydrationScripts`
/// itself (so the bootstrap stays Leptos' own) and handed to leptos_meta as a modulepreload, a
/// WASM preload and the module script (leptos_meta gives it this response's CSP nonce).
#[cfg(feature = "ssr")]
fn register_hydration_scripts() {
    use leptos::prelude::*;
    use leptos_meta::{Link, Script};
    // the same for every page of this build (Leptos reads the hash file on every render): read
    // once per process
    static PARTS: std::sync::OnceLock<HydrationParts> = std::sync::OnceLock::new();
    let parts = match PARTS.get() {
        Some(parts) => parts.clone(),
        None => {
            let Some(options) = use_context::<LeptosOptions>() else { return };
            // rendered inside an island, which renders with hydration markers: `HydrationScripts`
            // turns them off (for the page around the islands), so the island's setting is put back
            let shared = Owner::current_shared_context();
            let hydrating = shared.as_ref().map(|sc| sc.get_is_hydrating());
            let html = view! { <HydrationScripts options islands=true /> }.to_html();
            if let (Some(sc), Some(hydrating)) = (shared, hydrating) {
                sc.set_is_hydrating(hydrating);
            }
            let Some(parts) = HydrationParts::parse(&html) else {
                tracing::error!("the hydration scripts could not be read from Leptos' HydrationScripts: islands will not hydrate");
                return;
            };
            PARTS.get_or_init(|| parts).clone()
        }
    };
    let _ = view! { <Link rel="modulepreload" href=parts.js crossorigin="anonymous" /> }.to_html();
    let _ = view! { <Link rel="preload" href=parts.wasm as_="fetch" type_="application/wasm" crossorigin="anonymous" /> }.to_html();
    let _ = view! { <Script type_="module">{parts.script}</Script> }.to_html();
}

/// What `HydrationScripts` renders: the main JS, the main WASM and the bootstrap's text.
#[derive(Debug, Clone, PartialEq)]
pub struct HydrationParts {
    pub js: String,
    pub wasm: String,
    pub script: String,
}

impl HydrationParts {
    pub fn parse(html: &str) -> Option<HydrationParts> {
        let href_ending = |ext: &str| {
            html.match_indices("href=\"").find_map(|(at, m)| {
                let rest = &html[at + m.len()..];
                let href = &rest[..rest.find('"')?];
                href.ends_with(ext).then(|| href.to_string())
            })
        };
        let open = html.find("<script")?;
        let body_start = open + html[open..].find('>')? + 1;
        let body_end = body_start + html[body_start..].find("</script>")?;
        let script = html[body_start..body_end].to_string();
        (!script.trim().is_empty()).then_some(())?;
        Some(HydrationParts { js: href_ending(".js")?, wasm: href_ending(".wasm")?, script })
    }
}

#[cfg(test)]
mod tests {
    use super::HydrationParts;

    #[test]
    fn hydration_parts_are_read_from_the_rendered_scripts() {
        let html = r#"<link rel="modulepreload" href="/pkg/cybercenter.Ab1.js" crossorigin="n1"><link rel="preload" href="/pkg/cybercenter.Cd2.wasm" as="fetch" type="application/wasm" crossorigin="n1"><script type="module" nonce="n1">((a) => { go(a) })("", "pkg");</script>"#;
        assert_eq!(
            HydrationParts::parse(html),
            Some(HydrationParts {
                js: "/pkg/cybercenter.Ab1.js".into(),
                wasm: "/pkg/cybercenter.Cd2.wasm".into(),
                script: r#"((a) => { go(a) })("", "pkg");"#.into()
            })
        );
        assert_eq!(HydrationParts::parse("<link href=\"/pkg/x.js\"><script></script>"), None);
        assert_eq!(HydrationParts::parse(""), None);
    }
}

#[cfg(feature = "hydrate")]
mod imp {
    use std::cell::Cell;

    thread_local! {
        static EXPECTED: Cell<u32> = const { Cell::new(0) };
        static READY: Cell<u32> = const { Cell::new(0) };
    }

    fn mark() {
        if let Some(body) = leptos::prelude::document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    }

    pub fn start() {
        let islands = leptos::prelude::document().query_selector_all("leptos-island").map(|l| l.length()).unwrap_or(0);
        EXPECTED.with(|e| e.set(islands));
        if islands == 0 {
            mark();
        }
    }

    pub fn island_ready() {
        let ready = READY.with(|r| {
            r.set(r.get() + 1);
            r.get()
        });
        // an island created later by another's view counts too; the page is marked once
        if ready == EXPECTED.with(Cell::get) {
            mark();
        }
    }
}
