//! `uv_getaddrinfo` and `uv_getnameinfo` requests.

use std::ffi::{c_char, c_int, CStr};
use std::fmt;
use std::net::SocketAddr;
use std::ptr::NonNull;

use crate::sys;

use crate::error::UvError;
use crate::slot::{complete, Completion, Kind};
use crate::sockaddr;

/// `uv_getaddrinfo`: cancellable until a threadpool thread picks it up.
#[derive(Debug)]
pub enum Getaddrinfo {}

impl Getaddrinfo {
    unsafe extern "C" fn callback(
        req: *mut sys::uv_getaddrinfo_t,
        status: c_int,
        res: *mut sys::addrinfo,
    ) {
        // SAFETY: libuv passes back the request of a slot submitted with CALLBACK.
        unsafe { complete::<Self>(req, (status, res)) }
    }
}

// SAFETY: uv_getaddrinfo_t is the request of this kind, its callback completes it, and
// uv_cancel accepts it.
unsafe impl Kind for Getaddrinfo {
    type Req = sys::uv_getaddrinfo_t;
    type Raw = (c_int, *mut sys::addrinfo);
    type Callback = sys::uv_getaddrinfo_cb;
    const CALLBACK: sys::uv_getaddrinfo_cb = Some(Self::callback);
    const CANCEL: bool = true;

    unsafe fn discard(req: *mut Self::Req, raw: Self::Raw) {
        // SAFETY: forwarded contract; dropping the list frees it.
        drop(unsafe { crate::slot::output_of::<Self>(req, raw) });
    }
}

// SAFETY: the output owns the list, which is freed once, on drop.
unsafe impl Completion for Getaddrinfo {
    type Kind = Getaddrinfo;
    type Output = AddrInfoList;

    unsafe fn output(
        _req: *mut sys::uv_getaddrinfo_t,
        (status, res): (c_int, *mut sys::addrinfo),
    ) -> Result<AddrInfoList, UvError> {
        // Take ownership first, so that the list is freed even on an error status.
        let list = NonNull::new(res).map(|head| AddrInfoList { head });
        UvError::check(status)?;
        list.ok_or(UvError::EAI_NONAME)
    }
}

/// The address list `uv_getaddrinfo` returned; freed with `uv_freeaddrinfo` on drop.
pub struct AddrInfoList {
    head: NonNull<sys::addrinfo>,
}

impl AddrInfoList {
    /// The IPv4 and IPv6 socket addresses in the list, in resolver order.
    pub fn iter(&self) -> impl Iterator<Item = SocketAddr> + '_ {
        let mut next = self.head.as_ptr();
        std::iter::from_fn(move || {
            while !next.is_null() {
                // SAFETY: every node of the list stays valid while `self` lives.
                let node = unsafe { &*next };
                next = node.ai_next;
                // SAFETY: ai_addr points to an address of ai_addrlen bytes (or is null).
                if let Some(addr) = unsafe { sockaddr::to_std(node.ai_addr) } {
                    return Some(addr);
                }
            }
            None
        })
    }

    /// The raw list, valid while `self` lives.
    pub fn as_ptr(&self) -> *const sys::addrinfo {
        self.head.as_ptr()
    }
}

impl Drop for AddrInfoList {
    fn drop(&mut self) {
        // SAFETY: the list came from uv_getaddrinfo and is freed once.
        unsafe { sys::uv_freeaddrinfo(self.head.as_ptr()) }
    }
}

impl fmt::Debug for AddrInfoList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// `uv_getnameinfo`: cancellable until a threadpool thread picks it up.
#[derive(Debug)]
pub enum Getnameinfo {}

impl Getnameinfo {
    unsafe extern "C" fn callback(
        req: *mut sys::uv_getnameinfo_t,
        status: c_int,
        _host: *const c_char,
        _service: *const c_char,
    ) {
        // SAFETY: libuv passes back the request of a slot submitted with CALLBACK. The host
        // and service strings live inside the request; `output` reads them from there.
        unsafe { complete::<Self>(req, status) }
    }
}

// SAFETY: uv_getnameinfo_t is the request of this kind, its callback completes it, and
// uv_cancel accepts it. The names live inside the request: nothing to release.
unsafe impl Kind for Getnameinfo {
    type Req = sys::uv_getnameinfo_t;
    type Raw = c_int;
    type Callback = sys::uv_getnameinfo_cb;
    const CALLBACK: sys::uv_getnameinfo_cb = Some(Self::callback);
    const CANCEL: bool = true;
}

// SAFETY: the names are copied out; the request holds nothing else.
unsafe impl Completion for Getnameinfo {
    type Kind = Getnameinfo;
    type Output = NameInfo;

    unsafe fn output(req: *mut sys::uv_getnameinfo_t, status: c_int) -> Result<NameInfo, UvError> {
        UvError::check(status)?;
        // SAFETY: on success libuv NUL-terminated both arrays inside the request.
        let (host, service) = unsafe { (cstr_in(&(*req).host), cstr_in(&(*req).service)) };
        Ok(NameInfo { host, service })
    }
}

fn cstr_in(chars: &[c_char]) -> String {
    // SAFETY: c_char and u8 have the same size and alignment.
    let bytes = unsafe { std::slice::from_raw_parts(chars.as_ptr().cast::<u8>(), chars.len()) };
    CStr::from_bytes_until_nul(bytes)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The host and service names `uv_getnameinfo` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameInfo {
    /// The host name (or numeric address, with `NI_NUMERICHOST`).
    pub host: String,
    /// The service name (or port number).
    pub service: String,
}
