#[uvco::main]
async fn main() -> std::io::Result<()> {
    let n = 1;
    n
}
