//! A hash of what a page's template is given, taken by serialising the
//! page's values straight into a hasher.
//!
//! Why a serializer of our own: `serve` takes the fingerprint of every page
//! of the site at each save, ten thousand articles' worth, within its 100 ms.
//! Writing the values out as JSON (or any text format) and hashing that
//! costs several times more than hashing them: numbers are formatted and
//! strings escaped only to be thrown away. No crate hashes a serde value
//! without formatting it, and a hasher needs no format that can be read
//! back, so this one feeds each value's bytes, with a tag for its kind and
//! the length of each string and list, to the hasher.

use std::hash::Hasher;

use serde::ser::{self, Serialize};

/// Feeds `value` into `hasher`. A value that cannot be serialised (which
/// would also fail to render) gives `Err`.
pub fn hash_into<T: Serialize + ?Sized>(value: &T, hasher: &mut impl Hasher) -> Result<(), Error> {
    value.serialize(&mut ViewHasher { hasher })
}

#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

struct ViewHasher<'h, H: Hasher> {
    hasher: &'h mut H,
}

/// Kinds of value, so that `[]` then `"a"` differs from `["a"]`.
mod tag {
    pub const UNIT: u8 = 0;
    pub const FALSE: u8 = 1;
    pub const TRUE: u8 = 2;
    pub const INT: u8 = 3;
    pub const FLOAT: u8 = 4;
    pub const STR: u8 = 5;
    pub const BYTES: u8 = 6;
    pub const NONE: u8 = 7;
    pub const SOME: u8 = 8;
    pub const SEQ: u8 = 9;
    pub const MAP: u8 = 10;
    pub const VARIANT: u8 = 11;
    pub const END: u8 = 12;
}

impl<H: Hasher> ViewHasher<'_, H> {
    fn str(&mut self, text: &str) {
        self.hasher.write_u8(tag::STR);
        self.hasher.write_usize(text.len());
        self.hasher.write(text.as_bytes());
    }

    fn int(&mut self, value: i128) {
        self.hasher.write_u8(tag::INT);
        self.hasher.write_i128(value);
    }
}

impl<H: Hasher> ser::Serializer for &mut ViewHasher<'_, H> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    /// Bodies' HTML is left out (see `views::BodyHtml`).
    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.hasher.write_u8(if v { tag::TRUE } else { tag::FALSE });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.int(v.into());
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.int(v.into());
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.int(v.into());
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.int(v.into());
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.int(v.into());
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.int(v.into());
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.int(v.into());
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.int(v.into());
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.hasher.write_u8(tag::INT);
        self.hasher.write_u128(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.hasher.write_u8(tag::FLOAT);
        self.hasher.write_u64(v.to_bits());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.str(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.str(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.hasher.write_u8(tag::BYTES);
        self.hasher.write_usize(v.len());
        self.hasher.write(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.hasher.write_u8(tag::NONE);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        self.hasher.write_u8(tag::SOME);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.hasher.write_u8(tag::UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
    ) -> Result<(), Error> {
        self.hasher.write_u8(tag::VARIANT);
        self.hasher.write_u32(index);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.hasher.write_u8(tag::VARIANT);
        self.hasher.write_u32(index);
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Error> {
        self.hasher.write_u8(tag::SEQ);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.hasher.write_u8(tag::VARIANT);
        self.hasher.write_u32(index);
        self.hasher.write_u8(tag::SEQ);
        Ok(self)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Error> {
        self.hasher.write_u8(tag::MAP);
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self, Error> {
        self.hasher.write_u8(tag::MAP);
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.hasher.write_u8(tag::VARIANT);
        self.hasher.write_u32(index);
        self.hasher.write_u8(tag::MAP);
        Ok(self)
    }
}

impl<H: Hasher> ViewHasher<'_, H> {
    fn end(&mut self) -> Result<(), Error> {
        self.hasher.write_u8(tag::END);
        Ok(())
    }
}

macro_rules! elements {
    ($trait:ident, $method:ident) => {
        impl<H: Hasher> ser::$trait for &mut ViewHasher<'_, H> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Error> {
                ViewHasher::end(self)
            }
        }
    };
}

elements!(SerializeSeq, serialize_element);
elements!(SerializeTuple, serialize_element);
elements!(SerializeTupleStruct, serialize_field);
elements!(SerializeTupleVariant, serialize_field);

impl<H: Hasher> ser::SerializeMap for &mut ViewHasher<'_, H> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Error> {
        ViewHasher::end(self)
    }
}

macro_rules! fields {
    ($trait:ident) => {
        impl<H: Hasher> ser::$trait for &mut ViewHasher<'_, H> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                // Names too: a field the template no longer gets (skipped
                // when empty) must not leave the next field's hash alike.
                self.str(key);
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Error> {
                ViewHasher::end(self)
            }
        }
    };
}

fields!(SerializeStruct);
fields!(SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use rustc_hash::FxHasher;
    use serde::Serialize;

    fn hash<T: Serialize + ?Sized>(value: &T) -> u64 {
        let mut h = FxHasher::default();
        hash_into(value, &mut h).unwrap();
        h.finish()
    }

    #[derive(Serialize)]
    struct Card<'a> {
        title: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        cover: Option<&'a str>,
        reads: u64,
        tags: Vec<&'a str>,
    }

    #[test]
    fn equal_values_hash_alike_and_any_change_shows() {
        let card = |title, cover, reads, tags| Card {
            title,
            cover,
            reads,
            tags,
        };
        let base = hash(&card("反诈", None, 3, vec!["助老"]));
        assert_eq!(base, hash(&card("反诈", None, 3, vec!["助老"])));
        for other in [
            card("反诈宣讲", None, 3, vec!["助老"]),
            card("反诈", Some("a.jpg"), 3, vec!["助老"]),
            card("反诈", None, 4, vec!["助老"]),
            card("反诈", None, 3, vec!["助", "老"]),
            card("反诈", None, 3, vec![]),
        ] {
            assert_ne!(base, hash(&other));
        }
    }

    #[test]
    fn where_a_list_ends_is_part_of_the_hash() {
        assert_ne!(
            hash(&(vec!["a"], vec!["b"])),
            hash(&(vec!["a", "b"], Vec::<&str>::new()))
        );
        assert_ne!(hash(&("ab", "c")), hash(&("a", "bc")));
        assert_ne!(
            hash(&serde_json::json!({"a": 1})),
            hash(&serde_json::json!({"a": "1"}))
        );
    }
}
