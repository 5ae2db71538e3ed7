//! `uvco::dns` against the system resolver.

use std::io::ErrorKind;
use std::net::IpAddr;

#[uvco::test]
async fn lookup_localhost() {
    let addrs = uvco::dns::lookup("localhost", 8080).await.unwrap();
    assert!(!addrs.is_empty());
    let loopback: [IpAddr; 2] = ["127.0.0.1".parse().unwrap(), "::1".parse().unwrap()];
    assert!(
        addrs.iter().any(|a| loopback.contains(&a.ip())),
        "{addrs:?}"
    );
    assert!(addrs.iter().all(|a| a.port() == 8080));
    // Stream sockets only: no duplicates for datagram/raw.
    let mut dedup = addrs.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), addrs.len(), "{addrs:?}");
}

#[uvco::test]
async fn lookup_numeric() {
    let addrs = uvco::dns::lookup("127.0.0.1", 1).await.unwrap();
    assert_eq!(addrs, ["127.0.0.1:1".parse().unwrap()]);
    let addrs = uvco::dns::lookup("::1", 2).await.unwrap();
    assert_eq!(addrs, ["[::1]:2".parse().unwrap()]);
}

#[uvco::test]
async fn unknown_host_is_an_error() {
    let err = uvco::dns::lookup("nonexistent.invalid", 80)
        .await
        .unwrap_err();
    // EAI_NONAME is NotFound; a resolver without network may answer EAI_AGAIN instead.
    assert!(
        matches!(err.kind(), ErrorKind::NotFound | ErrorKind::WouldBlock),
        "{err:?}"
    );
}

#[uvco::test]
async fn nul_in_host_is_invalid_input() {
    let err = uvco::dns::lookup("local\0host", 80).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

#[uvco::test]
async fn reverse_lookup_of_loopback() {
    let name = uvco::dns::lookup_addr("127.0.0.1".parse().unwrap())
        .await
        .unwrap();
    assert!(!name.is_empty());
    // The name resolves back to a loopback address (or is the numeric form itself).
    if name != "127.0.0.1" {
        let back = uvco::dns::lookup(&name, 0).await.unwrap();
        assert!(
            back.iter().any(|a| a.ip().is_loopback()),
            "{name}: {back:?}"
        );
    }
}
