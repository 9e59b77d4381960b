//! Text as people write it, turned into what pages show.

pub mod markdown;
