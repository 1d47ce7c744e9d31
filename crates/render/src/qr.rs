//! QR codes as vector squares (no raster image), so they stay sharp at any print resolution.

use qrcodegen::{QrCode, QrCodeEcc};

use crate::canvas::Rect;
use crate::error::RenderError;

/// Quiet zone the QR standard asks for around the symbol, in modules.
pub(crate) const QUIET_MODULES: i32 = 4;

/// The dark modules of a QR code for `text`, placed in the square `(x, y, side)` which includes
/// the quiet zone. Dark modules in a row are merged into one rectangle.
pub(crate) fn qr_squares(text: &str, x: f32, y: f32, side: f32) -> Result<Vec<Rect>, RenderError> {
    // Medium error correction (15 %) survives a fold or a pen mark across the code.
    let code = QrCode::encode_text(text, QrCodeEcc::Medium)
        .map_err(|_| RenderError::Unprintable(format!("mã QR quá dài: {text}")))?;
    let n = code.size();
    let module = side / (n + 2 * QUIET_MODULES) as f32;
    let origin_x = x + QUIET_MODULES as f32 * module;
    let origin_y = y + QUIET_MODULES as f32 * module;
    let mut rects = Vec::new();
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if code.get_module(col, row) {
                let start = col;
                while col < n && code.get_module(col, row) {
                    col += 1;
                }
                rects.push(Rect::new(
                    origin_x + start as f32 * module,
                    origin_y + row as f32 * module,
                    (col - start) as f32 * module,
                    module,
                ));
            } else {
                col += 1;
            }
        }
    }
    Ok(rects)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squares_cover_the_dark_modules_inside_the_quiet_zone() {
        let text = "DH-12-R1 1/1";
        let rects = qr_squares(text, 10.0, 20.0, 100.0).unwrap();
        let code = QrCode::encode_text(text, QrCodeEcc::Medium).unwrap();
        let n = code.size();
        let module = 100.0 / (n + 8) as f32;
        let dark = (0..n)
            .flat_map(|r| (0..n).map(move |c| (c, r)))
            .filter(|&(c, r)| code.get_module(c, r))
            .count();
        let covered: f32 = rects.iter().map(|r| r.width / module).sum();
        assert_eq!(covered.round() as usize, dark);
        let inner = Rect::new(
            10.0 + 4.0 * module,
            20.0 + 4.0 * module,
            n as f32 * module,
            n as f32 * module,
        );
        assert!(rects.iter().all(|r| inner.contains(r)));
        // Finder pattern: the top-left module is dark.
        assert!(rects.iter().any(|r| (r.x - inner.x).abs() < 1e-3 && (r.y - inner.y).abs() < 1e-3));
    }

    #[test]
    fn too_long_text_is_an_error_not_a_panic() {
        let text = "9".repeat(10_000);
        assert!(matches!(qr_squares(&text, 0.0, 0.0, 50.0), Err(RenderError::Unprintable(_))));
    }
}
