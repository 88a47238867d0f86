//! The browser entry point. Pages are rendered on the server (islands architecture): only the
//! `#[island]` components on a page are hydrated, so the WASM stays small as pages are added.

// The islands' hydration functions are exported from `app`, linked here through the call to
// `app::ui::hydration` below.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // the page is marked interactive once its islands, each loaded on its own, have hydrated
    app::ui::hydration::start();
}
