//! Text as people write it, turned into what pages show.

mod csv;
pub mod markdown;

pub use csv::csv_cell;
