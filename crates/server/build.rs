//! The message catalogue is compiled in with `include_dir!`, which cargo does not track:
//! without this, an edited `.ftl` file would not rebuild the server.
fn main() {
    println!("cargo:rerun-if-changed=messages");
}
