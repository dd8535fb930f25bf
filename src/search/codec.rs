//! The bit-level codes of the index files: LEB128 varints for headers and
//! exponential-Golomb codes of order k for the gaps between document numbers
//! and positions. An order is chosen per list (the one that makes it
//! shortest), so a list of close numbers costs a bit or two per number and a
//! list of scattered ones little more than their magnitude. `search.js`
//! decodes the same codes.

/// Appends `value` as an unsigned LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7F) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Bytes of `value` as a varint.
pub fn varint_len(value: u64) -> usize {
    (64 - value.leading_zeros()).max(1).div_ceil(7) as usize
}

/// Reads a varint at `*at`, moving past it; `None` past the end.
pub fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    let mut shift = 0;
    loop {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// Bits of `value` in the exponential-Golomb code of order `k`.
pub fn eg_len(value: u32, k: u32) -> u64 {
    let x = u64::from(value) + (1u64 << k);
    let bits = 64 - u64::from(x.leading_zeros());
    2 * bits - u64::from(k) - 1
}

/// An order that codes `values` in (nearly) the fewest bits, and how many
/// bits they take in it. Chosen from counts of the values, in one pass over
/// them rather than one per order: for a value of `b` bits the code of
/// order `k` takes `k + 1` bits when `b <= k`, and `2b - k - 1` otherwise,
/// or two more when adding `2^k` carries into a new bit. The order best
/// without the carries is the guess; the orders beside it are counted
/// exactly, carries included.
pub fn best_order(values: impl Iterator<Item = u32>) -> (u32, u64) {
    // Values by the lowest order whose `2^k` carries in them: their length
    // less the ones they start with. It carries for every order from that
    // one to their length less one.
    // Two sets of counts, for values in turn: one value's count then waits
    // on the one before last rather than on the last, which is most often
    // the same count (a list's gaps are much alike).
    let mut by_length = [[0u64; 33]; 2];
    let mut by_carry = [[0u64; 33]; 2];
    let mut count = |set: usize, value: u32| {
        let length = 32 - value.leading_zeros();
        by_length[set][length as usize] += 1;
        let ones = (!value.wrapping_shl(32 - length)).leading_zeros();
        by_carry[set][(length - ones) as usize] += 1;
    };
    let mut values = values;
    while let Some(value) = values.next() {
        count(0, value);
        match values.next() {
            Some(value) => count(1, value),
            None => break,
        }
    }
    let by_length: [u64; 33] = std::array::from_fn(|b| by_length[0][b] + by_length[1][b]);
    let by_carry: [u64; 33] = std::array::from_fn(|b| by_carry[0][b] + by_carry[1][b]);
    // Most lists are short with small numbers: only the lengths present,
    // and orders up to the longest, are worth counting.
    let longest = by_length.iter().rposition(|&count| count > 0).unwrap_or(0);
    let estimate = |k: u32| -> u64 {
        by_length[..=longest]
            .iter()
            .enumerate()
            .map(|(b, &count)| {
                let b = b as u64;
                let k = u64::from(k);
                count * if b <= k { k + 1 } else { 2 * b - k - 1 }
            })
            .sum()
    };
    let guess = (0..=(longest as u32).min(MAX_ORDER))
        .min_by_key(|&k| (estimate(k), k))
        .unwrap_or(0);
    // The values that carry in order `k`: those whose lowest such order is
    // `k` or less, but not their length.
    let exact = |k: u32| -> u64 {
        let upto = |counts: &[u64; 33]| counts[..=k as usize].iter().sum::<u64>();
        estimate(k) + 2 * (upto(&by_carry) - upto(&by_length))
    };
    let low = guess.saturating_sub(1);
    let high = (guess + 1).min(MAX_ORDER);
    (low..=high)
        .map(|k| (k, exact(k)))
        .min_by_key(|&(k, bits)| (bits, k))
        .unwrap_or((0, 0))
}

/// The largest order written; keeps every code word within 32 bits for values below 2^24.
pub const MAX_ORDER: u32 = 24;

/// Writes bits most significant first, four bytes at a time: most codes
/// are a few bits, and writing each byte as it filled cost a check apiece.
#[derive(Default)]
pub struct BitWriter {
    bytes: Vec<u8>,
    /// Bits not yet written out, right-aligned; fewer than 32 between calls.
    pending: u64,
    filled: u32,
}

impl BitWriter {
    /// A writer that appends after `bytes` (a header), from a new byte.
    pub fn new(bytes: Vec<u8>) -> Self {
        BitWriter {
            bytes,
            pending: 0,
            filled: 0,
        }
    }

    pub fn bit(&mut self, one: bool) {
        self.bits(u64::from(one), 1);
    }

    /// The low `count` bits of `value` (at most 64), most significant first.
    pub fn bits(&mut self, value: u64, count: u32) {
        if count > 32 {
            self.bits(value >> 32, count - 32);
            self.bits(value & 0xFFFF_FFFF, 32);
            return;
        }
        let mask = (1u64 << count) - 1;
        // Fewer than 32 pending and at most 32 more: they fit in 64.
        self.pending = (self.pending << count) | (value & mask);
        self.filled += count;
        if self.filled >= 32 {
            self.filled -= 32;
            let word = (self.pending >> self.filled) as u32;
            self.bytes.extend_from_slice(&word.to_be_bytes());
            self.pending &= (1u64 << self.filled) - 1;
        }
    }

    /// Exponential-Golomb code of order `k`.
    pub fn eg(&mut self, value: u32, k: u32) {
        let x = u64::from(value) + (1u64 << k);
        let bits = 64 - x.leading_zeros();
        // `bits - k - 1` zeros, then `x` in `bits` bits: which is `x` written
        // in `2 * bits - k - 1` bits, one call rather than two.
        self.bits(x, 2 * bits - k - 1);
    }

    /// The bytes, the last one padded with zero bits.
    pub fn finish(mut self) -> Vec<u8> {
        while self.filled >= 8 {
            self.filled -= 8;
            self.bytes.push((self.pending >> self.filled) as u8);
        }
        if self.filled > 0 {
            self.bytes.push((self.pending << (8 - self.filled)) as u8);
        }
        self.bytes
    }
}

/// Reads what [`BitWriter`] wrote, from a byte offset.
pub struct BitReader<'a> {
    bytes: &'a [u8],
    bit: usize,
}

impl<'a> BitReader<'a> {
    pub fn new(bytes: &'a [u8], byte_offset: usize) -> Self {
        BitReader {
            bytes,
            bit: byte_offset * 8,
        }
    }

    pub fn bit(&mut self) -> Option<bool> {
        let byte = self.bytes.get(self.bit / 8)?;
        let one = byte & (0x80 >> (self.bit % 8)) != 0;
        self.bit += 1;
        Some(one)
    }

    pub fn bits(&mut self, count: u32) -> Option<u64> {
        let mut value = 0u64;
        for _ in 0..count {
            value = value << 1 | u64::from(self.bit()?);
        }
        Some(value)
    }

    pub fn eg(&mut self, k: u32) -> Option<u32> {
        let mut zeros = 0;
        while !self.bit()? {
            zeros += 1;
            if zeros > 40 {
                return None;
            }
        }
        let rest = self.bits(zeros + k)?;
        let x = (1u64 << (zeros + k)) | rest;
        u32::try_from(x - (1u64 << k)).ok()
    }
}

/// FNV-1a, 32 bits: which bucket file a key is in. `search.js` hashes the
/// same UTF-8 bytes the same way.
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 0x811C_9DC5;
    for &byte in bytes {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// The version stamp of a built index: a digest of every record and every
/// file. BLAKE3 rather than a byte-at-a-time hash: it reads many bytes at
/// a time, and the stamp covers a hundred megabytes at 10,000 articles
/// (FNV-1a, a byte at a time, took about a tenth of a second of CPU there).
#[derive(Clone, Default)]
pub struct Stamp(blake3::Hasher);

impl Stamp {
    pub fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// The digest so far, as a number.
    pub fn value(&self) -> u64 {
        let digest = self.0.finalize();
        let mut head = [0; 8];
        head.copy_from_slice(&digest.as_bytes()[..8]);
        u64::from_le_bytes(head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        let mut out = Vec::new();
        for v in [0, 1, 127, 128, 300, 1 << 40] {
            let before = out.len();
            put_varint(&mut out, v);
            assert_eq!(out.len() - before, varint_len(v));
        }
        let mut at = 0;
        for v in [0, 1, 127, 128, 300, 1 << 40] {
            assert_eq!(get_varint(&out, &mut at), Some(v));
        }
        assert_eq!(get_varint(&out, &mut at), None);
    }

    #[test]
    fn exp_golomb_round_trip_and_lengths() {
        let values = [0u32, 1, 2, 3, 7, 8, 255, 256, 4000, 70000, (1 << 24) - 1];
        for k in [0, 1, 3, 8, 12, MAX_ORDER] {
            let mut writer = BitWriter::new(vec![9]);
            let mut bits = 0;
            for &v in &values {
                writer.eg(v, k);
                bits += eg_len(v, k);
            }
            let bytes = writer.finish();
            assert_eq!(bytes.len() as u64, 1 + bits.div_ceil(8));
            let mut reader = BitReader::new(&bytes, 1);
            for &v in &values {
                assert_eq!(reader.eg(k), Some(v), "order {k}");
            }
        }
        assert_eq!(eg_len(0, 0), 1);
        assert_eq!(eg_len(1, 0), 3);
        assert_eq!(best_order([1000u32, 1100, 900].into_iter()).0, 10);
    }

    /// The next number of a small deterministic generator (an LCG), so
    /// that a failure can be replayed.
    fn random(state: &mut u64) -> u64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *state
    }

    /// The order chosen from the count by bit length codes a list in no
    /// more than 1% over the best order found by trying them all.
    #[test]
    fn chosen_order_is_nearly_the_best() {
        let mut state = 7u64;
        let mut next = move || (random(&mut state) >> 33) as u32;
        for spread in [1u32, 4, 60, 1000, 65536, 1 << 22] {
            let values: Vec<u32> = (0..500)
                .map(|i| {
                    if i % 17 == 0 {
                        next() % (1 << 23)
                    } else {
                        next() % spread
                    }
                })
                .collect();
            let exhaustive = (0..=MAX_ORDER)
                .map(|k| values.iter().map(|&v| eg_len(v, k)).sum::<u64>())
                .min()
                .unwrap();
            let (k, bits) = best_order(values.iter().copied());
            assert_eq!(bits, values.iter().map(|&v| eg_len(v, k)).sum::<u64>());
            assert!(
                bits * 100 <= exhaustive * 101,
                "spread {spread}: {bits} vs {exhaustive}"
            );
        }
    }

    /// Counting the carries chooses the order, and gives the bits, that
    /// coding each value in the orders beside the guess gives.
    #[test]
    fn carries_counted_as_coding_counts_them() {
        let by_each_value = |values: &[u32]| {
            let length = |v: u32| 32 - v.leading_zeros();
            let no_carries = |k: u32| -> u64 {
                let bits = |b: u32| if b <= k { k + 1 } else { 2 * b - k - 1 };
                values.iter().map(|&v| u64::from(bits(length(v)))).sum()
            };
            let longest = values.iter().map(|&v| length(v)).max().unwrap_or(0);
            let guess = (0..=longest.min(MAX_ORDER))
                .min_by_key(|&k| (no_carries(k), k))
                .unwrap();
            (guess.saturating_sub(1)..=(guess + 1).min(MAX_ORDER))
                .map(|k| (k, values.iter().map(|&v| eg_len(v, k)).sum::<u64>()))
                .min_by_key(|&(k, bits)| (bits, k))
                .unwrap()
        };
        let mut state = 11u64;
        let mut next = move || (random(&mut state) >> 32) as u32;
        for round in 0..3000 {
            let values: Vec<u32> = (0..1 + round % 40)
                .map(|_| match next() % 4 {
                    // Ones at the top, which carry in many orders.
                    0 => (u32::MAX >> (next() % 32)) << (next() % 8),
                    1 => next() >> (next() % 32),
                    2 => next() % 300,
                    _ => u32::MAX >> (next() % 32),
                })
                .collect();
            let chosen = best_order(values.iter().copied());
            assert_eq!(chosen, by_each_value(&values), "{values:?}");
        }
        assert_eq!(best_order(std::iter::empty()), (0, 0));
    }

    #[test]
    fn fnv_matches_reference_values() {
        assert_eq!(fnv1a32(b""), 0x811C_9DC5);
        assert_eq!(fnv1a32(b"a"), 0xE40C_292C);
        assert_eq!(fnv1a32("反诈".as_bytes()), fnv1a32("反诈".as_bytes()));
    }
}
