//! Configuration: where the file lives, what a profile is, and how a profile's secret is
//! obtained. A broken file is reported with its path, line and key before the terminal is
//! touched; the secret itself is never read from the file unless the user insists.

mod conflicts;
mod file;
pub mod keymap;
mod secret;

use std::path::{Path, PathBuf};

pub use file::{ConfigFile, GlyphChoice, LinkChoice, Profile, ProviderKind, View, ViewSort};
pub use keymap::{Keymap, UserAction, UserBinding, UserKeys};
pub use secret::{SecretSource, resolve_secret};

/// Environment variable naming the config file (same as `--config`).
pub const CONFIG_ENV: &str = "TTYDESK_CONFIG";

/// A configuration problem, worded for the person who has to fix the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: profile `{profile}`: {message}")]
    Profile {
        path: String,
        profile: String,
        message: String,
    },
    #[error("{0}")]
    Other(String),
}

impl ConfigError {
    /// Names the file a profile problem comes from (errors found after parsing, such as an
    /// unset token variable, are raised where the path is not known).
    pub fn in_file(self, file: &Path) -> ConfigError {
        match self {
            ConfigError::Profile {
                profile, message, ..
            } => ConfigError::Profile {
                path: file.display().to_string(),
                profile,
                message,
            },
            other => other,
        }
    }
}

/// Where the configuration file is looked for, in order: `--config`, `$TTYDESK_CONFIG`, the
/// platform config directory (`~/.config/ttydesk/ttydesk.toml` on Linux).
pub fn locate(cli: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = cli {
        return Some(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let default = project_dirs()?.config_dir().join("ttydesk.toml");
    default.exists().then_some(default)
}

/// Directory for the log file and the store, created on demand.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("TTYDESK_DATA_DIR").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    Some(project_dirs()?.data_local_dir().to_path_buf())
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "ttydesk")
}

/// Reads and validates the file at `path`.
pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    ConfigFile::parse(&text, &path.display().to_string())
}
