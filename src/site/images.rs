//! The images a site publishes, as plain data: for each referenced image,
//! the files it is published as. Made by `images::prepare` after loading;
//! pages and feeds read it to write `srcset` and sizes.

use std::collections::HashMap;
use std::path::PathBuf;

/// One published file of an image.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// Site path, e.g. `images/photo-480.jpg`.
    pub path: String,
    /// The file to copy it from (in the cache, or the source for a GIF).
    pub file: PathBuf,
    pub bytes: u64,
}

/// A referenced image with the files it is published as.
#[derive(Debug, Clone)]
pub struct Processed {
    /// Upright size of the source.
    pub width: u32,
    pub height: u32,
    /// Ascending width.
    pub variants: Vec<Variant>,
    /// Lossless WebP files of the same widths, when together they are smaller.
    pub webp: Vec<Variant>,
    /// The full-size copy at the original's path (`publish_originals`).
    pub original: Option<Variant>,
}

impl Processed {
    /// The size `src` falls back to: the largest up to 1024 pixels wide.
    pub fn default_variant(&self) -> &Variant {
        self.variants
            .iter()
            .rev()
            .find(|v| v.width <= 1024)
            .unwrap_or(&self.variants[0])
    }

    pub fn largest(&self) -> &Variant {
        self.variants.last().unwrap_or(&self.variants[0])
    }

    /// Every file published for the image.
    pub fn files(&self) -> impl Iterator<Item = &Variant> {
        self.variants
            .iter()
            .chain(&self.webp)
            .chain(self.original.as_ref())
    }
}

/// The processed images of a site, by path relative to `content/`.
#[derive(Debug, Default)]
pub struct ImageSet {
    images: HashMap<String, Processed>,
}

impl ImageSet {
    pub fn new(images: HashMap<String, Processed>) -> Self {
        ImageSet { images }
    }

    pub fn get(&self, rel: &str) -> Option<&Processed> {
        self.images.get(rel)
    }

    pub fn contains(&self, rel: &str) -> bool {
        self.images.contains_key(rel)
    }

    /// Every file of every image, in no particular order.
    pub fn files(&self) -> impl Iterator<Item = &Variant> {
        self.images.values().flat_map(Processed::files)
    }
}
