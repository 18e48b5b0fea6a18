//! A rectangle of a picture: where the decoder saw finder patterns, so that the costly
//! enlargement can be spent on that part of a camera frame alone.

/// Pixels `left..right` × `top..bottom` of the picture a decoder pass ran on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Area {
    /// First column inside.
    pub left: usize,
    /// First row inside.
    pub top: usize,
    /// First column past the area.
    pub right: usize,
    /// First row past the area.
    pub bottom: usize,
}

impl Area {
    /// The box `left..=right` × `top..=bottom` grown by `margin` on every side, cut at zero
    /// (decoder coordinates may be slightly negative or beyond the picture).
    pub fn around(left: i32, top: i32, right: i32, bottom: i32, margin: i32) -> Area {
        let at = |v: i32| usize::try_from(v.max(0)).unwrap_or(0);
        Area {
            left: at(left.saturating_sub(margin)),
            top: at(top.saturating_sub(margin)),
            right: at(right.saturating_add(margin).saturating_add(1)),
            bottom: at(bottom.saturating_add(margin).saturating_add(1)),
        }
    }

    /// The smallest area holding both.
    pub fn union(self, other: Area) -> Area {
        Area {
            left: self.left.min(other.left),
            top: self.top.min(other.top),
            right: self.right.max(other.right),
            bottom: self.bottom.max(other.bottom),
        }
    }

    /// Grown on every side by its own longer side: where a code can be when only one or two
    /// of its three finder patterns were seen.
    pub fn grown(self) -> Area {
        let by = (self.right - self.left).max(self.bottom - self.top);
        Area {
            left: self.left.saturating_sub(by),
            top: self.top.saturating_sub(by),
            right: self.right.saturating_add(by),
            bottom: self.bottom.saturating_add(by),
        }
    }

    /// This area cut to a `width × height` picture; `None` if nothing is left.
    pub fn within(self, width: usize, height: usize) -> Option<Area> {
        let clipped = Area {
            left: self.left,
            top: self.top,
            right: self.right.min(width),
            bottom: self.bottom.min(height),
        };
        (clipped.left < clipped.right && clipped.top < clipped.bottom).then_some(clipped)
    }

    /// Width × height in pixels.
    pub fn pixels(self) -> usize {
        self.right.saturating_sub(self.left) * self.bottom.saturating_sub(self.top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn around_grows_by_the_margin_and_stops_at_zero() {
        let a = Area::around(5, 20, 30, 40, 10);
        assert_eq!((a.left, a.top, a.right, a.bottom), (0, 10, 41, 51));
    }

    #[test]
    fn union_and_within_combine_and_clip() {
        let a = Area::around(10, 10, 20, 20, 0).union(Area::around(50, 5, 60, 15, 0));
        assert_eq!((a.left, a.top, a.right, a.bottom), (10, 5, 61, 21));
        let clipped = a.within(40, 100).unwrap();
        assert_eq!(
            (clipped.right, clipped.bottom, clipped.pixels()),
            (40, 21, 30 * 16)
        );
        assert!(Area::around(50, 50, 60, 60, 0).within(40, 40).is_none());
        let grown = Area::around(30, 30, 49, 39, 0).grown(); // 20 × 10, grown by 20
        assert_eq!(
            (grown.left, grown.top, grown.right, grown.bottom),
            (10, 10, 70, 60)
        );
    }
}
