//! The committed header must be exactly what the pinned cbindgen generates from this crate.

use std::path::Path;

#[test]
fn committed_header_matches_generated() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let header_path = crate_dir.join("../include/stripe_connect_oauth.h");
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("ffi-c/cbindgen.toml is a valid cbindgen config");

    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).expect("the header is UTF-8");

    if std::env::var_os("UPDATE_HEADER").is_some() {
        std::fs::write(&header_path, &generated).expect("include/ is writable");
        return;
    }
    let committed = std::fs::read_to_string(&header_path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/stripe_connect_oauth.h differs from what cbindgen generates; regenerate it with \
         `UPDATE_HEADER=1 cargo test -p stripe-connect-oauth-ffi --test header` and commit it"
    );
}
