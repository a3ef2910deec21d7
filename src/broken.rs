//! Why a file's content cannot be read: one type for every reader of files — the inspection
//! of structure (`inspect`), of documents' text (`content`) and of workbooks (`ledger`).

/// Why a file's content cannot be read, in the words the report shows after `无法读取：`
/// (the caller names the file). A fixed reason — most are — costs no allocation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Broken(std::borrow::Cow<'static, str>);

impl Broken {
    /// A read that failed, as the report words it (permission, a broken link, …).
    pub fn io(e: &std::io::Error) -> Broken {
        Broken(describe_io(e).into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The reason, for the inspection's record.
    pub fn into_text(self) -> Box<str> {
        self.0.into()
    }
}

impl From<&'static str> for Broken {
    fn from(why: &'static str) -> Broken {
        Broken(why.into())
    }
}

impl From<String> for Broken {
    fn from(why: String) -> Broken {
        Broken(why.into())
    }
}

/// An I/O error as the report words it: permission and missing files in Chinese, others as
/// the system says them.
pub fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
        std::io::ErrorKind::NotFound => "文件不存在（可能是失效的符号链接）".to_string(),
        _ => e.to_string(),
    }
}
