//! People of the demo instance: the API integration user, the agents (fixed names from the
//! asset, spread over help desk levels) and the customers (first × last names drawn from the
//! seed, with companies, departments and a few disabled accounts).

use crate::sim::assets::Assets;
use crate::sim::dataset::{Group, HelpDesk, User};
use crate::sim::rng::Rng;

/// Agent ids start right after the integration user (id 1).
pub const FIRST_AGENT_ID: u64 = 2;

/// One user group per department (the agents' department first, then the asset's list, each
/// name once), holding the users of that department. No randomness: group ids depend only on
/// the asset. They start at the first hundred above every help desk and level id, so that an
/// id names one kind of group only ("101" is a user group, "21" a level).
pub fn groups(assets: &Assets, users: &[User], helpdesks: &[HelpDesk]) -> Vec<Group> {
    let people = &assets.people;
    let mut names: Vec<&String> = Vec::new();
    for name in std::iter::once(&people.agent_department).chain(&people.departments) {
        if !name.trim().is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    let highest_desk = helpdesks.iter().map(|h| h.id).max().unwrap_or(0);
    let first = (highest_desk / 100 + 1) * 100 + 1;
    (first..)
        .zip(names)
        .map(|(id, name)| Group {
            id,
            name: name.clone(),
            members: users
                .iter()
                .filter(|u| !u.is_deleted && &u.department == name)
                .map(|u| u.id)
                .collect(),
        })
        .collect()
}

pub fn build(assets: &Assets, rng: &mut Rng, helpdesks: &mut [HelpDesk]) -> Vec<User> {
    let domain = &assets.instance.email_domain;
    let mut users = vec![integration_user(domain)];
    let mut taken: Vec<String> = vec!["api".into()];
    let people = &assets.people;
    for (id, pair) in (FIRST_AGENT_ID..).zip(&people.agents) {
        let (first, last) = split_pair(pair);
        let role = if id == FIRST_AGENT_ID {
            "Administrator".to_string()
        } else {
            rng.word(&people.roles).to_string()
        };
        let mut user = person(rng, assets, id, first, last, &mut taken);
        user.user_type = 1;
        user.role_name = role;
        user.company = people.companies.first().cloned().unwrap_or_default();
        user.department.clone_from(&people.agent_department);
        user.position.clone_from(&people.agent_position);
        users.push(user);
    }
    let agent_ids: Vec<u64> = users
        .iter()
        .filter(|u| u.is_agent() && u.id != 1)
        .map(|u| u.id)
        .collect();
    assign_members(rng, helpdesks, &agent_ids);

    let first_customer = FIRST_AGENT_ID + u64::try_from(people.agents.len()).unwrap_or(0);
    let mut names: Vec<(String, String)> = Vec::new();
    let wanted = usize::try_from(people.customers).unwrap_or(0);
    let max_names = people.customer_first.len() * people.customer_last.len();
    while names.len() < wanted.min(max_names) {
        let pair = (
            rng.word(&people.customer_first).to_string(),
            rng.word(&people.customer_last).to_string(),
        );
        if !names.contains(&pair) {
            names.push(pair);
        }
    }
    for (id, (first, last)) in (first_customer..).zip(&names) {
        let mut user = person(rng, assets, id, first, last, &mut taken);
        user.user_type = 2;
        user.role_name = "End user".into();
        let company = rng.word(&people.companies).to_string();
        // A partner's or an agency's people are external customers, not directory users.
        if people.external_companies.contains(&company) {
            user.kind = 4;
            user.is_external = true;
        }
        user.company = company;
        user.department = rng.word(&people.departments).to_string();
        user.position = rng.word(&people.positions).to_string();
        users.push(user);
    }
    // A couple of leavers: disabled accounts that still own old requests.
    for offset in [5u64, 17] {
        if let Some(user) = users.iter_mut().find(|u| u.id == first_customer + offset) {
            user.is_disabled = true;
        }
    }
    // Managers are earlier customers of the same company.
    for index in 0..users.len() {
        let Some(user) = users.get(index) else {
            continue;
        };
        if user.is_agent() || !rng.chance(0.4) {
            continue;
        }
        let manager = users[..index]
            .iter()
            .rev()
            .find(|m| !m.is_agent() && m.company == user.company)
            .map(|m| m.id);
        if let Some(user) = users.get_mut(index) {
            user.manager_id = manager;
        }
    }
    users
}

fn integration_user(domain: &str) -> User {
    User {
        id: 1,
        name: "API".into(),
        lastname: "Integration".into(),
        username: "api".into(),
        email: format!("api@{domain}"),
        user_type: 1,
        kind: 3,
        role_name: "Administrator".into(),
        is_disabled: false,
        is_deleted: false,
        is_external: false,
        company: String::new(),
        department: String::new(),
        position: String::new(),
        location: String::new(),
        city: String::new(),
        country: String::new(),
        phone: String::new(),
        mobile: String::new(),
        employee_number: String::new(),
        manager_id: None,
    }
}

fn split_pair(pair: &[String]) -> (&str, &str) {
    let first = pair.first().map_or("", String::as_str);
    let last = pair.get(1).map_or("", String::as_str);
    (first, last)
}

fn person(
    rng: &mut Rng,
    assets: &Assets,
    id: u64,
    first: &str,
    last: &str,
    taken: &mut Vec<String>,
) -> User {
    let first_ascii = ascii_fold(first);
    let last_ascii = ascii_fold(last);
    let base = format!(
        "{}{}",
        first_ascii.chars().next().unwrap_or('x'),
        last_ascii
    );
    let mut username = base.clone();
    let mut n = 2;
    while taken.contains(&username) {
        username = format!("{base}{n}");
        n += 1;
    }
    taken.push(username.clone());
    let local = if username == base {
        format!("{first_ascii}.{last_ascii}")
    } else {
        format!("{first_ascii}.{last_ascii}{}", n - 1)
    };
    let (city, country) = rng
        .pick(&assets.people.cities)
        .map_or(("", ""), |c| split_pair(c));
    User {
        id,
        name: first.to_string(),
        lastname: last.to_string(),
        username,
        email: format!("{local}@{}", assets.instance.email_domain),
        user_type: 2,
        kind: 2,
        role_name: String::new(),
        is_disabled: false,
        is_deleted: false,
        is_external: false,
        company: String::new(),
        department: String::new(),
        position: String::new(),
        location: city.to_string(),
        city: city.to_string(),
        country: country.to_string(),
        phone: format!("+34 91 555 {:02} {:02}", rng.below(100), rng.below(100)),
        mobile: format!(
            "+34 6{:02} {:03} {:03}",
            rng.below(100),
            rng.below(1000),
            rng.below(1000)
        ),
        employee_number: format!("E{:05}", 10_000 + id * 7),
        manager_id: None,
    }
}

/// Each agent works in one level (round robin over active levels) and some in a second one.
fn assign_members(rng: &mut Rng, helpdesks: &mut [HelpDesk], agent_ids: &[u64]) {
    let level_indexes: Vec<usize> = helpdesks
        .iter()
        .enumerate()
        .filter(|(_, h)| h.parent_id.is_some() && !h.deleted)
        .map(|(i, _)| i)
        .collect();
    if level_indexes.is_empty() {
        return;
    }
    for (n, agent) in agent_ids.iter().enumerate() {
        let primary = level_indexes[n % level_indexes.len()];
        let mut levels = vec![primary];
        if rng.chance(0.3)
            && let Some(second) = rng.pick(&level_indexes)
            && *second != primary
        {
            levels.push(*second);
        }
        for index in levels {
            if let Some(level) = helpdesks.get_mut(index) {
                level.members.push(*agent);
            }
        }
    }
    // The migrated desk keeps one member, as deleted desks often do.
    if let Some(agent) = agent_ids.first() {
        for desk in helpdesks
            .iter_mut()
            .filter(|h| h.deleted && h.parent_id.is_some())
        {
            desk.members.push(*agent);
        }
    }
    // A desk's members are the union of its levels' members.
    let levels: Vec<(u64, Vec<u64>)> = helpdesks
        .iter()
        .filter_map(|h| h.parent_id.map(|p| (p, h.members.clone())))
        .collect();
    for desk in helpdesks.iter_mut().filter(|h| h.parent_id.is_none()) {
        let mut members: Vec<u64> = levels
            .iter()
            .filter(|(p, _)| *p == desk.id)
            .flat_map(|(_, m)| m.iter().copied())
            .collect();
        members.sort_unstable();
        members.dedup();
        desk.members = members;
    }
    for level in helpdesks.iter_mut().filter(|h| h.parent_id.is_some()) {
        level.members.sort_unstable();
        level.members.dedup();
    }
}

/// Lowercase ASCII for usernames and email addresses ("Núñez" → "nunez", "O'Sullivan" →
/// "osullivan"); letters without an ASCII base are dropped.
pub fn ascii_fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'a'..='z' | '0'..='9' => Some(c),
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => Some('a'),
            'é' | 'è' | 'ê' | 'ë' => Some('e'),
            'í' | 'ì' | 'î' | 'ï' => Some('i'),
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => Some('o'),
            'ú' | 'ù' | 'û' | 'ü' => Some('u'),
            'ñ' | 'ń' => Some('n'),
            'ç' | 'č' | 'ć' => Some('c'),
            'ś' | 'š' | 'ş' => Some('s'),
            'ł' => Some('l'),
            'ğ' => Some('g'),
            'ř' => Some('r'),
            'ý' | 'ÿ' => Some('y'),
            'ž' | 'ź' | 'ż' => Some('z'),
            'ě' | 'ę' => Some('e'),
            'ı' => Some('i'),
            _ => None,
        };
        if let Some(m) = mapped {
            out.push(m);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_fold_handles_accents_and_punctuation() {
        assert_eq!(ascii_fold("Núñez"), "nunez");
        assert_eq!(ascii_fold("Ångström"), "angstrom");
        assert_eq!(ascii_fold("O'Sullivan"), "osullivan");
        assert_eq!(ascii_fold("Wiśniewska"), "wisniewska");
    }
}
