#[uvco::test(start_paused = true, start_paused = true)]
async fn paused() {}

fn main() {}
