//! The origin secrets a deployment accepts: the current one, which the
//! front door sends, and during a rotation the one it replaces, so that
//! CloudFront edges still sending the old value are not refused while the
//! new one propagates (infra/README.md, "Rotate the origin secret").

use super::Secret;

/// `ORIGIN_SECRET` and, while a rotation is under way,
/// `ORIGIN_SECRET_PREVIOUS`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginSecrets {
    current: Secret,
    previous: Option<Secret>,
}

impl OriginSecrets {
    pub fn new(current: Secret, previous: Option<Secret>) -> Self {
        // The same value twice is one secret.
        let previous = previous.filter(|p| p != &current);
        Self { current, previous }
    }

    pub fn current(&self) -> &Secret {
        &self.current
    }

    /// Every accepted value: the current one first.
    pub fn accepted(&self) -> impl Iterator<Item = &Secret> {
        std::iter::once(&self.current).chain(self.previous.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_secret_is_accepted_beside_the_current_one() {
        let both = OriginSecrets::new(Secret::new("new"), Some(Secret::new("old")));
        let values: Vec<&str> = both.accepted().map(Secret::expose).collect();
        assert_eq!(values, ["new", "old"]);
        assert_eq!(both.current().expose(), "new");
        let same = OriginSecrets::new(Secret::new("one"), Some(Secret::new("one")));
        assert_eq!(same.accepted().count(), 1);
    }
}
