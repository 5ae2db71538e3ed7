//! The one place that knows libuv's request kinds: which request type belongs to which
//! callback type, which runtime kind completes it, and what its future resolves to.

use proc_macro2::{Span, TokenStream};
use quote::quote;

/// One kind of libuv request.
pub(crate) struct Kind {
    /// The kind's name, as the runtime spells it: `::uvco::__private::<name>`.
    pub(crate) name: &'static str,
    /// The request struct, e.g. `uv_fs_t`.
    pub(crate) request: &'static str,
    /// The callback type libuv calls when the request completes, e.g. `uv_fs_cb`.
    pub(crate) callback: &'static str,
    /// What the request produces on success: a type in `::uvco::kind`, or `None` for `()`.
    pub(crate) output: Option<&'static str>,
}

/// Every request kind uvco can await.
pub(crate) const KINDS: &[Kind] = &[
    Kind {
        name: "Fs",
        request: "uv_fs_t",
        callback: "uv_fs_cb",
        output: Some("FsDone"),
    },
    Kind {
        name: "Getaddrinfo",
        request: "uv_getaddrinfo_t",
        callback: "uv_getaddrinfo_cb",
        output: Some("AddrInfoList"),
    },
    Kind {
        name: "Getnameinfo",
        request: "uv_getnameinfo_t",
        callback: "uv_getnameinfo_cb",
        output: Some("NameInfo"),
    },
    Kind {
        name: "Write",
        request: "uv_write_t",
        callback: "uv_write_cb",
        output: None,
    },
    Kind {
        name: "Connect",
        request: "uv_connect_t",
        callback: "uv_connect_cb",
        output: None,
    },
    Kind {
        name: "Shutdown",
        request: "uv_shutdown_t",
        callback: "uv_shutdown_cb",
        output: None,
    },
    Kind {
        name: "UdpSend",
        request: "uv_udp_send_t",
        callback: "uv_udp_send_cb",
        output: None,
    },
    Kind {
        name: "Work",
        request: "uv_work_t",
        callback: "uv_after_work_cb",
        output: None,
    },
    Kind {
        name: "Random",
        request: "uv_random_t",
        callback: "uv_random_cb",
        output: None,
    },
];

/// Types that end in `_cb` but are ordinary arguments, not completion callbacks: the work
/// function `uv_queue_work` runs on the threadpool.
const ARGUMENT_CALLBACKS: &[&str] = &["uv_work_cb"];

/// The kind whose request struct is `request`, e.g. `uv_fs_t`.
pub(crate) fn by_request(request: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|kind| kind.request == request)
}

/// Whether a parameter of type `ty` (the last segment of its path) is a completion callback.
pub(crate) fn is_callback_type(ty: &str) -> bool {
    ty.ends_with("_cb") && !ARGUMENT_CALLBACKS.contains(&ty)
}

/// The known request types as a readable list, for error messages.
pub(crate) fn request_list() -> String {
    let names: Vec<String> = KINDS
        .iter()
        .map(|kind| format!("`{}`", kind.request))
        .collect();
    names.join(", ")
}

impl Kind {
    /// `::uvco::__private::Fs`: the runtime type that completes this kind.
    pub(crate) fn runtime_path(&self, krate: &TokenStream) -> TokenStream {
        let name = self.ident();
        quote!(#krate::__private::#name)
    }

    /// `Fs`: the runtime type's name.
    pub(crate) fn ident(&self) -> syn::Ident {
        syn::Ident::new(self.name, Span::call_site())
    }

    /// The success type as the documentation spells it.
    pub(crate) fn output_name(&self) -> &'static str {
        self.output.unwrap_or("()")
    }
}
