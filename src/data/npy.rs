//! The `.npy` format, versions 1.0, 2.0 and 3.0: the header is parsed here
//! (a Python dictionary literal of any length and layout numpy accepts) so
//! that its shape can be checked against the file's length before the
//! array is allocated.

use crate::runtime::Data;
use ndarray::{ArrayD, IxDyn, ShapeBuilder};
use std::io::Read;

/// What the header says.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub descr: String,
    pub fortran_order: bool,
    pub shape: Vec<u64>,
    /// Where the data starts in the file.
    pub data_offset: u64,
}

/// The element types lossc reads, with their byte order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ElementType {
    kind: Kind,
    big_endian: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    F32,
    F64,
    I32,
    I64,
    Bool,
}

impl ElementType {
    /// `<f4`, `>f8`, `=i4`, `|b1`, `?`…: a byte-order mark (`<` little, `>`
    /// big, `=` native, `|` not applicable, which numpy reads as native) and
    /// a type code.
    pub fn parse(descr: &str) -> Option<ElementType> {
        let (order, code) = match descr.chars().next()? {
            c @ ('<' | '>' | '=' | '|') => (c, &descr[1..]),
            _ => ('=', descr),
        };
        let kind = match code {
            "f4" => Kind::F32,
            "f8" => Kind::F64,
            "i4" => Kind::I32,
            "i8" => Kind::I64,
            "b1" | "?" => Kind::Bool,
            _ => return None,
        };
        let big_endian = match order {
            '<' => false,
            '>' => true,
            _ => cfg!(target_endian = "big"),
        };
        Some(ElementType { kind, big_endian })
    }

    /// Bytes per element.
    pub fn size(self) -> u64 {
        match self.kind {
            Kind::F32 | Kind::I32 => 4,
            Kind::F64 | Kind::I64 => 8,
            Kind::Bool => 1,
        }
    }
}

/// Read and parse the header of a file of `file_len` bytes.
pub fn read_header(file: &mut impl Read, file_len: u64) -> Result<Header, String> {
    let mut start = [0u8; 8];
    file.read_exact(&mut start)
        .map_err(|_| "not a .npy file (too short)".to_string())?;
    if &start[..6] != b"\x93NUMPY" {
        return Err("not a .npy file (bad magic number)".into());
    }
    let (major, minor) = (start[6], start[7]);
    let (header_len, prefix) = match major {
        1 => {
            let mut n = [0u8; 2];
            file.read_exact(&mut n)
                .map_err(|_| "truncated .npy header")?;
            (u64::from(u16::from_le_bytes(n)), 10)
        }
        2 | 3 => {
            let mut n = [0u8; 4];
            file.read_exact(&mut n)
                .map_err(|_| "truncated .npy header")?;
            (u64::from(u32::from_le_bytes(n)), 12)
        }
        _ => return Err(format!("unsupported .npy format version {major}.{minor}")),
    };
    if header_len > super::MAX_NPY_HEADER || prefix + header_len > file_len {
        return Err(format!(
            "malformed .npy header: it declares {header_len} bytes of header in a file of {file_len} bytes"
        ));
    }
    let mut raw = vec![0u8; header_len as usize];
    file.read_exact(&mut raw)
        .map_err(|_| "truncated .npy header")?;
    // Versions 1 and 2 are latin-1, version 3 UTF-8.
    let text: String = if major == 3 {
        String::from_utf8(raw).map_err(|_| "malformed .npy header: not UTF-8")?
    } else {
        raw.iter().map(|&b| char::from(b)).collect()
    };
    let mut header = parse_dict(&text).map_err(|e| format!("malformed .npy header: {e}"))?;
    header.data_offset = prefix + header_len;
    Ok(header)
}

/// The header's dictionary: `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
fn parse_dict(text: &str) -> Result<Header, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        at: 0,
    };
    let (mut descr, mut fortran, mut shape) = (None, None, None);
    p.expect(b'{')?;
    loop {
        p.skip_space();
        if p.eat(b'}') {
            break;
        }
        let key = p.string()?;
        p.expect(b':')?;
        match key.as_str() {
            "descr" => descr = Some(p.string()?),
            "fortran_order" => fortran = Some(p.boolean()?),
            "shape" => shape = Some(p.tuple()?),
            other => return Err(format!("unexpected key '{other}'")),
        }
        p.skip_space();
        if !p.eat(b',') {
            p.expect(b'}')?;
            break;
        }
    }
    Ok(Header {
        descr: descr.ok_or("no 'descr'")?,
        fortran_order: fortran.ok_or("no 'fortran_order'")?,
        shape: shape.ok_or("no 'shape'")?,
        data_offset: 0,
    })
}

struct Parser<'a> {
    s: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.s.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.skip_space();
        let hit = self.s.get(self.at) == Some(&c);
        self.at += usize::from(hit);
        hit
    }

    fn expect(&mut self, c: u8) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!("expected `{}` at byte {}", char::from(c), self.at))
        }
    }

    /// A quoted string without escapes (keys and type descriptors have none).
    fn string(&mut self) -> Result<String, String> {
        self.skip_space();
        let quote = match self.s.get(self.at) {
            Some(&q @ (b'\'' | b'"')) => q,
            _ => return Err(format!("expected a string at byte {}", self.at)),
        };
        let begin = self.at + 1;
        let len = self.s[begin..]
            .iter()
            .position(|&c| c == quote)
            .ok_or("unterminated string")?;
        self.at = begin + len + 1;
        Ok(String::from_utf8_lossy(&self.s[begin..begin + len]).into_owned())
    }

    fn boolean(&mut self) -> Result<bool, String> {
        self.skip_space();
        for (word, value) in [(&b"True"[..], true), (&b"False"[..], false)] {
            if self.s[self.at..].starts_with(word) {
                self.at += word.len();
                return Ok(value);
            }
        }
        Err(format!("expected True or False at byte {}", self.at))
    }

    /// `()`, `(3,)`, `(3, 4)`: non-negative integers.
    fn tuple(&mut self) -> Result<Vec<u64>, String> {
        self.expect(b'(')?;
        let mut out = Vec::new();
        loop {
            if self.eat(b')') {
                return Ok(out);
            }
            self.skip_space();
            let begin = self.at;
            while self.s.get(self.at).is_some_and(u8::is_ascii_digit) {
                self.at += 1;
            }
            // Python 2 headers may write `3L`.
            let digits = std::str::from_utf8(&self.s[begin..self.at]).unwrap_or("");
            if self.s.get(self.at) == Some(&b'L') {
                self.at += 1;
            }
            let n: u64 = digits
                .parse()
                .map_err(|_| format!("expected a dimension at byte {begin}"))?;
            out.push(n);
            if !self.eat(b',') {
                self.expect(b')')?;
                return Ok(out);
            }
        }
    }
}

/// The array the header describes, from exactly its data bytes.
pub fn to_data(bytes: &[u8], elem: ElementType, header: &Header) -> Result<Data, String> {
    let shape: Vec<usize> = header
        .shape
        .iter()
        .map(|&n| usize::try_from(n).map_err(|_| "a dimension overflows".to_string()))
        .collect::<Result<_, _>>()?;
    fn words<const N: usize, T>(
        bytes: &[u8],
        big: bool,
        f: fn([u8; N]) -> T,
        g: fn([u8; N]) -> T,
    ) -> Vec<T> {
        bytes
            .chunks_exact(N)
            .map(|c| {
                let a: [u8; N] = c.try_into().expect("chunks of N bytes");
                if big { g(a) } else { f(a) }
            })
            .collect()
    }
    let big = elem.big_endian;
    Ok(match elem.kind {
        Kind::F32 => Data::F32(array(
            &shape,
            header.fortran_order,
            words(bytes, big, f32::from_le_bytes, f32::from_be_bytes),
        )?),
        Kind::F64 => Data::F64(array(
            &shape,
            header.fortran_order,
            words(bytes, big, f64::from_le_bytes, f64::from_be_bytes),
        )?),
        Kind::I32 => Data::I32(array(
            &shape,
            header.fortran_order,
            words(bytes, big, i32::from_le_bytes, i32::from_be_bytes),
        )?),
        Kind::I64 => Data::I64(array(
            &shape,
            header.fortran_order,
            words(bytes, big, i64::from_le_bytes, i64::from_be_bytes),
        )?),
        Kind::Bool => {
            if let Some(b) = bytes.iter().find(|&&b| b > 1) {
                return Err(format!("a boolean element holds the byte {b}, not 0 or 1"));
            }
            Data::Bool(array(
                &shape,
                header.fortran_order,
                bytes.iter().map(|&b| b == 1).collect(),
            )?)
        }
    })
}

/// A row-major array; Fortran-ordered data is transposed into row-major order.
fn array<T: Clone>(shape: &[usize], fortran: bool, values: Vec<T>) -> Result<ArrayD<T>, String> {
    let a = if fortran {
        ArrayD::from_shape_vec(IxDyn(shape).f(), values)
    } else {
        ArrayD::from_shape_vec(IxDyn(shape), values)
    }
    .map_err(|e| e.to_string())?;
    Ok(if fortran {
        a.as_standard_layout().into_owned()
    } else {
        a
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(version: u8, dict: &str, data: &[u8]) -> Vec<u8> {
        let mut out = b"\x93NUMPY".to_vec();
        out.extend([version, 0]);
        if version == 1 {
            out.extend((dict.len() as u16).to_le_bytes());
        } else {
            out.extend((dict.len() as u32).to_le_bytes());
        }
        out.extend(dict.as_bytes());
        out.extend(data);
        out
    }

    fn read(bytes: &[u8]) -> Result<Data, String> {
        let header = read_header(&mut &bytes[..], bytes.len() as u64)?;
        let elem = ElementType::parse(&header.descr).ok_or("dtype")?;
        to_data(&bytes[header.data_offset as usize..], elem, &header)
    }

    #[test]
    fn every_byte_order_mark_and_version() {
        let le: Vec<u8> = [1.0f32, 2.0].iter().flat_map(|x| x.to_le_bytes()).collect();
        let be: Vec<u8> = [1.0f32, 2.0].iter().flat_map(|x| x.to_be_bytes()).collect();
        let want = Data::F32(ArrayD::from_shape_vec(IxDyn(&[2]), vec![1.0, 2.0]).unwrap());
        for (descr, data) in [
            ("<f4", &le),
            (">f4", &be),
            ("=f4", &le),
            ("|f4", &le),
            ("f4", &le),
        ] {
            for version in [1, 2, 3] {
                let dict =
                    format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': (2,), }}");
                assert_eq!(
                    read(&file(version, &dict, data)).unwrap(),
                    want,
                    "{descr} v{version}"
                );
            }
        }
        // Double quotes, no trailing comma, another key order, a long padded header.
        let dict = format!(
            "{{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<f4\"}}{}\n",
            " ".repeat(1000)
        );
        assert_eq!(read(&file(1, &dict, &le)).unwrap(), want);
    }

    #[test]
    fn fortran_order_is_transposed_and_scalars_read() {
        let data: Vec<u8> = [1i64, 4, 2, 5, 3, 6]
            .iter()
            .flat_map(|x| x.to_le_bytes())
            .collect();
        let dict = "{'descr': '<i8', 'fortran_order': True, 'shape': (2, 3), }";
        let Data::I64(a) = read(&file(1, dict, &data)).unwrap() else {
            panic!()
        };
        assert_eq!(a.as_slice().unwrap(), &[1, 2, 3, 4, 5, 6]);
        let dict = "{'descr': '|b1', 'fortran_order': False, 'shape': (), }";
        assert_eq!(
            read(&file(1, dict, &[1])).unwrap(),
            Data::Bool(ArrayD::from_elem(IxDyn(&[]), true))
        );
        assert!(
            read(&file(1, dict, &[7]))
                .unwrap_err()
                .contains("not 0 or 1")
        );
    }

    #[test]
    fn malformed_headers_are_errors() {
        for dict in [
            "{'descr': '<f4', 'shape': (2,)}",
            "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}",
            "['descr']",
            "{'descr: '<f4'",
        ] {
            assert!(read(&file(1, dict, &[0; 8])).is_err(), "{dict}");
        }
        assert!(
            read(b"\x93NUMPY\x01\x00\xff\xff{")
                .unwrap_err()
                .contains("declares")
        );
        assert!(read(b"\x93NUMPX\x01\x00").is_err());
        assert!(read(&file(4, "{}", &[])).unwrap_err().contains("version"));
    }
}
