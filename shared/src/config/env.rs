//! The environment as [`super::Config`] reads it: each variable is named
//! once, where it is read, and a value that does not parse becomes a
//! [`ConfigError`] naming that variable.

use super::ConfigError;
use super::vars::Var;

/// Variables looked up by name; an empty value counts as unset (SAM and
/// shells pass empty parameters for "not given").
pub(super) struct Env<F> {
    lookup: F,
}

impl<F: Fn(&str) -> Option<String>> Env<F> {
    pub fn new(lookup: F) -> Self {
        Self { lookup }
    }

    /// The value of `var`, if set to something other than blanks.
    pub fn raw(&self, var: Var) -> Option<String> {
        (self.lookup)(var.name).filter(|value| !value.trim().is_empty())
    }

    /// `var` parsed by `parse` (which says what is wrong, without the
    /// name); `None` when unset.
    pub fn parse<T>(
        &self,
        var: Var,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ConfigError> {
        self.raw(var)
            .map(|value| parse(&value).map_err(|problem| error(var.name, problem)))
            .transpose()
    }

    /// `var` parsed by `parse`, or `default` parsed the same way when unset.
    pub fn parse_or<T>(
        &self,
        var: Var,
        default: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, ConfigError> {
        let value = self.raw(var);
        parse(value.as_deref().unwrap_or(default)).map_err(|problem| error(var.name, problem))
    }
}

pub(super) fn error(var: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        problem: problem.into(),
    }
}
