//! The browser entry point. Pages are rendered on the server (islands architecture): only the
//! `#[island]` components on a page are hydrated, so the WASM stays small as pages are added.

// `app`'s #[island] components export their hydration functions from it: the crate must be
// linked for those exports to exist.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // the page is marked interactive once its islands, each loaded on its own, have hydrated
    app::ui::hydration::start();
}
