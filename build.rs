//! Rebuilds when theme or catalog files change (rust-embed and include_str! alone miss new files).

fn main() {
    println!("cargo:rerun-if-changed=themes");
    println!("cargo:rerun-if-changed=catalogs");
}
