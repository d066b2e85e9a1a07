//! Source files and spans.
//!
//! Every file the compiler reads (user specs, imported files, the built-in
//! prelude, `-e` snippets) is registered once in a [`SourceMap`] and named by a
//! [`FileId`]. A [`Span`] is a byte range inside one file; spans are what every
//! AST node, IR provenance record and diagnostic carries, and the map turns them
//! into `file:line:col` and the text of the line for rendering.

use std::path::{Path, PathBuf};

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range `start..end` in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both (both must be in the same file).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// One registered source text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Name shown in diagnostics: the path as given, `<prelude>` or `<inline>`.
    pub name: String,
    /// Canonical path on disk, for resolving `use` and detecting cycles.
    pub path: Option<PathBuf>,
    pub text: String,
    line_starts: Vec<usize>,
}

/// A resolved position: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    pub fn add(
        &mut self,
        name: impl Into<String>,
        path: Option<&Path>,
        text: impl Into<String>,
    ) -> FileId {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        self.files.push(SourceFile {
            name: name.into(),
            path: path.map(Path::to_path_buf),
            text,
            line_starts,
        });
        FileId(self.files.len() as u32 - 1)
    }

    /// How many files are registered.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The file registered under this canonical path, if any.
    pub fn find_path(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path.as_deref() == Some(path))
            .map(|i| FileId(i as u32))
    }

    pub fn position(&self, file: FileId, offset: u32) -> Position {
        let f = self.file(file);
        let offset = (offset as usize).min(f.text.len());
        let line = f.line_starts.partition_point(|&s| s <= offset) - 1;
        let col = f.text[f.line_starts[line]..offset].chars().count() + 1;
        Position {
            line: line + 1,
            col,
        }
    }

    /// Text of a 1-based line without its newline.
    pub fn line_text(&self, file: FileId, line: usize) -> &str {
        let f = self.file(file);
        let start = f.line_starts[line - 1];
        let end = f.line_starts.get(line).copied().unwrap_or(f.text.len());
        f.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn snippet(&self, span: Span) -> &str {
        let f = self.file(span.file);
        f.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    /// `name:line:col` of the start of a span.
    pub fn location(&self, span: Span) -> String {
        let p = self.position(span.file, span.start);
        format!("{}:{}:{}", self.file(span.file).name, p.line, p.col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let mut sm = SourceMap::new();
        let f = sm.add("a.loss", None, "ab\nçd x\n");
        assert_eq!(sm.position(f, 0), Position { line: 1, col: 1 });
        assert_eq!(sm.position(f, 3), Position { line: 2, col: 1 });
        // `x` follows a two-byte character.
        assert_eq!(sm.position(f, 7), Position { line: 2, col: 4 });
        assert_eq!(sm.line_text(f, 2), "çd x");
    }
}
