//! The browser entry point. Pages are rendered on the server (islands architecture): only the
//! `#[island]` components on a page are hydrated, so the WASM stays small as pages are added.

// Nothing here names an item of `app`, but its #[island] components export their hydration
// functions from it: the crate must be linked for those exports to exist.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Marks the page as interactive: browser tests and monitoring wait for it.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
