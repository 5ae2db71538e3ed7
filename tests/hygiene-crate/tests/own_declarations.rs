use std::ffi::CString;

#[uvco::test]
async fn own_copyfile_and_random() {
    // An inner attribute of the body, which `#[uvco::test]` moves onto the generated fn.
    #![allow(clippy::unreadable_literal)]
    let dir = std::env::temp_dir().join(format!("uvco-hygiene-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let from = dir.join("from");
    let to = dir.join("to");
    std::fs::write(&from, b"copied by a downstream crate").unwrap();
    let (from_c, to_c) = (
        CString::new(from.to_str().unwrap()).unwrap(),
        CString::new(to.to_str().unwrap()).unwrap(),
    );
    // SAFETY: the C strings outlive the constructor call; libuv copies them.
    unsafe { uvco_hygiene_test::CopyFile::new(from_c.as_ptr(), to_c.as_ptr(), 0) }
        .await
        .unwrap();
    assert_eq!(std::fs::read(&to).unwrap(), b"copied by a downstream crate");
    std::fs::remove_dir_all(&dir).unwrap();

    let a = uvco_hygiene_test::random32().await.unwrap();
    let b = uvco_hygiene_test::random32().await.unwrap();
    assert_ne!(a, b);
}
