//! The demo partner portal's own images, drawn here so that the binary
//! carries no image file: two interlaced rings (a partnership) under a small
//! sun, white and amber on Lumen Partners' green, in a rounded square.

use crate::service::{Error, Result};
use image::{ImageFormat, Rgba, RgbaImage};
use std::io::Cursor;

const GREEN: [f32; 3] = [11.0, 122.0, 90.0];
const DEEP: [f32; 3] = [8.0, 84.0, 62.0];
const WHITE: [f32; 3] = [255.0, 255.0, 255.0];
const AMBER: [f32; 3] = [255.0, 200.0, 87.0];

/// How much of the pixel at (x, y) in a unit square a shape covers, from
/// its signed distance (negative inside), with one pixel of soft edge.
fn cover(distance: f32, pixel: f32) -> f32 {
    (0.5 - distance / pixel).clamp(0.0, 1.0)
}

fn rounded_square(x: f32, y: f32, radius: f32) -> f32 {
    let q = |v: f32| (v - 0.5).abs() - (0.5 - radius);
    let (qx, qy) = (q(x), q(y));
    let outside = (qx.max(0.0).powi(2) + qy.max(0.0).powi(2)).sqrt();
    outside + qx.max(qy).min(0.0) - radius
}

fn ring(x: f32, y: f32, cx: f32, cy: f32, r: f32, width: f32) -> f32 {
    (((x - cx).powi(2) + (y - cy).powi(2)).sqrt() - r).abs() - width / 2.0
}

fn disc(x: f32, y: f32, cx: f32, cy: f32, r: f32) -> f32 {
    ((x - cx).powi(2) + (y - cy).powi(2)).sqrt() - r
}

fn mix(under: [f32; 3], over: [f32; 3], a: f32) -> [f32; 3] {
    [
        under[0] + (over[0] - under[0]) * a,
        under[1] + (over[1] - under[1]) * a,
        under[2] + (over[2] - under[2]) * a,
    ]
}

/// The mark as a `size`×`size` PNG.
pub fn mark_png(size: u32) -> Result<Vec<u8>> {
    let px = 1.0 / size as f32;
    let img = RgbaImage::from_fn(size, size, |i, j| {
        let (x, y) = ((i as f32 + 0.5) * px, (j as f32 + 0.5) * px);
        let shape = cover(rounded_square(x, y, 0.22), px);
        // A darker lower half gives the square some depth.
        let mut c = mix(GREEN, DEEP, (y - 0.35).clamp(0.0, 0.65) / 0.65);
        let bg = c;
        c = mix(c, AMBER, cover(disc(x, y, 0.5, 0.27, 0.09), px));
        let width = 0.075;
        let (left, right) = (
            |w: f32| cover(ring(x, y, 0.39, 0.6, 0.17, w), px),
            |w: f32| cover(ring(x, y, 0.61, 0.6, 0.17, w), px),
        );
        // Interlaced: near the upper crossing the right ring passes over the
        // left one (a gap of the background around it), near the lower one under it.
        let near = |cy: f32| disc(x, y, 0.5, cy, 0.1) < 0.0;
        let (under, over): (&dyn Fn(f32) -> f32, &dyn Fn(f32) -> f32) = if near(0.47) {
            (&left, &right)
        } else {
            (&right, &left)
        };
        c = mix(c, WHITE, under(width));
        if near(0.47) || near(0.73) {
            c = mix(c, bg, over(width * 1.9));
        }
        c = mix(c, WHITE, over(width));
        let to_u8 = |v: f32| v.round().clamp(0.0, 255.0) as u8;
        Rgba([to_u8(c[0]), to_u8(c[1]), to_u8(c[2]), to_u8(shape * 255.0)])
    });
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .map_err(|e| Error::Internal(format!("demo image: {e}")))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_marks_are_pngs_the_portal_accepts() {
        for size in [64, 160] {
            let png = super::mark_png(size).unwrap();
            let img = crate::portals::Image::parse(png).unwrap();
            assert_eq!(img.content_type, "image/png");
        }
    }
}
