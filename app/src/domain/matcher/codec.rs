//! A small binary format for what the browser downloads: LEB128 varints, little-endian floats,
//! length-prefixed UTF-8. Reading never panics: a short or malformed input is a `CodecError`.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    #[error("the data ends early")]
    Truncated,
    #[error("not a FAQ pack (wrong magic bytes or format version)")]
    WrongFormat,
    #[error("a number is too large")]
    Overflow,
    #[error("a text is not UTF-8")]
    BadText,
    #[error("inconsistent data: {0}")]
    Inconsistent(&'static str),
}

#[derive(Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn raw(&mut self, b: &[u8]) {
        self.bytes.extend_from_slice(b);
    }

    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    pub fn varint(&mut self, mut v: u64) {
        loop {
            let low = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.bytes.push(low);
                return;
            }
            self.bytes.push(low | 0x80);
        }
    }

    /// Signed integers zig-zag encoded, so small negatives stay short.
    pub fn svarint(&mut self, v: i64) {
        self.varint(((v << 1) ^ (v >> 63)) as u64);
    }

    pub fn len(&mut self, n: usize) {
        self.varint(n as u64);
    }

    pub fn f32(&mut self, v: f32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.bytes.extend_from_slice(s.as_bytes());
    }
}

pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    pub fn is_done(&self) -> bool {
        self.at == self.bytes.len()
    }

    pub fn raw(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        let end = self.at.checked_add(n).ok_or(CodecError::Truncated)?;
        let out = self.bytes.get(self.at..end).ok_or(CodecError::Truncated)?;
        self.at = end;
        Ok(out)
    }

    pub fn u8(&mut self) -> Result<u8, CodecError> {
        Ok(self.raw(1)?[0])
    }

    pub fn varint(&mut self) -> Result<u64, CodecError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            let part = (b & 0x7f) as u64;
            if shift == 63 && part > 1 {
                return Err(CodecError::Overflow);
            }
            v |= part << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(CodecError::Overflow)
    }

    pub fn svarint(&mut self) -> Result<i64, CodecError> {
        let v = self.varint()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }

    /// A count of items that each take at least one byte: never more than the bytes left, so
    /// a corrupt count cannot make the reader reserve gigabytes.
    pub fn len(&mut self) -> Result<usize, CodecError> {
        let n = self.varint()?;
        if n > (self.bytes.len() - self.at) as u64 {
            return Err(CodecError::Truncated);
        }
        Ok(n as usize)
    }

    pub fn f32(&mut self) -> Result<f32, CodecError> {
        let b = self.raw(4)?;
        Ok(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn finite_f32(&mut self) -> Result<f32, CodecError> {
        let v = self.f32()?;
        if v.is_finite() {
            Ok(v)
        } else {
            Err(CodecError::Inconsistent("a number is not finite"))
        }
    }

    pub fn str(&mut self) -> Result<String, CodecError> {
        let n = self.len()?;
        let b = self.raw(n)?;
        std::str::from_utf8(b).map(str::to_owned).map_err(|_| CodecError::BadText)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let mut w = Writer::default();
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            w.varint(v);
        }
        for v in [0i64, -1, 1, -64, 64, i64::MIN, i64::MAX] {
            w.svarint(v);
        }
        w.f32(-1.5);
        w.str("배송 😀 ok");
        let mut r = Reader::new(&w.bytes);
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            assert_eq!(r.varint(), Ok(v));
        }
        for v in [0i64, -1, 1, -64, 64, i64::MIN, i64::MAX] {
            assert_eq!(r.svarint(), Ok(v));
        }
        assert_eq!(r.f32(), Ok(-1.5));
        assert_eq!(r.str().as_deref(), Ok("배송 😀 ok"));
        assert!(r.is_done());
        assert_eq!(r.u8(), Err(CodecError::Truncated));

        assert_eq!(Reader::new(&[0xff; 11]).varint(), Err(CodecError::Overflow));
        assert_eq!(Reader::new(&[0x80]).varint(), Err(CodecError::Truncated));
        // a length longer than the data is refused before anything is allocated
        assert_eq!(Reader::new(&[0xff, 0xff, 0xff, 0x7f, b'a']).str(), Err(CodecError::Truncated));
        assert_eq!(Reader::new(&[2, 0xff, 0xfe]).str(), Err(CodecError::BadText));
        let mut nan = Writer::default();
        nan.f32(f32::NAN);
        assert!(Reader::new(&nan.bytes).finite_f32().is_err());
    }
}
