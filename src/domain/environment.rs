//! The two environments every route exists in, and the tenant (client + environment) that owns
//! every stored object.

use std::fmt;

/// Production paths live at `/…`, sandbox paths at `/sandbox/…` (CONTRACT §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Environment {
    Production,
    Sandbox,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Sandbox => "sandbox",
        }
    }

    pub fn parse(s: &str) -> Option<Environment> {
        match s {
            "production" => Some(Environment::Production),
            "sandbox" => Some(Environment::Sandbox),
            _ => None,
        }
    }

    /// The path prefix of this environment's routes, for messages that point elsewhere.
    pub fn path_prefix(self) -> &'static str {
        match self {
            Environment::Production => "",
            Environment::Sandbox => "/sandbox",
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who owns an object: one API client in one environment. Every store query is scoped by it,
/// which is what makes another client's object a plain 404.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub client_id: String,
    pub environment: Environment,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments_round_trip_through_their_names() {
        for env in [Environment::Production, Environment::Sandbox] {
            assert_eq!(Environment::parse(env.as_str()), Some(env));
        }
        assert_eq!(Environment::parse("Sandbox"), None);
        assert_eq!(Environment::Sandbox.path_prefix(), "/sandbox");
    }
}
