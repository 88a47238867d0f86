//! When a page is interactive. The agent console's, the chat room's and the staffing what-if's
//! islands load lazily, each from its own WASM chunks, after the main module ran (the customer
//! forms' islands are in the main module): `<body data-hydrated="true">` is set once every island
//! on the page has hydrated (at once on a page without islands), so browser tests and monitoring
//! never act on a page whose island code is still on the way.

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

/// The islands whose chunks a page already preloads (provided fresh for every request).
#[cfg(feature = "ssr")]
#[derive(Clone, Default)]
pub struct Preloaded(std::sync::Arc<std::sync::Mutex<std::collections::HashSet<&'static str>>>);

#[cfg(feature = "ssr")]
fn preload(snake_name: &'static str) {
    use leptos::prelude::*;
    use leptos_meta::Link;
    // once per island kind, however many instances the page has
    let Some(Preloaded(seen)) = use_context::<Preloaded>() else { return };
    if !seen.lock().unwrap_or_else(|p| p.into_inner()).insert(snake_name) {
        return;
    }
    let Some(state) = use_context::<crate::state::AppState>() else { return };
    let Some(split) = state.assets.split.as_ref() else { return };
    let chunks = split.island_chunks(snake_name);
    if chunks.is_empty() {
        return;
    }
    // `to_html` of a meta component registers it with the head rather than returning markup;
    // `crossorigin` as the loader's fetch() asks, or the browser would download it twice
    for chunk in chunks {
        let _ = view! { <Link rel="preload" href=chunk.to_string() as_="fetch" type_="application/wasm" crossorigin="anonymous" /> }.to_html();
    }
    if seen.lock().unwrap_or_else(|p| p.into_inner()).insert("__wasm_split") {
        let _ = view! { <Link rel="modulepreload" href=split.script.clone() /> }.to_html();
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
