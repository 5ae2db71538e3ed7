#[uvco::main]
async fn main() {
    let n = ;
}
