//! The matrix as an SVG image: black modules on a white square with the quiet zone, one path,
//! crisp edges at any size. For the web app (inline in the page, never a file by default).

use zeroize::Zeroizing;

use crate::QrMatrix;

/// An SVG document of `matrix` with `quiet_zone` light modules around it; one user unit per
/// module, so the caller sizes it with CSS. The document draws the secret: it is wiped on drop.
pub fn to_svg(matrix: &QrMatrix, quiet_zone: usize) -> Zeroizing<String> {
    let side = matrix.width() + 2 * quiet_zone;
    let mut out = Zeroizing::new(String::with_capacity(
        64 + matrix.width() * matrix.width() * 8,
    ));
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" \
         shape-rendering=\"crispEdges\"><rect width=\"{side}\" height=\"{side}\" \
         fill=\"#fff\"/><path fill=\"#000\" d=\""
    ));
    for y in 0..matrix.width() {
        let mut x = 0;
        while x < matrix.width() {
            if !matrix.is_dark(x, y) {
                x += 1;
                continue;
            }
            // One rectangle per horizontal run of dark modules.
            let start = x;
            while matrix.is_dark(x, y) {
                x += 1;
            }
            out.push_str(&format!(
                "M{} {}h{}v1h-{}z",
                start + quiet_zone,
                y + quiet_zone,
                x - start,
                x - start
            ));
        }
    }
    out.push_str("\"/></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode;

    /// Reads the path back into dark cells, independently of how it was written.
    fn cells(svg: &str) -> Vec<(usize, usize)> {
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let mut out = Vec::new();
        for rect in d.split('M').filter(|r| !r.is_empty()) {
            let (xy, rest) = rect.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let run: usize = rest.split('v').next().unwrap().parse().unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            out.extend((x..x + run).map(|x| (x, y)));
        }
        out
    }

    #[test]
    fn the_path_covers_exactly_the_dark_modules_inside_the_quiet_zone() {
        let matrix = encode("otpauth://totp/Zürich:Ève?secret=JBSWY3DPEHPK3PXP").unwrap();
        let svg = to_svg(&matrix, 4);
        let side = matrix.width() + 8;
        assert!(svg.starts_with(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\""
        )));
        let mut expected = Vec::new();
        for y in 0..matrix.width() {
            for x in 0..matrix.width() {
                if matrix.is_dark(x, y) {
                    expected.push((x + 4, y + 4));
                }
            }
        }
        assert_eq!(cells(&svg), expected);
    }
}
