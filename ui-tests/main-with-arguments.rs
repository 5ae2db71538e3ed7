#[uvco::main(flavor = "x")]
async fn main() {}
