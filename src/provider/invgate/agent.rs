//! Who the profile's agent is on the server: `agent = "hana"` (a user name) or
//! `agent = "hana@acme.example"` (an e-mail) looked up with `user.by`, whose id is the
//! `author_id` of every write. Instances without `user.by` are searched through `users`.

use super::client::Client;
use super::fetch;
use super::map;
use super::wire::UserWire;
use crate::domain::Person;
use crate::provider::{ProviderError, ProviderResult};
use crate::text::SafeText;

pub async fn lookup(c: &Client, login: &str) -> ProviderResult<Person> {
    let login = login.trim();
    if login.is_empty() {
        return Err(ProviderError::Rejected(SafeText::ours(
            "the profile names no agent: set `agent` to a user name or an e-mail",
        )));
    }
    let users = match fetch::user_by(c, login).await {
        Ok(users) => users,
        // An instance older than `user.by`: the whole directory is searched instead.
        Err(ProviderError::NotFound(_)) => {
            fetch::list::<UserWire>(c, "users", super::client::Query::new()).await?
        }
        // "The user does not exist.": said in the profile's words below.
        Err(ProviderError::Rejected(why)) => {
            tracing::debug!(reason = %why, "user.by refused the login");
            Vec::new()
        }
        Err(other) => return Err(other),
    };
    pick(&users, login)
        .map(map::person)
        .ok_or_else(|| unknown(login))
}

fn unknown(login: &str) -> ProviderError {
    ProviderError::Rejected(SafeText::line(&format!("no InvGate user called {login}")))
}

/// The user `login` names: the one whose user name or e-mail it is (any case). A reply of one
/// user who carries neither is taken as the server's answer; one whose name and e-mail are
/// someone else's is not, so a server that ignores the filter cannot make the agent write in
/// another person's name.
fn pick<'a>(users: &'a [UserWire], login: &str) -> Option<&'a UserWire> {
    let wanted = login.to_lowercase();
    let same = |v: &Option<String>| {
        v.as_deref()
            .is_some_and(|v| v.trim().to_lowercase() == wanted)
    };
    let users: Vec<&UserWire> = users.iter().filter(|u| !u.id.is_empty()).collect();
    if let Some(user) = users.iter().find(|u| same(&u.username) || same(&u.email)) {
        return Some(user);
    }
    match users.as_slice() {
        [only] if only.username.is_none() && only.email.is_none() => Some(only),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, username: Option<&str>, email: Option<&str>) -> UserWire {
        UserWire {
            id: id.into(),
            username: username.map(Into::into),
            email: email.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn the_login_picks_its_user_by_name_or_mail() {
        let users = [
            user("1", Some("ana"), Some("ana@acme.example")),
            user("2", Some("Hana"), Some("hana@acme.example")),
        ];
        assert_eq!(pick(&users, "hana").map(|u| u.id.as_str()), Some("2"));
        assert_eq!(
            pick(&users, "HANA@acme.example").map(|u| u.id.as_str()),
            Some("2")
        );
        assert!(pick(&users, "han").is_none());
        assert!(
            pick(&[user("3", Some("bob"), None)], "hana").is_none(),
            "someone else"
        );
        assert_eq!(
            pick(&[user("4", None, None)], "hana").map(|u| u.id.as_str()),
            Some("4")
        );
        assert!(pick(&[user("", Some("hana"), None)], "hana").is_none());
    }
}
