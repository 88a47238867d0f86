// `sqlx::migrate!` embeds migrations/ at compile time: a new or changed migration rebuilds the app
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
