#[uvco::main]
fn main() {}
